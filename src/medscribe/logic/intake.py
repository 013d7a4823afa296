"""Starting executions: from an S3 upload (EventBridge "Object Created") or from the API.

EventBridge rules cannot name Step Functions executions, so uploads go through this function, which names the
execution after the recording id: a duplicate delivery of the same upload, or a retried API call, finds the
existing execution instead of starting a second one.

A direct (IAM) upload's key is the uploader's file name, e.g. ``incoming/clinic-a/Jane_Doe_MRN_448812.wav``:
PHI. Its recording id is a hash of bucket/key/etag; its bytes are copied server-side to the opaque
``{tenant}/{recording_id}/audio`` (``RecordingKeys.audio``) before the execution starts, and the execution input,
the status item, the Transcribe job and every later key name only that copy. The file name goes to PostgreSQL
(``recording_details.original_filename``), and the uploaded object (that exact version) is deleted once the
execution has started. Every step is idempotent, so a retried or duplicated event converges on the same
recording. An API upload (``incoming/{tenant}/{uuid}.{ext}``, a key the server chose) is processed in place.
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

if TYPE_CHECKING:
    from medscribe.wiring import Services

logger = Logger(child=True)


class S3ObjectDetail(BaseModel):
    model_config = ConfigDict(extra="ignore")
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
    model_config = ConfigDict(extra="ignore")
    bucket: S3BucketDetail
    object: S3ObjectDetail


class ObjectCreatedEvent(BaseModel):
    """The EventBridge event S3 sends for an upload (source aws.s3, detail-type "Object Created")."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    source: str
    detail_type: str = Field(alias="detail-type")
    detail: ObjectCreatedDetail


class UploadedObject(BaseModel):
    """A direct upload as S3 reported it: its key is the uploader's file name (PHI; never logged)."""

    model_config = ConfigDict(frozen=True)
    key: str = Field(repr=False)
    etag: str
    version_id: str | None = None


class StartCommand(BaseModel):
    model_config = ConfigDict(frozen=True)
    bucket: str
    audio_key: str  # the key the pipeline reads: server-chosen, opaque
    recording_id: RecordingId
    tenant: Tenant
    transcription_type: TranscriptionType = "DICTATION"
    identify_phi: bool = False
    upload: UploadedObject | None = None  # a direct upload, copied to audio_key before the start


def command_from_upload(
    event: ObjectCreatedEvent, known_tenants: frozenset[str], reserved: Callable[[str], dict[str, Any] | None]
) -> StartCommand:
    """An upload under ``incoming/{tenant}/``: the tenant folder must be a known tenant (``UnknownTenant``
    otherwise: the rule's DLQ keeps the event). An API upload (``incoming/{tenant}/{uuid}.{ext}``, reserved by
    ``POST /recordings`` for that tenant and key) keeps its issued id and key; any other object gets an id
    hashed from bucket/key/etag and is to be processed from its copy at ``RecordingKeys.audio``.
    ``reserved(recording_id)`` reads the status item."""
    key = event.detail.object.key
    if not key.startswith(INCOMING_PREFIX):
        raise errors.InvalidInput(f"object key outside {INCOMING_PREFIX}: not a recording upload")
    tenant = tenant_for_incoming_key(key, known_tenants)
    bucket = event.detail.bucket.name
    issued = issued_id_in_key(key)
    if issued is not None:
        item = reserved(issued)
        if item is not None and item.get("tenant") == tenant and item.get("audio_key") == key:
            return StartCommand(bucket=bucket, audio_key=key, recording_id=issued, tenant=tenant)
    recording_id = recording_id_for_object(bucket, key, event.detail.object.etag)
    return StartCommand(
        bucket=bucket,
        audio_key=RecordingKeys(tenant=tenant, recording_id=recording_id).audio,
        recording_id=recording_id,
        tenant=tenant,
        upload=UploadedObject(
            key=key, etag=event.detail.object.etag, version_id=event.detail.object.version_id
        ),
    )


def start_upload(command: StartCommand, svc: Services, state_machine_arn: str) -> StartResult:
    """Start the recording of an upload event. A direct upload is first copied to its processing key and its
    file name saved to PostgreSQL; once the execution has started (or was found), the uploaded object is
    deleted (that version only). Retried or duplicated events converge: the copy is repeated only while the
    upload exists, the start is idempotent, a delete of a deleted version is a no-op."""
    upload = command.upload
    if upload is None:
        return start_recording(command, svc, state_machine_arn)
    _copy_upload(command, upload, svc)
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
        return start_recording(command, svc, state_machine_arn)
    result = start_recording(command, svc, state_machine_arn)
    _delete_upload(command, upload, svc)
    return result


def _s3_failure(exc: ClientError) -> errors.UploadCopyFailed:
    code = exc.response.get("Error", {}).get("Code", "unknown")
    return errors.UploadCopyFailed(f"S3 {code} on the uploaded object")  # its key is PHI: never named


def _copy_upload(command: StartCommand, upload: UploadedObject, svc: Services) -> None:
    try:
        svc.store.copy(command.bucket, upload.key, command.audio_key, source_version=upload.version_id)
    except errors.AudioNotFound:
        # Gone: an earlier delivery of this event copied and deleted it, or it was deleted before we came.
        try:
            svc.store.head(command.bucket, command.audio_key)
        except errors.AudioNotFound:
            raise errors.AudioNotFound("the uploaded object no longer exists") from None
    except ClientError as exc:
        raise _s3_failure(exc) from None


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
    if existing is not None and (
        existing.get("tenant") != command.tenant
        or existing.get("audio_key", command.audio_key) != command.audio_key
    ):
        raise errors.RecordingIdConflict("recording id belongs to another tenant or object")
    recording = Recording(
        recording_id=command.recording_id,
        tenant=command.tenant,
        bucket=command.bucket,
        audio_key=command.audio_key,
        transcription_type=command.transcription_type,
        identify_phi=command.identify_phi,
        received_at=utcnow(),
    )
    execution_input = ExecutionInput(recording=recording)
    name = execution_name(command.recording_id)
    svc.table.put_status(
        recording_id=command.recording_id,
        tenant=command.tenant,
        status="RECEIVED",
        attributes={"audio_key": command.audio_key, "bucket": command.bucket},
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
