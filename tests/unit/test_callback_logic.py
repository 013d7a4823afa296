"""Callback mode's domain pieces: wait bounds, signal parsing, and what a signal does to an open wait."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from medscribe.adapters.stepfunctions import StepFunctionsCallbacks
from medscribe.keys import RecordingKeys, job_name, recording_for_job_name, recording_for_transcribe_output
from medscribe.logic import waits
from medscribe.logic.callback import complete_transcription, signal_from_event
from medscribe.ports import JobState

EVENTS = Path(__file__).resolve().parents[2] / "events"


def s3_event(key: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "s3_object_created.json").read_text())
    event = copy.deepcopy(event)
    event["detail"]["object"]["key"] = key
    return event


# ---- bounds ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("duration", "base", "heartbeat", "timeout"),
    [
        (23.3, 300, 312, 624),  # 300 + ceil(11.65)
        (600.0, 300, 600, 1200),  # 10 minutes
        (3600.0, 300, 2100, 4200),  # 60 minutes
        (14400.0, 300, 3000, 6000),  # 4 hours: both caps
        (1.0, 1, 2, 4),
    ],
)
def test_wait_bounds_grow_with_the_audio_and_stop_at_the_caps(
    duration: float, base: int, heartbeat: int, timeout: int
) -> None:
    # When
    bounds = waits.wait_bounds(duration, base)
    # Then
    assert (bounds.heartbeat_seconds, bounds.timeout_seconds) == (heartbeat, timeout)


# ---- keys ------------------------------------------------------------------------------------------------
def test_only_the_transcribe_output_key_of_a_recording_is_a_completion_signal() -> None:
    keys = RecordingKeys(tenant="clinic-a", recording_id="rec-1")
    assert recording_for_transcribe_output(keys.transcribe_output) == ("clinic-a", "rec-1")
    for other in (
        keys.transcript_text,
        keys.entities_detected,
        "clinic-a/rec-1/transcribe/.write_access_check_file.temp",
        "clinic-a/rec-1/transcribe/medscribe-rec-2.json",  # another recording's job name
        "_offline-transcribe/medscribe-rec-1.json",
        "incoming/clinic-a/rec-1.json",
    ):
        assert recording_for_transcribe_output(other) is None, other
    assert recording_for_job_name(job_name("rec-1")) == "rec-1"
    assert recording_for_job_name("someone-elses-job") is None


# ---- signals ---------------------------------------------------------------------------------------------
def test_an_s3_transcript_event_is_a_completed_signal_with_its_key() -> None:
    key = RecordingKeys(tenant="default", recording_id="rec-1").transcribe_output
    signal = signal_from_event(s3_event(key))
    assert signal is not None
    assert (signal.source, signal.recording_id, signal.status, signal.output_key, signal.tenant) == (
        "s3",
        "rec-1",
        "COMPLETED",
        key,
        "default",
    )
    assert signal_from_event(s3_event("incoming/default/dictation.wav")) is None


def test_a_transcribe_state_change_event_is_a_signal_for_terminal_states_only() -> None:
    def event(status: str, name: str = "medscribe-rec-1") -> dict[str, Any]:
        return {
            "source": "aws.transcribe",
            "detail-type": "Transcribe Job State Change",
            "detail": {"TranscriptionJobName": name, "TranscriptionJobStatus": status},
        }

    failed = signal_from_event(event("FAILED"))
    assert failed is not None
    assert (failed.recording_id, failed.status, failed.output_key) == ("rec-1", "FAILED", None)
    assert signal_from_event(event("IN_PROGRESS")) is None
    assert signal_from_event(event("COMPLETED", name="other-job")) is None


@dataclass
class FakeTable:
    token: str | None = "token-1"
    statuses: list[str] = field(default_factory=list)

    def task_token(self, recording_id: str) -> str | None:
        return self.token

    def get(self, recording_id: str) -> dict[str, Any] | None:
        return {"recording_id": recording_id, "tenant": "default"}

    def put_status(self, *, recording_id: str, tenant: str, status: str, **_: Any) -> bool:
        self.statuses.append(status)
        return True


@dataclass
class FakeCallbacks:
    open: bool = True
    sent: list[tuple[str, Any]] = field(default_factory=list)

    def succeed(self, token: str, output: dict[str, Any]) -> bool:
        self.sent.append(("success", output))
        return self.open

    def fail(self, token: str, error: str, cause: str) -> bool:
        self.sent.append(("failure", (error, cause)))
        return self.open


@dataclass
class FakeTranscriber:
    state: JobState

    def get(self, name: str) -> JobState:
        return self.state


@dataclass
class FakeServices:
    table: FakeTable = field(default_factory=FakeTable)
    callbacks: FakeCallbacks = field(default_factory=FakeCallbacks)
    transcriber: FakeTranscriber = field(
        default_factory=lambda: FakeTranscriber(JobState("medscribe-rec-1", "FAILED", "", "BadMedia: codec"))
    )


def _completed() -> Any:
    signal = signal_from_event(
        s3_event(RecordingKeys(tenant="default", recording_id="rec-1").transcribe_output)
    )
    assert signal is not None
    return signal


def test_a_completed_signal_returns_the_job_on_the_open_token_and_marks_the_recording_transcribed() -> None:
    svc = FakeServices()
    result = complete_transcription(_completed(), svc)  # type: ignore[arg-type]
    assert result.outcome == "succeeded"
    kind, output = svc.callbacks.sent[0]
    assert kind == "success"
    assert output == {
        "job_name": "medscribe-rec-1",
        "status": "COMPLETED",
        "output_key": "default/rec-1/transcribe/medscribe-rec-1.json",
        "failure_reason": None,
    }
    assert svc.table.statuses == ["TRANSCRIBED"]


def test_a_failed_signal_fails_the_wait_with_the_named_error_and_the_services_reason() -> None:
    svc = FakeServices()
    signal = signal_from_event(
        {
            "source": "aws.transcribe",
            "detail-type": "Transcribe Job State Change",
            "detail": {"TranscriptionJobName": "medscribe-rec-1", "TranscriptionJobStatus": "FAILED"},
        }
    )
    assert signal is not None
    result = complete_transcription(signal, svc)  # type: ignore[arg-type]
    assert result.outcome == "failed"
    assert svc.callbacks.sent == [
        ("failure", ("TranscriptionJobFailed", "job medscribe-rec-1 FAILED: BadMedia: codec"))
    ]


def test_a_signal_without_an_open_wait_or_for_a_closed_token_is_a_no_op() -> None:
    no_wait = FakeServices(table=FakeTable(token=None))
    assert complete_transcription(_completed(), no_wait).outcome == "no_wait"  # type: ignore[arg-type]
    assert no_wait.callbacks.sent == []
    closed = FakeServices(callbacks=FakeCallbacks(open=False))
    assert complete_transcription(_completed(), closed).outcome == "closed"  # type: ignore[arg-type]


# ---- adapter ---------------------------------------------------------------------------------------------
def test_the_adapter_reports_a_closed_token_as_false_and_throttling_as_service_throttled() -> None:
    import boto3

    from medscribe.errors import ServiceThrottled

    client = boto3.client(
        "stepfunctions", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    adapter = StepFunctionsCallbacks(client)
    with Stubber(client) as stub:
        stub.add_response("send_task_success", {}, {"taskToken": "t", "output": '{"a": 1}'})
        stub.add_client_error("send_task_success", "TaskTimedOut")
        stub.add_client_error("send_task_failure", "ThrottlingException")
        assert adapter.succeed("t", {"a": 1}) is True
        assert adapter.succeed("t", {"a": 1}) is False
        with pytest.raises(ServiceThrottled):
            adapter.fail("t", "TranscriptionJobFailed", "why")
