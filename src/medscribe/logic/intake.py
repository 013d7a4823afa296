"""Starting executions: from an S3 upload (EventBridge "Object Created") or from the API.

EventBridge rules cannot name Step Functions executions, so uploads go through this function, which names the
execution after the recording id: a duplicate delivery of the same upload, or a retried API call, finds the
existing execution instead of starting a second one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from medscribe import errors
from medscribe.keys import (
    INCOMING_PREFIX,
    check_recording_id,
    execution_name,
    issued_id_in_key,
    recording_id_for_object,
    tenant_for_incoming_key,
)
from medscribe.models import (
    ExecutionInput,
    Recording,
    RecordingId,
    StartRequest,
    StartResult,
    Tenant,
    TranscriptionType,
    utcnow,
)

if TYPE_CHECKING:
    from medscribe.wiring import Services


class S3ObjectDetail(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: str
    size: int | None = None
    # AWS sends "etag"; moto's emulation sends "eTag": accept both.
    etag: str = Field(default="", validation_alias=AliasChoices("etag", "eTag"))
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


class StartCommand(BaseModel):
    model_config = ConfigDict(frozen=True)
    bucket: str
    audio_key: str
    recording_id: RecordingId
    tenant: Tenant
    transcription_type: TranscriptionType = "DICTATION"
    identify_phi: bool = False


def command_from_upload(
    event: ObjectCreatedEvent, known_tenants: frozenset[str], reserved: Callable[[str], dict[str, Any] | None]
) -> StartCommand:
    """An upload under ``incoming/{tenant}/``: the tenant folder must be a known tenant (``UnknownTenant``
    otherwise: the rule's DLQ keeps the event). An API upload (``incoming/{tenant}/{uuid}.{ext}``, reserved by
    ``POST /recordings`` for that tenant and key) keeps its issued id; any other object gets an id hashed from
    bucket/key/etag. ``reserved(recording_id)`` reads the status item."""
    key = event.detail.object.key
    if not key.startswith(INCOMING_PREFIX):
        raise errors.InvalidInput(f"object key outside {INCOMING_PREFIX}: not a recording upload")
    tenant = tenant_for_incoming_key(key, known_tenants)
    bucket = event.detail.bucket.name
    recording_id = recording_id_for_object(bucket, key, event.detail.object.etag)
    issued = issued_id_in_key(key)
    if issued is not None:
        item = reserved(issued)
        if item is not None and item.get("tenant") == tenant and item.get("audio_key") == key:
            recording_id = issued
    return StartCommand(bucket=bucket, audio_key=key, recording_id=recording_id, tenant=tenant)


def command_from_api(request: StartRequest, bucket: str, svc: Services) -> StartCommand:
    if not request.audio_key.startswith(INCOMING_PREFIX):
        raise errors.InvalidInput(f"audio_key must be under {INCOMING_PREFIX}")
    recording_id = request.recording_id
    if recording_id is None:
        head = svc.store.head(bucket, request.audio_key)  # AudioNotFound when missing
        recording_id = recording_id_for_object(bucket, request.audio_key, head.etag)
    return StartCommand(
        bucket=bucket,
        audio_key=request.audio_key,
        recording_id=check_recording_id(recording_id),
        tenant=request.tenant,
        transcription_type=request.transcription_type,
        identify_phi=request.identify_phi,
    )


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
