"""Callback mode: the start step stores a task token, the job's end returns it (SendTaskSuccess/Failure).

``start_transcription_and_wait`` runs inside the ``.waitForTaskToken`` state: it stores the token on the
recording's DynamoDB item *before* starting the job (so a fast job cannot end unnoticed), then starts the job
idempotently. When the job had already ended (a retried wait after a heartbeat expiry, a re-driven execution)
its signal has come and gone, so the step answers its own token: COMPLETED -> SendTaskSuccess, FAILED ->
TranscriptionJobFailed raised (the task fails with that name).

``complete_transcription`` runs in TranscriptionDoneFunction on a completion signal:

- S3 "Object Created" of ``{tenant}/{rid}/transcribe/medscribe-{rid}.json`` (the transcript landed: COMPLETED),
- Transcribe's "Transcribe Job State Change" (COMPLETED or FAILED) for a job named ``medscribe-{rid}``.

Signals are best effort and may come twice (both sources, EventBridge retries): a recording without an open
wait (poll mode, already answered) is a no-op, never an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from medscribe import errors
from medscribe.keys import recording_for_job_name, recording_for_transcribe_output
from medscribe.logic.intake import ObjectCreatedEvent
from medscribe.logic.pipeline import start_transcription
from medscribe.models import (
    JobStatus,
    RecordingId,
    TranscriptionCallbackRequest,
    TranscriptionJob,
    TranscriptionStarted,
    ValidatedRecording,
    utcnow,
)

if TYPE_CHECKING:
    from medscribe.wiring import Services

TRANSCRIBE_DETAIL_TYPE = "Transcribe Job State Change"
Outcome = Literal["succeeded", "failed", "no_wait", "closed", "ignored"]


class TranscriptionSignal(BaseModel):
    """What a completion signal says, PHI-free (ids and keys only)."""

    model_config = ConfigDict(frozen=True)

    source: Literal["s3", "transcribe"]
    recording_id: RecordingId
    job_name: str
    status: JobStatus
    tenant: str | None = None
    output_key: str | None = None


class SignalResult(BaseModel):
    recording_id: str | None
    source: str | None
    outcome: Outcome


def start_transcription_and_wait(
    request: TranscriptionCallbackRequest, svc: Services
) -> TranscriptionStarted:
    state = ValidatedRecording(**request.model_dump(exclude={"task_token", "retry_count"}))
    svc.table.put_task_token(state.recording.recording_id, request.task_token)
    if request.retry_count > 0:  # the wait expired: check the attempt this execution started
        item = svc.table.get(state.recording.recording_id) or {}
        attempt = int(item.get("transcription_attempt") or 1)
        started = start_transcription(state, svc, first_attempt=attempt, fallback_check=True)
    else:
        started = start_transcription(state, svc)  # a FAILED job raises TranscriptionJobFailed
    if started.transcription.status == "COMPLETED":
        _transcribed(svc, state.recording.recording_id, state.recording.tenant)
        svc.callbacks.succeed(request.task_token, started.transcription.model_dump(mode="json"))
    return started


def signal_from_event(event: dict[str, Any]) -> TranscriptionSignal | None:
    """The signal in an EventBridge event, or ``None`` for an event that is not one of ours."""
    if event.get("source") == "aws.s3":
        created = ObjectCreatedEvent.model_validate(event)
        parsed = recording_for_transcribe_output(created.detail.object.key)
        if parsed is None:
            return None
        tenant, recording_id = parsed
        return TranscriptionSignal(
            source="s3",
            recording_id=recording_id,
            tenant=tenant,
            job_name=created.detail.object.key.rsplit("/", 1)[-1].removesuffix(".json"),  # the attempt's job
            status="COMPLETED",
            output_key=created.detail.object.key,
        )
    if event.get("source") == "aws.transcribe" and event.get("detail-type") == TRANSCRIBE_DETAIL_TYPE:
        detail = event.get("detail") or {}
        name = str(detail.get("TranscriptionJobName") or detail.get("MedicalTranscriptionJobName") or "")
        status = detail.get("TranscriptionJobStatus")
        rid = recording_for_job_name(name)
        if rid is None or status not in ("COMPLETED", "FAILED"):
            return None
        return TranscriptionSignal(source="transcribe", recording_id=rid, job_name=name, status=status)
    return None


def complete_transcription(signal: TranscriptionSignal, svc: Services) -> SignalResult:
    def result(outcome: Outcome) -> SignalResult:
        return SignalResult(recording_id=signal.recording_id, source=signal.source, outcome=outcome)

    token = svc.table.task_token(signal.recording_id)
    if token is None:
        return result("no_wait")
    if signal.status == "FAILED":
        reason = svc.transcriber.get(signal.job_name).failure_reason or "no reason given"
        cause = f"job {signal.job_name} FAILED: {reason}"
        sent = svc.callbacks.fail(token, errors.TranscriptionJobFailed.__name__, cause)
        return result("failed" if sent else "closed")
    output_key = signal.output_key or svc.transcriber.get(signal.job_name).output_key
    tenant = signal.tenant or (svc.table.get(signal.recording_id) or {}).get("tenant")
    if tenant:
        _transcribed(svc, signal.recording_id, str(tenant))
    done = TranscriptionJob(job_name=signal.job_name, status="COMPLETED", output_key=output_key)
    sent = svc.callbacks.succeed(token, done.model_dump(mode="json"))
    return result("succeeded" if sent else "closed")


def _transcribed(svc: Services, recording_id: str, tenant: str) -> None:
    svc.table.put_status(recording_id=recording_id, tenant=tenant, status="TRANSCRIBED", at=utcnow())
