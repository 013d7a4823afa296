"""One domain function per step. Each takes its input model and the services, returns its output model.

Handlers (``lambdas/<step>/app.py``) are thin adapters around these; the local engine runs those handlers.
Every function is idempotent on the recording id: a retried or re-driven step rewrites the same S3 keys, the
same DynamoDB item, the same PostgreSQL rows, and publishes an event at most once per recording.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medscribe import errors
from medscribe.keys import RecordingKeys, job_name
from medscribe.logic.entities import FilterResult, filter_by_score
from medscribe.logic.speech import require_speech
from medscribe.logic.waits import wait_bounds
from medscribe.models import (
    DetectedEntities,
    DocumentRef,
    DocumentRendered,
    EntitiesDetected,
    EntitiesFiltered,
    ExecutionInput,
    FilteredEntities,
    PersistedRef,
    RecordingDetails,
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
    # Exactly the version the start pinned (the upload its event named), never "whatever is there now".
    head = svc.store.head(rec.bucket, rec.audio_key, version=rec.audio_version)  # AudioNotFound
    if head.size_bytes > MAX_SIZE_BYTES:  # decided before a single byte is downloaded
        raise errors.AudioTooLarge(f"{head.size_bytes} bytes > limit {MAX_SIZE_BYTES} bytes")
    with tempfile.TemporaryDirectory(prefix="medscribe-") as tmp:
        path = Path(tmp) / "audio"
        svc.store.download(rec.bucket, rec.audio_key, path, version=rec.audio_version)
        audio = probe_audio(path)
    _status(
        svc, state, "VALIDATED", media_format=audio.media_format, duration_seconds=str(audio.duration_seconds)
    )
    wait = wait_bounds(audio.duration_seconds, state.settings.callback_base_seconds)
    return ValidatedRecording(**state.model_dump(), audio=audio, wait=wait)


# ---- 2. StartTranscription -------------------------------------------------------------------------------
def require_validated_version(state: ValidatedRecording, svc: Services) -> None:
    """Transcribe's ``Media.MediaFileUri`` cannot name a version: it reads the current one. The recording's own
    key is written once (a conditional copy at the start), so the current version is the validated one; this
    check makes that a fact before each job starts (``AudioChanged`` otherwise: nothing unvalidated is
    transcribed)."""
    rec = state.recording
    if rec.audio_version is None:
        return
    current = svc.store.head(rec.bucket, rec.audio_key).version_id
    if current != rec.audio_version:
        raise errors.AudioChanged("the recording's audio is not the version that was validated")


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


# A job still IN_PROGRESS this long after it started is stale (its process died, or the service lost it):
# Transcribe Medical finishes well within the audio's duration; the offline ASR runs at RTF < 0.3.
STALE_JOB_BASE_SECONDS = 900.0
STALE_JOB_PER_AUDIO_SECOND = 2.0


def stale_after_seconds(duration_seconds: float) -> float:
    """How long a transcription job may stay QUEUED/IN_PROGRESS before a re-run starts another attempt."""
    return STALE_JOB_BASE_SECONDS + STALE_JOB_PER_AUDIO_SECOND * duration_seconds


def _usable(job: JobState, stale_after: float) -> bool:
    """COMPLETED, or still running and not stale: resume it (idempotent). FAILED or stale: try the next."""
    if job.status == "FAILED":
        return False
    if job.status == "COMPLETED" or job.started_at is None:
        return True
    return (utcnow() - job.started_at).total_seconds() <= stale_after


def start_transcription(
    state: ValidatedRecording, svc: Services, *, first_attempt: int = 1, fallback_check: bool = False
) -> TranscriptionStarted:
    """Start (or resume) the recording's transcription job. Attempt n's job is ``job_name(id, n)``; a FAILED
    or stale job makes the next attempt start, up to ``settings.max_transcription_attempts``.

    ``fallback_check`` (callback mode's retried wait): the job this execution started (``first_attempt``) is
    checked, not replaced: FAILED raises ``TranscriptionJobFailed``, as the poll loop's check does; only a
    stale job moves on to the next attempt."""
    rec = state.recording
    keys = _keys(state)
    require_validated_version(state, svc)
    stale_after = stale_after_seconds(state.audio.duration_seconds)
    limit = state.settings.max_transcription_attempts
    for attempt in range(min(first_attempt, limit), limit + 1):
        name = job_name(rec.recording_id, attempt)
        job = svc.transcriber.start(  # idempotent on the job name: an existing job's state comes back
            JobRequest(
                job_name=name,
                bucket=rec.bucket,
                audio_key=rec.audio_key,
                media_format=state.audio.media_format,
                sample_rate_hz=state.audio.sample_rate_hz,
                output_key=keys.transcribe_output_for(name),
                transcription_type=rec.transcription_type,
                identify_phi=rec.identify_phi,
                channels=state.audio.channels,
                audio_version=rec.audio_version,
            )
        )
        if _usable(job, stale_after) or (fallback_check and job.status == "FAILED"):
            break  # (a FAILED job is named by _job below)
    else:
        raise errors.TranscriptionAttemptsExhausted(
            f"{limit} transcription attempts failed or went stale (last: {job.status}, "
            f"{job.failure_reason or 'no reason given'})"
        )
    transcription = _job(job, keys.transcribe_output_for(name))
    _status(
        svc, state, "TRANSCRIBING", transcription_job=transcription.job_name, transcription_attempt=attempt
    )
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
    text = normalize_clinical_text(require_speech(read_transcript(state, svc)))  # or NoSpeechDetected
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
def build_draft(state: EntitiesDetected, svc: Services, response: dict[str, Any]) -> Any:
    """The clinical draft (rows, evidence, review flags) from the whole response, transcript and ASR words."""
    from medscribe.logic import document

    return document.build_draft(
        response,
        load_transcript_text(state, svc),
        min_score=state.settings.min_score,
        review_threshold=state.settings.review_threshold,
        asr_bound=state.settings.asr_confidence_bound,
        asr_items=read_transcript(state, svc).results.items,
    )


def filter_entities(state: EntitiesDetected, svc: Services) -> EntitiesFiltered:
    keys = _keys(state)
    bucket = state.recording.bucket
    response = svc.store.get_json(bucket, state.entities.key)
    result = filter_by_score(response, state.settings.min_score)
    draft = build_draft(state, svc, response)
    result = result.model_copy(update={"draft": draft.model_dump(mode="json")})
    svc.store.put_json(bucket, keys.entities_filtered, result.model_dump(mode="json"))
    return EntitiesFiltered(
        **state.model_dump(),
        filtered=FilteredEntities(
            key=keys.entities_filtered,
            min_score=result.min_score,
            kept_count=len(result.kept),
            dropped_count=len(result.dropped),
            medication_count=len(result.medications),
            flag_count=len(draft.flags),
        ),
    )


def load_filtered(state: EntitiesFiltered, svc: Services) -> FilterResult:
    return FilterResult.model_validate(svc.store.get_json(state.recording.bucket, state.filtered.key))


def load_transcript_text(state: EntitiesDetected, svc: Services) -> str:
    return svc.store.get_bytes(state.recording.bucket, state.transcript.text_key).decode("utf-8")


# ---- 6. RenderPdf ----------------------------------------------------------------------------------------
def _details(state: EntitiesFiltered, svc: Services) -> RecordingDetails | None:
    """The request's optional fields (PHI: PostgreSQL -> PDF only), if they belong to this tenant."""
    details = svc.repository.get_details(state.recording.recording_id)
    return details if details is not None and details.tenant == state.recording.tenant else None


def render_pdf(state: EntitiesFiltered, svc: Services) -> DocumentRendered:
    from medscribe.logic import document

    keys = _keys(state)
    filtered = load_filtered(state, svc)
    view = document.build_summary(
        recording_id=state.recording.recording_id,
        tenant=state.recording.tenant,
        received_at=state.recording.received_at,
        duration_seconds=state.audio.duration_seconds,
        transcript_text=load_transcript_text(state, svc),
        entities=filtered.kept,
        draft=document.Draft.model_validate(filtered.draft) if filtered.draft else None,
        details=_details(state, svc),
        min_score=state.filtered.min_score,
    )
    rendered = svc.render_document(view)  # document.render
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
    flags = filtered.draft.get("flags", []) if filtered.draft else []
    svc.repository.save_review_flags(recording_id=state.recording.recording_id, flags=flags, at=at)
    # No COMPLETED here: PublishCompletion writes it once the completion event is out (docs/consistency.md).
    return ResultsPersisted(**state.model_dump(), persisted=PersistedRef(entity_rows=rows, persisted_at=at))


# ---- 8. PublishCompletion and RecordFailure: medscribe.logic.outcome (the order of truth lives there) ----
from medscribe.logic.outcome import error_message, publish_completion, record_failure  # noqa: E402

__all__ = ["error_message", "publish_completion", "record_failure"]
