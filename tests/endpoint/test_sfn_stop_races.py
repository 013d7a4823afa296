"""StopExecution ends the execution ABORTED, with the caller's error and cause in DescribeExecution and in an
ExecutionAborted event, whatever moto's worker thread is doing when the stop arrives (issue 17 item 6).

Each test holds the worker at one point of its start-up with a gate, sends StopExecution while it is held, and
only then lets it go on: the race that a loaded machine produces now and then is forced every time. The history
is read once the execution is no longer RUNNING, without polling: moto reports the status after the worker has
written its last event.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
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


def test_a_stop_before_the_worker_has_built_its_environment(bare_endpoint: str, gate: Gate) -> None:
    # Given a worker held before it builds its environment (moto's worker.env is still None)
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    build = ExecutionWorker._get_evaluation_environment

    def held_build(worker: Any) -> Any:
        gate.hold(worker._evaluation_details.execution_details.arn)
        return build(worker)

    # When it is stopped there, Then the execution is aborted, with an event
    with mock.patch.object(ExecutionWorker, "_get_evaluation_environment", held_build):
        description, events = stopped_while_held(bare_endpoint, gate)
    assert_aborted(description, events)
    assert [e["type"] for e in events] == ["ExecutionStarted", "ExecutionAborted"]


def test_a_stop_between_execution_started_and_the_first_state(bare_endpoint: str, gate: Gate) -> None:
    # Given a worker held as it enters Program.eval: it wrote ExecutionStarted, its environment exists, no
    # state is named yet (moto's set_stop does nothing to a program that is not running yet)
    from moto.stepfunctions.parser.asl.component.program.program import Program

    evaluate = Program.eval

    def held_eval(program: Any, env: Any) -> None:
        gate.hold(arn_of(env))
        evaluate(program, env)

    # When it is stopped there, Then the execution is aborted before its first state
    with mock.patch.object(Program, "eval", held_eval):
        description, events = stopped_while_held(bare_endpoint, gate)
    assert_aborted(description, events)
    assert [e["type"] for e in events] == ["ExecutionStarted", "ExecutionAborted"]


def test_a_stop_before_the_program_thread_begins(bare_endpoint: str, gate: Gate) -> None:
    # Given a worker whose first state is named (the program is running) but whose program thread is held at its
    # first look at the program state (moto's EvalComponent.eval skips the body of a program no longer running,
    # and with it the ExecutionAborted event: the execution was reported ABORTED with no such event)
    from moto.stepfunctions.parser.asl.eval.environment import Environment

    running = Environment.is_running

    def held_running(env: Any) -> bool:
        gate.hold(arn_of(env))
        return bool(running(env))

    # When it is stopped there, Then the execution is aborted, with an event
    with mock.patch.object(Environment, "is_running", held_running):
        description, events = stopped_while_held(bare_endpoint, gate)
    assert_aborted(description, events)
    assert [e["type"] for e in events] == ["ExecutionStarted", "ExecutionAborted"]


def test_a_stop_as_a_wait_state_begins(bare_endpoint: str, gate: Gate) -> None:
    # Given a worker held in its Wait state before it sleeps (moto wakes a sleeping Wait by setting and at once
    # clearing an event: a Wait that starts to sleep after the stop would sleep its full hour)
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

    sleep = WaitFunction._wait_interval

    def held_sleep(function: Any, env: Any, wait_seconds: int) -> None:
        gate.hold(arn_of(env))
        sleep(function, env, wait_seconds)

    # When it is stopped there, Then the Wait ends at once and the execution is aborted
    with mock.patch.object(WaitFunction, "_wait_interval", held_sleep):
        description, events = stopped_while_held(bare_endpoint, gate)
    assert_aborted(description, events)
    assert [e["type"] for e in events] == ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]
