"""Canaries of the Step Functions API fixes and features: plain moto still lacks or bends the API as the patch
says (else the canary fails: the patch can go), patched moto answers as the API Reference documents."""

from __future__ import annotations

import inspect
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from emulator_support import ROLE, Emulator, execute, settle

BOTH = pytest.mark.parametrize("patched", [False, True], ids=["moto", "patched"])
PASSES = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}}


def machine(sfn: Any, name: str, definition: dict[str, Any] = PASSES) -> str:
    created = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)
    return str(created["stateMachineArn"])


@BOTH
def test_sfn_executions(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    # Given an execution started without a name, and a finished one
    unnamed = sfn.start_execution(stateMachineArn=machine(sfn, "m"))["executionArn"]
    described = execute(sfn, PASSES)
    page = sfn.get_execution_history(executionArn=described["executionArn"], maxResults=1, reverseOrder=True)
    if patched:
        with pytest.raises(ClientError, match="ValidationException"):  # AWS: statusFilter is an enum
            sfn.list_executions(stateMachineArn=described["stateMachineArn"], statusFilter="BOGUS")
    else:
        assert (
            sfn.list_executions(stateMachineArn=described["stateMachineArn"], statusFilter="BOGUS")[
                "executions"
            ]
            == []
        )
    if patched:  # AWS: a generated name, inputDetails and redrive fields, one event per page, newest first
        assert not unnamed.endswith(":None")
        assert described["inputDetails"] == {"included": True}
        assert described["redriveCount"] == 0
        assert len(page["events"]) == 1
        assert page["events"][0]["type"] == "ExecutionSucceeded"
        assert "nextToken" in page
    else:
        assert unnamed.endswith(":None")
        assert "inputDetails" not in described
        assert "redriveCount" not in described
        assert len(page["events"]) > 1
        assert "nextToken" not in page


@BOTH
def test_sfn_executions_stop(emulator: Emulator, patched: bool) -> None:
    from moto.stepfunctions.models import StateMachine

    sfn = emulator(patched, instant=False)("stepfunctions")
    if not patched:  # moto 5.2.5's StopExecution drops error and cause
        assert "error" not in inspect.signature(StateMachine.stop_execution).parameters
        return
    # Given an execution in a long Wait (real time: no instant waits)
    waits = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1000, "End": True}}}
    arn = sfn.start_execution(stateMachineArn=machine(sfn, "waits", waits))["executionArn"]
    deadline = time.monotonic() + 20
    while "WaitStateEntered" not in [
        e["type"] for e in sfn.get_execution_history(executionArn=arn)["events"]
    ]:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # When it is stopped with an error and a cause, Then AWS keeps both
    sfn.stop_execution(executionArn=arn, error="Operator", cause="stopped by hand")
    described = settle(sfn, arn)
    assert (described["status"], described["error"], described["cause"]) == (
        "ABORTED",
        "Operator",
        "stopped by hand",
    )


def _stopped_while_held(
    sfn: Any, owner: Any, attribute: str, arn_of: Callable[[Any], str]
) -> tuple[dict[str, Any], list[str]]:
    """Start an hour's Wait, hold its worker thread at the first call of ``owner.attribute`` for it (``arn_of``
    the call's first argument names the execution; other executions pass) until StopExecution has answered;
    DescribeExecution once settled, and the history's event types."""
    reached, release = threading.Event(), threading.Event()
    original = getattr(owner, attribute)
    name = f"held{attribute}"

    def held(*args: Any) -> Any:
        if not reached.is_set() and f":execution:{name}:" in arn_of(args[0]):  # one worker thread calls
            reached.set()
            release.wait(20)
        return original(*args)

    waits = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
    with mock.patch.object(owner, attribute, held):
        arn = sfn.start_execution(stateMachineArn=machine(sfn, name, waits))["executionArn"]
        assert reached.wait(20), f"the worker never called {attribute}"
        try:
            sfn.stop_execution(executionArn=arn, error="Operator", cause="stopped by hand")
        finally:
            release.set()
        described = settle(sfn, arn)
    return described, [e["type"] for e in sfn.get_execution_history(executionArn=arn)["events"]]


@BOTH
def test_sfn_stop(emulator: Emulator, patched: bool) -> None:
    from moto.stepfunctions.parser.asl.eval.environment import Environment
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    sfn = emulator(patched, instant=False)("stepfunctions")

    def worker_arn(worker: Any) -> str:
        return str(worker._evaluation_details.execution_details.arn)

    def env_arn(env: Any) -> str:
        return str(env.states.context_object.context_object_data["Execution"]["Id"])

    # A stop before the worker has built its environment: moto raises (env is None); AWS aborts the execution
    if not patched:
        with pytest.raises(AttributeError, match="set_stop"):
            _stopped_while_held(sfn, ExecutionWorker, "_get_evaluation_environment", worker_arn)
    else:
        described, events = _stopped_while_held(
            sfn, ExecutionWorker, "_get_evaluation_environment", worker_arn
        )
        assert (described["status"], events) == ("ABORTED", ["ExecutionStarted", "ExecutionAborted"])
    # A stop before the program's thread first looks at its state: moto reports ABORTED with no ExecutionAborted
    described, events = _stopped_while_held(sfn, Environment, "is_running", env_arn)
    assert described["status"] == "ABORTED"
    assert events == (["ExecutionStarted", "ExecutionAborted"] if patched else ["ExecutionStarted"])


@BOTH
def test_redrive(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    failed = execute(sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})
    assert failed["status"] == "FAILED"
    if not patched:  # moto 5.2.6 serves no RedriveExecution
        with pytest.raises((ClientError, NotImplementedError)):
            sfn.redrive_execution(executionArn=failed["executionArn"])
        return
    # AWS: the failed execution runs again under its ARN, and counts the redrive
    sfn.redrive_execution(executionArn=failed["executionArn"])
    again = settle(sfn, failed["executionArn"])
    assert (again["status"], again["redriveCount"]) == ("FAILED", 1)


@BOTH
def test_extra_apis(emulator: Emulator, patched: bool) -> None:
    from moto.stepfunctions.responses import StepFunctionResponse

    sfn = emulator(patched)("stepfunctions")
    if not patched:  # moto 5.2.6 serves neither StartSyncExecution nor ValidateStateMachineDefinition
        assert not hasattr(StepFunctionResponse, "start_sync_execution")
        assert not hasattr(StepFunctionResponse, "validate_state_machine_definition")
        return
    ok = sfn.validate_state_machine_definition(definition=json.dumps(PASSES))
    bad = sfn.validate_state_machine_definition(
        definition='{"StartAt": "A", "States": {"A": {"Type": "Nope"}}}'
    )
    assert (ok["result"], bad["result"]) == ("OK", "FAIL")


@BOTH
def test_teststate(emulator: Emulator, patched: bool) -> None:
    from moto.stepfunctions.responses import StepFunctionResponse

    clients = emulator(patched)
    if not patched:  # moto 5.2.6 serves no TestState action
        assert not hasattr(StepFunctionResponse, "test_state")
        return
    sfn = clients("stepfunctions", config=Config(inject_host_prefix=False))
    state = {"Type": "Pass", "Result": {"x": 1}, "Next": "B"}
    answer = sfn.test_state(definition=json.dumps(state), roleArn=ROLE, input="{}")
    assert (answer["status"], json.loads(answer["output"]), answer["nextState"]) == (
        "SUCCEEDED",
        {"x": 1},
        "B",
    )


@BOTH
def test_sfn_definitions(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    dangling = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
    other = {"StartAt": "Z", "States": {"Z": {"Type": "Succeed"}}}
    machine(sfn, "same")
    if not patched:  # LocalStack's InvalidDefinition has no moto TYPE: moto's server answers an empty code
        from moto.stepfunctions.parser.api import InvalidDefinition

        assert not getattr(InvalidDefinition, "TYPE", None)
    if patched:  # AWS: InvalidDefinition (MISSING_TRANSITION_TARGET); StateMachineAlreadyExists
        with pytest.raises(ClientError, match="InvalidDefinition"):
            machine(sfn, "dangling", dangling)
        with pytest.raises(ClientError, match="StateMachineAlreadyExists"):
            machine(sfn, "same", other)
    else:
        machine(sfn, "dangling", dangling)
        machine(sfn, "same", other)


@BOTH
def test_sfn_versions(emulator: Emulator, patched: bool) -> None:
    from moto.stepfunctions.responses import StepFunctionResponse

    sfn = emulator(patched)("stepfunctions")
    if not patched:  # moto 5.2.6 serves no PublishStateMachineVersion
        assert not hasattr(StepFunctionResponse, "publish_state_machine_version")
        return
    arn = machine(sfn, "versioned")
    first = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    again = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    assert first == again == f"{arn}:1"  # AWS: publishing an unchanged machine returns its latest version
