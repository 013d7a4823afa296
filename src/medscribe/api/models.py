"""Request and response bodies of the API (the OpenAPI file ``api/openapi.yaml`` describes the same)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from medscribe.api.body import NO_CONTROL_PATTERN
from medscribe.models import Tenant, TranscriptionType

AUDIO_EXTENSIONS: dict[str, str] = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/flac": "flac",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "audio/ogg": "ogg",
    "audio/webm": "webm",
    "audio/amr": "amr",
}
ContentType = Literal[
    "audio/wav",
    "audio/x-wav",
    "audio/wave",
    "audio/flac",
    "audio/mpeg",
    "audio/mp4",
    "audio/x-m4a",
    "audio/ogg",
    "audio/webm",
    "audio/amr",
]


class CreateRecording(BaseModel):
    """Body of ``POST /recordings``. The optional details are stored with the recording in PostgreSQL only."""

    model_config = ConfigDict(extra="forbid")
    content_type: ContentType = "audio/wav"
    transcription_type: TranscriptionType = "DICTATION"
    clinician_name: str | None = Field(default=None, max_length=200, pattern=NO_CONTROL_PATTERN)
    patient_reference: str | None = Field(default=None, max_length=200, pattern=NO_CONTROL_PATTERN)
    date_of_service: date | None = None
    original_file_name: str | None = Field(default=None, max_length=255, pattern=NO_CONTROL_PATTERN)
    # Only to be refused when it names another tenant: the tenant always comes from the token.
    tenant: Tenant | None = None


class Upload(BaseModel):
    url: str
    fields: dict[str, str]
    expires_at: datetime


class RecordingCreated(BaseModel):
    recording_id: str
    upload: Upload


class StartedRecording(BaseModel):
    recording_id: str
    status: str
    started: bool


class PdfLink(BaseModel):
    url: str
    expires_at: datetime


class RecordingSummary(BaseModel):
    recording_id: str
    tenant: str
    status: str
    error_name: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class RecordingView(RecordingSummary):
    """One recording (GET /recordings/{id}): its summary fields, then a link to its PDF once there is one."""

    pdf: PdfLink | None = None


class RecordingPage(BaseModel):
    recordings: list[RecordingSummary]
    next: str | None = None
