"""S3 "Object Created" events on EventBridge in AWS's documented shape (moto 5.2.5).

AWS: ``"time": "2026-12-01T04:30:00Z"`` (a string) and ``detail.object.etag`` (lower case). moto sends
``time`` as a Unix float and ``eTag``. moto builds the event in ``_send_event_bridge_message`` with
``unix_time()`` (used for nothing else in that module): the time is fixed there, and the key renamed on its way
to the rules (``Rule.send_to_targets``).
"""

from __future__ import annotations

import datetime
from contextlib import ExitStack
from typing import Any
from unittest import mock

MOTO_VERSION = "5.2.6"


def aws_event_time() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalise(event: dict[str, Any]) -> dict[str, Any]:
    if event.get("source") == "aws.s3":
        obj = event.get("detail", {}).get("object", {})
        if "eTag" in obj:
            obj["etag"] = obj.pop("eTag")
    return event


def apply(stack: ExitStack) -> None:
    from moto.events.models import Rule
    from moto.s3 import notifications

    original_send = Rule.send_to_targets

    def send_to_targets(rule: Any, event: Any, transform_input: bool = True) -> None:
        normalised: Any = normalise(event)
        original_send(rule, normalised, transform_input)

    stack.enter_context(mock.patch.object(notifications, "unix_time", aws_event_time))
    stack.enter_context(mock.patch.object(Rule, "send_to_targets", send_to_targets))
