"""What the canaries share besides the fixture (tests/emulator/conftest.py): the role ARN, the emulator type,
running a definition to its end."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from moto_support import ROLE, finished

Emulator = Callable[..., Callable[..., Any]]


# DescribeExecution once the execution is no longer RUNNING (bounded: 20 s).
settle = finished


def execute(sfn: Any, definition: dict[str, Any], payload: Any = None, **create: Any) -> dict[str, Any]:
    """Run ``definition`` to its end (bounded: 20 s); its DescribeExecution with ``events`` (the history)."""
    name = f"m{time.monotonic_ns()}"
    machine = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE, **create)
    arn = sfn.start_execution(
        stateMachineArn=machine["stateMachineArn"], name="e", input=json.dumps(payload or {})
    )["executionArn"]
    described = settle(sfn, arn)
    described["events"] = sfn.get_execution_history(executionArn=arn)["events"]
    return dict(described)
