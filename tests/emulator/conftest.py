"""Plain moto and patched moto side by side, in process (no PostgreSQL, no ASR): the canaries' two worlds."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest

ROLE = "arn:aws:iam::123456789012:role/r"
Emulator = Callable[..., Callable[..., Any]]


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """``emulator(patched)`` starts moto with its interpreter (and, when ``patched``, every medscribe patch, with
    instant waits unless ``instant=False``) and returns a boto3 client factory."""
    from moto import mock_aws

    from medscribe.local import moto_patches
    from medscribe.local.moto_patches import clock

    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with ExitStack() as stack:

        def start(patched: bool, instant: bool = True) -> Callable[..., Any]:
            config: Any = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
            stack.enter_context(mock_aws(config=config))
            if patched:
                moto_patches.apply_all(stack)
                if instant:
                    clock.apply_instant_waits(stack, [], 0.0)
            return boto3.client

        yield start


def settle(sfn: Any, arn: str) -> dict[str, Any]:
    """DescribeExecution once the execution is no longer RUNNING (bounded: 20 s)."""
    deadline = time.monotonic() + 20
    while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the execution did not end"
        time.sleep(0.01)
    return dict(described)


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
