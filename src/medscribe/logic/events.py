"""Schemas of the events medscribe publishes on its EventBridge bus (source ``medscribe``).

Versioned: ``schema_version`` follows semver; consumers must ignore unknown fields. Events carry ids, S3 keys
of medscribe's own (opaque) artifacts and counts only — not the upload's key, which a direct uploader names —, never transcript or entity text (PHI stays in the encrypted stores). ``idempotency_key`` is
the same for every delivery of the same fact: EventBridge is at-least-once, dedupe on it.
See docs/events.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from medscribe.logic.cost import CostEstimate

SCHEMA_VERSION: Final = "2.0"  # 2.0: audio_key removed (a direct upload's key is the uploader's file name)
SOURCE = "medscribe"
RECORDING_PROCESSED = "RecordingProcessed"
RECORDING_FAILED = "RecordingFailed"


class _Detail(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal["2.0"] = SCHEMA_VERSION
    idempotency_key: str
    recording_id: str
    tenant: str
    bucket: str


class ArtifactKeys(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    transcribe_output: str
    transcript_text: str
    entities_detected: str
    entities_filtered: str
    summary_pdf: str


class RecordingProcessedDetail(_Detail):
    status: Literal["COMPLETED"] = "COMPLETED"
    transcription_job: str
    duration_seconds: float
    keys: ArtifactKeys
    entity_count: int
    medication_count: int
    dropped_count: int
    min_score: float
    pdf_sha256: str
    completed_at: datetime
    # AWS cost of this recording (quantities and dollars only), modelled from its state: see logic/cost.py.
    estimated_cost_usd: CostEstimate | None = None


class FailureInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    message: str


class RecordingFailedDetail(_Detail):
    status: Literal["FAILED"] = "FAILED"
    error: FailureInfo
    failed_at: datetime
