"""Two lanes to the offline workers: decodes queue here for the decoding pool, step work has its own worker.

``ProcessPoolExecutor`` serves its jobs in one FIFO queue. With a backlog of decodes (two transcription threads
per worker, each handing its decode to the pool, and a long recording's segments), an entity detection (~2 ms of
work) in the same pool waited behind every decode queued before it: a median 2.4-2.6 s in a 20- and a
100-concurrent soak (docs/throughput.md), delaying each recording's later steps. Here:

- the long lane (decodes, decode segments) keeps at most ``worker_count() + 1`` jobs inside the decoding pool (one
  running on each worker and one queued, so that a worker finishing a decode finds the next one without waiting
  for this process's GIL) and holds the rest in its own queue, in submission order; a queued job enters the pool
  when a long job there finishes (the callback runs in the pool's manager thread);
- short jobs (entity detection) go to the step worker's own pool (``workers.step_pool``), never behind a decode.

Both lanes are bounded: a job that would queue past its lane's bound is refused with ``WorkerQueueFull`` (a
``ServiceThrottled``: the pipeline's shared retry map retries it, as on AWS when a service throttles). Decodes
are submitted by the transcription service's threads and by the segments of a long recording, so the long lane
holds at most a few dozen; short jobs come from the handlers of running executions.

The future returned for a job queued in the long lane is this module's own; cancelling it before it enters the
pool drops it, as ``Future.cancel`` does for a job still queued in the pool.
"""

from __future__ import annotations

import collections
import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from medscribe.errors import ServiceThrottled

# Bounds on jobs waiting in each lane (queued here, or inside the pool for the short lane).
LONG_QUEUE_LIMIT = 512
SHORT_QUEUE_LIMIT = 1024


class WorkerQueueFull(ServiceThrottled):
    """A lane of the offline worker pool is full: the job was refused, not queued."""


Submit = Callable[..., "Future[Any]"]


class Lanes:
    """The pool's two lanes. ``submit`` is the pool's own (it starts a worker with its environment)."""

    def __init__(self, submit: Submit, submit_short: Submit, long_in_pool: Callable[[], int]) -> None:
        self._submit = submit
        self._submit_short = submit_short
        self._long_in_pool = long_in_pool  # how many long jobs may be inside the pool at once
        self._lock = threading.Lock()
        self._long_running = 0  # long jobs inside the pool (queued there or running)
        self._long_waiting: collections.deque[tuple[Future[Any], Any, tuple[Any, ...], dict[str, Any]]] = (
            collections.deque()
        )
        self._short_pending = 0
        self._generation = 0  # a stopped pool's late callbacks no longer count (clear)

    def long(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        """A decode: into the pool now if fewer than ``long_in_pool()`` are there, else queued here."""
        with self._lock:
            generation = self._generation
            if self._long_running < self._long_in_pool():
                self._long_running += 1
            else:
                if len(self._long_waiting) >= LONG_QUEUE_LIMIT:
                    raise WorkerQueueFull(
                        f"the offline worker pool's decode queue is full ({LONG_QUEUE_LIMIT} waiting)"
                    )
                outer: Future[Any] = Future()
                self._long_waiting.append((outer, fn, args, kwargs))
                return outer
        return self._into_pool(generation, fn, args, kwargs)

    def short(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Step work of a few milliseconds: into the pool at once, ahead of every decode queued in the long lane."""
        with self._lock:
            if self._short_pending >= SHORT_QUEUE_LIMIT:
                raise WorkerQueueFull(
                    f"the offline worker pool's step-work queue is full ({SHORT_QUEUE_LIMIT} waiting)"
                )
            self._short_pending += 1
            generation = self._generation
        try:
            future = self._submit_short(fn, *args, **kwargs)
        except BaseException:
            self._short_done(generation)
            raise
        future.add_done_callback(lambda _: self._short_done(generation))
        return future

    def waiting(self) -> int:
        """Long jobs queued in this lane (not yet in the pool)."""
        with self._lock:
            return len(self._long_waiting)

    def clear(self, reason: BaseException) -> None:
        """Fail every job still queued here and start counting afresh (the pool is being stopped: the jobs
        inside it end with it)."""
        with self._lock:
            waiting = list(self._long_waiting)
            self._long_waiting.clear()
            self._long_running = 0
            self._short_pending = 0
            self._generation += 1
        for outer, *_ in waiting:
            if outer.set_running_or_notify_cancel():
                outer.set_exception(reason)

    def _short_done(self, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._short_pending -= 1

    def _into_pool(
        self, generation: int, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Future[Any]:
        try:
            future = self._submit(fn, *args, **kwargs)
        except BaseException:
            self._long_finished(generation)
            raise
        future.add_done_callback(lambda _: self._long_finished(generation))
        return future

    def _long_finished(self, generation: int) -> None:
        """A long job left the pool: the next queued one (not cancelled meanwhile) takes its place."""
        while True:
            with self._lock:
                if generation != self._generation:
                    return  # its pool was stopped (clear): the count started afresh
                if not self._long_waiting:
                    self._long_running -= 1
                    return
                outer, fn, args, kwargs = self._long_waiting.popleft()
            if not outer.set_running_or_notify_cancel():
                continue  # cancelled while queued here: it never runs
            try:
                inner = self._submit(fn, *args, **kwargs)
            except (BrokenProcessPool, RuntimeError) as exc:  # a broken or stopped pool
                outer.set_exception(exc)
                continue
            inner.add_done_callback(functools.partial(_copy_outcome, outer=outer))
            inner.add_done_callback(lambda _: self._long_finished(generation))
            return


def _copy_outcome(inner: Future[Any], outer: Future[Any]) -> None:
    if inner.cancelled():
        outer.set_exception(BrokenProcessPool("the offline worker pool was stopped"))
        return
    exc = inner.exception()
    if exc is not None:
        outer.set_exception(exc)
    else:
        outer.set_result(inner.result())
