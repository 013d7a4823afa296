"""DynamoDB requests atomic across threads, as on AWS (moto 5.2.5).

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

MOTO_VERSION = "5.2.6"
_LOCK = threading.RLock()


def apply(stack: ExitStack) -> None:
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action

    def call_action(handler: Any) -> Any:
        with _LOCK:
            return original(handler)

    stack.enter_context(mock.patch.object(DynamoHandler, "call_action", call_action))
