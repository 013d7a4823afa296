"""The two outcomes of a recording: RecordingProcessed (PublishCompletion) or RecordingFailed (RecordFailure).

Order of truth (docs/consistency.md): the outcome event is the commit point. PublishCompletion claims and
publishes RecordingProcessed FIRST and only then writes the final COMPLETED status (DynamoDB, then
PostgreSQL); a publish that fails leaves both stores short of COMPLETED, and RecordFailure then marks them
FAILED. RecordFailure's three sinks are independent branches of a Parallel state (one sink per invocation):
a store that is down never stops the event, and the event never waits for the stores.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from medscribe.keys import RecordingKeys
from medscribe.logic import cost, events
from medscribe.models import (
    FailureInput,
    PublishedEvent,
    RecordingCompleted,
    ResultsPersisted,
    SinkRecorded,
    utcnow,
)

if TYPE_CHECKING:
    from medscribe.wiring import Services

logger = Logger(child=True)

COMPLETION_ATTRIBUTE = f"event_{events.RECORDING_PROCESSED}"


def idempotency_key(recording_id: str, detail_type: str) -> str:
    """What consumers dedupe on: the same for every delivery of the same fact (docs/events.md)."""
    return f"{recording_id}:{detail_type}"


def publish_once(
    svc: Services, *, recording_id: str, detail_type: str, detail: events._Detail
) -> PublishedEvent:
    """Claim (conditional, in-progress + expiry) → PutEvents → store the event id on the claim; then remember
    the id on the recording's item for operators (best effort: the claim is what prevents a second publish)."""
    event_id = svc.outcomes.publish_once(
        idempotency_key=detail.idempotency_key, detail_type=detail_type, detail=detail.model_dump(mode="json")
    )
    try:
        svc.table.remember(recording_id, f"event_{detail_type}", event_id)
    except Exception:  # noqa: BLE001 - the event is out and claimed; the id on the item is informative only
        logger.warning("event id not remembered on the item", extra={"recording_id": recording_id})
    return PublishedEvent(detail_type=detail_type, event_id=event_id, schema_version=events.SCHEMA_VERSION)


def completion_detail(state: ResultsPersisted, infer_rxnorm: bool = True) -> events.RecordingProcessedDetail:
    keys = RecordingKeys(tenant=state.recording.tenant, recording_id=state.recording.recording_id)
    rec = state.recording
    return events.RecordingProcessedDetail(
        idempotency_key=idempotency_key(rec.recording_id, events.RECORDING_PROCESSED),
        recording_id=rec.recording_id,
        tenant=rec.tenant,
        bucket=rec.bucket,
        transcription_job=state.transcription.job_name,
        duration_seconds=state.audio.duration_seconds,
        keys=events.ArtifactKeys(
            transcribe_output=state.transcription.output_key,
            transcript_text=state.transcript.text_key,
            entities_detected=state.entities.key,
            entities_filtered=keys.entities_filtered,
            summary_pdf=state.document.pdf_key,
        ),
        entity_count=state.filtered.kept_count,
        medication_count=state.filtered.medication_count,
        dropped_count=state.filtered.dropped_count,
        min_score=state.filtered.min_score,
        pdf_sha256=state.document.sha256,
        completed_at=state.persisted.persisted_at,
        estimated_cost_usd=cost.estimate(
            cost.modelled_usage(
                duration_seconds=state.audio.duration_seconds,
                char_count=state.transcript.char_count,
                wait_mode=state.settings.wait_mode,
                polls=state.poll.attempt,
                infer_rxnorm=infer_rxnorm,
            )
        ),
    )


def publish_completion(state: ResultsPersisted, svc: Services) -> RecordingCompleted:
    """Publish (exactly once as consumers see it), THEN the final COMPLETED status in both stores."""
    rec = state.recording
    event = publish_once(
        svc,
        recording_id=rec.recording_id,
        detail_type=events.RECORDING_PROCESSED,
        detail=completion_detail(state, svc.settings.infer_rxnorm),
    )
    at = utcnow()
    svc.table.put_status(
        recording_id=rec.recording_id,
        tenant=rec.tenant,
        status="COMPLETED",
        attributes={
            "pdf_key": state.document.pdf_key,
            "transcript_key": state.transcript.text_key,
            "entities_key": state.filtered.key,
            "entity_count": state.filtered.kept_count,
            "transcription_job": state.transcription.job_name,  # the attempt that produced the results
        },
        at=at,
    )
    svc.repository.mark_completed(recording_id=rec.recording_id, at=at)
    return RecordingCompleted(**state.model_dump(), event=event)


# ---- RecordFailure: one sink per invocation ---------------------------------------------------------------
def error_message(cause: str | None) -> str:
    """Step Functions' Cause for a Lambda error is the JSON error object; keep its message only."""
    if not cause:
        return ""
    try:
        parsed = json.loads(cause)
    except ValueError:
        return cause[:1000]
    if isinstance(parsed, dict):
        return str(parsed.get("errorMessage", ""))[:1000]
    return cause[:1000]


def _completion_published(svc: Services, recording_id: str) -> bool:
    """True when RecordingProcessed is already out for this recording: a late failure must not contradict it.
    Unknown (DynamoDB down) counts as not published: the failure must be reported."""
    try:
        item: dict[str, Any] = svc.table.get(recording_id) or {}
    except Exception:  # noqa: BLE001 - the event sink must not depend on the store being up
        return False
    return bool(item.get(COMPLETION_ATTRIBUTE)) or item.get("status") == "COMPLETED"


def record_failure(state: FailureInput, svc: Services) -> SinkRecorded:
    rec = state.recording
    at = utcnow()
    name, message = state.error.Error, error_message(state.error.Cause)
    sinks = [state.sink] if state.sink else ["dynamodb", "postgresql", "event"]
    event: PublishedEvent | None = None
    recorded = True
    for sink in sinks:
        if sink == "dynamodb":
            written = svc.table.put_status(
                recording_id=rec.recording_id,
                tenant=rec.tenant,
                status="FAILED",
                attributes={"error_name": name, "error_message": message},
                at=at,
            )
            recorded = recorded and written is not False
        elif sink == "postgresql":
            svc.repository.record_failure(
                recording_id=rec.recording_id,
                tenant=rec.tenant,
                error_name=name,
                error_message=message,
                at=at,
            )
        elif _completion_published(svc, rec.recording_id):
            logger.warning(
                "RecordingFailed not published: completed", extra={"recording_id": rec.recording_id}
            )
            recorded = False
        else:
            detail = events.RecordingFailedDetail(
                idempotency_key=idempotency_key(rec.recording_id, events.RECORDING_FAILED),
                recording_id=rec.recording_id,
                tenant=rec.tenant,
                bucket=rec.bucket,
                error=events.FailureInfo(name=name, message=message),
                failed_at=at,
            )
            event = publish_once(
                svc, recording_id=rec.recording_id, detail_type=events.RECORDING_FAILED, detail=detail
            )
    return SinkRecorded(
        sink=state.sink or "all",
        recorded=recorded,
        recording_id=rec.recording_id,
        error_name=name,
        event=event,
    )
