"""Offline transcription jobs decode in worker processes, off the GIL of the process running the pipeline.

pocketsphinx holds the GIL for a whole decode: on a thread, a long file froze the state machine, the CLI
progress and every other execution of the process. Here each job's ``asr.transcribe_file`` runs in a small
``ProcessPoolExecutor`` (``spawn``: no inherited emulator state or locks) sized to the cores, so several jobs
decode in parallel and the calling process keeps moving; each job starts from a fresh decoder state
(``asr._Recognizer.reset``), so the worker a job lands on does not change its transcript.

``MEDSCRIBE_ASR_WORKERS``: the number of worker processes (default: the CPU count, at most 4); ``0`` decodes in
the calling thread (debugging).

The offline entity detector runs in a worker process of its own (``step_pool``, one process), off the GIL that the
state machine, moto and the other handlers share in the pipeline's process (``PooledEntityDetector``, what local
mode wires as the EntityDetector; its ~80k drug names and the CMU word list load once, in that worker). RenderPdf draws in its
handler's process, as on Lambda: the in-house PDF writer takes ~15 ms.

Jobs go in two lanes (``workers_lanes``): decodes and decode segments queue in their own bounded lane (at most one
per worker plus one inside the decoding pool), and entity detection goes to the step worker, so that a step never
waits behind the decodes (in one shared FIFO queue it waited a median 2.4-2.6 s for ~2 ms of work); a full lane
refuses a job with ``WorkerQueueFull`` (a ``ServiceThrottled``).

One long recording uses every worker: a recording long enough for two decode segments (``asr.SEGMENT_SECONDS``
of speech each) is read and split into segments here, and its segments are decoded on all workers at once and
stitched in order (``offline.split_decode``; the same words as one decoder in one pass).

Each decoding worker loads the decoder and the medical lexicon in its initializer (not the decoder while the test
runs' decode memo is on: ``offline.decode_memo``), the step worker the entity dictionaries (``_preload``), and
``prewarm(count)`` starts that many decoding workers and the step worker at once (the local stack of ``medscribe
run`` and ``serve`` starts them all when it starts; with the memo on, only the step worker): the spawn, imports
and loads (~2 s of CPU each) then run on the other cores while the stack is built, not on the first jobs' path.
Otherwise workers are started on demand (one per job while none is idle, up to the pool size).
Each worker watches its parent (``local.state.lifeline``): when the parent dies, however it dies (kill -9
included), the worker leaves at once and releases the caller's stdout/stderr.
Anything that cannot load leaves the job that needs it to raise the real error (a failing initializer would
break the pool).

Workers start with glibc's ``glibc.malloc.hugetlb=1`` tunable (``WORKER_TUNABLES``): malloc asks for
transparent huge pages (``madvise``), so the decoder's ~100 MB of model and search memory is mapped by 2 MB pages.
A decode is preempted hundreds of times when more runnable work than cores shares the machine (two workers and
the pipeline's threads on 2 cores), and each time it resumes it refills its caches and TLB: time-sliced, the
same 8-s decode cost 2x the CPU of an uninterrupted one, and huge pages took 20-30% of that back (measured:
docs/throughput.md). The decoder's arithmetic does not depend on its memory layout: same words, same times.
The tunable is read when a process starts, so it is set in this process's environment before a worker is
spawned (``_submit``); a tunable the user already set for ``glibc.malloc.hugetlb`` is kept.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import soundfile as sf

from medscribe.errors import ServiceThrottled
from medscribe.offline import asr, decode_memo, pcm
from medscribe.offline.split_decode import Decoded, SegmentResult, decode_split
from medscribe.offline.workers_lanes import Lanes

WORKERS_ENV = "MEDSCRIBE_ASR_WORKERS"
MAX_WORKERS = 4
STEP_WORKERS = 1  # step work (entity detection, ~2 ms a job) has its own worker process
# Bounds on waiting for a worker (queue + work). A step's work (entities, PDF) that waits longer is reported as
# ServiceThrottled, the transient error the pipeline's shared retry map retries (as on AWS when Comprehend
# throttles); a transcription job that outlives its bound ends FAILED (the service's job thread catches it).
STEP_WORK_TIMEOUT_SECONDS = 120.0
TRANSCRIBE_TIMEOUT_SECONDS = 4 * 3600.0
# shutdown(): a killed worker and the pool's manager thread are gone in milliseconds; past this, exit anyway.
SHUTDOWN_TIMEOUT_SECONDS = 10.0
# glibc (2.35+) reads these when a worker starts; other C libraries ignore them (see the module docstring).
TUNABLES_ENV = "GLIBC_TUNABLES"
WORKER_TUNABLES = "glibc.malloc.hugetlb=1"


def worker_count() -> int:
    raw = os.environ.get(WORKERS_ENV)
    if raw is not None and raw.strip().isdigit():
        return min(int(raw), MAX_WORKERS)
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


# Touches every dictionary the detector loads lazily (drugs, conditions, tests, anatomy, English words).
_WARM_UP_TEXT = "Patient has hypertension; chest x ray. Start metformin 500 mg twice daily for 3 days."


def _preload(parent: int | None = None, role: str = "decode") -> None:
    # A Ctrl-C at a terminal signals the whole process group, workers included: it is the parent's to handle (it
    # stops the pool); a worker interrupted while idle would only print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        from medscribe.local.state.lifeline import watch_parent

        watch_parent(parent)  # this worker ends with the process that started it, even after a kill -9
    loads: dict[str, list[Callable[[], object]]] = {
        "decode": [lambda: asr.recognizer(True)],
        "step": [lambda: _detect_entities(_WARM_UP_TEXT)],
    }
    if decode_memo.directory() is not None:  # with the test runs' memo on, most jobs never reach the decoder
        loads["decode"] = []
    for load in loads[role]:
        try:
            load()
        except Exception:  # noqa: BLE001 - the job that needs it raises the real error
            continue


def _detect_entities(text: str) -> dict[str, Any]:
    from medscribe.offline.ner import OfflineEntityDetector

    return OfflineEntityDetector().detect_entities(text)


def _ready() -> bool:
    return True


@functools.cache
def pool() -> ProcessPoolExecutor:
    """The decoding workers."""
    return ProcessPoolExecutor(
        max_workers=max(1, worker_count()),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_preload,
        initargs=(os.getpid(), "decode"),
    )


@functools.cache
def step_pool() -> ProcessPoolExecutor:
    """The step-work worker (entity detection): one process, so that a step never waits for a decode."""
    return ProcessPoolExecutor(
        max_workers=STEP_WORKERS,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_preload,
        initargs=(os.getpid(), "step"),
    )


def _worker_environment() -> None:
    """What a worker must find in its environment when it starts (``WORKER_TUNABLES``), unless set already."""
    current = os.environ.get(TUNABLES_ENV, "")
    name = WORKER_TUNABLES.split("=", 1)[0]
    if any(item.split("=", 1)[0] == name for item in current.split(":")):
        return
    os.environ[TUNABLES_ENV] = f"{current}:{WORKER_TUNABLES}" if current else WORKER_TUNABLES


def _submit(fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
    """``pool().submit``: a worker it spawns (one per job while none is idle) starts with its tunables."""
    _worker_environment()
    return pool().submit(fn, *args, **kwargs)


def _submit_step(fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
    _worker_environment()
    return step_pool().submit(fn, *args, **kwargs)


# Decodes queue in their own lane, at most one per worker plus one inside the pool; step work (entity detection)
# goes straight to the workers, ahead of the queued decodes (``workers_lanes``).
_lanes = Lanes(_submit, _submit_step, lambda: worker_count() + 1)


def prewarm(count: int = 1) -> list[Future[bool]]:
    """Start ``count`` decoding workers now (each loads its decoder), at most the pool's size, and the step-work
    worker (it loads the entity dictionaries); returns at once, with futures done when each worker is ready, the
    step worker's last. No-op when workers are off. A worker already idle counts as one.

    With the test runs' decode memo on (``offline.decode_memo``), no decoding worker is started here: it would
    load no decoder (``_preload``), and most such stacks never decode (their audio is in the memo), so each
    spawned only to sit idle (~0.2 s of CPU each). A job that misses the memo starts one, as without prewarm."""
    if worker_count() == 0:
        return []
    decoding = 0 if decode_memo.directory() is not None else max(1, min(count, worker_count()))
    decoders = [_submit(_ready) for _ in range(decoding)]
    return [*decoders, _submit_step(_ready)]


def transcribe(
    path: Path,
    *,
    job_name: str,
    account_id: str,
    media_format: str,
    segment_seconds: float = asr.SEGMENT_SECONDS,
) -> dict[str, Any]:
    """``asr.transcribe_file`` in a worker process (or here when workers are off); a recording long enough for
    two decode segments, on two or more workers, has its segments decoded on all of them (``split_decode``).
    With ``MEDSCRIBE_DECODE_MEMO`` set (test runs only: ``offline.decode_memo``), audio decoded before under that
    directory is not decoded again."""
    memo = decode_memo.directory()
    decode = functools.partial(decode_memo.transcribe, memo, _transcribe) if memo is not None else _transcribe
    return decode(
        path,
        job_name=job_name,
        account_id=account_id,
        media_format=media_format,
        segment_seconds=segment_seconds,
    )


def _transcribe(
    path: Path, *, job_name: str, account_id: str, media_format: str, segment_seconds: float
) -> dict[str, Any]:
    if worker_count() == 0:
        return asr.transcribe_file(
            path,
            job_name=job_name,
            account_id=account_id,
            media_format=media_format,
            segment_seconds=segment_seconds,
        )
    if media_format in pcm.FFMPEG_FORMATS and pcm.find_ffmpeg() is None:  # fail fast, as the decoder would
        raise pcm.AudioDecoderUnavailable(
            f"decoding {media_format} audio needs ffmpeg (on PATH, or the imageio-ffmpeg package)"
        )
    if worker_count() >= 2 and _splittable(path, media_format, segment_seconds):
        decoded = decode_on_all_workers(path, media_format=media_format, segment_seconds=segment_seconds)
        return asr.build_output(decoded.regions, job_name=job_name, account_id=account_id)
    return _in_worker(
        _lanes.long,
        pool,
        TRANSCRIBE_TIMEOUT_SECONDS,
        asr.transcribe_file,
        path,
        job_name=job_name,
        account_id=account_id,
        media_format=media_format,
        segment_seconds=segment_seconds,
    )


def decode_on_all_workers(
    path: Path, *, media_format: str | None, segment_seconds: float = asr.SEGMENT_SECONDS
) -> Decoded:
    """The recording's decode segments on every worker at once (read and split here), stitched in order."""

    def submit(segment: list[asr.Region]) -> Future[SegmentResult]:
        return _lanes.long(_decode_segment, segment)

    try:
        return decode_split(
            path,
            media_format=media_format,
            submit=submit,
            in_flight=worker_count() + 1,  # every worker busy and one segment queued behind them
            timeout=TRANSCRIBE_TIMEOUT_SECONDS,
            segment_seconds=segment_seconds,
        )
    except BrokenProcessPool:
        pool.cache_clear()  # a worker died (killed, out of memory): the next job gets a new pool
        raise


def _decode_segment(segment: list[asr.Region]) -> SegmentResult:
    return os.getpid(), asr.decode_segment(segment)


def _splittable(path: Path, media_format: str, segment_seconds: float) -> bool:
    """Long enough for two segments by its header (wav/flac/ogg/mp3), or a container only ffmpeg reads (no
    cheap duration: split; one segment then decodes in one worker all the same). A file whose header cannot be
    read decodes in one worker, which raises the real error."""
    if media_format in pcm.FFMPEG_FORMATS:
        return True
    try:
        duration = float(sf.info(str(path)).duration)
    except (sf.LibsndfileError, RuntimeError, EOFError):
        return False
    return duration >= 2 * segment_seconds


def _in_worker(lane: Any, executor: Any, timeout: float, fn: Any, *args: Any, **kwargs: Any) -> Any:
    future = lane(fn, *args, **kwargs)
    try:
        return future.result(timeout=timeout)
    except BrokenProcessPool:
        executor.cache_clear()  # a worker died (killed, out of memory): the next job gets a new pool
        raise
    except FuturesTimeout:
        future.cancel()  # still queued: never runs; already running: its result is dropped
        raise ServiceThrottled(
            f"the offline worker pool did not finish {fn.__name__} within {timeout:.0f} s"
        ) from None


class PooledEntityDetector:
    """``medscribe.ports.EntityDetector``: the offline detector (``medscribe.offline.ner``) in a worker process
    (here when workers are off). Same input, same response: only the process that computes it differs."""

    def detect_entities(self, text: str) -> dict[str, Any]:
        if worker_count() == 0:
            return _detect_entities(text)
        result: dict[str, Any] = _in_worker(
            _lanes.short, step_pool, STEP_WORK_TIMEOUT_SECONDS, _detect_entities, text
        )
        return result


def shutdown() -> None:
    """Stop the workers now (an aborted run, a CLI's fast exit): queued jobs are cancelled, running decodes are
    killed, and the pool's queues are released before this returns, so that a process which then leaves with
    ``os._exit`` leaves no semaphore behind (multiprocessing's resource tracker would print "There appear to be
    N leaked semaphore objects" at exit)."""
    _lanes.clear(BrokenProcessPool("the offline worker pool was stopped"))
    stopped = [_stop(executor_of) for executor_of in (pool, step_pool)]
    if any(stopped):
        gc.collect()  # once for both pools: a full collection of a serve's heap is ~0.3-0.6 s of CPU


def _stop(executor_of: Any) -> bool:
    """Kill a pool's workers and join its threads; True when there was a pool (its queues are garbage now)."""
    if executor_of.cache_info().currsize == 0:
        return False
    executor = executor_of()
    executor_of.cache_clear()
    processes = list(getattr(executor, "_processes", {}).values())
    # The pool's manager thread (taken before shutdown() forgets it) notices the dead workers, closes the call
    # queue and joins its feeder thread; once it is gone the queues are garbage, and collecting them runs their
    # semaphores' unlinking finalizers.
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    if manager is not None:
        manager.join(SHUTDOWN_TIMEOUT_SECONDS)
    for process in processes:
        process.join(SHUTDOWN_TIMEOUT_SECONDS)
    del executor, processes
    return True
