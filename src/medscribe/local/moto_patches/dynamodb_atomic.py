"""DynamoDB requests atomic across threads, as on AWS (moto 5.2.6).

AWS applies each UpdateItem / PutItem / DeleteItem / conditional write atomically per item. moto's handlers
read, deep-copy and write items without a lock, so two threads writing one item (RecordFailure's parallel
sinks: the status and the remembered event id of the same recording) can lose one write, or fail with
``RuntimeError: dictionary changed size during iteration`` inside moto. Each DynamoDB request is served under
one lock here: requests are short, and the local stack is one process.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="Each DynamoDB PutItem/UpdateItem/DeleteItem is atomic per item under concurrent requests (DynamoDB Developer Guide, 'Read consistency' / condition expressions).",
    targets=("moto.dynamodb.responses.DynamoHandler.call_action",),
    canary="tests/emulator/test_canary_services.py::test_dynamodb_atomic",
)
_LOCK = threading.RLock()


def apply(stack: ExitStack) -> None:
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action

    def call_action(handler: Any) -> Any:
        with _LOCK:
            return original(handler)

    stack.enter_context(mock.patch.object(DynamoHandler, "call_action", call_action))
