"""``medscribe list --dead-letters``: the upload events in TriggerDLQ (Lambda's on-failure records), peeked
without consuming them (visibility timeout 0), through any AWS endpoint (the local one or a deployed stack)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

QUEUE_MARKER = "triggerdlq"  # local: medscribe-local-triggerdlq; deployed: <stack>-TriggerDLQ-<suffix>
MAX_RECEIVES = 20  # bounded peek: at most 20 x 10 messages


@dataclass
class DeadLetter:
    message_id: str
    sent: str
    function: str
    error: str
    message: str
    attempts: int
    tenant_folder: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _tenant_folder(payload: Any) -> str | None:
    """The tenant folder of an S3 Object Created event (incoming/{tenant}/...), never the file name."""
    key = (
        (payload or {}).get("detail", {}).get("object", {}).get("key", "")
        if isinstance(payload, dict)
        else ""
    )
    parts = str(key).split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "incoming" else None


def parse(message_id: str, body: str) -> DeadLetter:
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        data = {}
    context = data.get("requestContext", {}) if isinstance(data, dict) else {}
    response = data.get("responsePayload", {}) if isinstance(data, dict) else {}
    payload = data.get("requestPayload", data) if isinstance(data, dict) else None
    return DeadLetter(
        message_id=message_id,
        sent=str(data.get("timestamp", "")) if isinstance(data, dict) else "",
        function=str(context.get("functionArn", "")).split(":function:")[-1].split(":")[0] or "(rule DLQ)",
        error=str((response or {}).get("errorType", "")),
        message=str((response or {}).get("errorMessage", "")),
        attempts=int(context.get("approximateInvokeCount", 0) or 0),
        tenant_folder=_tenant_folder(payload),
    )


def dead_letters(sqs: Any) -> list[DeadLetter]:
    urls = [u for u in sqs.list_queues().get("QueueUrls", []) if QUEUE_MARKER in u.rsplit("/", 1)[-1].lower()]
    found: dict[str, DeadLetter] = {}
    for url in urls:
        for _ in range(MAX_RECEIVES):
            messages = sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0
            ).get("Messages", [])
            fresh = [m for m in messages if m["MessageId"] not in found]
            if not fresh:
                break
            for m in fresh:
                found[m["MessageId"]] = parse(m["MessageId"], m["Body"])
    return sorted(found.values(), key=lambda d: d.sent)
