"""The delivery threads of EventBridge rule targets in local mode (:class:`medscribe.local.engine.LocalPipeline`):
asynchronous as EventBridge delivers, two threads per target function, and a pause in which objects put trigger
no target (``LocalPipeline.triggers_paused``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager


class TargetPools:
    def __init__(self) -> None:
        self.paused = False  # see pause()
        self._pools: dict[str, ThreadPoolExecutor] = {}  # rule deliveries per target function (pool)
        self._lock = threading.Lock()

    def pool(self, arn: str) -> ThreadPoolExecutor:
        """Two delivery threads per target function. With two for the whole stack, 100 uploads at once queued their
        StartRecording deliveries ~20 s deep, and the completion signals of transcripts landing meanwhile waited
        behind them (docs/throughput.md)."""
        with self._lock:
            pool = self._pools.get(arn)
            if pool is None:
                pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="eventbridge-target")
                self._pools[arn] = pool
            return pool

    @contextmanager
    def pause(self) -> Iterator[None]:
        """Objects put meanwhile trigger no Lambda rule target."""
        self.paused = True
        try:
            yield
        finally:
            self.paused = False

    def shutdown(self) -> None:
        """Waits for the deliveries under way."""
        with self._lock:
            pools = list(self._pools.values())
        for pool in pools:
            pool.shutdown(wait=True)
