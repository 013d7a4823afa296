"""StopExecution ends the execution ABORTED, with the caller's error and cause in DescribeExecution and in an
ExecutionAborted event, whatever moto's worker thread is doing when the stop arrives (issue 17 item 6).

Each test holds the worker at one point of its start-up with a gate, sends StopExecution while it is held, and
only then lets it go on: the race that a loaded machine produces now and then is forced every time. The history
is read once the execution is no longer RUNNING, without polling: moto reports the status after the worker has
written its last event.
"""

from __future__ import annotations

import importlib
import inspect
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from endpoint_support import ROLE, aws_client, finished

WAITS = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
GATE_SECONDS = 30  # how long a gate holds the worker at most (it is opened as soon as the stop has returned)


class GateNotReached(AssertionError):
    """The worker never came to the point the test holds it at."""


class Gate:
    """Holds the first call of ``hold`` for this test's execution until ``open``; later calls, and the calls of
    any other execution still running in this process, pass straight through."""

    def __init__(self) -> None:
        self.machine = f"w-{uuid.uuid4().hex[:12]}"  # its executions' ARNs name it: ':execution:<machine>:'
        self.reached = threading.Event()
        self.opened = threading.Event()
        self._lock = threading.Lock()
        self._used = False

    def hold(self, execution_arn: str) -> None:
        if f":execution:{self.machine}:" not in execution_arn:
            return
        with self._lock:
            first, self._used = not self._used, True
        if first:
            self.reached.set()
            self.opened.wait(GATE_SECONDS)

    def wait_reached(self) -> None:
        if not self.reached.wait(GATE_SECONDS):
            raise GateNotReached(f"the worker did not reach the gate in {GATE_SECONDS} s")

    def open(self) -> None:
        self.opened.set()


@pytest.fixture
def gate() -> Iterator[Gate]:
    held = Gate()
    yield held
    held.open()  # never leave a worker thread held after the test


def arn_of(env: Any) -> str:
    """The execution ARN of one of moto's interpreter environments."""
    return str(env.states.context_object.context_object_data["Execution"]["Id"])


def stopped_while_held(url: str, gate: Gate) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Start an hour's Wait, stop it while the worker is held at ``gate``, open the gate; the execution's
    DescribeExecution once it is no longer RUNNING, and its history read then."""
    sfn = aws_client("stepfunctions", url)
    machine = sfn.create_state_machine(name=gate.machine, definition=json.dumps(WAITS), roleArn=ROLE)[
        "stateMachineArn"
    ]
    arn = sfn.start_execution(stateMachineArn=machine, name="e")["executionArn"]
    gate.wait_reached()
    sfn.stop_execution(executionArn=arn, error="Operator.Stopped", cause="maintenance")
    gate.open()
    description = finished(sfn, arn)
    return description, sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


def assert_aborted(description: dict[str, Any], events: list[dict[str, Any]]) -> None:
    assert (description["status"], description.get("error"), description.get("cause")) == (
        "ABORTED",
        "Operator.Stopped",
        "maintenance",
    )
    assert events[-1]["type"] == "ExecutionAborted", [e["type"] for e in events]
    assert events[-1]["executionAbortedEventDetails"] == {"error": "Operator.Stopped", "cause": "maintenance"}
    assert [e["type"] for e in events].count("ExecutionAborted") == 1


def _worker_arn(arguments: list[Any]) -> str:
    return str(arguments[0]._evaluation_details.execution_details.arn)  # (worker)


def _env_arn(position: int) -> Callable[[list[Any]], str]:
    """The ARN from the method's argument at ``position`` (an interpreter environment)."""
    return lambda arguments: arn_of(arguments[position])


# Where the worker is held: (module, class, method, the execution ARN from the method's arguments, the history)
HOLDS = [
    pytest.param(
        # before it builds its environment (moto's worker.env is still None)
        "moto.stepfunctions.parser.backend.execution_worker",
        "ExecutionWorker",
        "_get_evaluation_environment",
        _worker_arn,
        ["ExecutionStarted", "ExecutionAborted"],
        id="before-the-worker-has-built-its-environment",
    ),
    pytest.param(
        # as it enters Program.eval: it wrote ExecutionStarted, its environment exists, no state is named yet
        # (moto's set_stop does nothing to a program that is not running yet)
        "moto.stepfunctions.parser.asl.component.program.program",
        "Program",
        "eval",
        _env_arn(1),  # (program or wait function, env, ...)
        ["ExecutionStarted", "ExecutionAborted"],
        id="between-execution-started-and-the-first-state",
    ),
    pytest.param(
        # its first state is named (the program is running) but its program thread is held at its first look at
        # the program state (moto's EvalComponent.eval skips the body of a program no longer running, and with
        # it the ExecutionAborted event: the execution was reported ABORTED with no such event)
        "moto.stepfunctions.parser.asl.eval.environment",
        "Environment",
        "is_running",
        _env_arn(0),  # (env)
        ["ExecutionStarted", "ExecutionAborted"],
        id="before-the-program-thread-begins",
    ),
    pytest.param(
        # in its Wait state before it sleeps (moto wakes a sleeping Wait by setting and at once clearing an
        # event: a Wait that starts to sleep after the stop would sleep its full hour)
        "moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function",
        "WaitFunction",
        "_wait_interval",
        _env_arn(1),  # (program or wait function, env, ...)
        ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"],
        id="as-a-wait-state-begins",
    ),
]


@pytest.mark.parametrize(("module", "owner", "method", "arn_from", "history"), HOLDS)
def test_a_stop_while_the_worker_is_held_aborts_the_execution_with_an_event(
    bare_endpoint: str,
    gate: Gate,
    module: str,
    owner: str,
    method: str,
    arn_from: Callable[[list[Any]], str],
    history: list[str],
) -> None:
    # Given a worker held at one point of its start-up
    cls = getattr(importlib.import_module(module), owner)
    real = getattr(cls, method)

    signature = inspect.signature(real)

    def held(*args: Any, **kwargs: Any) -> Any:
        gate.hold(
            arn_from(list(signature.bind(*args, **kwargs).arguments.values()))
        )  # moto passes some by name
        return real(*args, **kwargs)

    # When it is stopped there, Then the execution is aborted, with an event, and nothing after the hold point
    with mock.patch.object(cls, method, held):
        description, events = stopped_while_held(bare_endpoint, gate)
    assert_aborted(description, events)
    assert [e["type"] for e in events] == history
