"""One domain function per step. Each takes its input model and the services, returns its output model.

Handlers (``lambdas/<step>/app.py``) are thin adapters around these; the local engine runs those handlers.
Every function is idempotent on the recording id: a retried or re-driven step rewrites the same S3 keys, the
same DynamoDB item, the same PostgreSQL rows, and publishes an event at most once per recording.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medscribe import errors
from medscribe.keys import RecordingKeys, job_name
from medscribe.logic import cost, events
from medscribe.logic.entities import FilterResult, filter_by_score
from medscribe.logic.waits import wait_bounds
from medscribe.models import (
    DetectedEntities,
    DocumentRef,
    DocumentRendered,
    EntitiesDetected,
    EntitiesFiltered,
    ExecutionInput,
    FailureInput,
    FailureRecorded,
    FilteredEntities,
    PersistedRef,
    PublishedEvent,
    RecordingCompleted,
    ResultsPersisted,
    TranscriptionJob,
    TranscriptionStarted,
    TranscriptRef,
    ValidatedRecording,
    utcnow,
)
from medscribe.ports import JobRequest, JobState
from medscribe.shapes import DetectEntitiesV2Response, TranscribeOutput

if TYPE_CHECKING:
    from medscribe.wiring import Services

EMPTY_ENTITIES: dict[str, Any] = {
    "Entities": [],
    "UnmappedAttributes": [],
    "ModelVersion": "none:empty-transcript",
}


def _keys(state: ExecutionInput) -> RecordingKeys:
    return RecordingKeys(tenant=state.recording.tenant, recording_id=state.recording.recording_id)


def _status(svc: Services, state: ExecutionInput, status: str, **attributes: Any) -> None:
    svc.table.put_status(
        recording_id=state.recording.recording_id,
        tenant=state.recording.tenant,
        status=status,
        attributes=attributes or None,
        at=utcnow(),
    )


# ---- 1. ValidateAudio ------------------------------------------------------------------------------------
def validate_audio(state: ExecutionInput, svc: Services) -> ValidatedRecording:
    from medscribe.logic.audio import MAX_SIZE_BYTES, probe_audio

    rec = state.recording
    head = svc.store.head(rec.bucket, rec.audio_key)  # AudioNotFound
    if head.size_bytes > MAX_SIZE_BYTES:  # decided before a single byte is downloaded
        raise errors.AudioTooLarge(f"{head.size_bytes} bytes > limit {MAX_SIZE_BYTES} bytes")
    with tempfile.TemporaryDirectory(prefix="medscribe-") as tmp:
        path = Path(tmp) / "audio"
        svc.store.download(rec.bucket, rec.audio_key, path)
        audio = probe_audio(path)
    _status(
        svc, state, "VALIDATED", media_format=audio.media_format, duration_seconds=str(audio.duration_seconds)
    )
    wait = wait_bounds(audio.duration_seconds, state.settings.callback_base_seconds)
    return ValidatedRecording(**state.model_dump(), audio=audio, wait=wait)


# ---- 2. StartTranscription -------------------------------------------------------------------------------
def _job(job: JobState, output_key: str) -> TranscriptionJob:
    if job.status == "FAILED":
        raise errors.TranscriptionJobFailed(
            f"job {job.job_name} FAILED: {job.failure_reason or 'no reason given'}"
        )
    # GetMedicalTranscriptionJob does not echo OutputKey while the job runs: keep the one we asked for.
    return TranscriptionJob(
        job_name=job.job_name,
        status=job.status,
        output_key=job.output_key or output_key,
        failure_reason=job.failure_reason,
    )


def start_transcription(state: ValidatedRecording, svc: Services) -> TranscriptionStarted:
    rec = state.recording
    keys = _keys(state)
    job = svc.transcriber.start(
        JobRequest(
            job_name=job_name(rec.recording_id),
            bucket=rec.bucket,
            audio_key=rec.audio_key,
            media_format=state.audio.media_format,
            sample_rate_hz=state.audio.sample_rate_hz,
            output_key=keys.transcribe_output,
            transcription_type=rec.transcription_type,
            identify_phi=rec.identify_phi,
            channels=state.audio.channels,
        )
    )
    transcription = _job(job, keys.transcribe_output)
    _status(svc, state, "TRANSCRIBING", transcription_job=transcription.job_name)
    return TranscriptionStarted(**state.model_dump(), transcription=transcription)


# ---- 3. CheckTranscription (the ASL merges the result at $.transcription and counts polls) ---------------
def check_transcription(state: TranscriptionStarted, svc: Services) -> TranscriptionJob:
    transcription = _job(svc.transcriber.get(state.transcription.job_name), state.transcription.output_key)
    if transcription.status == "COMPLETED":
        _status(svc, state, "TRANSCRIBED")
    return transcription


# ---- 4. DetectEntities -----------------------------------------------------------------------------------
def read_transcript(state: TranscriptionStarted, svc: Services) -> TranscribeOutput:
    try:
        raw = svc.store.get_json(state.recording.bucket, state.transcription.output_key)
    except errors.AudioNotFound as exc:
        raise errors.TranscriptNotFound(f"no transcript at {state.transcription.output_key}") from exc
    return TranscribeOutput.model_validate(raw)


def detect_entities(state: TranscriptionStarted, svc: Services) -> EntitiesDetected:
    from medscribe.textnorm import normalize_clinical_text

    keys = _keys(state)
    bucket = state.recording.bucket
    text = normalize_clinical_text(read_transcript(state, svc).text)
    svc.store.put_bytes(bucket, keys.transcript_text, text.encode("utf-8"), "text/plain; charset=utf-8")
    response = svc.detector.detect_entities(text) if text.strip() else dict(EMPTY_ENTITIES)
    parsed = DetectEntitiesV2Response.model_validate(response)
    svc.store.put_json(bucket, keys.entities_detected, response)
    return EntitiesDetected(
        **state.model_dump(),
        transcript=TranscriptRef(
            text_key=keys.transcript_text, char_count=len(text), word_count=len(text.split())
        ),
        entities=DetectedEntities(
            key=keys.entities_detected, count=len(parsed.Entities), model_version=parsed.ModelVersion
        ),
    )


# ---- 5. FilterEntities -----------------------------------------------------------------------------------
def filter_entities(state: EntitiesDetected, svc: Services) -> EntitiesFiltered:
    keys = _keys(state)
    bucket = state.recording.bucket
    result = filter_by_score(svc.store.get_json(bucket, state.entities.key), state.settings.min_score)
    svc.store.put_json(bucket, keys.entities_filtered, result.model_dump(mode="json"))
    return EntitiesFiltered(
        **state.model_dump(),
        filtered=FilteredEntities(
            key=keys.entities_filtered,
            min_score=result.min_score,
            kept_count=len(result.kept),
            dropped_count=len(result.dropped),
            medication_count=len(result.medications),
        ),
    )


def load_filtered(state: EntitiesFiltered, svc: Services) -> FilterResult:
    return FilterResult.model_validate(svc.store.get_json(state.recording.bucket, state.filtered.key))


def load_transcript_text(state: EntitiesDetected, svc: Services) -> str:
    return svc.store.get_bytes(state.recording.bucket, state.transcript.text_key).decode("utf-8")


# ---- 6. RenderPdf ----------------------------------------------------------------------------------------
def render_pdf(state: EntitiesFiltered, svc: Services) -> DocumentRendered:
    from medscribe.logic import document

    keys = _keys(state)
    view = document.build_summary(
        recording_id=state.recording.recording_id,
        tenant=state.recording.tenant,
        received_at=state.recording.received_at,
        duration_seconds=state.audio.duration_seconds,
        transcript_text=load_transcript_text(state, svc),
        entities=load_filtered(state, svc).kept,
    )
    rendered = document.render(view)
    svc.store.put_bytes(state.recording.bucket, keys.summary_pdf, rendered.pdf, "application/pdf")
    return DocumentRendered(
        **state.model_dump(),
        document=DocumentRef(
            pdf_key=keys.summary_pdf,
            sha256=rendered.sha256,
            pages=rendered.pages,
            size_bytes=len(rendered.pdf),
        ),
    )


# ---- 7. PersistResults -----------------------------------------------------------------------------------
def persist_results(state: DocumentRendered, svc: Services) -> ResultsPersisted:
    at = utcnow()
    filtered = load_filtered(state, svc)
    rows = svc.repository.save_results(
        state=state,
        transcript_text=load_transcript_text(state, svc),
        kept_entities=filtered.kept,
        dropped_count=len(filtered.dropped),
        at=at,
    )
    _status(
        svc,
        state,
        "COMPLETED",
        pdf_key=state.document.pdf_key,
        transcript_key=state.transcript.text_key,
        entities_key=state.filtered.key,
        entity_count=state.filtered.kept_count,
    )
    return ResultsPersisted(**state.model_dump(), persisted=PersistedRef(entity_rows=rows, persisted_at=at))


# ---- 8. PublishCompletion --------------------------------------------------------------------------------
def _publish_once(
    svc: Services, *, recording_id: str, detail_type: str, detail: events._Detail
) -> PublishedEvent:
    """At most one event per (recording, detail type): the event id is remembered on the DynamoDB item."""
    attribute = f"event_{detail_type}"
    item = svc.table.get(recording_id) or {}
    event_id = item.get(attribute)
    if not event_id:
        event_id = svc.publisher.publish(
            detail_type=detail_type, detail=detail.model_dump(mode="json"), resources=[]
        )
        event_id = svc.table.remember(recording_id, attribute, str(event_id))
    return PublishedEvent(
        detail_type=detail_type, event_id=str(event_id), schema_version=events.SCHEMA_VERSION
    )


def completion_detail(state: ResultsPersisted, infer_rxnorm: bool = True) -> events.RecordingProcessedDetail:
    keys = _keys(state)
    rec = state.recording
    return events.RecordingProcessedDetail(
        idempotency_key=f"{rec.recording_id}:{events.RECORDING_PROCESSED}",
        recording_id=rec.recording_id,
        tenant=rec.tenant,
        bucket=rec.bucket,
        audio_key=rec.audio_key,
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
    event = _publish_once(
        svc,
        recording_id=state.recording.recording_id,
        detail_type=events.RECORDING_PROCESSED,
        detail=completion_detail(state, svc.settings.infer_rxnorm),
    )
    return RecordingCompleted(**state.model_dump(), event=event)


# ---- RecordFailure ---------------------------------------------------------------------------------------
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


def record_failure(state: FailureInput, svc: Services) -> FailureRecorded:
    rec = state.recording
    at = utcnow()
    name, message = state.error.Error, error_message(state.error.Cause)
    _status_failed = {"error_name": name, "error_message": message}
    svc.table.put_status(
        recording_id=rec.recording_id, tenant=rec.tenant, status="FAILED", attributes=_status_failed, at=at
    )
    svc.repository.record_failure(
        recording_id=rec.recording_id, tenant=rec.tenant, error_name=name, error_message=message, at=at
    )
    detail = events.RecordingFailedDetail(
        idempotency_key=f"{rec.recording_id}:{events.RECORDING_FAILED}",
        recording_id=rec.recording_id,
        tenant=rec.tenant,
        bucket=rec.bucket,
        audio_key=rec.audio_key,
        error=events.FailureInfo(name=name, message=message),
        failed_at=at,
    )
    event = _publish_once(
        svc, recording_id=rec.recording_id, detail_type=events.RECORDING_FAILED, detail=detail
    )
    return FailureRecorded(
        recording_id=rec.recording_id, tenant=rec.tenant, error_name=name, error_message=message, event=event
    )
