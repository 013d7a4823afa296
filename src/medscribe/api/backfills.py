"""``POST /backfills``, ``GET /backfills/{id}``, ``GET /backfills``: a clinic admin runs the tenant's archive
(``backfill/{tenant}/...``, or a manifest there) through BackfillPipeline (docs/backfill.md).

The tenant is the caller's (verified claims) and only its own ``backfill/{tenant}/`` folder may be named (403
otherwise); more items than ``BACKFILL_MAX_ITEMS`` is 400 before anything starts; ``dry_run`` answers the
count, audio minutes and estimated cost (``logic.backfill.dry_run``) and starts nothing. A backfill's record
(``backfills/{tenant}/{id}/backfill.json``) is found under the caller's tenant only: another tenant's id is
404. Every call is audited like the recording routes.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, model_validator

from medscribe import errors
from medscribe.api.caller import Caller, Forbidden
from medscribe.api.service import BadRequest, NotFound, RequestMeta, audit
from medscribe.keys import recording_id_for_object
from medscribe.logic import backfill
from medscribe.models import utcnow

if TYPE_CHECKING:
    from medscribe.wiring import Services

BACKFILL_ID = re.compile(r"^b[0-9a-f]{20}$")


class CreateBackfill(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prefix: str | None = Field(default=None, min_length=1, max_length=1024)
    manifest_key: str | None = Field(default=None, min_length=1, max_length=1024)
    dry_run: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> CreateBackfill:
        if (self.prefix is None) == (self.manifest_key is None):
            raise ValueError("give exactly one of prefix and manifest_key")
        return self


def _record_key(tenant: str, backfill_id: str) -> str:
    return f"backfills/{tenant}/{backfill_id}/backfill.json"


def _listing(svc: Services, bucket: str, prefix: str) -> list[tuple[str, int]]:
    from medscribe.wiring import client

    pages = client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [(o["Key"], int(o["Size"])) for page in pages for o in page.get("Contents", [])]


def _admin_only(caller: Caller, action: str, svc: Services, meta: RequestMeta) -> None:
    """Backfills are the clinic admin's: any other role is refused (403), and the refusal audited."""
    if caller.role != "clinic-admin":
        audit(svc, caller, action, meta, target_tenant=caller.tenant, outcome="forbidden")
        raise Forbidden(f"role {caller.role} may not use backfills")


def create(
    caller: Caller, body: CreateBackfill, svc: Services, meta: RequestMeta
) -> tuple[int, dict[str, Any]]:
    """(status code, body): 200 with the plan for a dry run, else 202 with the new backfill's id."""
    _admin_only(caller, "backfill.create", svc, meta)
    settings = svc.settings
    bucket = settings.audio_bucket or ""
    try:
        backfill.check_prefix(caller.tenant, body.prefix or body.manifest_key or "")
    except errors.BackfillOutsideTenant:
        audit(svc, caller, "backfill.create", meta, target_tenant=caller.tenant, outcome="forbidden")
        raise Forbidden("only the tenant's own backfill/{tenant}/ folder") from None
    items: list[dict[str, Any]] | None = None
    if body.manifest_key is not None:
        try:
            text = svc.store.get_bytes(bucket, body.manifest_key).decode("utf-8", errors="replace")
        except errors.AudioNotFound:
            raise BadRequest("no such manifest") from None
        items = backfill.normalise_manifest(text, bucket=bucket, tenant=caller.tenant)
        sizes = dict(_listing(svc, bucket, backfill.tenant_prefix(caller.tenant)))
        objects = [(str(i.get("key", "")), sizes.get(str(i.get("key")), 0)) for i in items]
    else:
        objects = _listing(svc, bucket, body.prefix or "")
    try:
        backfill.check_item_count(len(objects), settings.backfill_max_items)
    except errors.BackfillTooLarge as exc:
        audit(svc, caller, "backfill.create", meta, target_tenant=caller.tenant, outcome="too_large")
        raise BadRequest(str(exc)) from None
    plan = backfill.dry_run(objects)
    if body.dry_run:
        audit(svc, caller, "backfill.dry_run", meta, target_tenant=caller.tenant)
        return 200, {"dry_run": True, **plan.model_dump()}
    backfill_id = f"b{uuid.uuid4().hex[:20]}"
    source: dict[str, Any] = {"prefix": body.prefix}
    if items is not None:
        manifest_key = f"backfills/{caller.tenant}/{backfill_id}/manifest.json"
        svc.store.put_json(bucket, manifest_key, items)
        source = {"manifest_key": manifest_key}
    arn = svc.sfn.start_execution(
        stateMachineArn=settings.backfill_state_machine_arn,
        name=backfill_id,
        input=json.dumps({"backfill_id": backfill_id, "tenant": caller.tenant, "bucket": bucket, **source}),
    )["executionArn"]
    record = {
        "backfill_id": backfill_id,
        "tenant": caller.tenant,
        "created_at": utcnow().isoformat(),
        "created_by": caller.sub,
        "items": plan.items,
        "execution_arn": arn,
        "plan": plan.model_dump(),
    }
    svc.store.put_json(bucket, _record_key(caller.tenant, backfill_id), record)
    audit(svc, caller, "backfill.create", meta, target_tenant=caller.tenant)
    return 202, {
        "backfill_id": backfill_id,
        "status": "RUNNING",
        "items": plan.items,
        "plan": plan.model_dump(),
    }


def _view(record: dict[str, Any], svc: Services) -> dict[str, Any]:
    described = svc.sfn.describe_execution(executionArn=record["execution_arn"])
    view: dict[str, Any] = {
        "backfill_id": record["backfill_id"],
        "created_at": record["created_at"],
        "status": described["status"],
        "items": record["items"],
    }
    output = json.loads(described.get("output") or "null")
    if described["status"] == "SUCCEEDED" and output:
        details = output["map_run"]["ResultWriterDetails"]
        manifest = svc.store.get_json(details["Bucket"], details["Key"])
        files = {
            status: [e for ref in refs for e in svc.store.get_json(details["Bucket"], ref["Key"])]
            for status, refs in manifest["ResultFiles"].items()
        }
        summary = backfill.summarise(files)
        view.update(counts=summary.model_dump(exclude={"failures"}), failures=summary.failures)
        view["failed_items"] = failed_items(files, svc.settings.audio_bucket or "")
        view["progress"] = {"done": summary.items, "total": summary.items}
    else:
        view["progress"] = _progress(record["execution_arn"], svc)
        if described["status"] != "RUNNING":
            view["error"] = described.get("error")
    return view


def failed_items(results: dict[str, list[dict[str, Any]]], bucket: str) -> list[dict[str, Any]]:
    """Each failed item as ``{"item", "recording_id", "error"}``: its position among the failures, the opaque
    recording id when the item named its ETag (None for a manifest line that did not), and the error name.
    Never the archive key: a file name is PHI."""
    failed = [*results.get("FAILED", []), *results.get("TIMED_OUT", []), *results.get("ABORTED", [])]
    rows: list[dict[str, Any]] = []
    for n, entry in enumerate(failed, start=1):
        raw = entry.get("Input")
        try:
            value = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            value = None
        given = value if isinstance(value, dict) else {}
        # the ItemSelector's {bucket, tenant, item}, or the raw item
        item = given["item"] if isinstance(given.get("item"), dict) else given
        key, etag = (
            item.get("Key") or item.get("key"),
            item.get("Etag") or item.get("ETag") or item.get("etag"),
        )
        where = given.get("bucket") or bucket
        rid = recording_id_for_object(where, key, etag) if key and etag else None
        rows.append({"item": n, "recording_id": rid, "error": str(entry.get("Error") or "States.TaskFailed")})
    return rows


def _progress(execution_arn: str, svc: Services) -> dict[str, int] | None:
    """Items done / total of the Map Run (DescribeMapRun's itemCounts); None before it has started."""
    try:
        runs = svc.sfn.list_map_runs(executionArn=execution_arn).get("mapRuns", [])
        if not runs:
            return None
        counts = svc.sfn.describe_map_run(mapRunArn=runs[0]["mapRunArn"])["itemCounts"]
    # moto has no map-run APIs, or its DescribeMapRun raises AttributeError (in process) once the execution's
    # worker is gone: the local interpreter's counts then.
    except (NotImplementedError, ClientError, AttributeError):
        from medscribe.local.moto_patches import backfill_map

        done, total = backfill_map.progress(execution_arn)
        return {"done": done, "total": total}
    done = counts["succeeded"] + counts["failed"] + counts["timedOut"] + counts["aborted"]
    return {"done": int(done), "total": int(counts["total"])}


def get(caller: Caller, backfill_id: str, svc: Services, meta: RequestMeta) -> dict[str, Any]:
    _admin_only(caller, "backfill.read", svc, meta)
    bucket = svc.settings.audio_bucket or ""
    try:
        if not BACKFILL_ID.match(backfill_id):
            raise errors.AudioNotFound("malformed id")
        record = svc.store.get_json(bucket, _record_key(caller.tenant, backfill_id))
    except errors.AudioNotFound:
        audit(svc, caller, "backfill.read", meta, target_tenant=caller.tenant, outcome="not_found")
        raise NotFound(backfill_id) from None
    audit(svc, caller, "backfill.read", meta, target_tenant=caller.tenant)
    return _view(record, svc)


def list_backfills(caller: Caller, svc: Services, meta: RequestMeta, limit: int = 50) -> dict[str, Any]:
    _admin_only(caller, "backfill.list", svc, meta)
    bucket = svc.settings.audio_bucket or ""
    keys = [
        k for k, _ in _listing(svc, bucket, f"backfills/{caller.tenant}/") if k.endswith("/backfill.json")
    ]
    records = [svc.store.get_json(bucket, k) for k in keys[:limit]]
    audit(svc, caller, "backfill.list", meta, target_tenant=caller.tenant)
    return {
        "backfills": [
            {"backfill_id": r["backfill_id"], "created_at": r["created_at"], "items": r["items"]}
            for r in sorted(records, key=lambda r: str(r["created_at"]), reverse=True)
        ]
    }
