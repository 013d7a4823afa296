"""Callback mode end to end on the local stack: the real ASL, the real handlers, S3 -> EventBridge ->
TranscriptionDoneFunction -> SendTaskSuccess. Only the ASR itself is replaced (a fake that writes a small
transcript after a delay, or fails, or never ends) so each test controls when and how the job ends; the
offline Transcribe service still writes its output to S3 exactly as it does in a real run."""

from __future__ import annotations

import json
import threading
import time
import wave
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from medscribe.local.engine import LocalPipeline
from medscribe.local.waiting import ExecutionResult
from medscribe.offline.transcribe_service import OfflineTranscribeMedical
from medscribe.ports import JobRequest

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Patient takes metformin 500 mg twice daily for type 2 diabetes."


def write_wav(path: Path, seconds: float, rate: int = 16000) -> Path:
    frames = int(seconds * rate)
    pattern = bytes((i * 37) % 256 for i in range(2000))  # low-level noise, 16-bit samples
    data = (pattern * (frames * 2 // len(pattern) + 1))[: frames * 2]
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data)
    return path


def transcribe_output(job: str) -> dict[str, Any]:
    items = [
        {
            "type": "pronunciation",
            "alternatives": [{"confidence": "0.99", "content": word.strip(".")}],
            "start_time": f"{i * 0.4:.2f}",
            "end_time": f"{i * 0.4 + 0.3:.2f}",
        }
        for i, word in enumerate(TEXT.split())
    ]
    return {
        "jobName": job,
        "accountId": "000000000000",
        "status": "COMPLETED",
        "results": {"transcripts": [{"transcript": TEXT}], "items": items},
    }


class FakeAsr:
    """Stands in for the decoder inside the offline Transcribe service (``_transcribe``)."""

    def __init__(self, behaviour: Callable[[JobRequest], float | None]) -> None:
        self.behaviour = behaviour  # returns the delay before the transcript, or raises
        self.finished_at: dict[str, float] = {}
        self.release = threading.Event()

    def __call__(self, request: JobRequest) -> dict[str, Any]:  # patched on the class: no ``self`` bound
        delay = self.behaviour(request)
        if delay is None:  # a job that never ends (until the test releases it)
            self.release.wait(60)
            raise RuntimeError("released")
        time.sleep(delay)
        self.finished_at[request.job_name] = time.time()
        return transcribe_output(request.job_name)


@pytest.fixture
def make_pipeline(fresh_database: str, tmp_path: Path) -> Iterator[Callable[..., LocalPipeline]]:
    opened: list[LocalPipeline] = []

    def make(mode: str = "callback", base: int = 30) -> LocalPipeline:
        pipeline = LocalPipeline(
            ROOT,
            database_url=fresh_database,
            home=tmp_path,
            instant_waits=True,
            parameters={"TranscriptionWaitMode": mode, "CallbackBaseSeconds": str(base)},
        )
        opened.append(pipeline.__enter__())
        return pipeline

    yield make
    for pipeline in reversed(opened):
        pipeline.__exit__(None, None, None)


def run(pipeline: LocalPipeline, audio: Path, timeout: float = 120) -> tuple[str, ExecutionResult]:
    recording_id, arn = pipeline.start_from_upload(audio)
    return recording_id, pipeline.wait(arn, timeout=timeout)


def signal_outcomes(pipeline: LocalPipeline) -> list[str]:
    return [
        i.result["outcome"]
        for i in pipeline.dispatcher.invocations
        if i.function == "TranscriptionDoneFunction" and i.result
    ]


def item(pipeline: LocalPipeline, recording_id: str) -> dict[str, Any]:
    raw = pipeline.client("dynamodb").get_item(
        TableName=pipeline.stack.physical["RecordingsTable"], Key={"recording_id": {"S": recording_id}}
    )
    return {k: next(iter(v.values())) for k, v in raw["Item"].items()}


def test_callback_happy_path_continues_as_soon_as_the_transcript_lands(
    make_pipeline: Callable[..., LocalPipeline], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given callback mode and a job that ends 1 s after it starts
    fake = FakeAsr(lambda request: 1.0)
    monkeypatch.setattr(OfflineTranscribeMedical, "_transcribe", fake)
    pipeline = make_pipeline("callback")
    # When a recording is uploaded
    recording_id, result = run(pipeline, write_wav(tmp_path / "short.wav", 2.0))
    # Then it succeeds through the callback state, with no poll loop at all
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    entered = result.states_entered()
    assert "StartTranscriptionAndWait" in entered
    assert not {"WaitForTranscription", "CheckTranscription", "StartTranscription"} & set(entered)
    assert signal_outcomes(pipeline) == ["succeeded"]
    # And the wait ended on the transcript's landing, not on its heartbeat: no heartbeat expired, and it ended
    # within a small fraction of the heartbeat after the transcript landed (a ratio: a loaded machine took
    # 1.4 s where a bound of 1 s had been asserted)
    wait_state = "StartTranscriptionAndWait"
    entered_input = next(
        json.loads(e["stateEnteredEventDetails"]["input"])
        for e in result.history
        if e.get("stateEnteredEventDetails", {}).get("name") == wait_state
    )
    heartbeat = float(entered_input["wait"]["heartbeat_seconds"])
    exited = next(
        e["timestamp"].timestamp()
        for e in result.history
        if e.get("stateExitedEventDetails", {}).get("name") == wait_state
    )
    job = f"medscribe-{recording_id}"
    assert not [e for e in result.history if e["type"] == "TaskTimedOut"]
    assert 0 <= exited - fake.finished_at[job] < heartbeat / 4, (exited - fake.finished_at[job], heartbeat)
    # And the token sits on the item, but the API's read of the item never shows it
    assert item(pipeline, recording_id)["status"] == "COMPLETED"
    assert item(pipeline, recording_id)["task_token"]
    from medscribe import wiring

    assert "task_token" not in (wiring.get_services().table.get(recording_id) or {"task_token": 1})
    assert result.output is not None
    assert result.output["transcription"]["status"] == "COMPLETED"
    # And the completion event carries the recording's AWS cost: quantities and dollars, no PHI
    event = next(e for e in pipeline.received_events() if e["detail-type"] == "RecordingProcessed")
    estimate = event["detail"]["estimated_cost_usd"]
    assert estimate["usage"]["transitions"] == len(result.states_entered()) == 9
    assert estimate["usage"]["audio_seconds"] == 2.0
    assert estimate["parts"]["transcribe_medical"] == round(15 / 60 * 0.075, 6)  # the 15-s minimum
    assert "metformin" not in json.dumps(estimate).lower()


def test_callback_job_failed_without_an_event_is_caught_by_the_heartbeat_and_named(
    make_pipeline: Callable[..., LocalPipeline], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a job that FAILS: no transcript is written, so no completion signal ever comes
    def fail(request: JobRequest) -> float:
        raise RuntimeError("decoder crashed")

    monkeypatch.setattr(OfflineTranscribeMedical, "_transcribe", FakeAsr(fail))
    pipeline = make_pipeline("callback", base=1)  # heartbeat 1 + ceil(0.5 x 1 s) = 2 s
    # When a recording is uploaded
    recording_id, result = run(pipeline, write_wav(tmp_path / "bad-heartbeat.wav", 1.0))
    # Then the heartbeat expires, the retried start finds the job FAILED, and the failure is named
    assert result.status == "FAILED"
    assert result.error == "TranscriptionJobFailed"
    starts = [i for i in pipeline.dispatcher.invocations if i.function == "StartTranscriptionFunction"]
    assert len(starts) == 2
    assert starts[-1].error_type == "TranscriptionJobFailed"
    timed_out = [e for e in result.history if e["type"] == "TaskTimedOut"]
    assert len(timed_out) == 1
    assert "RecordFailure" in result.states_entered()
    assert item(pipeline, recording_id)["error_name"] == "TranscriptionJobFailed"


def test_callback_job_failed_event_fails_the_wait_at_once(
    make_pipeline: Callable[..., LocalPipeline], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a job that fails, and Transcribe's "Transcribe Job State Change" FAILED event for it
    def fail(request: JobRequest) -> float:
        raise RuntimeError("unsupported codec")

    monkeypatch.setattr(OfflineTranscribeMedical, "_transcribe", FakeAsr(fail))
    pipeline = make_pipeline("callback", base=120)  # the heartbeat is far away
    recording_id, arn = pipeline.start_from_upload(write_wav(tmp_path / "bad-event.wav", 1.0))
    job = f"medscribe-{recording_id}"
    from medscribe.offline.transcribe_service import wait_for

    deadline = time.monotonic() + 60
    while True:
        assert time.monotonic() < deadline, f"transcription job {job} not FAILED within 60 s"
        try:
            if wait_for(job, timeout=60).status == "FAILED":
                break
        except Exception:  # noqa: BLE001 - the job is not registered yet
            time.sleep(0.05)
    event = {
        "source": "aws.transcribe",
        "detail-type": "Transcribe Job State Change",
        "detail": {"TranscriptionJobName": job, "TranscriptionJobStatus": "FAILED"},
    }
    # When the signal function receives it
    answer = pipeline.dispatcher.call(pipeline.stack.function("TranscriptionDoneFunction").arn, event)
    result = pipeline.wait(arn, timeout=60)
    # Then the wait fails with the named error, not by its heartbeat (no TaskTimedOut: the heartbeat is 120 s
    # away), the reason kept as the cause
    assert answer["outcome"] == "failed"
    assert result.status == "FAILED"
    assert result.error == "TranscriptionJobFailed"
    assert "unsupported codec" in item(pipeline, recording_id)["error_message"]
    assert not [e for e in result.history if e["type"] == "TaskTimedOut"]


def test_callback_lost_event_is_recovered_by_the_fallback_check(
    make_pipeline: Callable[..., LocalPipeline], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a job that completes, but whose S3 event is lost (the rule has no target any more)
    monkeypatch.setattr(OfflineTranscribeMedical, "_transcribe", FakeAsr(lambda request: 0.1))
    pipeline = make_pipeline("callback", base=1)
    events = pipeline.client("events")
    rule = next(
        r["Name"] for r in events.list_rules()["Rules"] if "transcriptlandedrule" in r["Name"].lower()
    )
    events.remove_targets(Rule=rule, Ids=["TranscriptionDoneFunction"])
    # When a recording is uploaded
    _, result = run(pipeline, write_wav(tmp_path / "lost.wav", 1.0))
    # Then the heartbeat expires once, and the retried start sees COMPLETED and answers its own token
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert len([e for e in result.history if e["type"] == "TaskTimedOut"]) == 1
    assert signal_outcomes(pipeline) == []
    starts = [i for i in pipeline.dispatcher.invocations if i.function == "StartTranscriptionFunction"]
    assert len(starts) == 2


def test_callback_job_that_never_ends_fails_as_transcription_timed_out(
    make_pipeline: Callable[..., LocalPipeline], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a job that never ends
    fake = FakeAsr(lambda request: None)
    monkeypatch.setattr(OfflineTranscribeMedical, "_transcribe", fake)
    pipeline = make_pipeline("callback", base=1)
    try:
        # When a recording is uploaded
        recording_id, result = run(pipeline, write_wav(tmp_path / "stuck.wav", 1.0))
    finally:
        fake.release.set()
    # Then after 1 + CALLBACK_RETRIES bounded waits the recording fails with the named error
    from medscribe.logic.waits import CALLBACK_RETRIES

    assert result.status == "FAILED"
    assert result.error == "TranscriptionTimedOut"
    assert len([e for e in result.history if e["type"] == "TaskTimedOut"]) == 1 + CALLBACK_RETRIES
    assert Counter(result.states_entered())["CallbackLimitReached"] == 1
    assert item(pipeline, recording_id)["error_name"] == "TranscriptionTimedOut"


def _transitions(result: ExecutionResult) -> int:
    return len([e for e in result.history if e["type"].endswith("StateEntered")])


@pytest.mark.parametrize("mode", ["callback", "poll"])
def test_transitions_per_recording_do_not_grow_with_length_under_callback(
    mode: str, make_pipeline: Callable[..., LocalPipeline], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given jobs that take time proportional to the audio (1 s of job per 100 s of audio); the audio key is
    # opaque, so the first job seen is the short recording's and the second the long one's
    audio_seconds = iter([2.0, 300.0])
    seconds_by_job: dict[str, float] = {}

    def proportional(request: JobRequest) -> float:
        if request.job_name not in seconds_by_job:
            seconds_by_job[request.job_name] = next(audio_seconds)
        return 0.01 * seconds_by_job[request.job_name]

    monkeypatch.setattr(OfflineTranscribeMedical, "_transcribe", FakeAsr(proportional))
    pipeline = make_pipeline(mode)
    # When a 2-second and a 5-minute recording run
    # (file names per mode: the offline service's job registry lives as long as the test process)
    _, short = run(pipeline, write_wav(tmp_path / f"short-{mode}.wav", 2.0))
    _, long = run(pipeline, write_wav(tmp_path / f"long-{mode}.wav", 300.0))
    assert short.status == long.status == "SUCCEEDED", (short.error, long.error)
    # Then under callback both take the same, small number of state transitions; the poll loop grows
    if mode == "callback":
        assert _transitions(short) == _transitions(long) <= 14
    else:
        assert _transitions(long) > _transitions(short)
    print(json.dumps({"mode": mode, "short": _transitions(short), "long": _transitions(long)}))
