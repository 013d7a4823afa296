"""One recording id drives every name: execution, Transcribe job, S3 keys, DB rows, events.

S3 layout (tenant-first, so a tenant's data can be listed, expired or exported as one prefix)::

    incoming/{tenant}/{file}                        uploads (the only prefix that triggers executions)
    {tenant}/{recording_id}/transcribe/{job}.json   Transcribe Medical output (or the offline ASR's)
    {tenant}/{recording_id}/transcript.txt          the transcript text, normalised for downstream use
    {tenant}/{recording_id}/entities/detected.json  DetectEntitiesV2 response over the whole transcript
    {tenant}/{recording_id}/entities/filtered.json  {"kept": [...], "dropped": [...], "min_score": x}
    {tenant}/{recording_id}/documents/summary.pdf   clinical summary + prescription draft
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from medscribe.errors import InvalidRecordingId
from medscribe.models import DEFAULT_TENANT, RECORDING_ID_PATTERN

INCOMING_PREFIX = "incoming/"
_RID = re.compile(RECORDING_ID_PATTERN)
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


def check_recording_id(recording_id: str) -> str:
    if not _RID.match(recording_id):
        raise InvalidRecordingId(f"recording id must match {RECORDING_ID_PATTERN}: {recording_id!r}")
    return recording_id


def recording_id_for_object(bucket: str, key: str, etag: str) -> str:
    """A stable id for an uploaded object: readable stem + hash of (bucket, key, etag).

    The same upload (same event delivered twice, or a retried API call) gives the same id; a new upload of
    new bytes under the same key gives a new id.
    """
    stem = key.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = _UNSAFE.sub("-", stem).strip("-._")[:60] or "recording"
    digest = hashlib.sha256(f"{bucket}\0{key}\0{etag.strip(chr(34))}".encode()).hexdigest()[:16]
    return f"{stem}-{digest}"


def tenant_for_incoming_key(key: str) -> str:
    """``incoming/{tenant}/{file}`` -> tenant; ``incoming/{file}`` -> the default tenant."""
    parts = key.split("/")
    if (
        len(parts) >= 3
        and parts[0] + "/" == INCOMING_PREFIX
        and re.fullmatch(r"[0-9a-z][0-9a-z-]{0,62}", parts[1])
    ):
        return parts[1]
    return DEFAULT_TENANT


def execution_name(recording_id: str) -> str:
    # Step Functions names: 1-80 characters; recording ids may be up to 128, so long ones are hashed.
    if len(recording_id) <= 80:
        return recording_id
    return recording_id[:63] + "-" + hashlib.sha256(recording_id.encode()).hexdigest()[:16]


def job_name(recording_id: str) -> str:
    # Transcribe job names: [0-9a-zA-Z._-], at most 200 characters.
    return f"medscribe-{check_recording_id(recording_id)}"


def recording_for_transcribe_output(key: str) -> tuple[str, str] | None:
    """``{tenant}/{recording_id}/transcribe/medscribe-{recording_id}.json`` -> (tenant, recording id); ``None``
    for any other key (the completion signal of callback mode is this object landing)."""
    parts = key.split("/")
    if len(parts) != 4 or parts[2] != "transcribe":
        return None
    tenant, recording_id = parts[0], parts[1]
    if not _RID.match(recording_id) or not re.fullmatch(r"[0-9a-z][0-9a-z-]{0,62}", tenant):
        return None
    if key != RecordingKeys(tenant=tenant, recording_id=recording_id).transcribe_output:
        return None
    return tenant, recording_id


def recording_for_job_name(name: str) -> str | None:
    """``medscribe-{recording_id}`` (``job_name``) -> recording id; ``None`` for a job not named by us."""
    prefix = "medscribe-"
    if not name.startswith(prefix) or not _RID.match(name[len(prefix) :]):
        return None
    return name[len(prefix) :]


@dataclass(frozen=True)
class RecordingKeys:
    tenant: str
    recording_id: str

    @property
    def prefix(self) -> str:
        return f"{self.tenant}/{self.recording_id}/"

    @property
    def transcribe_output(self) -> str:
        return f"{self.prefix}transcribe/{job_name(self.recording_id)}.json"

    @property
    def transcript_text(self) -> str:
        return f"{self.prefix}transcript.txt"

    @property
    def entities_detected(self) -> str:
        return f"{self.prefix}entities/detected.json"

    @property
    def entities_filtered(self) -> str:
        return f"{self.prefix}entities/filtered.json"

    @property
    def summary_pdf(self) -> str:
        return f"{self.prefix}documents/summary.pdf"
