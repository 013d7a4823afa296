"""The API's use cases: create an upload, start, read one recording, list. Each checks the caller first
(tenant and role from verified claims only), answers 404 for another tenant's id (never 403: an id's
existence is not disclosed), and writes an audit record for every access to PHI (detail, PDF link, list).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from medscribe import errors
from medscribe.api.audit import RequestMeta, is_well_formed_id, record
from medscribe.api.caller import Caller, Forbidden
from medscribe.api.models import (
    AUDIO_EXTENSIONS,
    CreateRecording,
    PdfLink,
    RecordingCreated,
    RecordingPage,
    RecordingSummary,
    RecordingView,
    StartedRecording,
    Upload,
)
from medscribe.keys import incoming_key, new_recording_id
from medscribe.logic.intake import command_for_api_start, start_upload
from medscribe.models import RecordingDetails, utcnow

if TYPE_CHECKING:
    from medscribe.wiring import Services

UPLOAD_EXPIRES_SECONDS = 300
PDF_LINK_SECONDS = 300  # <= 5 minutes, issued only after the tenant/role check
MAX_PAGE = 100


class NotFound(Exception):
    """No such recording for this caller (also: another tenant's id)."""


class Conflict(Exception):
    """The request cannot be applied in the recording's current state."""


class BadRequest(Exception):
    """A well-formed request with a value the API cannot use."""


def audit(
    svc: Services,
    caller: Caller,
    action: str,
    meta: RequestMeta,
    *,
    recording_id: str | None = None,
    target_tenant: str | None = None,
    outcome: str = "allowed",
    detail: dict[str, Any] | None = None,
) -> None:
    """One append-only ``audit_events`` row (channel ``api``) and one PHI-free structured log line."""
    record(
        svc.audit,
        caller,
        action,
        "api",
        meta,
        recording_id=recording_id,
        target_tenant=target_tenant,
        outcome=outcome,
        detail=detail,
    )


def _require_writer(caller: Caller) -> None:
    if not caller.may_write:
        raise Forbidden(f"role {caller.role} may not upload or start recordings")


def _require_own_tenant(caller: Caller, named: str | None) -> None:
    if named is not None and named != caller.tenant:
        raise Forbidden("the tenant comes from the token; another tenant may not be named")


def _known(caller: Caller, svc: Services) -> None:
    known = svc.settings.known_tenants
    if known and caller.tenant not in known:
        raise Forbidden("the caller's tenant is not a known tenant")


def create_recording(
    caller: Caller, body: CreateRecording, svc: Services, meta: RequestMeta
) -> RecordingCreated:
    _require_writer(caller)
    _require_own_tenant(caller, body.tenant)
    _known(caller, svc)
    bucket = svc.settings.audio_bucket
    if not bucket:
        raise RuntimeError("AUDIO_BUCKET is not set")
    recording_id = new_recording_id()
    key = incoming_key(caller.tenant, recording_id, AUDIO_EXTENSIONS[body.content_type])
    now = utcnow()
    svc.table.put_status(
        recording_id=recording_id,
        tenant=caller.tenant,
        status="UPLOAD_PENDING",
        attributes={
            "bucket": bucket,
            "audio_key": key,
            "transcription_type": body.transcription_type,
            "created_by": caller.sub,
        },
        at=now,
    )
    save_details(svc, recording_id, caller.tenant, body)
    post = svc.store.presigned_post(
        bucket,
        key,
        content_type=body.content_type,
        max_bytes=svc.settings.max_upload_bytes,
        expires_in=UPLOAD_EXPIRES_SECONDS,
    )
    audit(svc, caller, "recording.create", meta, recording_id=recording_id, target_tenant=caller.tenant)
    return RecordingCreated(
        recording_id=recording_id,
        upload=Upload(
            url=post["url"], fields=post["fields"], expires_at=now + timedelta(seconds=UPLOAD_EXPIRES_SECONDS)
        ),
    )


def save_details(svc: Services, recording_id: str, tenant: str, body: CreateRecording) -> None:
    """The optional body fields, in PostgreSQL only (never in names, keys, logs, events or execution input)."""
    svc.repository.save_details(
        RecordingDetails(
            recording_id=recording_id,
            tenant=tenant,
            clinician_name=body.clinician_name,
            patient_reference=body.patient_reference,
            date_of_service=body.date_of_service,
            transcription_type=body.transcription_type,
            original_filename=body.original_file_name,
        )
    )


def _visible_item(caller: Caller, recording_id: str, svc: Services) -> dict[str, Any]:
    item = svc.table.get(recording_id) if _plausible_id(recording_id) else None
    if item is None or not caller.sees_tenant(item.get("tenant")):
        raise NotFound("no such recording")
    return item


def _plausible_id(recording_id: str) -> bool:
    return is_well_formed_id(recording_id)


def start(
    caller: Caller, recording_id: str, svc: Services, state_machine_arn: str, meta: RequestMeta
) -> StartedRecording:
    item = _visible_item(caller, recording_id, svc)
    _require_writer(caller)
    _require_own_tenant(caller, item.get("tenant"))
    if item.get("status") != "UPLOAD_PENDING":  # already started (by the upload or a first call): idempotent
        return StartedRecording(recording_id=recording_id, status=str(item.get("status")), started=False)
    try:
        head = svc.store.head(item["bucket"], item["audio_key"])
    except errors.AudioNotFound as exc:
        now = svc.table.get(recording_id) or {}
        if now.get("status", "UPLOAD_PENDING") != "UPLOAD_PENDING":  # its upload event started (and moved) it
            return StartedRecording(recording_id=recording_id, status=str(now["status"]), started=False)
        raise Conflict("the audio has not been uploaded yet") from exc
    # The upload is moved (this version) to the recording's own key, as its upload event would (logic/intake).
    result = start_upload(command_for_api_start(item, head), svc, state_machine_arn)
    audit(svc, caller, "recording.start", meta, recording_id=recording_id, target_tenant=item["tenant"])
    return StartedRecording(recording_id=recording_id, status="RECEIVED", started=result.started)


def get(caller: Caller, recording_id: str, svc: Services, meta: RequestMeta) -> RecordingView:
    try:
        item = _visible_item(caller, recording_id, svc)
    except NotFound:
        audit(svc, caller, "recording.read", meta, recording_id=recording_id, outcome="not_found")
        raise
    view = RecordingView(**_summary(item))
    audit(svc, caller, "recording.read", meta, recording_id=recording_id, target_tenant=item.get("tenant"))
    if item.get("status") == "COMPLETED" and item.get("pdf_key") and caller.may_read_phi:
        url = svc.store.presigned_get(item["bucket"], item["pdf_key"], expires_in=PDF_LINK_SECONDS)
        view.pdf = PdfLink(url=url, expires_at=utcnow() + timedelta(seconds=PDF_LINK_SECONDS))
        audit(
            svc, caller, "pdf.link_issued", meta, recording_id=recording_id, target_tenant=item.get("tenant")
        )
    return view


def _summary(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "recording_id": item["recording_id"],
        "tenant": item.get("tenant", ""),
        "status": item.get("status", ""),
        "error_name": item.get("error_name"),
        "created_at": item.get("created_at"),
        "updated_at": item.get("updated_at"),
    }


def list_recordings(
    caller: Caller,
    svc: Services,
    meta: RequestMeta,
    *,
    status: str | None = None,
    limit: int = 50,
    next_token: str | None = None,
    tenant: str | None = None,
) -> RecordingPage:
    """The caller's tenant only (a query naming another tenant -> 403); operators: any tenant, or all."""
    if not caller.is_operator:
        _require_own_tenant(caller, tenant)
        tenant = caller.tenant
    start_key = _decode_next(next_token, svc) if next_token else None
    if start_key is not None and tenant is not None and start_key.get("tenant") != tenant:
        raise BadRequest("invalid next token")
    try:
        items, last = svc.table.page(tenant, status=status, limit=min(limit, MAX_PAGE), start_key=start_key)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    audit(svc, caller, "recording.list", meta, target_tenant=tenant or "*")
    return RecordingPage(
        recordings=[RecordingSummary(**_summary(i)) for i in items],
        next=_encode_next(last, svc) if last else None,
    )


_PROCESS_CURSOR_KEY = secrets.token_bytes(32)
_MAC_CHARS = 43  # urlsafe base64 of a SHA-256 HMAC, unpadded


def _cursor_key(svc: Services) -> bytes:
    configured = svc.settings.cursor_signing_key
    if not configured or configured.startswith(
        "{{resolve:"
    ):  # unset, or a reference the local stack left as is
        return _PROCESS_CURSOR_KEY
    return configured.encode()


def _mac(svc: Services, payload: str) -> str:
    digest = hmac.new(_cursor_key(svc), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _encode_next(key: dict[str, Any], svc: Services) -> str:
    """``<payload>.<HMAC>``: a cursor the server issued, unreadable as a lever (a changed byte -> 400)."""
    payload = base64.urlsafe_b64encode(json.dumps(key, default=str).encode()).decode().rstrip("=")
    return f"{payload}.{_mac(svc, payload)}"


def _decode_next(token: str, svc: Services) -> dict[str, Any]:
    payload, _, mac = token.rpartition(".")
    if len(mac) != _MAC_CHARS or not hmac.compare_digest(mac, _mac(svc, payload)):
        raise BadRequest("invalid next token")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        value = json.loads(raw)
    except (ValueError, binascii.Error) as exc:
        raise BadRequest("invalid next token") from exc
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise BadRequest("invalid next token")
    return value
