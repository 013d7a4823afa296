"""The local stack's waits wake on events, not timers, and its workers are all started when it prewarms them."""

from __future__ import annotations

import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medscribe.local import waiting
from medscribe.local.engine import LocalPipeline
from medscribe.local.moto_patches import execution_events
from medscribe.offline import workers

# Never reached: the stack's steps that need PostgreSQL do not run in these tests (an unknown tenant's upload is
# refused before any of them).
UNREACHABLE_DATABASE = "postgresql://medscribe@127.0.0.1:9/none"


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPipeline]:
    workers.shutdown()  # a fresh pool: the stack's prewarm is what starts its workers
    home = tmp_path_factory.mktemp("home")
    with LocalPipeline(home=home, database_url=UNREACHABLE_DATABASE, prewarm_workers=True) as started:
        yield started


def test_a_stack_that_prewarms_starts_every_worker(pipeline: LocalPipeline) -> None:
    # Given a local stack asked to prewarm its workers (as `medscribe run` and `serve` ask)
    # When the workers it started are ready
    ready = [future.result(timeout=300) for future in pipeline.workers_ready]
    # Then every decoding worker of the pool was started, not only the first (the second one's spawn and loads
    # used to land on the first concurrent recordings), and the step worker (entity detection)
    assert ready == [True] * (workers.worker_count() + workers.STEP_WORKERS)
    assert len(getattr(workers.pool(), "_processes", {})) == workers.worker_count()
    assert len(getattr(workers.step_pool(), "_processes", {})) == workers.STEP_WORKERS


def _silence(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * 1600)
    return path


def test_an_upload_waiting_for_its_start_wakes_when_its_trigger_fails(
    pipeline: LocalPipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an upload whose trigger fails (an unknown tenant's folder: StartRecording raises UnknownTenant, retried,
    # then sent to the DLQ) only once the upload sleeps waiting for its execution, and no re-check timer that
    # could end that sleep instead (an hour)
    monkeypatch.setattr(waiting, "RECHECK_SECONDS", 3600.0)
    pipeline.async_errors.clear()
    sleeping = threading.Event()
    real_wait, real_call = execution_events.wait_for_start, pipeline.dispatcher.call

    def wait_for_start(*args: Any, **kwargs: Any) -> bool:
        sleeping.set()
        return real_wait(*args, **kwargs)

    def call(function: str, event: Any) -> Any:
        assert sleeping.wait(timeout=300)
        return real_call(function, event)

    monkeypatch.setattr(execution_events, "wait_for_start", wait_for_start)
    monkeypatch.setattr(pipeline.dispatcher, "call", call)
    outcome: list[Any] = []

    def upload() -> None:
        try:
            outcome.append(
                pipeline.start_from_upload(_silence(tmp_path / "a.wav"), tenant="nobody", timeout=3600)
            )
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcome.append(exc)

    waiter = threading.Thread(target=upload, daemon=True)
    # When it waits for its execution's start
    waiter.start()
    waiter.join(timeout=300)  # a guard against a hang only: the failure, not a timer, must end the wait
    # Then the failed delivery woke it with the handler's own error
    assert not waiter.is_alive()
    assert [type(o).__name__ for o in outcome] == ["UnknownTenant"]
    pipeline.async_errors.clear()


def test_a_completion_signal_is_not_queued_behind_a_burst_of_uploads(
    pipeline: LocalPipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given every delivery of uploads to StartRecording held (more uploads than delivery threads)
    release, signalled = threading.Event(), threading.Event()
    real_call = pipeline.dispatcher.call

    def call(function: str, event: Any) -> Any:
        name = pipeline.stack.function_for_arn(function).logical_id
        if name == "StartRecordingFunction":
            assert release.wait(timeout=300)
        try:
            return real_call(function, event)
        finally:
            if name == "TranscriptionDoneFunction":
                signalled.set()

    delivered = threading.Semaphore(0)
    real_deliver = pipeline._deliver

    def deliver(arn: str, event: dict[str, Any]) -> None:
        try:
            real_deliver(arn, event)
        finally:
            if pipeline.stack.function_for_arn(arn).logical_id == "StartRecordingFunction":
                delivered.release()

    monkeypatch.setattr(pipeline.dispatcher, "call", call)
    monkeypatch.setattr(pipeline, "_deliver", deliver)
    s3 = pipeline.client("s3")
    try:
        for i in range(4):  # an unknown tenant's uploads: their deliveries fail at once when released
            pipeline.upload(_silence(tmp_path / f"held-{i}.wav"), tenant="nobody")
        # When a transcript lands (its completion signal goes to TranscriptionDone)
        key = "default/u0123456789abcdef0123456789abcdef/transcribe/medscribe-u0123456789abcdef0123456789abcdef.json"
        s3.put_object(Bucket=pipeline.bucket, Key=key, Body=b"{}")
        # Then the signal is delivered while every upload's delivery still waits (Lambda's concurrency is per
        # function: one function's backlog does not hold another's events)
        assert signalled.wait(timeout=300)
        assert not release.is_set()
    finally:
        release.set()
        for _ in range(4):  # the other tests of this stack see none of these deliveries' errors
            assert delivered.acquire(timeout=300)
        pipeline.async_errors.clear()
