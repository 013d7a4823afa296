"""DynamoDB recordings table: one item per recording; status moves forward only.

Key schema (template.yaml must match exactly)::

    Table      partition key  recording_id    (S)      no sort key
    GSI        name           by-tenant-status
               partition key  tenant          (S)
               sort key       status_updated  (S)      f"{status}#{updated_at}"
               projection     ALL
    TTL        attribute      expires_at      (N, epoch seconds; only set when retention_days is given)

Item attributes: ``recording_id``, ``tenant``, ``status``, ``status_updated``, ``created_at`` (ISO 8601 UTC,
set on the first write only), ``updated_at`` (ISO 8601 UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` so it sorts as
text), ``expires_at`` (optional), plus the ``attributes`` given to ``put_status`` (floats stored as numbers).

Status order: RECEIVED < VALIDATED < TRANSCRIBING < TRANSCRIBED < FAILED < COMPLETED. A write happens only
if the item does not exist or its current status is strictly earlier (one conditional ``UpdateItem``, so two
racing writers cannot both win): a late retry cannot move a COMPLETED or FAILED recording back, a
COMPLETED recording never becomes FAILED (a late failure of a finished run is ignored, logged and reported by
``put_status`` returning ``False``), and a FAILED recording may still become COMPLETED (a successful re-run).
Writing the status the item already has is an idempotent no-op that returns ``True``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from medscribe.adapters.transient import TRANSIENT_CODES
from medscribe.errors import RecordingIdConflict, ServiceThrottled

logger = Logger(child=True)  # a child of the handler's powertools Logger (same service)

TENANT_STATUS_INDEX = "by-tenant-status"
STATUS_ORDER: tuple[str, ...] = (
    "UPLOAD_PENDING",  # reserved by POST /recordings, audio not uploaded yet
    "RECEIVED",
    "VALIDATED",
    "TRANSCRIBING",
    "TRANSCRIBED",
    "FAILED",
    "COMPLETED",
)
_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}
_RESERVED_ATTRIBUTES = frozenset(
    {"recording_id", "tenant", "status", "status_updated", "created_at", "updated_at", "expires_at"}
)
THROTTLING_CODES = TRANSIENT_CODES  # the one map (adapters/transient.py): throttling and unavailable
# Callback mode's task token: on the item, written and read only by put_task_token / task_token.
TASK_TOKEN_ATTRIBUTE = "task_token"
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def iso_utc(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    if isinstance(value, set):
        return {_from_dynamo(v) for v in value}
    return value


class DynamoRecordingsTable:
    """``RecordingsTable`` on DynamoDB. Takes a low-level client or a ``boto3.resource("dynamodb")``."""

    def __init__(
        self, client_or_resource: Any, table_name: str, *, retention_days: int | None = None
    ) -> None:
        resource_client = getattr(getattr(client_or_resource, "meta", None), "client", None)
        if resource_client is not None:
            # a resource's client converts plain Python values itself, and this class sends AttributeValues:
            # use a plain client with the same region, endpoint and config
            self._client = boto3.client(
                "dynamodb",
                region_name=resource_client.meta.region_name,
                endpoint_url=resource_client.meta.endpoint_url,
                config=resource_client.meta.config,
            )
        else:
            self._client = client_or_resource
        self._table = table_name
        self._retention_days = retention_days

    def put_status(
        self,
        *,
        recording_id: str,
        tenant: str,
        status: str,
        attributes: dict[str, Any] | None = None,
        at: datetime,
    ) -> bool:
        """Move the recording to ``status``; ``False`` when ignored because it already is later."""
        if status not in _RANK:
            raise ValueError(f"unknown status {status!r}")
        extra = dict(attributes or {})
        clash = _RESERVED_ATTRIBUTES.intersection(extra)
        if clash:
            raise ValueError(f"attributes may not set {sorted(clash)}")
        updated_at = iso_utc(at)
        values: dict[str, Any] = {
            "tenant": tenant,
            "status": status,
            "updated_at": updated_at,
            "status_updated": f"{status}#{updated_at}",
            **extra,
        }
        if self._retention_days is not None:
            values["expires_at"] = int(at.timestamp()) + self._retention_days * 86_400
        names: dict[str, str] = {"#rid": "recording_id", "#created_at": "created_at"}
        expr_values: dict[str, Any] = {":created_at": updated_at}
        sets = ["#created_at = if_not_exists(#created_at, :created_at)"]
        for i, (name, value) in enumerate(values.items()):
            names[f"#a{i}"] = name
            expr_values[f":a{i}"] = _to_dynamo(value)
            sets.append(f"#a{i} = :a{i}")
        earlier = STATUS_ORDER[: _RANK[status]]
        # An item without a status (only an event id remembered on it) takes any status.
        names["#status"] = "status"
        condition = "attribute_not_exists(#rid) OR attribute_not_exists(#status)"
        if earlier:
            placeholders = []
            for j, s in enumerate(earlier):
                expr_values[f":s{j}"] = s
                placeholders.append(f":s{j}")
            names["#status"] = "status"
            condition += f" OR #status IN ({', '.join(placeholders)})"
        # A recording id never changes tenant (a racing writer for another tenant loses); an item that has no
        # tenant yet (only an outcome event id remembered on it) takes this one.
        names["#tenant"] = "tenant"
        expr_values[":own_tenant"] = tenant
        condition = f"({condition}) AND (attribute_not_exists(#tenant) OR #tenant = :own_tenant)"
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"recording_id": {"S": recording_id}},
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={k: _serializer.serialize(v) for k, v in expr_values.items()},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in THROTTLING_CODES:
                raise ServiceThrottled(f"dynamodb UpdateItem: {code}") from exc
            if code != "ConditionalCheckFailedException":
                raise
            old: dict[str, Any] = dict(exc.response.get("Item") or {})  # type: ignore[call-overload]
            if old.get("tenant", {}).get("S", tenant) != tenant:
                raise RecordingIdConflict("recording id belongs to another tenant") from exc
            current = old.get("status", {}).get("S")
            if current is None:
                item = self.get(recording_id)
                current = item.get("status") if item else None
            if current == status:
                return True
            logger.warning(
                "recording status not moved back",
                extra={"recording_id": recording_id, "current_status": current, "ignored_status": status},
            )
            return False
        return True

    def get(self, recording_id: str) -> dict[str, Any] | None:
        try:
            r = self._client.get_item(
                TableName=self._table, Key={"recording_id": {"S": recording_id}}, ConsistentRead=True
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in THROTTLING_CODES:
                raise ServiceThrottled(f"dynamodb GetItem: {code}") from exc
            raise
        item = r.get("Item")
        if not item:
            return None
        item.pop(TASK_TOKEN_ATTRIBUTE, None)
        result: dict[str, Any] = _from_dynamo({k: _deserializer.deserialize(v) for k, v in item.items()})
        return result

    def put_task_token(self, recording_id: str, token: str) -> None:
        """The wait in force for this recording (a retried wait overwrites the token of the one before)."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"recording_id": {"S": recording_id}},
                UpdateExpression="SET #t = :t",
                ExpressionAttributeNames={"#t": TASK_TOKEN_ATTRIBUTE},
                ExpressionAttributeValues={":t": {"S": token}},
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in THROTTLING_CODES:
                raise ServiceThrottled(f"dynamodb UpdateItem: {code}") from exc
            raise

    def task_token(self, recording_id: str) -> str | None:
        try:
            r = self._client.get_item(
                TableName=self._table,
                Key={"recording_id": {"S": recording_id}},
                ProjectionExpression="#t",
                ExpressionAttributeNames={"#t": TASK_TOKEN_ATTRIBUTE},
                ConsistentRead=True,
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in THROTTLING_CODES:
                raise ServiceThrottled(f"dynamodb GetItem: {code}") from exc
            raise
        value = r.get("Item", {}).get(TASK_TOKEN_ATTRIBUTE, {}).get("S")
        return str(value) if value else None

    def remember(self, recording_id: str, attribute: str, value: str) -> str:
        """Set ``attribute`` once (``if_not_exists``) whatever the status; return the value that stands.

        Used to remember the id of an event already published for this recording, so a retried or
        re-driven step does not publish it again.
        """
        if attribute in _RESERVED_ATTRIBUTES:
            raise ValueError(f"attributes may not set {attribute}")
        try:
            r = self._client.update_item(
                TableName=self._table,
                Key={"recording_id": {"S": recording_id}},
                UpdateExpression="SET #a = if_not_exists(#a, :v)",
                ExpressionAttributeNames={"#a": attribute},
                ExpressionAttributeValues={":v": {"S": value}},
                # ALL_NEW, not UPDATED_NEW: when if_not_exists keeps the stored value, the emulator (and the
                # race loser) may get no updated attributes back, which raised KeyError.
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in THROTTLING_CODES:
                raise ServiceThrottled(f"dynamodb UpdateItem: {code}") from exc
            raise
        stored: str = r["Attributes"][attribute]["S"]
        return stored

    def page(
        self,
        tenant: str | None,
        *,
        status: str | None = None,
        limit: int = 50,
        start_key: dict[str, Any] | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of a tenant's recordings (GSI ``by-tenant-status``, newest first within a status), or of
        every tenant's (``tenant=None``: a Scan, for operators); returns (items, next start key or None)."""
        if status is not None and status not in _RANK:
            raise ValueError(f"unknown status {status!r}")
        kwargs: dict[str, Any] = {"TableName": self._table, "Limit": max(1, min(limit, 200))}
        if start_key:
            kwargs["ExclusiveStartKey"] = {k: _serializer.serialize(v) for k, v in start_key.items()}
        if tenant is not None:
            condition = "#t = :t" + (" AND begins_with(#su, :s)" if status else "")
            kwargs.update(
                IndexName=TENANT_STATUS_INDEX,
                KeyConditionExpression=condition,
                ExpressionAttributeNames={"#t": "tenant", **({"#su": "status_updated"} if status else {})},
                ExpressionAttributeValues={
                    ":t": {"S": tenant},
                    **({":s": {"S": f"{status}#"}} if status else {}),
                },
                ScanIndexForward=False,
            )
        elif status is not None:
            kwargs.update(
                FilterExpression="#st = :s",
                ExpressionAttributeNames={"#st": "status"},
                ExpressionAttributeValues={":s": {"S": status}},
            )
        try:
            r = self._client.query(**kwargs) if tenant is not None else self._client.scan(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in THROTTLING_CODES:
                raise ServiceThrottled(f"dynamodb {'Query' if tenant else 'Scan'}: {code}") from exc
            raise
        items: list[dict[str, Any]] = [
            _from_dynamo(
                {k: _deserializer.deserialize(v) for k, v in item.items() if k != TASK_TOKEN_ATTRIBUTE}
            )
            for item in r.get("Items", [])
            if "tenant" in item  # a Scan also meets the publish claims (powertools idempotency records)
        ]
        last = r.get("LastEvaluatedKey")
        next_key = {k: _deserializer.deserialize(v) for k, v in last.items()} if last else None
        return items, next_key
