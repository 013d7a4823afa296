"""Backfill: run a tenant's archive of dictations (an S3 prefix or a manifest) through the pipeline in bulk.

The archive lives under ``backfill/{tenant}/`` (``keys.BACKFILL_PREFIX``), outside ``incoming/``: putting it
there starts nothing. The BackfillPipeline state machine (statemachine/backfill_pipeline.asl.json) reads the
items with a Distributed Map and, per item, calls ``prepare_item`` (lambdas/backfill_item) and then
TranscribePipeline (``startExecution.sync:2``). ``prepare_item`` gives an archive object the same opaque
recording id as a direct upload (``recording_id_for_object``: bucket, key, ETag), so a re-run of a backfill
finds the same recordings: a COMPLETED one is skipped, any other runs (again). Like a direct upload, the bytes
are copied to ``{tenant}/{rid}/audio`` and the archive key (a file name: PHI) goes to PostgreSQL only.

A manifest (CSV with a header, or JSON lines / a JSON array: ``key`` plus optional ``clinician``,
``patient_reference``, ``date_of_service``) is normalised first (``normalise_manifest``): a garbage line or a
duplicate key becomes an item that fails by name (``ManifestLineInvalid``, ``DuplicateManifestItem``), so the
other items still run.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from medscribe import errors
from medscribe.keys import (
    BACKFILL_PREFIX,
    RecordingKeys,
    check_tenant,
    execution_name,
    recording_id_for_object,
)
from medscribe.logic import cost
from medscribe.models import ExecutionInput, Recording, RecordingDetails, utcnow

if TYPE_CHECKING:
    from medscribe.wiring import Services

AUDIO_EXTENSIONS = frozenset({"wav", "flac", "mp3", "mp4", "m4a", "ogg", "webm", "amr"})
# Dry-run audio minutes from object sizes (no object is read): WAV/FLAC as 16 kHz 16-bit mono PCM
# (32,000 bytes/s: Transcribe Medical's minimum rate, so a longer estimate than any higher-rate file gives);
# compressed formats at 64 kbit/s (8,000 bytes/s), a common dictation-recorder bitrate.
BYTES_PER_SECOND = {"wav": 32_000, "flac": 32_000}
COMPRESSED_BYTES_PER_SECOND = 8_000
DEFAULT_MAX_ITEMS = 100_000
MANIFEST_FIELDS = ("key", "clinician", "patient_reference", "date_of_service")


def tenant_prefix(tenant: str) -> str:
    return f"{BACKFILL_PREFIX}{check_tenant(tenant)}/"


def check_prefix(tenant: str, prefix: str) -> str:
    """A prefix inside the caller's own archive (``backfill/{tenant}/...``), else ``BackfillOutsideTenant``."""
    own = tenant_prefix(tenant)
    if not (prefix + "/").startswith(own) or ".." in prefix.split("/"):
        raise errors.BackfillOutsideTenant("prefix outside the tenant's backfill/ folder")
    return prefix


class BackfillItem(BaseModel):
    """One Map item: an archive object (from ListObjectsV2 or a normalised manifest line)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    bucket: str
    tenant: str
    key: str = Field(default="", repr=False)  # PHI (a file name): never logged
    etag: str = ""
    size: int | None = None
    clinician: str | None = Field(default=None, max_length=200, repr=False)
    patient_reference: str | None = Field(default=None, max_length=200, repr=False)
    date_of_service: date | None = None
    invalid: str | None = None  # set by normalise_manifest: the error this item fails with

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, value: Any) -> Any:
        """The Map's ItemSelector gives {bucket, tenant, item}: ``item`` is a ListObjectsV2 entry (Key, Etag,
        Size) or a normalised manifest item (key, ...); bucket and tenant come from the execution input."""
        if not isinstance(value, dict) or not isinstance(value.get("item"), dict):
            return value
        item = value["item"]
        flat = {k: item[k] for k in (*MANIFEST_FIELDS, "invalid", "etag", "size") if k in item}
        flat.setdefault("key", item.get("Key", ""))
        flat.setdefault("etag", item.get("Etag") or item.get("ETag") or "")
        if "Size" in item:
            flat.setdefault("size", item["Size"])
        return {**flat, "bucket": value.get("bucket"), "tenant": value.get("tenant")}


class PreparedItem(BaseModel):
    recording_id: str
    skip: bool
    name: str
    input: dict[str, Any] | None = None


def _extension(key: str) -> str:
    return key.rsplit(".", 1)[-1].lower() if "." in key.rsplit("/", 1)[-1] else ""


def prepare_item(item: BackfillItem, svc: Services) -> PreparedItem:
    """The recording of one archive object: skip it if COMPLETED, else copy it to its processing key and
    return the TranscribePipeline execution (name, input) to run. Raises the item's error by name."""
    if item.invalid == "DuplicateManifestItem":
        raise errors.DuplicateManifestItem("the key is listed earlier in the manifest")
    if item.invalid:
        raise errors.ManifestLineInvalid("manifest line is not a valid item")
    check_prefix(item.tenant, item.key)
    if _extension(item.key) not in AUDIO_EXTENSIONS:
        raise errors.UnsupportedAudioFormat("not an audio file extension")
    etag = item.etag or svc.store.head(item.bucket, item.key).etag  # manifests name keys only
    recording_id = recording_id_for_object(item.bucket, item.key, etag)
    name = execution_name(recording_id)
    existing = svc.table.get(recording_id)
    if existing is not None and existing.get("status") == "COMPLETED":
        return PreparedItem(recording_id=recording_id, skip=True, name=name)
    keys = RecordingKeys(tenant=item.tenant, recording_id=recording_id)
    version = _copy_once(item, keys.audio, svc)
    svc.repository.save_details(
        RecordingDetails(
            recording_id=recording_id,
            tenant=item.tenant,
            clinician_name=item.clinician,
            patient_reference=item.patient_reference,
            date_of_service=item.date_of_service,
            original_filename=item.key.split("/", 2)[2][:1024],
        )
    )
    recording = Recording(
        recording_id=recording_id,
        tenant=item.tenant,
        bucket=item.bucket,
        audio_key=keys.audio,
        audio_version=version,
        received_at=utcnow(),
    )
    svc.table.put_status(
        recording_id=recording_id,
        tenant=item.tenant,
        status="RECEIVED",
        attributes={"audio_key": keys.audio, "bucket": item.bucket},
        at=recording.received_at,
    )
    return PreparedItem(
        recording_id=recording_id,
        skip=False,
        name=name,
        input=ExecutionInput(recording=recording).to_state(),
    )


def _copy_once(item: BackfillItem, audio_key: str, svc: Services) -> str | None:
    """The archive object's bytes at the recording's own key, written once (``If-None-Match: *``, as an
    upload's); returns the version the execution pins. A re-run finds the earlier copy and pins it."""
    try:
        return svc.store.head(item.bucket, audio_key).version_id
    except errors.AudioNotFound:
        pass
    try:
        return svc.store.copy(item.bucket, item.key, audio_key, source_version=None, if_absent=True)
    except errors.ObjectExists:  # a concurrent item of the same recording won the write
        return svc.store.head(item.bucket, audio_key).version_id
    except errors.AudioNotFound:
        raise errors.AudioNotFound("the archive object does not exist") from None


# ---- manifests ---------------------------------------------------------------------------------------------
def _rows(text: str) -> list[dict[str, Any] | None]:
    """Each line of a manifest as a dict, or None for a line that is not one."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError:
            return [None]
        return [r if isinstance(r, dict) else None for r in value] if isinstance(value, list) else [None]
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and lines[0].lstrip().startswith("{"):
        out: list[dict[str, Any] | None] = []
        for line in lines:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                row = None
            out.append(row if isinstance(row, dict) else None)
        return out
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header = [h.strip() for h in next(reader, [])]
    if "key" not in header:
        return [None] * max(1, len(lines))
    return [dict(zip(header, row, strict=True)) if len(row) == len(header) else None for row in reader]


def normalise_manifest(text: str, *, bucket: str, tenant: str) -> list[dict[str, Any]]:
    """Manifest text -> Map items (JSON-ready). A garbage line, a key outside the tenant's archive folder or a
    repeated key stays an item marked ``invalid`` (it fails by name; the others run)."""
    own = tenant_prefix(tenant)
    seen: set[str] = set()
    items: list[dict[str, Any]] = []
    for row in _rows(text):
        base: dict[str, Any] = {"bucket": bucket, "tenant": tenant}
        fields = {k: (v or None) for k, v in (row or {}).items() if k in MANIFEST_FIELDS}
        key = str(fields.get("key") or "").strip()
        if key and not key.startswith(own):
            key = own + key.lstrip("/")  # keys relative to the tenant's folder
        try:
            item = BackfillItem.model_validate({**base, **fields, "key": key})
        except ValidationError:
            item = None
        if row is None or item is None or not key:
            items.append({**base, "invalid": "ManifestLineInvalid"})
        elif key in seen:
            items.append({**base, "key": key, "invalid": "DuplicateManifestItem"})
        else:
            seen.add(key)
            items.append(item.model_dump(mode="json", exclude_none=True))
    return items


# ---- dry run -----------------------------------------------------------------------------------------------
class DryRun(BaseModel):
    """What a backfill would do, before anything starts (PHI-free: counts, minutes, dollars)."""

    items: int
    audio_items: int
    bytes: int
    audio_minutes: float
    estimated_cost: float
    cost_per_item: float
    prices_as_of: str
    assumptions: str = (
        "audio minutes from object sizes: WAV/FLAC as 16 kHz 16-bit mono (32,000 bytes/s), compressed formats "
        "at 64 kbit/s; per recording: Transcribe Medical (15-s minimum) + 900 transcript characters a minute of "
        "Comprehend Medical + InferRxNorm + the callback-mode Lambdas and transitions (logic/cost.py)"
    )


def estimated_seconds(key: str, size: int) -> float:
    return size / BYTES_PER_SECOND.get(_extension(key), COMPRESSED_BYTES_PER_SECOND)


def dry_run(objects: Iterable[tuple[str, int]], prices: cost.PriceTable | None = None) -> DryRun:
    """``objects``: (key, size) of each item; the cost model of one recording per audio file."""
    listed = list(objects)
    audio = [(k, s) for k, s in listed if _extension(k) in AUDIO_EXTENSIONS]
    total = 0.0
    seconds_total = 0.0
    for key, size in audio:
        seconds = estimated_seconds(key, size)
        seconds_total += seconds
        chars = max(200, math.ceil(seconds / 60 * 900))  # ~150 spoken words (900 characters) per minute
        usage = cost.modelled_usage(duration_seconds=seconds, char_count=chars, wait_mode="callback")
        total += cost.estimate(usage, prices).total
    p = prices or cost.load_prices()
    return DryRun(
        items=len(listed),
        audio_items=len(audio),
        bytes=sum(s for _, s in listed),
        audio_minutes=round(seconds_total / 60, 2),
        estimated_cost=round(total, 2),
        cost_per_item=round(total / len(audio), 4) if audio else 0.0,
        prices_as_of=p.as_of,
    )


def check_item_count(count: int, maximum: int) -> None:
    if count > maximum:
        raise errors.BackfillTooLarge(f"{count} items: more than the maximum of {maximum}")


# ---- results -----------------------------------------------------------------------------------------------
class Summary(BaseModel):
    """The CLI's last line and the API's counts (PHI-free)."""

    items: int = 0
    started: int = 0
    skipped: int = 0
    succeeded: int = 0
    failed: int = 0
    failures: dict[str, int] = Field(default_factory=dict)


def summarise(results: Mapping[str, list[dict[str, Any]]]) -> Summary:
    """ResultWriter files ({"SUCCEEDED": [...], "FAILED": [...], ...}, each entry as AWS writes it) -> counts."""
    succeeded = results.get("SUCCEEDED", [])
    failed = [*results.get("FAILED", []), *results.get("TIMED_OUT", []), *results.get("ABORTED", [])]
    skipped = 0
    for entry in succeeded:
        output = entry.get("Output")
        value = json.loads(output) if isinstance(output, str) else output
        skipped += int(isinstance(value, dict) and value.get("outcome") == "SKIPPED")
    failures = Counter(str(e.get("Error") or "States.TaskFailed") for e in failed)
    return Summary(
        items=len(succeeded) + len(failed),
        started=len(succeeded) - skipped + len(failed),
        skipped=skipped,
        succeeded=len(succeeded) - skipped,
        failed=len(failed),
        failures=dict(sorted(failures.items())),
    )
