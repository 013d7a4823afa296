"""A bare AWS endpoint for API-semantics tests: moto with every medscribe moto patch behind a real HTTP server
(moto's ThreadedMotoServer, as ``medscribe endpoint`` serves it), without the pipeline or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
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


@pytest.fixture
def bare_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto import mock_aws

    from medscribe.local import moto_patches
    from medscribe.local.endpoint import AwsEndpoint

    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with ExitStack() as stack:
        stack.enter_context(
            mock_aws(
                config={"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
            )
        )
        moto_patches.apply_all(stack)
        endpoint = stack.enter_context(AwsEndpoint(port=0))
        yield endpoint.url
