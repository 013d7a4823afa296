"""Starting executions: from an S3 upload (EventBridge "Object Created") or from the API.

EventBridge rules cannot name Step Functions executions, so uploads go through this function, which names the
execution after the recording id: a duplicate delivery of the same upload, or a retried API call, finds the
existing execution instead of starting a second one.

Every upload is moved before its execution starts: the version its event names (S3 ``object.version-id``) is
copied server-side, once (``If-None-Match: *``), to the recording's own opaque key
``{tenant}/{recording_id}/audio`` (``RecordingKeys.audio``); the execution input pins that copy's version
(``Recording.audio_version``), and every step reads exactly it (docs/security-template.md, "Version pinning").
The upload (that version) is deleted once the execution has started. A later upload to a started recording's key
is refused: deleted, and audited as ``upload_rejected``; the processed audio never changes.

A direct (IAM) upload's key is the uploader's file name, e.g. ``incoming/clinic-a/Jane_Doe_MRN_448812.wav``:
PHI. Its recording id is a hash of bucket/key/etag; the file name goes to PostgreSQL
(``recording_details.original_filename``) only. An API upload (``incoming/{tenant}/{uuid}.{ext}``, a key the
server chose) keeps its issued id. Every step is idempotent, so a retried or duplicated event converges on the
same recording.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from medscribe import errors
from medscribe.keys import (
    INCOMING_PREFIX,
    RecordingKeys,
    execution_name,
    issued_id_in_key,
    recording_id_for_object,
    tenant_for_incoming_key,
    uploaded_file_name,
)
from medscribe.models import (
    ExecutionInput,
    Recording,
    RecordingDetails,
    RecordingId,
    StartResult,
    Tenant,
    TranscriptionType,
    utcnow,
)
from medscribe.ports import ObjectHead

if TYPE_CHECKING:
    from medscribe.wiring import Services

logger = Logger(child=True)


class S3ObjectDetail(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    key: str
    size: int | None = None
    # AWS sends "etag"; moto's emulation sends "eTag": accept both.
    etag: str = Field(default="", validation_alias=AliasChoices("etag", "eTag"))
    version_id: str | None = Field(default=None, validation_alias=AliasChoices("version-id", "version_id"))
    sequencer: str | None = None


class S3BucketDetail(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str


class ObjectCreatedDetail(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    bucket: S3BucketDetail
    object: S3ObjectDetail
    source_ip_address: str | None = Field(default=None, alias="source-ip-address", max_length=64)
    request_id: str | None = Field(default=None, alias="request-id", max_length=128)


class ObjectCreatedEvent(BaseModel):
    """The EventBridge event S3 sends for an upload (source aws.s3, detail-type "Object Created")."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    source: str
    detail_type: str = Field(alias="detail-type")
    detail: ObjectCreatedDetail


class UploadedObject(BaseModel):
    """An upload as S3 reported it (that exact version). A direct upload's key is the uploader's file name
    (PHI; never logged, never in DynamoDB)."""

    model_config = ConfigDict(frozen=True)
    key: str = Field(repr=False)
    etag: str
    version_id: str | None = None
    source_ip: str | None = Field(default=None, repr=False)  # from the event: for an ``upload_rejected`` row
    request_id: str | None = None

    @property
    def identity(self) -> str:
        """What names this upload among later ones to the same key: its version id (versioned bucket), else
        its ETag. Stored on the recording's audio copy (``UPLOAD_IDENTITY``)."""
        version = self.version_id if self.version_id not in (None, "", "null") else None
        return version or "etag-" + self.etag.strip('"')


class StartCommand(BaseModel):
    model_config = ConfigDict(frozen=True)
    bucket: str
    audio_key: str  # the key the pipeline reads: server-chosen, opaque, written once
    recording_id: RecordingId
    tenant: Tenant
    transcription_type: TranscriptionType = "DICTATION"
    identify_phi: bool = False
    upload: UploadedObject | None = None  # the upload, moved (that version) to audio_key before the start
    direct: bool = True  # a direct upload: its key is the uploader's file name (PostgreSQL only)
    audio_version: str | None = None  # the version of audio_key the execution processes


def command_from_upload(
    event: ObjectCreatedEvent, known_tenants: frozenset[str], reserved: Callable[[str], dict[str, Any] | None]
) -> StartCommand:
    """An upload under ``incoming/{tenant}/``: the tenant folder must be a known tenant (``UnknownTenant``
    otherwise: the rule's DLQ keeps the event). An API upload (``incoming/{tenant}/{uuid}.{ext}``, reserved by
    ``POST /recordings`` for that tenant and key) keeps its issued id; any other object gets an id hashed from
    bucket/key/etag. Either is moved, the version the event names, to ``RecordingKeys.audio`` at the start.
    ``reserved(recording_id)`` reads the status item."""
    key = event.detail.object.key
    if not key.startswith(INCOMING_PREFIX):
        raise errors.InvalidInput(f"object key outside {INCOMING_PREFIX}: not a recording upload")
    tenant = tenant_for_incoming_key(key, known_tenants)
    bucket = event.detail.bucket.name
    upload = UploadedObject(
        key=key,
        etag=event.detail.object.etag,
        version_id=event.detail.object.version_id,
        source_ip=event.detail.source_ip_address,
        request_id=event.detail.request_id,
    )
    issued = issued_id_in_key(key)
    if issued is not None:
        item = reserved(issued)
        if item is not None and item.get("tenant") == tenant and upload_key_of(item) == key:
            return StartCommand(
                bucket=bucket,
                audio_key=RecordingKeys(tenant=tenant, recording_id=issued).audio,
                recording_id=issued,
                tenant=tenant,
                transcription_type=item.get("transcription_type", "DICTATION"),
                upload=upload,
                direct=False,
            )
    recording_id = recording_id_for_object(bucket, key, event.detail.object.etag)
    return StartCommand(
        bucket=bucket,
        audio_key=RecordingKeys(tenant=tenant, recording_id=recording_id).audio,
        recording_id=recording_id,
        tenant=tenant,
        upload=upload,
    )


def upload_key_of(item: dict[str, Any]) -> str | None:
    """The key an API upload was issued (``POST /recordings``): ``audio_key`` until the start moves it to the
    recording's own key, ``upload_key`` after."""
    key = item.get("upload_key", item.get("audio_key"))
    return str(key) if key is not None else None


def command_for_api_start(item: dict[str, Any], head: ObjectHead) -> StartCommand:
    """``POST /recordings/{id}/start`` of a reserved API upload: the upload's current version (``head``) is
    the one moved and processed, exactly as its own event would have it."""
    key = str(item["audio_key"])
    return StartCommand(
        bucket=item["bucket"],
        audio_key=RecordingKeys(tenant=item["tenant"], recording_id=item["recording_id"]).audio,
        recording_id=item["recording_id"],
        tenant=item["tenant"],
        transcription_type=item.get("transcription_type", "DICTATION"),
        upload=UploadedObject(key=key, etag=head.etag, version_id=head.version_id),
        direct=False,
    )


def start_upload(command: StartCommand, svc: Services, state_machine_arn: str) -> StartResult:
    """Start the recording of an upload. The upload (the version its event names) is copied, once, to the
    recording's own key (``If-None-Match: *``); a direct upload's file name is saved to PostgreSQL; once the
    execution has started (or was found) the upload is deleted (that version only). A later upload to a
    started recording's key (its copy holds another upload) is refused: deleted and audited
    (``upload_rejected``); the processed audio never changes. Retried or duplicated events converge."""
    upload = command.upload
    if upload is None:
        return start_recording(command, svc, state_machine_arn)
    try:
        version = _move_upload(command, upload, svc)
    except UploadRejected:
        reject_upload(command, upload, svc)
        if _execution_exists(command, svc, state_machine_arn):
            return StartResult(
                recording_id=command.recording_id, execution_arn="", started=False, rejected=True
            )
        # The recording's copy exists but its execution never started (a start that crashed in between, e.g.
        # a local stack killed): converge on the copy already there, which is what gets processed.
        existing = _existing_copy(command, svc)
        pinned = command.model_copy(update={"audio_version": existing.version_id if existing else None})
        return start_recording(pinned, svc, state_machine_arn)
    pinned = command.model_copy(update={"audio_version": version})
    if not command.direct:
        result = start_recording(pinned, svc, state_machine_arn)
        _delete_upload(command, upload, svc)
        return result
    try:
        svc.repository.save_details(
            RecordingDetails(
                recording_id=command.recording_id,
                tenant=command.tenant,
                original_filename=uploaded_file_name(upload.key)[:1024],
            )
        )
    except errors.DatabaseUnavailable:
        # PostgreSQL down must not stop the recording (its steps retry and record their own failure); the
        # upload is then kept, as the only record of its name, instead of being deleted.
        logger.warning("file name not saved: upload kept", extra={"recording_id": command.recording_id})
        return start_recording(pinned, svc, state_machine_arn)
    result = start_recording(pinned, svc, state_machine_arn)
    _delete_upload(command, upload, svc)
    return result


# User metadata on a recording's audio copy: the identity (version id or ETag) of the upload it was copied
# from. Opaque, no PHI. A re-delivered event finds its own copy; any other upload is a later one.
UPLOAD_IDENTITY = "upload-identity"


class UploadRejected(Exception):
    """The recording's audio was already copied from another upload (internal: handled by ``start_upload``)."""


def _s3_failure(exc: ClientError) -> errors.UploadCopyFailed:
    code = exc.response.get("Error", {}).get("Code", "unknown")
    return errors.UploadCopyFailed(f"S3 {code} on the uploaded object")  # its key is PHI: never named


def _existing_copy(command: StartCommand, svc: Services) -> ObjectHead | None:
    try:
        return svc.store.head(command.bucket, command.audio_key)
    except errors.AudioNotFound:
        return None


def _move_upload(command: StartCommand, upload: UploadedObject, svc: Services) -> str | None:
    """Copy the upload's version to the recording's own key, written once; returns the copy's version id.
    ``UploadRejected`` when the key already holds another upload's bytes."""
    existing = _existing_copy(command, svc)
    if existing is None:
        try:
            return svc.store.copy(
                command.bucket,
                upload.key,
                command.audio_key,
                source_version=upload.version_id,
                metadata={UPLOAD_IDENTITY: upload.identity},
                if_absent=True,
            )
        except (
            errors.ObjectExists
        ):  # a concurrent start (this upload's, or another's) won the conditional write
            existing = _existing_copy(command, svc)
        except errors.AudioNotFound:
            # Gone: an earlier or concurrent start of this upload copied and deleted it (its copy is checked
            # below), or it was deleted before we came.
            existing = _existing_copy(command, svc)
            if existing is None:
                raise errors.AudioNotFound("the uploaded object no longer exists") from None
        except ClientError as exc:
            raise _s3_failure(exc) from None
    if existing is None:
        raise errors.AudioNotFound("the recording's audio copy vanished")
    if (existing.metadata or {}).get(UPLOAD_IDENTITY) != upload.identity:
        raise UploadRejected
    return existing.version_id  # this upload's own copy: a re-delivered or duplicated event


def _execution_exists(command: StartCommand, svc: Services, state_machine_arn: str) -> bool:
    arn = (
        state_machine_arn.replace(":stateMachine:", ":execution:")
        + f":{execution_name(command.recording_id)}"
    )
    try:
        svc.sfn.describe_execution(executionArn=arn)
    except svc.sfn.exceptions.ExecutionDoesNotExist:
        return False
    return True


def reject_upload(command: StartCommand, upload: UploadedObject, svc: Services) -> None:
    """A later upload to a started recording: deleted (that version), then one ``upload_rejected`` audit row
    (ids only; the uploader's key is never written)."""
    _delete_upload(command, upload, svc)
    svc.audit.append_audit(
        {
            "actor_sub": "s3-upload",
            "actor_tenant": command.tenant,
            "actor_role": "uploader",
            "action": "upload_rejected",
            "recording_id": command.recording_id,
            "target_tenant": command.tenant,
            "outcome": "rejected",
            "source_ip": upload.source_ip,
            "user_agent": None,
            "request_id": upload.request_id,
        }
    )
    logger.warning(
        "upload rejected: the recording already has its audio", extra={"recording_id": command.recording_id}
    )


def _delete_upload(command: StartCommand, upload: UploadedObject, svc: Services) -> None:
    """Versioned bucket (the template's): delete exactly the version that was copied. Otherwise delete the
    current object only while it is still the one copied (a newer upload under the same name is its own
    recording and must be left to its own event)."""
    version = upload.version_id if upload.version_id not in (None, "", "null") else None
    try:
        if version is None:
            try:
                head = svc.store.head(command.bucket, upload.key)
            except errors.AudioNotFound:
                return
            if head.etag.strip('"') != upload.etag.strip('"'):
                return
        svc.store.delete(command.bucket, upload.key, version=version)
    except errors.AudioNotFound:
        raise errors.AudioNotFound("the uploaded object no longer exists") from None
    except ClientError as exc:
        raise _s3_failure(exc) from None


def start_recording(command: StartCommand, svc: Services, state_machine_arn: str) -> StartResult:
    """Start (or find) the execution named after the recording id. An id that already belongs to another
    tenant or another object is never re-assigned (``RecordingIdConflict``)."""
    existing = svc.table.get(command.recording_id)
    reservation = command.upload.key if command.upload is not None and not command.direct else None
    if existing is not None and (
        existing.get("tenant") != command.tenant
        or existing.get("audio_key", command.audio_key) not in (command.audio_key, reservation)
    ):
        raise errors.RecordingIdConflict("recording id belongs to another tenant or object")
    recording = Recording(
        recording_id=command.recording_id,
        tenant=command.tenant,
        bucket=command.bucket,
        audio_key=command.audio_key,
        audio_version=command.audio_version,
        transcription_type=command.transcription_type,
        identify_phi=command.identify_phi,
        received_at=utcnow(),
    )
    execution_input = ExecutionInput(recording=recording)
    name = execution_name(command.recording_id)
    attributes = {"audio_key": command.audio_key, "bucket": command.bucket}
    if command.audio_version:
        attributes["audio_version"] = command.audio_version
    if reservation is not None:
        attributes["upload_key"] = reservation  # an API upload's key: server-chosen, no PHI
    svc.table.put_status(
        recording_id=command.recording_id,
        tenant=command.tenant,
        status="RECEIVED",
        attributes=attributes,
        at=recording.received_at,
    )
    try:
        response: dict[str, Any] = svc.sfn.start_execution(
            stateMachineArn=state_machine_arn,
            name=name,
            input=json.dumps(execution_input.to_state()),
        )
    except svc.sfn.exceptions.ExecutionAlreadyExists:
        # Same recording, already started (or finished): idempotent success, the existing execution.
        arn = state_machine_arn.replace(":stateMachine:", ":execution:") + f":{name}"
        return StartResult(recording_id=command.recording_id, execution_arn=arn, started=False)
    return StartResult(
        recording_id=command.recording_id, execution_arn=response["executionArn"], started=True
    )
