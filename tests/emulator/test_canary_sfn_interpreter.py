"""Canaries of the interpreter fixes: each scenario runs on plain moto (which must still deviate from AWS the
way the patch says: once it does not, the canary fails and the patch can go) and on patched moto (AWS's
behaviour). docs/emulator.md: the upgrade checklist."""

from __future__ import annotations

import inspect
import json
from contextlib import ExitStack
from types import SimpleNamespace
from typing import Any

import pytest
from emulator_support import Emulator, execute

BOTH = pytest.mark.parametrize("patched", [False, True], ids=["moto", "patched"])


@BOTH
def test_outputs(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    # Given a machine whose result is a string, and one whose Fail state names a States.* error
    text = execute(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "hello", "End": True}}})
    fail = execute(sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "States.TaskFailed"}}})
    if patched:  # AWS: output is JSON text; the Fail state's error is the execution's
        assert json.loads(text["output"]) == "hello"
        assert fail["error"] == "States.TaskFailed"
    else:
        assert text["output"] == "hello"
        assert fail.get("error") != "States.TaskFailed"


@BOTH
def test_context_object(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    # Given a Pass state that reads the context object
    parameters = {
        "start.$": "$$.Execution.StartTime",
        "redrives.$": "$$.Execution.RedriveCount",
        "retries.$": "$$.State.RetryCount",
    }
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": parameters, "End": True}}}
    described = execute(sfn, definition)
    if patched:  # AWS: ISO-8601 text, RedriveCount 0, RetryCount 0
        output = json.loads(described["output"])
        assert output["start"].endswith("Z")
        assert output["redrives"] == 0
        assert output["retries"] == 0
    else:
        assert described["status"] == "FAILED"


@BOTH
def test_error_matching(patched: bool) -> None:
    from moto.stepfunctions.parser.asl.component.common.error_name.error_equals_decl import ErrorEqualsDecl
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
        StatesErrorNameType as Type,
    )

    from medscribe.local.moto_patches import error_matching

    # Given ErrorEquals ["States.ALL"] asked about a States.Runtime error (moto's own matcher)
    decl = ErrorEqualsDecl(error_names=[StatesErrorName(typ=Type.StatesALL)])
    env = SimpleNamespace(stack=[StatesErrorName(typ=Type.StatesRuntime)])
    with ExitStack() as stack:
        if patched:
            error_matching.apply(stack)
        decl._eval_body(env)  # type: ignore[arg-type]
    # AWS: "A Retry or Catch on States.ALL won't catch States.Runtime errors"; moto matches every error
    assert env.stack == [not patched]


@BOTH
def test_heartbeat(emulator: Emulator, patched: bool) -> None:
    clients = emulator(patched)
    sfn, sqs = clients("stepfunctions"), clients("sqs")
    queue = sqs.create_queue(QueueName="q")["QueueUrl"]
    # Given a callback task nobody answers or heartbeats, with a Catch on States.Timeout only
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token"}},
        "HeartbeatSeconds": 1,
        "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}],
        "End": True,
    }
    definition = {"StartAt": "T", "States": {"T": task, "TimedOut": {"Type": "Pass", "End": True}}}
    described = execute(sfn, definition)
    if patched:  # AWS: States.HeartbeatTimeout, which States.Timeout does not catch
        assert (described["status"], described["error"]) == ("FAILED", "States.HeartbeatTimeout")
    else:
        assert described["status"] == "SUCCEEDED"


@BOTH
def test_map_tolerance(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    # Given a Distributed Map whose every child fails, with no tolerated failures
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "F",
        "States": {"F": {"Type": "Fail", "Error": "Child", "Cause": "c"}},
    }
    definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True}}}
    described: dict[str, Any] = execute(sfn, definition, [1, 2])
    if patched:  # AWS: the Map Run fails with States.ExceedToleratedFailureThreshold
        assert (described["status"], described["error"]) == (
            "FAILED",
            "States.ExceedToleratedFailureThreshold",
        )
    else:
        assert described["status"] == "SUCCEEDED"


@BOTH
def test_sfn_local_events(patched: bool) -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import mock_eval_utils
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
        StateTaskServiceAwsSdk,
    )

    from medscribe.local.moto_patches import sfn_local_events

    task: Any = SimpleNamespace(
        resource=SimpleNamespace(service_name="aws-sdk", api_name="comprehend", api_action="detectSentiment")
    )
    if not patched:
        assert StateTaskServiceAwsSdk._get_sfn_resource_type(task) == "aws-sdk:comprehend"
        # and a mocked Throw's TaskFailed details carry no resourceType
        assert "resourceType" not in inspect.getsource(mock_eval_utils._eval_mocked_response_throw)
        return
    with ExitStack() as stack:  # as Step Functions Local writes an aws-sdk task
        sfn_local_events.apply(stack)
        resource_type = StateTaskServiceAwsSdk._get_sfn_resource_type(task)
        resource = StateTaskServiceAwsSdk._get_sfn_resource(task)
    assert (resource_type, resource) == ("aws-sdk", "comprehend:detectSentiment")
