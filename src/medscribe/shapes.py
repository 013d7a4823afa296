"""Pydantic models of the AWS response shapes medscribe consumes.

Written from the AWS API references:
- Amazon Transcribe Medical batch output (the JSON file a job writes to S3);
- Amazon Comprehend Medical ``DetectEntitiesV2`` response.

Offline backends must produce values that validate against these models (``extra="forbid"`` on the parts we
generate: a stray key is a bug in the backend), and the AWS adapters parse real responses with them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# ---------------------------------------------------------------------------------------------------------
# Transcribe Medical output JSON
# ---------------------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Lenient(BaseModel):
    # AWS adds fields over time: accept what real output has beyond what we read.
    model_config = ConfigDict(extra="allow")


class TranscriptAlternative(_Lenient):
    confidence: str  # a decimal string, "0.0" on punctuation
    content: str


class TranscriptItem(_Lenient):
    type: Literal["pronunciation", "punctuation"]
    alternatives: list[TranscriptAlternative] = Field(min_length=1)
    start_time: str | None = None  # absent on punctuation
    end_time: str | None = None
    speaker_label: str | None = None


class TranscriptText(_Lenient):
    transcript: str


class TranscriptResults(_Lenient):
    transcripts: list[TranscriptText]  # [] when the audio has no speech (logic.speech: NoSpeechDetected)
    items: list[TranscriptItem]


class TranscribeOutput(_Lenient):
    jobName: str
    accountId: str
    results: TranscriptResults
    status: Literal["COMPLETED", "IN_PROGRESS", "FAILED"] = "COMPLETED"

    @property
    def text(self) -> str:
        return " ".join(t.transcript for t in self.results.transcripts).strip()


# ---------------------------------------------------------------------------------------------------------
# Comprehend Medical DetectEntitiesV2
# ---------------------------------------------------------------------------------------------------------

EntityCategory = Literal[
    "MEDICATION",
    "MEDICAL_CONDITION",
    "PROTECTED_HEALTH_INFORMATION",
    "TEST_TREATMENT_PROCEDURE",
    "ANATOMY",
    "TIME_EXPRESSION",
    "BEHAVIORAL_ENVIRONMENTAL_SOCIAL",
]

TraitName = Literal[
    "SIGN",
    "SYMPTOM",
    "DIAGNOSIS",
    "NEGATION",
    "PERTAINS_TO_FAMILY",
    "HYPOTHETICAL",
    "LOW_CONFIDENCE",
    "PAST_HISTORY",
    "FUTURE",
]


class Trait(_Lenient):
    Name: TraitName
    Score: float = Field(ge=0.0, le=1.0)


class Attribute(_Lenient):
    Type: str
    Score: float = Field(ge=0.0, le=1.0)
    RelationshipScore: float | None = Field(default=None, ge=0.0, le=1.0)
    RelationshipType: str | None = None
    Id: int
    BeginOffset: int = Field(ge=0)
    EndOffset: int = Field(ge=0)
    Text: str
    Category: EntityCategory | None = None
    Traits: list[Trait] = Field(default_factory=list)


class Entity(_Lenient):
    Id: int
    BeginOffset: int = Field(ge=0)
    EndOffset: int = Field(ge=0)
    Score: float = Field(ge=0.0, le=1.0)
    Text: str
    Category: EntityCategory
    Type: str
    Traits: list[Trait] = Field(default_factory=list)
    Attributes: list[Attribute] = Field(default_factory=list)


class UnmappedAttribute(_Lenient):
    Type: EntityCategory
    Attribute: Attribute


class DetectEntitiesV2Response(_Lenient):
    Entities: list[Entity]
    UnmappedAttributes: list[UnmappedAttribute] = Field(default_factory=list)
    ModelVersion: str
    PaginationToken: str | None = None
