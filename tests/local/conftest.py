"""A bare interpreter for ASL-coverage tests: moto's Step Functions with every medscribe moto patch, instant
waits on the virtual clock, and a helper that runs a definition to its end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
from asl_support import Run, wait


@pytest.fixture
def interpreter(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
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
    waits: list[float] = []
    with ExitStack() as stack:
        stack.enter_context(
            mock_aws(
                config={"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
            )
        )
        moto_patches.apply_all(stack)
        clock.apply_instant_waits(stack, waits, 0.01)
        yield {"sfn": boto3.client("stepfunctions"), "waits": waits}


@pytest.fixture
def run(interpreter: dict[str, Any]) -> Run:
    sfn = interpreter["sfn"]
    counter = iter(range(1_000_000))

    def _run(
        definition: dict[str, Any], payload: Any = None, timeout: float = 20, **create: Any
    ) -> dict[str, Any]:
        n = next(counter)
        machine = sfn.create_state_machine(
            name=f"m{n}",
            definition=json.dumps(definition),
            roleArn="arn:aws:iam::123456789012:role/r",
            **create,
        )["stateMachineArn"]
        arn = sfn.start_execution(stateMachineArn=machine, name=f"e{n}", input=json.dumps(payload or {}))[
            "executionArn"
        ]
        return wait(sfn, arn, timeout)

    return _run
