"""What one recording costs on AWS: one price table, one estimate function.

``PRICES`` are AWS list prices for us-east-1 (on-demand, no free tier), as published on the services' pricing
pages and compiled for this table on ``PRICES_AS_OF``. They change: override any of them with a JSON file
named by ``MEDSCRIBE_PRICES`` (``{"transcribe_medical_per_minute": 0.075, ...}``, unknown keys rejected), or
pass a ``PriceTable`` to ``estimate``.

Billing units modelled (each from the service's pricing page):

- Step Functions Standard: per state transition (retries count; the ``StateEntered`` events of a history).
- Lambda arm64: per GB-second of duration (memory x billed time) plus per request.
- Transcribe Medical batch: per second of audio, 15-second minimum per job.
- Comprehend Medical: units of 100 characters, 1 unit minimum per request; DetectEntitiesV2 (NERe) over every
  window the adapter sends (< 20,000 bytes each), InferRxNorm (ontology linking) over the windows holding a
  medication (upper bound here: the whole text, in 9,500-character windows).

Not modelled (each well under $0.001 per recording): S3 requests and storage, DynamoDB on-demand writes,
EventBridge custom events, KMS requests, CloudWatch Logs, the Aurora Serverless v2 ACU-seconds (shared by all
recordings and auto-paused when idle).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PRICES_AS_OF = "2026-12-01"
PRICES_REGION = "us-east-1"
COMPREHEND_UNIT_CHARS = 100
DETECT_WINDOW_CHARS = 19_000  # the adapter's DetectEntitiesV2 window (bytes; ASCII transcripts)
RXNORM_WINDOW_CHARS = 9_500
TRANSCRIBE_MINIMUM_SECONDS = 15
TRANSITIONS_CALLBACK = 9  # InitSettings ValidateAudio SelectWaitMode StartTranscriptionAndWait + 5 steps
TRANSITIONS_POLL_FIXED = 9  # InitSettings ValidateAudio SelectWaitMode StartTranscription + 5 steps
TRANSITIONS_PER_POLL = 4  # WaitForTranscription CheckTranscription CountPoll IsTranscriptionDone


class PriceTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: str = PRICES_AS_OF
    region: str = PRICES_REGION
    step_functions_per_transition: float = 0.000025  # $0.025 per 1,000 transitions (Standard)
    lambda_per_gb_second: float = 0.0000133334  # arm64, first 7.5 billion GB-s per month
    lambda_per_request: float = 0.0000002  # $0.20 per million
    transcribe_medical_per_minute: float = 0.075  # batch, billed per second
    comprehend_medical_entities_per_unit: float = 0.01  # NERe (DetectEntitiesV2), 1 unit = 100 chars
    comprehend_medical_rxnorm_per_unit: float = 0.0014  # ontology linking (InferRxNorm)


class Usage(BaseModel):
    """Billable quantities of one recording (what an execution consumed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    transitions: int = Field(ge=0)
    lambda_gb_seconds: float = Field(ge=0)
    lambda_requests: int = Field(ge=0)
    audio_seconds: float = Field(ge=0)
    comprehend_units: int = Field(ge=0)
    rxnorm_units: int = Field(ge=0)


class CostParts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    step_functions: float
    aws_lambda: float
    transcribe_medical: float
    comprehend_medical: float
    infer_rxnorm: float


class CostEstimate(BaseModel):
    """PHI-free (quantities and dollars only): safe in events, logs and the run result."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    total: float
    parts: CostParts
    usage: Usage
    prices_as_of: str
    region: str

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def load_prices(environ: Mapping[str, str] | None = None) -> PriceTable:
    """The default table, with the overrides of the JSON file named by ``MEDSCRIBE_PRICES`` (if set)."""
    path = (environ if environ is not None else os.environ).get("MEDSCRIBE_PRICES")
    if not path:
        return PriceTable()
    overrides = json.loads(Path(path).read_text(encoding="utf-8"))
    return PriceTable.model_validate({**PriceTable().model_dump(), **overrides})


def comprehend_units(char_count: int, window_chars: int) -> int:
    """Units of 100 characters over the requests needed for ``char_count`` characters (1-unit minimum each)."""
    if char_count <= 0:
        return 0
    full, rest = divmod(char_count, window_chars)
    sizes = [window_chars] * full + ([rest] if rest else [])
    return sum(max(1, math.ceil(size / COMPREHEND_UNIT_CHARS)) for size in sizes)


def billed_audio_seconds(duration_seconds: float) -> float:
    return (
        max(float(TRANSCRIBE_MINIMUM_SECONDS), math.ceil(duration_seconds)) if duration_seconds > 0 else 0.0
    )


def estimate(usage: Usage, prices: PriceTable | None = None) -> CostEstimate:
    p = prices or load_prices()
    parts = CostParts(
        step_functions=usage.transitions * p.step_functions_per_transition,
        aws_lambda=usage.lambda_gb_seconds * p.lambda_per_gb_second
        + usage.lambda_requests * p.lambda_per_request,
        transcribe_medical=billed_audio_seconds(usage.audio_seconds) / 60 * p.transcribe_medical_per_minute,
        comprehend_medical=usage.comprehend_units * p.comprehend_medical_entities_per_unit,
        infer_rxnorm=usage.rxnorm_units * p.comprehend_medical_rxnorm_per_unit,
    )
    rounded = CostParts.model_validate({k: round(v, 6) for k, v in parts.model_dump().items()})
    total = round(sum(parts.model_dump().values()), 6)
    return CostEstimate(total=total, parts=rounded, usage=usage, prices_as_of=p.as_of, region=p.region)


def text_units(char_count: int, infer_rxnorm: bool) -> tuple[int, int]:
    """(DetectEntitiesV2 units, InferRxNorm units) for a transcript of ``char_count`` characters."""
    rxnorm = comprehend_units(char_count, RXNORM_WINDOW_CHARS) if infer_rxnorm else 0
    return comprehend_units(char_count, DETECT_WINDOW_CHARS), rxnorm


def transitions_for(wait_mode: Literal["callback", "poll"], polls: int) -> int:
    if wait_mode == "callback":
        return TRANSITIONS_CALLBACK
    return TRANSITIONS_POLL_FIXED + TRANSITIONS_PER_POLL * max(1, polls)


def transitions_in(history: Iterable[dict[str, Any]]) -> int:
    """State transitions of an execution history: states entered plus task retries (each billed)."""
    events = list(history)
    entered = sum(1 for e in events if e["type"].endswith("StateEntered"))
    scheduled = sum(1 for e in events if e["type"] in ("TaskScheduled", "LambdaFunctionScheduled"))
    tasks_entered = sum(1 for e in events if e["type"] == "TaskStateEntered")
    return entered + max(0, scheduled - tasks_entered)


def lambda_usage_in(history: Iterable[dict[str, Any]], memory_mb: Mapping[str, int]) -> tuple[float, int]:
    """(GB-seconds, requests) of the Lambda tasks in an execution history, by each task's scheduled-to-end
    time and its function's memory (``memory_mb`` by function name or ARN; 512 MB when unknown). Lambda bills
    duration rounded up to 1 ms."""
    gb_seconds, requests = 0.0, 0
    open_task: tuple[Any, int] | None = None  # tasks run one at a time in this workflow
    for event in history:
        kind = event["type"]
        if kind == "TaskScheduled":
            params = json.loads(event["taskScheduledEventDetails"].get("parameters") or "{}")
            open_task = (event["timestamp"], _memory(str(params.get("FunctionName", "")), memory_mb))
        elif kind in ("TaskSubmitted", "TaskSucceeded", "TaskFailed", "TaskTimedOut") and open_task:
            # a callback task's invocation ends at TaskSubmitted; its wait is not Lambda time
            seconds = max(0.001, (event["timestamp"] - open_task[0]).total_seconds())
            gb_seconds += math.ceil(seconds * 1000) / 1000 * open_task[1] / 1024
            requests += 1
            open_task = None
    return gb_seconds, requests


def _memory(function: str, memory_mb: Mapping[str, int]) -> int:
    for key, mb in memory_mb.items():
        if function == key or function.endswith(":" + key) or function.endswith(key):
            return mb
    return 512


# ---- modelled usage (no execution history at hand: the completion event, the README table) ---------------
MODELLED_LAMBDA_SECONDS = 0.5  # assumed mean billed duration per invocation
STEP_MEMORY_MB = {  # template.yaml MemorySize (Globals 512)
    "ValidateAudio": 1024,
    "StartTranscription": 512,
    "CheckTranscription": 512,
    "DetectEntities": 1024,
    "FilterEntities": 512,
    "RenderPdf": 1024,
    "PersistResults": 512,
    "PublishCompletion": 512,
    "StartRecording": 512,
    "TranscriptionDone": 512,
}


def modelled_usage(
    *,
    duration_seconds: float,
    char_count: int,
    wait_mode: Literal["callback", "poll"],
    polls: int = 0,
    infer_rxnorm: bool = True,
) -> Usage:
    """Usage of a successful recording from what its state knows (duration, transcript length, wait mode,
    polls made), with ``MODELLED_LAMBDA_SECONDS`` per invocation."""
    steps = [s for s in STEP_MEMORY_MB if s not in ("CheckTranscription", "TranscriptionDone")]
    memory = [STEP_MEMORY_MB[s] for s in steps]
    if wait_mode == "callback":
        memory.append(STEP_MEMORY_MB["TranscriptionDone"])
    else:
        memory += [STEP_MEMORY_MB["CheckTranscription"]] * max(1, polls)
    entities, rxnorm = text_units(char_count, infer_rxnorm)
    return Usage(
        transitions=transitions_for(wait_mode, polls),
        lambda_gb_seconds=sum(mb / 1024 * MODELLED_LAMBDA_SECONDS for mb in memory),
        lambda_requests=len(memory),
        audio_seconds=duration_seconds,
        comprehend_units=entities,
        rxnorm_units=rxnorm,
    )
