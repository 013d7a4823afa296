"""Pydantic models of every step's input and output.

The workflow state grows step by step: each step's output model extends its input model with one field, so
step N's output *is* step N+1's input (``tests/unit/test_model_chain.py`` proves the chain). Large payloads
(transcripts, entity lists) live in S3; the state carries only keys and counts, so it stays far below Step
Functions' 256 KB limit whatever the recording's length.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

RECORDING_ID_PATTERN = r"^[0-9A-Za-z._-]{1,128}$"
TENANT_PATTERN = r"^[0-9a-z][0-9a-z-]{0,62}$"

RecordingId = Annotated[str, StringConstraints(pattern=RECORDING_ID_PATTERN)]
Tenant = Annotated[str, StringConstraints(pattern=TENANT_PATTERN)]
TranscriptionType = Literal["DICTATION", "CONVERSATION"]
MediaFormat = Literal["amr", "flac", "m4a", "mp3", "mp4", "ogg", "webm", "wav"]
JobStatus = Literal["QUEUED", "IN_PROGRESS", "COMPLETED", "FAILED"]
WaitMode = Literal["callback", "poll"]

DEFAULT_TENANT = "default"


def utcnow() -> datetime:
    return datetime.now(UTC)


class StepModel(BaseModel):
    """Base: strict about unknown keys so a typo in the ASL fails loudly, JSON-friendly dumps."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def to_state(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Recording(StepModel):
    recording_id: RecordingId
    tenant: Tenant = DEFAULT_TENANT
    bucket: str = Field(min_length=3, max_length=63)
    audio_key: str = Field(min_length=1, max_length=1024)
    # The version of audio_key this execution processes (the upload's copy, pinned at the start); None: an
    # unversioned bucket or an object started in place (local tools), read as it is.
    audio_version: str | None = Field(default=None, max_length=1024)
    transcription_type: TranscriptionType = "DICTATION"
    identify_phi: bool = False
    received_at: datetime = Field(default_factory=utcnow)


class PipelineSettings(StepModel):
    """Tunables injected by the state machine's first state from DefinitionSubstitutions."""

    min_score: float = Field(default=0.5, ge=0.0, le=1.0)
    poll_interval_seconds: int = Field(default=15, ge=0, le=3600)
    max_polls: int = Field(default=240, ge=1, le=10000)
    review_threshold: float = Field(default=0.7, ge=0.0, le=1.0)  # kept items below this are flagged
    # Transcript words heard with ASR confidence below this inside a medication sentence are flagged.
    asr_confidence_bound: float = Field(default=0.6, ge=0.0, le=1.0)
    max_transcription_attempts: int = Field(default=3, ge=1, le=10)
    # How the workflow learns that the transcription job ended (TranscriptionWaitMode): "callback" waits for a
    # task token sent by TranscriptionDoneFunction, "poll" runs the bounded Wait/Check loop.
    wait_mode: WaitMode = "poll"
    # Base of the callback wait's heartbeat (CallbackBaseSeconds); the audio duration is added (logic/waits).
    callback_base_seconds: int = Field(default=300, ge=1, le=3600)


class ExecutionInput(StepModel):
    """What the state machine is started with (by the start-recording function), after InitSettings."""

    recording: Recording
    settings: PipelineSettings = PipelineSettings()


class AudioInfo(StepModel):
    media_format: MediaFormat
    duration_seconds: float = Field(gt=0)
    sample_rate_hz: int = Field(gt=0)
    channels: int = Field(ge=1)
    size_bytes: int = Field(gt=0)


class WaitBounds(StepModel):
    """Bounds of the callback wait, from the audio duration (read by HeartbeatSecondsPath/TimeoutSecondsPath)."""

    heartbeat_seconds: int = Field(ge=1)
    timeout_seconds: int = Field(ge=1)


class ValidatedRecording(ExecutionInput):
    """Output of ValidateAudio, input of StartTranscription."""

    audio: AudioInfo
    wait: WaitBounds | None = None


class TranscriptionCallbackRequest(ValidatedRecording):
    """Input of StartTranscription in callback mode: the state plus the task token (``$$.Task.Token``)."""

    task_token: str = Field(min_length=1, max_length=1024, repr=False)
    # ``$$.State.RetryCount``: > 0 when the wait is retried after a heartbeat/timeout expiry, i.e. this call is
    # the fallback check of the job this execution already started.
    retry_count: int = Field(default=0, ge=0)


class TranscriptionJob(StepModel):
    job_name: str = Field(pattern=r"^[0-9a-zA-Z._-]{1,200}$")
    status: JobStatus
    output_key: str
    failure_reason: str | None = None


class PollState(StepModel):
    attempt: int = Field(default=0, ge=0)


class TranscriptionStarted(ValidatedRecording):
    """Output of StartTranscription and of CheckTranscription (same shape, status updated)."""

    transcription: TranscriptionJob
    poll: PollState = PollState()


class TranscriptRef(StepModel):
    text_key: str
    char_count: int = Field(ge=0)
    word_count: int = Field(ge=0)


class DetectedEntities(StepModel):
    key: str
    count: int = Field(ge=0)
    model_version: str


class EntitiesDetected(TranscriptionStarted):
    """Output of DetectEntities, input of FilterEntities."""

    transcript: TranscriptRef
    entities: DetectedEntities


class FilteredEntities(StepModel):
    key: str
    min_score: float
    kept_count: int = Field(ge=0)
    dropped_count: int = Field(ge=0)
    medication_count: int = Field(ge=0)
    flag_count: int = Field(default=0, ge=0)  # the draft's "Needs review" items (stored in the filtered JSON)


class EntitiesFiltered(EntitiesDetected):
    """Output of FilterEntities, input of RenderPdf."""

    filtered: FilteredEntities


class DocumentRef(StepModel):
    pdf_key: str
    sha256: str
    pages: int = Field(ge=1)
    size_bytes: int = Field(gt=0)


class DocumentRendered(EntitiesFiltered):
    """Output of RenderPdf, input of PersistResults."""

    document: DocumentRef


class PersistedRef(StepModel):
    entity_rows: int = Field(ge=0)
    status: Literal["COMPLETED"] = "COMPLETED"
    persisted_at: datetime


class ResultsPersisted(DocumentRendered):
    """Output of PersistResults, input of PublishCompletion."""

    persisted: PersistedRef


class PublishedEvent(StepModel):
    detail_type: str
    event_id: str
    schema_version: str


class RecordingCompleted(ResultsPersisted):
    """Output of PublishCompletion: the execution's output."""

    event: PublishedEvent


class StepError(StepModel):
    """What a Catch puts at ``$.error`` (Step Functions' own field names)."""

    Error: str
    Cause: str | None = None


FailureSink = Literal["dynamodb", "postgresql", "event"]


class FailureInput(BaseModel):
    """Input of RecordFailure: whatever state the failing step had, plus ``error``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    recording: Recording
    settings: PipelineSettings = PipelineSettings()
    error: StepError
    transcription: TranscriptionJob | None = None
    sink: FailureSink | None = None  # one branch of the RecordFailure Parallel state; None: every sink


class FailureRecorded(StepModel):
    recording_id: RecordingId
    tenant: Tenant
    error_name: str
    error_message: str
    event: PublishedEvent


class SinkRecorded(StepModel):
    """Output of one RecordFailure branch: whether its sink now says FAILED (False: left as it was)."""

    sink: Literal["dynamodb", "postgresql", "event", "all"]
    recorded: bool
    recording_id: RecordingId
    error_name: str
    event: PublishedEvent | None = None


class StartResult(StepModel):
    recording_id: RecordingId
    execution_arn: str
    started: bool = Field(description="False when an execution for this recording already existed")
    rejected: bool = Field(
        default=False, description="A later upload to a started recording: deleted, audited"
    )


class RecordingDetails(StepModel):
    """The request's optional fields for one recording, kept in PostgreSQL only (``recording_details``).

    They may carry PHI (clinician and patient names, the uploaded file's name): they reach the PDF through
    ``ResultsRepository.get_details``, never through ids, S3 keys, logs, events or the execution input.
    """

    recording_id: RecordingId
    tenant: Tenant = DEFAULT_TENANT
    clinician_name: str | None = Field(default=None, max_length=200)
    patient_reference: str | None = Field(default=None, max_length=200)
    date_of_service: date | None = None
    transcription_type: TranscriptionType | None = None
    original_filename: str | None = Field(default=None, max_length=1024)
    received_at: datetime = Field(default_factory=utcnow)
