"""One recording id drives every name: execution, Transcribe job, S3 keys, DB rows, events.

S3 layout (tenant-first, so a tenant's data can be listed, expired or exported as one prefix)::

    incoming/{tenant}/{recording_id}.{ext}          API uploads (presigned POST; the id is a server-chosen UUID)
    backfill/{tenant}/{path}                        an archive for a backfill (bulk run; triggers nothing)
    incoming/{tenant}/{file}                        direct (IAM) uploads: the id is a hash of bucket/key/etag
                                                    (the only prefix that triggers executions)
    {tenant}/{recording_id}/audio                   a direct upload's bytes, copied by StartRecording (the
                                                    pipeline names only this key; the uploader's object is
                                                    then deleted: its file name stays in PostgreSQL only)
    {tenant}/{recording_id}/transcribe/{job}.json   Transcribe Medical output (or the offline ASR's)
    {tenant}/{recording_id}/transcript.txt          the transcript text, normalised for downstream use
    {tenant}/{recording_id}/entities/detected.json  DetectEntitiesV2 response over the whole transcript
    {tenant}/{recording_id}/entities/filtered.json  {"kept": [...], "dropped": [...], "min_score": x}
    {tenant}/{recording_id}/documents/summary.pdf   clinical summary + prescription draft
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from medscribe.errors import InvalidRecordingId, UnknownTenant
from medscribe.models import RECORDING_ID_PATTERN, TENANT_PATTERN

INCOMING_PREFIX = "incoming/"
BACKFILL_PREFIX = (
    "backfill/"  # backfill/{tenant}/...: an archive to run in bulk (logic/backfill.py); starts nothing
)
_RID = re.compile(RECORDING_ID_PATTERN)
_TENANT = re.compile(TENANT_PATTERN)


def check_recording_id(recording_id: str) -> str:
    if not _RID.match(recording_id):
        raise InvalidRecordingId(f"recording id must match {RECORDING_ID_PATTERN}: {recording_id!r}")
    return recording_id


def new_recording_id() -> str:
    """An opaque, server-chosen recording id (a random UUID): no part of any file name, ever."""
    return str(uuid.uuid4())


def is_issued_recording_id(value: str) -> bool:
    """True for the canonical UUID form ``new_recording_id`` issues (what an API upload's key stem holds)."""
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def recording_id_for_object(bucket: str, key: str, etag: str) -> str:
    """A stable, opaque id for a direct upload: a hash of (bucket, key, etag) only, so no part of the file
    name survives in it.

    The same upload (same event delivered twice) gives the same id; new bytes under the same key give a new
    id.
    """
    digest = hashlib.sha256(f"{bucket}\0{key}\0{etag.strip(chr(34))}".encode()).hexdigest()
    return f"u{digest[:32]}"


def incoming_key(tenant: str, recording_id: str, extension: str) -> str:
    """The key an API upload goes to: ``incoming/{tenant}/{recording_id}.{ext}`` (all server-chosen)."""
    check_tenant(tenant)
    check_recording_id(recording_id)
    return f"{INCOMING_PREFIX}{tenant}/{recording_id}.{extension}"


# Top-level prefixes of the bucket that are not tenants: a tenant named "incoming" would put its recordings'
# copies ({tenant}/{rid}/audio) under the upload trigger's prefix.
RESERVED_TENANTS = frozenset({INCOMING_PREFIX.rstrip("/"), BACKFILL_PREFIX.rstrip("/")})


def check_tenant(tenant: str, known: Collection[str] | None = None) -> str:
    if not _TENANT.match(tenant):
        raise UnknownTenant("malformed tenant")
    if tenant in RESERVED_TENANTS:
        raise UnknownTenant(f"reserved name, not a tenant: {tenant!r}")
    if known is not None and tenant not in known:
        raise UnknownTenant(f"unknown tenant {tenant!r}")
    return tenant


def tenant_for_incoming_key(key: str, known: Collection[str] | None = None) -> str:
    """``incoming/{tenant}/{file}`` -> tenant. A key without a tenant folder, with a malformed one, or (when
    ``known`` is given) with a tenant that is not known raises ``UnknownTenant``: never a default."""
    parts = key.split("/")
    if len(parts) < 3 or parts[0] + "/" != INCOMING_PREFIX or not parts[-1]:
        raise UnknownTenant("upload outside incoming/{tenant}/")
    return check_tenant(parts[1], known)


def issued_id_in_key(key: str) -> str | None:
    """The recording id of an API upload key ``incoming/{tenant}/{uuid}.{ext}``, else None."""
    parts = key.split("/")
    if len(parts) != 3:
        return None
    stem = parts[2].rsplit(".", 1)[0]
    return stem if is_issued_recording_id(stem) else None


def uploaded_file_name(key: str) -> str:
    """``incoming/{tenant}/{path}`` -> ``{path}``: the uploader's file name (PHI: PostgreSQL only)."""
    return key.split("/", 2)[2]


def execution_name(recording_id: str) -> str:
    # Step Functions names: 1-80 characters; recording ids may be up to 128, so long ones are hashed.
    if len(recording_id) <= 80:
        return recording_id
    return recording_id[:63] + "-" + hashlib.sha256(recording_id.encode()).hexdigest()[:16]


def job_name(recording_id: str, attempt: int = 1) -> str:
    # Transcribe job names: [0-9a-zA-Z._-], at most 200 characters. Derived from the recording id only (opaque);
    # a retried transcription (attempt > 1, after a FAILED or stale job) gets a suffix: medscribe-<id>-a2.
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    suffix = "" if attempt == 1 else f"-a{attempt}"
    return f"medscribe-{check_recording_id(recording_id)}{suffix}"


def parse_job_name(name: str) -> tuple[str, int] | None:
    """``job_name(recording_id, attempt)`` -> (recording id, attempt); ``None`` for a job not named by us."""
    prefix = "medscribe-"
    if not name.startswith(prefix):
        return None
    rest = name[len(prefix) :]
    retried = re.fullmatch(r"(.+)-a([2-9]|[1-9][0-9]+)", rest)
    candidates = [(retried.group(1), int(retried.group(2)))] if retried else []
    candidates.append((rest, 1))
    for recording_id, attempt in candidates:
        if _RID.match(recording_id) and job_name(recording_id, attempt) == name:
            return recording_id, attempt
    return None


def recording_for_job_name(name: str) -> str | None:
    """``medscribe-{recording_id}[-a{n}]`` (``job_name``) -> recording id; ``None`` for a job not ours."""
    parsed = parse_job_name(name)
    return parsed[0] if parsed else None


def recording_for_transcribe_output(key: str) -> tuple[str, str] | None:
    """``{tenant}/{recording_id}/transcribe/{job_name(recording_id, n)}.json`` -> (tenant, recording id);
    ``None`` for any other key (the completion signal of callback mode is this object landing)."""
    parts = key.split("/")
    if len(parts) != 4 or parts[2] != "transcribe" or not parts[3].endswith(".json"):
        return None
    tenant, recording_id = parts[0], parts[1]
    if not _RID.match(recording_id) or not re.fullmatch(r"[0-9a-z][0-9a-z-]{0,62}", tenant):
        return None
    if recording_for_job_name(parts[3][: -len(".json")]) != recording_id:
        return None
    return tenant, recording_id


@dataclass(frozen=True)
class RecordingKeys:
    tenant: str
    recording_id: str

    @property
    def prefix(self) -> str:
        return f"{self.tenant}/{self.recording_id}/"

    @property
    def audio(self) -> str:
        """Where a direct upload's bytes are processed from: no part of the uploader's file name."""
        return f"{self.prefix}audio"

    @property
    def transcribe_output(self) -> str:
        return f"{self.prefix}transcribe/{job_name(self.recording_id)}.json"

    def transcribe_output_for(self, job: str) -> str:
        """The output key of one transcription job (attempts have their own)."""
        return f"{self.prefix}transcribe/{job}.json"

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
