"""A leftover transcription job (FAILED, or IN_PROGRESS from a dead process) no longer blocks a re-run."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from medscribe import errors
from medscribe.keys import job_name
from medscribe.logic.pipeline import stale_after_seconds, start_transcription
from medscribe.models import ValidatedRecording
from medscribe.ports import JobRequest, JobState

EVENTS = Path(__file__).resolve().parents[2] / "events"


class FakeTranscribe:
    """Transcribe Medical's job semantics: start is idempotent on the name (Conflict -> existing state)."""

    def __init__(self) -> None:
        self.jobs: dict[str, JobState] = {}
        self.created: list[str] = []

    def start(self, request: JobRequest) -> JobState:
        if request.job_name not in self.jobs:
            self.created.append(request.job_name)
            self.jobs[request.job_name] = JobState(
                job_name=request.job_name,
                status="IN_PROGRESS",
                output_key=request.output_key,
                started_at=datetime.now(UTC),
            )
        return self.jobs[request.job_name]

    def get(self, job: str) -> JobState:
        return self.jobs[job]


@dataclasses.dataclass
class FakeTable:
    writes: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def put_status(self, **kwargs: Any) -> bool:
        self.writes.append(kwargs)
        return True


@dataclasses.dataclass
class Svc:
    transcriber: FakeTranscribe
    table: FakeTable


def _state(**settings: Any) -> ValidatedRecording:
    raw = json.loads((EVENTS / "start_transcription.json").read_text())
    raw["settings"] = {**raw["settings"], **settings}
    return ValidatedRecording.model_validate(raw)


def _leftover(svc: Svc, state: ValidatedRecording, attempt: int, status: str, age: timedelta) -> None:
    name = job_name(state.recording.recording_id, attempt)
    svc.transcriber.jobs[name] = JobState(
        job_name=name,
        status=status,  # type: ignore[arg-type]
        output_key=f"x/{name}.json",
        failure_reason="leftover" if status == "FAILED" else None,
        started_at=datetime.now(UTC) - age,
    )


@pytest.mark.parametrize(
    ("status", "age_factor"), [("FAILED", 0.0), ("IN_PROGRESS", 1.5)], ids=["failed", "stale-in-progress"]
)
def test_a_failed_or_stale_job_makes_the_rerun_start_attempt_2(status: str, age_factor: float) -> None:
    # Given a leftover attempt-1 job: FAILED, or IN_PROGRESS for longer than the bound for this audio
    state = _state()
    svc = Svc(FakeTranscribe(), FakeTable())
    bound = stale_after_seconds(state.audio.duration_seconds)
    _leftover(svc, state, 1, status, timedelta(seconds=bound * age_factor))
    # When the recording is re-run
    out = start_transcription(state, svc)  # type: ignore[arg-type]
    # Then a new job with an attempt suffix runs, and the attempt is recorded on the recording
    rid = state.recording.recording_id
    assert out.transcription.job_name == job_name(rid, 2) == f"medscribe-{rid}-a2"
    assert out.transcription.status == "IN_PROGRESS"
    assert out.transcription.output_key.endswith(f"/transcribe/medscribe-{rid}-a2.json")
    assert svc.transcriber.created == [job_name(rid, 2)]
    assert svc.table.writes[-1]["attributes"]["transcription_attempt"] == 2
    assert svc.table.writes[-1]["attributes"]["transcription_job"] == job_name(rid, 2)


def test_a_fresh_in_progress_job_is_resumed_not_duplicated() -> None:
    # Given attempt 1 running for less than the bound
    state = _state()
    svc = Svc(FakeTranscribe(), FakeTable())
    _leftover(svc, state, 1, "IN_PROGRESS", timedelta(seconds=60))
    # When StartTranscription runs again (a retry or a duplicate delivery)
    out = start_transcription(state, svc)  # type: ignore[arg-type]
    # Then the same job is polled: nothing new started
    assert out.transcription.job_name == job_name(state.recording.recording_id, 1)
    assert svc.transcriber.created == []


def test_the_attempt_bound_holds_with_a_named_error() -> None:
    # Given every allowed attempt already FAILED
    state = _state(max_transcription_attempts=2)
    svc = Svc(FakeTranscribe(), FakeTable())
    for attempt in (1, 2):
        _leftover(svc, state, attempt, "FAILED", timedelta(0))
    # When the recording is re-run
    with pytest.raises(errors.TranscriptionAttemptsExhausted):
        start_transcription(state, svc)  # type: ignore[arg-type]
    # Then no third job was started
    assert svc.transcriber.created == []


def test_the_offline_service_reports_a_dead_process_job_as_stale(pipeline: Any) -> None:
    # Given the offline service's persisted record of an IN_PROGRESS job from a process that died long ago
    from medscribe import wiring
    from medscribe.offline import transcribe_service as ots

    state = _state()
    rid = state.recording.recording_id
    svc = wiring.get_services()
    old = datetime.now(UTC) - timedelta(seconds=stale_after_seconds(state.audio.duration_seconds) + 60)
    name = job_name(rid, 1)
    svc.store.put_json(
        pipeline.bucket,
        ots.record_key(name),
        {"job_name": name, "status": "IN_PROGRESS", "output_key": "k", "started_at": old.isoformat()},
    )
    audio = Path(__file__).resolve().parents[2] / "samples" / "dictation.wav"
    key = "tests/audio.wav"  # not under incoming/: no upload-triggered execution
    pipeline.client("s3").upload_file(str(audio), pipeline.bucket, key)
    recording = state.recording.model_copy(update={"bucket": pipeline.bucket, "audio_key": key})
    state = state.model_copy(update={"recording": recording})
    # When the re-run's StartTranscription runs on the real (offline) service
    out = start_transcription(state, svc)
    # Then attempt 2 started, and it finishes
    assert out.transcription.job_name == job_name(rid, 2)
    assert ots.wait_for(job_name(rid, 2), timeout=120).status == "COMPLETED"
