"""S3 "Object Created" events on EventBridge in AWS's documented shape (moto 5.2.6).

AWS: ``"time": "2026-12-01T04:30:00Z"`` (a string) and ``detail.object.etag`` (lower case). moto sends
``time`` as a Unix float and ``eTag``. moto builds the event in ``_send_event_bridge_message`` with
``unix_time()`` (used for nothing else in that module): the time is fixed there, and the key renamed on its way
to the rules by ``normalise``, which the one wrapper of ``Rule.send_to_targets`` (``eventbridge_targets``) calls.
"""

from __future__ import annotations

import datetime
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores=(
        "S3 'Object Created' events on EventBridge carry time as ISO-8601 text and detail.object.etag "
        "(S3 User Guide, 'EventBridge message structure')."
    ),
    targets=("moto.s3.notifications.unix_time",),
    extends=("moto.events.models.Rule.send_to_targets",),
    canary="tests/emulator/test_canary_services.py::test_s3_events",
)


def aws_event_time() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalise(event: dict[str, Any]) -> dict[str, Any]:
    if event.get("source") == "aws.s3":
        obj = event.get("detail", {}).get("object", {})
        if "eTag" in obj:
            obj["etag"] = obj.pop("eTag")
    return event


def apply(stack: ExitStack) -> None:
    from moto.s3 import notifications

    stack.enter_context(mock.patch.object(notifications, "unix_time", aws_event_time))
