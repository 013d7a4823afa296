"""What the emulator-level tests share (tests/emulator, tests/local, tests/endpoint): moto with its Step Functions
interpreter in process, optionally with every medscribe patch; a boto3 client as an outside user builds it;
waiting, bounded, for an execution to end. Importable as ``moto_support`` (tests/ is on pytest's path through
the root conftest)."""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
from botocore.config import Config

ROLE = "arn:aws:iam::123456789012:role/r"
# moto runs the real ASL (its interpreter) and Lambda without Docker, as the local stack configures it.
MOTO_CONFIG: dict[str, Any] = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
}


def dummy_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Region and dummy credentials for boto3 in this test, and no ``AWS_ENDPOINT_URL`` leaking in."""
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


def start_moto(stack: ExitStack, *, patched: bool = True) -> None:
    """moto in process until ``stack`` closes; ``patched``: with every medscribe moto patch
    (``medscribe.local.moto_patches.apply_all``), as the local stack runs it."""
    from moto import mock_aws

    from medscribe.local import moto_patches

    stack.enter_context(mock_aws(config=MOTO_CONFIG))
    if patched:
        moto_patches.apply_all(stack)


def aws_client(service: str, url: str) -> Any:
    """A client as an outside user builds it: endpoint_url, dummy credentials, no retries to hide errors."""
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )


def finished(sfn: Any, arn: str, timeout: float = 20) -> dict[str, Any]:
    """DescribeExecution once the execution is no longer RUNNING (bounded by ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while (description := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution still running"
        time.sleep(0.02)
    return dict(description)


def finished_with_history(sfn: Any, arn: str, timeout: float = 20) -> dict[str, Any]:
    """``finished``, with the execution's history as ``events``."""
    description = finished(sfn, arn, timeout)
    description["events"] = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return description
