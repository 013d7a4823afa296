"""A bare interpreter for ASL-coverage tests: moto's Step Functions with every medscribe moto patch, instant
waits on the virtual clock, and a helper that runs a definition to its end."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import boto3
import pytest
from asl_support import Run, wait
from moto_support import ROLE, dummy_aws_environment, start_moto


@contextmanager
def _bare_interpreter(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    from medscribe.local.moto_patches import clock

    dummy_aws_environment(monkeypatch)
    waits: list[float] = []
    with ExitStack() as stack:
        start_moto(stack)
        clock.apply_instant_waits(stack, waits, 0.01)
        yield {"sfn": boto3.client("stepfunctions"), "waits": waits, "names": itertools.count()}


@pytest.fixture
def interpreter(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    with _bare_interpreter(monkeypatch) as bare:
        yield bare


@pytest.fixture(scope="module")
def module_interpreter() -> Iterator[dict[str, Any]]:
    """One interpreter for a whole module, for a module whose tests name every machine apart and read no list
    of machines, executions or waits as a whole (starting moto is most of such a test's time)."""
    with pytest.MonkeyPatch.context() as monkeypatch, _bare_interpreter(monkeypatch) as bare:
        yield bare


@pytest.fixture
def run(interpreter: dict[str, Any]) -> Run:
    sfn = interpreter["sfn"]
    counter = interpreter["names"]  # one per interpreter: machine names never repeat on a shared one

    def _run(
        definition: dict[str, Any], payload: Any = None, timeout: float = 20, **create: Any
    ) -> dict[str, Any]:
        n = next(counter)
        machine = sfn.create_state_machine(
            name=f"m{n}", definition=json.dumps(definition), roleArn=ROLE, **create
        )["stateMachineArn"]
        arn = sfn.start_execution(stateMachineArn=machine, name=f"e{n}", input=json.dumps(payload or {}))[
            "executionArn"
        ]
        return wait(sfn, arn, timeout)

    return _run
