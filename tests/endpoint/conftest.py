"""A bare AWS endpoint for API-semantics tests: moto with every medscribe moto patch behind a real HTTP server
(moto's ThreadedMotoServer, as ``medscribe endpoint`` serves it), without the pipeline or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest


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
