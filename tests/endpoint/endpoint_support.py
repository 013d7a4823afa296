"""Helpers for the endpoint API-semantics tests: an outside client, and waiting for an execution to end."""

from __future__ import annotations

import time
from typing import Any

import boto3
from botocore.config import Config

ROLE = "arn:aws:iam::123456789012:role/r"


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
    deadline = time.monotonic() + timeout
    while (description := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution still running"
        time.sleep(0.02)
    return dict(description)
