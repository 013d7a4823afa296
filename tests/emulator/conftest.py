"""Plain moto and patched moto side by side, in process (no PostgreSQL, no ASR): the canaries' two worlds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
from emulator_support import Emulator


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
