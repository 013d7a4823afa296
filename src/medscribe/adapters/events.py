"""EventBridge ``PutEvents`` on the medscribe bus.

One entry per call: ``Source`` (default ``medscribe``), ``DetailType``, ``Detail`` (compact JSON),
``EventBusName``, ``Resources``. Entry size is computed as EventBridge documents it (UTF-8 bytes of Source,
DetailType, Detail and each Resource; 14 bytes for Time, which we do not send) and must be at most 256 KB
(262,144 bytes): a larger entry raises the terminal ``EventTooLarge`` before any call. ``FailedEntryCount > 0``
raises the retryable ``EventPublishFailed`` with the entry's ``ErrorCode``; throttling that survives botocore's
retries raises ``ServiceThrottled``. Returns the entry's ``EventId``.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from medscribe.adapters.transient import TRANSIENT_CODES
from medscribe.errors import EventPublishFailed, EventTooLarge, ServiceThrottled

MAX_ENTRY_BYTES = 256 * 1024
THROTTLING_CODES = TRANSIENT_CODES  # the one map (adapters/transient.py): throttling and unavailable


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def entry_size(entry: dict[str, Any]) -> int:
    """PutEventsRequestEntry size as EventBridge computes it."""
    size = 14 if entry.get("Time") is not None else 0
    size += len(entry["Source"].encode("utf-8")) + len(entry["DetailType"].encode("utf-8"))
    if entry.get("Detail") is not None:
        size += len(entry["Detail"].encode("utf-8"))
    size += sum(len(r.encode("utf-8")) for r in entry.get("Resources") or [])
    return size


class EventBridgePublisher:
    """``EventPublisher`` on EventBridge. ``client`` is a boto3 ``events`` client."""

    def __init__(self, client: Any, bus_name: str, source: str = "medscribe") -> None:
        self._client = client
        self._bus = bus_name
        self._source = source

    def publish(self, *, detail_type: str, detail: dict[str, Any], resources: list[str] | None = None) -> str:
        entry: dict[str, Any] = {
            "Source": self._source,
            "DetailType": detail_type,
            "Detail": json.dumps(detail, separators=(",", ":"), ensure_ascii=False, default=_default),
            "EventBusName": self._bus,
        }
        if resources:
            entry["Resources"] = list(resources)
        size = entry_size(entry)
        if size > MAX_ENTRY_BYTES:
            raise EventTooLarge(f"{detail_type} entry is {size} bytes; PutEvents allows {MAX_ENTRY_BYTES}")
        try:
            response = self._client.put_events(Entries=[entry])
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in THROTTLING_CODES:
                raise ServiceThrottled(f"events PutEvents: {code}") from exc
            raise
        result = response["Entries"][0] if response.get("Entries") else {}
        if response.get("FailedEntryCount", 0) > 0 or "EventId" not in result:
            raise EventPublishFailed(
                f"PutEvents {detail_type}: {result.get('ErrorCode', 'unknown')}: {result.get('ErrorMessage', '')}"
            )
        event_id: str = result["EventId"]
        return event_id
