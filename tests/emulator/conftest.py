"""Plain moto and patched moto side by side, in process (no PostgreSQL, no ASR): the canaries' two worlds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
from emulator_support import Emulator
from moto_support import dummy_aws_environment, start_moto


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """``emulator(patched)`` starts moto with its interpreter (and, when ``patched``, every medscribe patch, with
    instant waits unless ``instant=False``) and returns a boto3 client factory."""
    from medscribe.local.moto_patches import clock

    dummy_aws_environment(monkeypatch)
    with ExitStack() as stack:

        def start(patched: bool, instant: bool = True) -> Callable[..., Any]:
            start_moto(stack, patched=patched)
            if patched and instant:
                clock.apply_instant_waits(stack, [], 0.0)
            return boto3.client

        yield start
