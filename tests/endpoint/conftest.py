"""A bare AWS endpoint for API-semantics tests: moto with every medscribe moto patch behind a real HTTP server
(moto's ThreadedMotoServer, as ``medscribe endpoint`` serves it), without the pipeline or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from moto_support import dummy_aws_environment, start_moto


@pytest.fixture
def bare_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from medscribe.local.endpoint import AwsEndpoint

    dummy_aws_environment(monkeypatch)
    with ExitStack() as stack:
        start_moto(stack)
        endpoint = stack.enter_context(AwsEndpoint(port=0))
        yield endpoint.url
