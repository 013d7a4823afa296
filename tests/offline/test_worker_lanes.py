"""The offline workers' lanes: step work does not wait behind queued decodes, and each lane is bounded."""

from __future__ import annotations

import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import soundfile as sf

from medscribe import errors
from medscribe.offline import workers, workers_lanes
from medscribe.offline.workers import PooledEntityDetector

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "dictation.wav"


def _clip(tmp_path: Path, seconds: float = 8.0) -> Path:
    samples, rate = sf.read(SAMPLE, dtype="int16")
    path = tmp_path / "clip.wav"
    sf.write(path, samples[: int(seconds * rate)], rate)
    return path


def _wait_until(check: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the decodes were not all submitted"
        time.sleep(0.01)


def test_entity_detection_does_not_wait_behind_queued_decodes(tmp_path: Path) -> None:
    # Given every worker started, and three decodes per worker submitted at once (as the transcription service's
    # threads and a long recording's segments submit them under load)
    count = workers.worker_count()
    assert all(future.result(timeout=300) for future in workers.prewarm(count))
    clip = _clip(tmp_path)
    finished: list[str] = []
    lock = threading.Lock()

    def decode(i: int) -> None:
        workers.transcribe(clip, job_name=f"lane-{i}", account_id="0", media_format="wav")
        with lock:
            finished.append("decode")

    decodes = [threading.Thread(target=decode, args=(i,)) for i in range(3 * count)]
    for thread in decodes:
        thread.start()
    _wait_until(lambda: workers._lanes.waiting() == 3 * count - (count + 1))
    # When a step's entity detection is asked for while they wait
    PooledEntityDetector().detect_entities("Start metformin 500 mg twice daily.")
    with lock:
        finished.append("entities")
    for thread in decodes:
        thread.join(timeout=300)
    # Then it finished before the decodes queued ahead of it (at most one running decode ended meanwhile; in one
    # FIFO queue shared with them, at least 2 x workers + 1 of them ended first)
    assert len(finished) == 3 * count + 1
    assert finished.index("entities") <= 1, finished


def test_a_decode_past_its_lanes_bound_is_refused_with_a_named_transient_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a long lane bounded at one waiting job, the pool holding its share of long jobs (each worker sleeps)
    # and one more waiting in the lane
    monkeypatch.setattr(workers_lanes, "LONG_QUEUE_LIMIT", 1)
    held = [workers._lanes.long(time.sleep, 30) for _ in range(workers.worker_count() + 2)]
    try:
        assert workers._lanes.waiting() == 1
        # When one more decode is submitted
        with pytest.raises(workers_lanes.WorkerQueueFull, match="decode queue is full") as refused:
            workers._lanes.long(time.sleep, 0)
        # Then it is refused at once with a ServiceThrottled (retried by the pipeline's shared retry map), and
        # step work still enters the pool
        assert isinstance(refused.value, errors.ServiceThrottled)
        assert not workers._lanes.short(time.sleep, 0).cancelled()
    finally:
        workers.shutdown()  # the sleeping workers are killed with the old pool; later tests get a fresh one
    # And the stopped pool's queued job ends with the pool, not silently
    assert isinstance(held[-1].exception(timeout=30), BrokenProcessPool)


def test_a_job_cancelled_while_queued_in_the_lane_never_runs(tmp_path: Path) -> None:
    # Given the pool holding its share of long jobs, and two more queued in the lane
    marker = tmp_path / "ran"
    held = [workers._lanes.long(time.sleep, 1) for _ in range(workers.worker_count() + 1)]
    cancelled = workers._lanes.long(Path.touch, marker)
    after = workers._lanes.long(time.sleep, 0)
    # When the first queued one is cancelled before a slot frees
    assert cancelled.cancel()
    # Then the next one runs in its place, and the cancelled one never ran
    assert after.result(timeout=120) is None
    assert all(future.result(timeout=120) is None for future in held)
    assert not marker.exists()
    assert workers._lanes.waiting() == 0
