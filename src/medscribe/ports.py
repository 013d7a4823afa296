"""The seams between domain logic and the outside world.

Domain functions in ``medscribe.logic`` take these protocols; ``medscribe.wiring`` builds the concrete
adapters (AWS, or offline stand-ins) from configuration. Every AWS-shaped value crossing a port uses the
AWS API's own shape (a DetectEntitiesV2 response is a dict exactly as boto3 returns it), so an offline
backend and the real service are interchangeable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from medscribe.models import DocumentRendered, JobStatus, MediaFormat, RecordingDetails, TranscriptionType


@dataclass(frozen=True)
class ObjectHead:
    size_bytes: int
    etag: str
    content_type: str | None = None
    version_id: str | None = None  # None: an unversioned bucket (S3 says "null")
    metadata: Mapping[str, str] | None = None  # the object's user metadata (x-amz-meta-*)


class ObjectStore(Protocol):
    """S3. Every put is SSE-KMS encrypted by the adapter."""

    def head(self, bucket: str, key: str, *, version: str | None = None) -> ObjectHead: ...
    def download(self, bucket: str, key: str, path: Path, *, version: str | None = None) -> None: ...
    def get_bytes(self, bucket: str, key: str) -> bytes: ...
    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None: ...
    def get_json(self, bucket: str, key: str) -> Any: ...
    def put_json(self, bucket: str, key: str, value: Any) -> None: ...
    def presigned_get(self, bucket: str, key: str, expires_in: int = 3600) -> str: ...
    def presigned_post(
        self, bucket: str, key: str, *, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, Any]: ...
    def copy(
        self,
        bucket: str,
        source_key: str,
        target_key: str,
        *,
        source_version: str | None,
        metadata: Mapping[str, str] | None = None,
        if_absent: bool = False,
    ) -> str | None: ...
    def delete(self, bucket: str, key: str, *, version: str | None) -> None: ...


@dataclass(frozen=True)
class JobRequest:
    job_name: str
    bucket: str
    audio_key: str
    media_format: MediaFormat
    sample_rate_hz: int
    output_key: str
    transcription_type: TranscriptionType
    identify_phi: bool
    channels: int = 1
    # The version of audio_key that was validated (Transcribe's MediaFileUri cannot name one: the pipeline
    # checks that it is still the current version before the job starts; the offline ASR reads exactly it).
    audio_version: str | None = None


@dataclass(frozen=True)
class JobState:
    job_name: str
    status: JobStatus
    output_key: str
    failure_reason: str | None = None
    started_at: datetime | None = None  # when the job started (stale IN_PROGRESS detection); None: unknown


class TranscriptionService(Protocol):
    """Transcribe Medical (StartMedicalTranscriptionJob / GetMedicalTranscriptionJob).

    ``start`` is idempotent on ``job_name``: starting a job that exists returns its state (ConflictException
    is resumed, not raised). The transcript JSON lands at ``s3://{bucket}/{output_key}`` in Transcribe's
    output shape.
    """

    def start(self, request: JobRequest) -> JobState: ...
    def get(self, job_name: str) -> JobState: ...


class EntityDetector(Protocol):
    """Comprehend Medical DetectEntitiesV2 over text of any length (the adapter chunks)."""

    def detect_entities(self, text: str) -> dict[str, Any]: ...


class RecordingsTable(Protocol):
    """The DynamoDB recordings table: one item per recording, status moves forward only."""

    def put_status(
        self,
        *,
        recording_id: str,
        tenant: str,
        status: str,
        attributes: dict[str, Any] | None = None,
        at: datetime,
    ) -> bool | None: ...  # False: ignored, the recording is already at a later status
    def get(self, recording_id: str) -> dict[str, Any] | None: ...
    def remember(self, recording_id: str, attribute: str, value: str) -> str: ...
    def page(
        self,
        tenant: str | None,
        *,
        status: str | None = None,
        limit: int = 50,
        start_key: dict[str, Any] | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]: ...
    # Callback mode: the task token of the wait in force (overwritten by a retried wait; never returned by
    # ``get`` / ``page``, so the API never hands it out).
    def put_task_token(self, recording_id: str, token: str) -> None: ...
    def task_token(self, recording_id: str) -> str | None: ...


class TaskCallbacks(Protocol):
    """Step Functions SendTaskSuccess / SendTaskFailure for a ``.waitForTaskToken`` state.

    Both return ``False`` when the token is no longer open (the wait already ended: timed out, answered by
    the other signal, execution stopped): a late or duplicate signal is not an error.
    """

    def succeed(self, token: str, output: dict[str, Any]) -> bool: ...
    def fail(self, token: str, error: str, cause: str) -> bool: ...


class EventPublisher(Protocol):
    """EventBridge PutEvents on the medscribe bus; returns the event id."""

    def publish(
        self, *, detail_type: str, detail: dict[str, Any], resources: list[str] | None = None
    ) -> str: ...


class ResultsRepository(Protocol):
    """PostgreSQL: recordings, transcriptions, entities, documents; upserts keyed on recording id.

    ``save_results`` writes all four tables in one transaction and returns the number of entity rows; running
    it twice for the same recording leaves the same rows (entities are replaced, not appended).
    """

    def migrate(self) -> list[str]: ...
    def save_results(
        self,
        *,
        state: DocumentRendered,
        transcript_text: str,
        kept_entities: list[dict[str, Any]],
        dropped_count: int,
        at: datetime,
    ) -> int: ...
    def record_failure(
        self, *, recording_id: str, tenant: str, error_name: str, error_message: str, at: datetime
    ) -> None: ...
    def save_details(self, details: RecordingDetails) -> None: ...  # upsert on recording_id
    def get_details(self, recording_id: str) -> RecordingDetails | None: ...
    def save_review_flags(
        self, *, recording_id: str, flags: list[dict[str, Any]], at: datetime
    ) -> int: ...  # replaces the recording's flags; returns how many were written
    def mark_completed(self, *, recording_id: str, at: datetime) -> None: ...


class AuditLog(Protocol):
    """The append-only ``audit_events`` table (PostgreSQL): who accessed which recording's PHI, when, from where."""

    def append_audit(self, entry: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True)
class SearchQuery:
    """One search: the tenant comes from the verified caller, never from the request."""

    tenant: str
    q: str | None = None
    drug: str | None = None
    condition: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    limit: int = 20
    offset: int = 0

    def parameters(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "q": self.q,
            "drug": self.drug,
            "condition": self.condition,
            "status": self.status,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "limit": self.limit,
            "offset": self.offset,
        }


@dataclass(frozen=True)
class SearchHit:
    recording_id: str
    status: str
    updated_at: str | None
    date_of_service: str | None
    rank: float
    snippet: str
    matches: list[dict[str, str]]


class RecordingSearch(Protocol):
    """Full-text and entity search over one tenant's recordings (PostgreSQL, ``adapters.search_sql``)."""

    def search(self, query: SearchQuery) -> list[SearchHit]: ...


class OutcomePublisher(Protocol):
    """PutEvents at most once per ``idempotency_key`` while its claim stands (``adapters.outcomes``)."""

    def register_context(self, context: Any) -> None: ...
    def publish_once(self, *, idempotency_key: str, detail_type: str, detail: dict[str, Any]) -> str: ...
