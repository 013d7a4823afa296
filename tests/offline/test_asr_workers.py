"""Offline transcription jobs decode in worker processes: the calling process keeps moving."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from test_asr_service import BUCKET, MemoryStore, _request

from medscribe.offline import asr
from medscribe.offline.transcribe_service import OfflineTranscribeMedical, wait_for
from medscribe.offline.workers import PooledEntityDetector

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "dictation.wav"


def test_a_long_decode_never_freezes_the_calling_process(tmp_path: Path) -> None:
    # Given a ~48 s dictation (the sample twice, each decoded as one long speech region: holding the GIL for a
    # region would stall the ticking thread below for seconds)
    samples, rate = sf.read(SAMPLE, dtype="int16")
    path = tmp_path / "long.wav"
    sf.write(path, np.concatenate([samples, samples]), rate)
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/long.wav", path.read_bytes(), "audio/wav")
    service = OfflineTranscribeMedical(store)
    decoder_uses = asr.recognizer.cache_info()
    # When its job runs while this thread keeps ticking
    started = time.monotonic()
    service.start(_request("job-workers-long", "incoming/long.wav"))
    gaps: list[float] = []
    last = time.monotonic()
    while service.get("job-workers-long").status == "IN_PROGRESS":
        time.sleep(0.01)
        now = time.monotonic()
        gaps.append(now - last)
        last = now
    took = time.monotonic() - started
    state = wait_for("job-workers-long", timeout=300)
    # Then the job completed with words, this process never touched its decoder (the decode ran elsewhere), and
    # the ticking thread never waited on the GIL for a decode (pocketsphinx holds it for a whole region)
    assert state.status == "COMPLETED", state.failure_reason
    output = store.get_json(BUCKET, "default/job-workers-long/transcribe/job-workers-long.json")
    assert len(output["results"]["items"]) > 50
    assert asr.recognizer.cache_info() == decoder_uses
    # (ratios, not seconds: the job spanned many ticks, and no tick waited more than a fifth of the whole job)
    assert len(gaps) > 20, (len(gaps), took)
    assert max(gaps) < took / 5, (max(gaps), took)


@dataclass(frozen=True)
class Prewarmed:
    """What a fresh pool's workers had right after ``prewarm``, read before any job ran in them."""

    size: int
    decoding: dict[str, int]  # what a decoding worker loaded
    step: dict[str, int]  # what the step worker loaded
    tunables: dict[int, list[bytes]]  # per decoding worker: the GLIBC_TUNABLES its process started with
    anon_huge_kb: dict[int, int]  # per decoding worker: its anonymous memory on huge pages


@pytest.fixture(scope="module")
def prewarmed() -> Prewarmed:
    """One fresh pool, every worker started by prewarm at once (as `medscribe run` and `serve` have their local
    stack do, and as the soak does before measuring), read at once: its two tests share the workers' start-up
    (each decoding worker loads the decoder) instead of paying it twice."""
    from medscribe.offline import workers

    workers.shutdown()
    assert all(future.result(timeout=300) for future in workers.prewarm(workers.worker_count()))
    processes = dict(getattr(workers.pool(), "_processes", {}))
    tunables = {
        pid: [
            v
            for v in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            if v.startswith(b"GLIBC_TUNABLES=")
        ]
        for pid in processes
    }
    huge = {pid: _anon_huge_kb(pid) for pid in processes}
    # When a decoding worker and the step worker are asked what they loaded, before any job ran in them
    decoding = workers.pool().submit(_loaded_in_this_process).result(timeout=300)
    step = workers.step_pool().submit(_loaded_in_this_process).result(timeout=300)
    return Prewarmed(len(processes), decoding, step, tunables, huge)


def test_prewarmed_workers_have_the_decoder_and_the_dictionaries_before_any_job(prewarmed: Prewarmed) -> None:
    # Given the workers started by prewarm / When asked what they loaded (the fixture)
    # Then the decoding worker's initializer loaded the decoder, the step worker's the entity dictionaries
    assert prewarmed.decoding == {"decoder": 1, "drugs": 0}
    assert prewarmed.step == {"decoder": 0, "drugs": 1}


def _loaded_in_this_process() -> dict[str, int]:
    from medscribe.offline import ner_lexicon

    return {
        "decoder": asr.recognizer.cache_info().currsize,
        "drugs": ner_lexicon.drug_lexicon.cache_info().currsize,
    }


def test_the_pooled_entity_detector_answers_as_the_offline_detector() -> None:
    from medscribe.offline.ner import OfflineEntityDetector
    from medscribe.offline.workers import step_pool

    text = "Patient reports chest pain for 3 days. Start lisinopril 10 mg once daily. No known allergies."
    # When the same text is detected in a worker process and here
    pooled = PooledEntityDetector().detect_entities(text)
    here = OfflineEntityDetector().detect_entities(text)
    # Then the responses are the same, and the step worker's process exists (the pooled one ran there)
    assert pooled == here
    assert any(e["Category"] == "MEDICATION" for e in pooled["Entities"])
    assert getattr(step_pool(), "_processes", {})


def test_step_work_that_waits_past_its_bound_is_a_named_transient_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medscribe import errors
    from medscribe.offline import workers

    # Given the step worker busy for longer than a step's bound (here 1 s): it sleeps 30 s
    monkeypatch.setattr(workers, "STEP_WORK_TIMEOUT_SECONDS", 1.0)
    busy = [workers.step_pool().submit(time.sleep, 30) for _ in range(workers.STEP_WORKERS)]
    try:
        # When a step's entity detection waits for a worker
        started = time.monotonic()
        with pytest.raises(errors.ServiceThrottled, match="within 1 s"):
            PooledEntityDetector().detect_entities("Start metformin 500 mg daily.")
        # Then it stops waiting at its bound with ServiceThrottled (the shared retry map retries it): long before
        # the worker is free again (a ratio of its 30 s of sleep)
        assert time.monotonic() - started < 30 / 2
    finally:
        for future in busy:
            future.cancel()
        workers.shutdown()  # the sleeping workers are killed with the old pool; later tests get a fresh one


def test_a_fast_exit_after_pooled_work_leaves_no_leaked_semaphore(tmp_path: Path) -> None:
    # Given a program whose entity detection ran in the worker pool, and which then leaves the way `medscribe
    # run` does when a signal aborts it (hygiene.finish_aborted: the final line, then os._exit)
    script = textwrap.dedent(
        """
        import signal, sys
        from medscribe.local.hygiene import RunAborted, finish_aborted
        from medscribe.offline.workers import PooledEntityDetector, step_pool

        if __name__ == "__main__":
            PooledEntityDetector().detect_entities("Start metformin 500 mg daily.")
            assert getattr(step_pool(), "_processes", {})
            finish_aborted(RunAborted(signal.SIGTERM), "rec-1", sys.stdout)
        """
    )
    (tmp_path / "fast_exit.py").write_text(script)
    # When it runs to its end (stderr is read until every process holding it, the resource tracker too, is gone)
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "fast_exit.py")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "MEDSCRIBE_ASR_WORKERS": "1"},
    )
    # Then it left with the signal's code and its line, and multiprocessing found nothing left to clean up
    assert proc.returncode == 128 + 15, proc.stderr[-3000:]
    assert '"status": "ABORTED"' in proc.stdout
    assert "leaked semaphore" not in proc.stderr, proc.stderr[-3000:]
    assert "resource_tracker" not in proc.stderr, proc.stderr[-3000:]


def _glibc_reads_hugetlb() -> bool:
    """glibc 2.35+ knows the ``glibc.malloc.hugetlb`` tunable, and the kernel hands out transparent huge pages
    on request (THP mode ``madvise`` or ``always``)."""
    version = os.confstr("CS_GNU_LIBC_VERSION") if "CS_GNU_LIBC_VERSION" in os.confstr_names else None
    mode = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    if not version or not mode.exists() or "[never]" in mode.read_text():
        return False
    major, minor = (int(part) for part in version.split()[1].split(".")[:2])
    return (major, minor) >= (2, 35)


def _anon_huge_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1])
    return 0


@pytest.mark.skipif(not _glibc_reads_hugetlb(), reason="needs glibc 2.35+ and transparent huge pages")
def test_every_prewarmed_worker_starts_with_its_decoder_memory_on_huge_pages(prewarmed: Prewarmed) -> None:
    from medscribe.offline import workers

    # Given a fresh pool, every worker started at once (the fixture)
    # Then there are as many workers as the pool's size, each started with the huge-page tunable (what glibc
    # read at its start) and holding its loaded decoder in huge pages (time-sliced decodes refill their TLB
    # from far fewer entries: docs/throughput.md), while this process's environment was only extended
    assert prewarmed.size == workers.worker_count()
    for pid, tunables in prewarmed.tunables.items():
        assert len(tunables) == 1
        assert b"glibc.malloc.hugetlb=1" in tunables[0], tunables
        assert prewarmed.anon_huge_kb[pid] >= 2048, prewarmed.anon_huge_kb[pid]


def test_the_worker_tunable_joins_the_users_own_and_never_overrides_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medscribe.offline import workers

    # Given a user's own glibc tunables: another one, then one that sets the huge-page choice itself
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")
    workers._worker_environment()
    joined = os.environ["GLIBC_TUNABLES"]
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0")
    workers._worker_environment()
    # Then the workers' tunable is added to the first, and the user's own choice is kept in the second
    assert joined == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"
    assert os.environ["GLIBC_TUNABLES"] == "glibc.malloc.hugetlb=0"
