"""One test per ASL deviation of moto 5.2.6 fixed in medscribe.local.moto_patches (AWS's documented behaviour)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from asl_support import BATCH_COUNTER, Run, map_machine, wait


@pytest.fixture(scope="module")
def interpreter(module_interpreter: dict[str, Any]) -> dict[str, Any]:
    """One moto for the module: every machine here has a name of its own, and no test reads a whole list."""
    return module_interpreter


def test_jsonata_state_output_and_assign(run: Run) -> None:
    # Given a JSONata state machine that assigns a variable and computes its output
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Compute",
        "States": {
            "Compute": {
                "Type": "Pass",
                "Assign": {"greeting": "{% 'hello ' & $states.input.name %}"},
                "Output": "{% {'total': $sum($states.input.values)} %}",
                "Next": "Read",
            },
            "Read": {
                "Type": "Pass",
                "Output": "{% {'greeting': $greeting, 'total': $states.input.total} %}",
                "End": True,
            },
        },
    }
    # When it runs
    result = run(definition, {"name": "ann", "values": [1, 2, 3.5]})
    # Then JSONata evaluated both the expression and the variable
    assert result["status"] == "SUCCEEDED", result.get("cause")
    assert json.loads(result["output"]) == {"greeting": "hello ann", "total": 6.5}


def test_jsonata_evaluation_error_fails_the_state(run: Run) -> None:
    # Given an expression calling a function that does not exist
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Bad",
        "States": {"Bad": {"Type": "Pass", "Output": "{% $nosuchfunction(1) %}", "End": True}},
    }
    # When it runs, Then the execution fails rather than hanging or succeeding
    result = run(definition)
    assert result["status"] == "FAILED"


def test_variables_assigned_in_jsonpath_are_readable(run: Run) -> None:
    # Given a JSONPath machine that assigns $x and reads it two states later
    definition = {
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"x.$": "$.a"}, "Next": "Other"},
            "Other": {"Type": "Pass", "Result": {"unrelated": 1}, "Next": "Get"},
            "Get": {"Type": "Pass", "Parameters": {"v.$": "$x"}, "End": True},
        },
    }
    # When it runs, Then the variable survives the states in between
    result = run(definition, {"a": "kept"})
    assert result["status"] == "SUCCEEDED", result.get("cause")
    assert json.loads(result["output"]) == {"v": "kept"}


def test_context_object_fields(run: Run) -> None:
    # Given a state that outputs the whole context object
    definition = {
        "StartAt": "Ctx",
        "States": {"Ctx": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}},
    }
    # When it runs
    result = run(definition)
    # Then DescribeExecution works and the fields are AWS's: string StartTime, RedriveCount, State.RetryCount
    assert result["status"] == "SUCCEEDED", result.get("cause")
    context = json.loads(result["output"])["c"]
    assert context["Execution"]["RedriveCount"] == 0
    assert context["Execution"]["StartTime"].endswith("Z")
    assert time.strptime(context["Execution"]["StartTime"][:19], "%Y-%m-%dT%H:%M:%S")
    assert context["State"]["RetryCount"] == 0
    assert context["State"]["Name"] == "Ctx"
    assert context["State"]["EnteredTime"].endswith("Z")


def test_string_output_is_json_text(run: Run) -> None:
    # Given a machine whose result is a bare string
    definition = {"StartAt": "S", "States": {"S": {"Type": "Pass", "Result": "hello", "End": True}}}
    # When it runs, Then DescribeExecution returns the JSON text of that string
    result = run(definition)
    assert result["output"] == '"hello"'
    assert json.loads(result["output"]) == "hello"


def test_fail_state_may_name_a_states_error(run: Run) -> None:
    # Given a Fail state with a States.* error name (allowed by AWS)
    definition = {
        "StartAt": "F",
        "States": {"F": {"Type": "Fail", "Error": "States.TaskFailed", "Cause": "why"}},
    }
    # When it runs, Then the execution fails with that name, not States.Runtime
    result = run(definition)
    assert (result["status"], result["error"], result["cause"]) == ("FAILED", "States.TaskFailed", "why")


def test_heartbeat_expiry_is_states_heartbeat_timeout(run: Run, interpreter: dict[str, Any]) -> None:
    # Given a callback task nobody answers, with a 1 s heartbeat, caught by name
    import boto3

    url = boto3.client("sqs").create_queue(QueueName="callbacks")["QueueUrl"]
    definition = {
        "StartAt": "Wait",
        "States": {
            "Wait": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": url, "MessageBody": {"token.$": "$$.Task.Token"}},
                "HeartbeatSeconds": 1,
                "TimeoutSeconds": 30,
                "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    # When the heartbeat expires
    result = run(definition, timeout=30)
    # Then the task timed out with States.HeartbeatTimeout, which the Catch matched
    timed_out = [e["taskTimedOutEventDetails"] for e in result["events"] if e["type"] == "TaskTimedOut"]
    assert [t["error"] for t in timed_out] == ["States.HeartbeatTimeout"]
    assert result["status"] == "SUCCEEDED"


def test_timeout_seconds_fires_on_the_virtual_clock_under_instant_waits(
    run: Run, interpreter: dict[str, Any]
) -> None:
    # Given a machine with a 60 s budget whose Wait asks for an hour, under instant waits
    definition = {
        "TimeoutSeconds": 60,
        "StartAt": "Long",
        "States": {"Long": {"Type": "Wait", "Seconds": 3600, "Next": "Done"}, "Done": {"Type": "Succeed"}},
    }
    # When it runs
    result = run(definition)
    # Then it times out (as it would after 60 s on AWS) instead of succeeding: the hour's Wait was recorded, not
    # slept, and the execution's last event is the timeout
    assert result["status"] == "TIMED_OUT"
    assert result["events"][-1]["type"] == "ExecutionTimedOut"
    assert 3600.0 in interpreter["waits"]


def test_waits_within_the_budget_still_succeed(run: Run) -> None:
    # Given waits that add up to less than TimeoutSeconds
    definition = {
        "TimeoutSeconds": 60,
        "StartAt": "A",
        "States": {
            "A": {"Type": "Wait", "Seconds": 20, "Next": "B"},
            "B": {"Type": "Wait", "Seconds": 20, "End": True},
        },
    }
    # When it runs, Then it succeeds
    assert run(definition)["status"] == "SUCCEEDED"


REDRIVE_MOCKS = {
    "StateMachines": {
        "Redrivable": {"TestCases": {"BadThenGood": {"Fetch": "BadThenGood"}}},
    },
    "MockedResponses": {
        "BadThenGood": {
            "0": {"Return": {"StatusCode": 200, "Payload": {"unexpected": True}}},
            "1": {"Return": {"StatusCode": 200, "Payload": {"value": 42}}},
        }
    },
}
REDRIVABLE = {
    "StartAt": "First",
    "States": {
        "First": {"Type": "Pass", "Result": {"from": "first"}, "ResultPath": "$.first", "Next": "Fetch"},
        "Fetch": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {
                "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "Payload.$": "$",
            },
            "ResultSelector": {"value.$": "$.Payload.value"},
            "ResultPath": "$.fetched",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recorded"}],
            "Next": "Done",
        },
        "Recorded": {"Type": "Fail", "Error": "Recorded"},
        "Done": {
            "Type": "Pass",
            "Parameters": {"value.$": "$.fetched.value", "redrives.$": "$$.Execution.RedriveCount"},
            "End": True,
        },
    },
}


def test_states_runtime_is_not_caught_and_redrive_resumes_from_the_failed_state(
    interpreter: dict[str, Any],
) -> None:
    from medscribe.local.mocks import REGISTRY, MockConfig

    # Given a Task whose first response lacks the field its ResultSelector reads (States.Runtime), second has it
    sfn = interpreter["sfn"]
    REGISTRY.use(MockConfig(REDRIVE_MOCKS))
    machine = sfn.create_state_machine(
        name="Redrivable", definition=json.dumps(REDRIVABLE), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=f"{machine}#BadThenGood", name="r1", input="{}")["executionArn"]
    # When it runs
    first = wait(sfn, arn)
    # Then States.Runtime fails the execution (States.ALL does not catch it)
    assert (first["status"], first["error"]) == ("FAILED", "States.Runtime")
    # When an operator redrives it
    redriven = sfn.redrive_execution(executionArn=arn)
    assert redriven["redriveDate"]
    second = wait(sfn, arn)
    # Then it resumes at Fetch with Fetch's original input (First is not re-run) and succeeds
    assert second["status"] == "SUCCEEDED", second.get("cause")
    assert json.loads(second["output"]) == {"value": 42, "redrives": 1}
    kinds = [e["type"] for e in second["events"]]
    assert kinds.count("ExecutionStarted") == 1
    assert kinds.count("ExecutionRedriven") == 1
    assert kinds.index("ExecutionFailed") < kinds.index("ExecutionRedriven")
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in second["events"] if "stateEnteredEventDetails" in e
    ]
    assert entered == ["First", "Fetch", "Fetch", "Done"]
    assert [e["id"] for e in second["events"]] == list(range(1, len(kinds) + 1))
    # And a succeeded execution cannot be redriven
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable):
        sfn.redrive_execution(executionArn=arn)
    REGISTRY.clear()


def test_stop_right_after_start_does_not_crash(interpreter: dict[str, Any]) -> None:
    # Given an execution that was just started (a Wait loop: it cannot end before the stop, however fast the
    # interpreter runs a skipped wait)
    sfn = interpreter["sfn"]
    loop = {"W": {"Type": "Wait", "Seconds": 100, "Next": "P"}, "P": {"Type": "Pass", "Next": "W"}}
    machine = sfn.create_state_machine(
        name="Slow",
        definition=json.dumps({"StartAt": "W", "States": loop}),
        roleArn="arn:aws:iam::123456789012:role/r",
    )["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, name="s1")["executionArn"]
    # When it is stopped at once, Then it is aborted (no AttributeError from a worker without an environment)
    sfn.stop_execution(executionArn=arn, error="OperatorStopped", cause="test")
    assert wait(sfn, arn)["status"] == "ABORTED"


def test_start_sync_execution_on_an_express_machine(interpreter: dict[str, Any]) -> None:
    # Given an EXPRESS machine, and a client that calls StartSyncExecution on the endpoint itself
    import boto3
    from botocore.config import Config

    sfn = boto3.client("stepfunctions", config=Config(inject_host_prefix=False))
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": True}
        },
    }
    express = sfn.create_state_machine(
        name="Express",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::123456789012:role/r",
        type="EXPRESS",
    )["stateMachineArn"]
    # When it is started synchronously, Then the response carries the result
    result = sfn.start_sync_execution(stateMachineArn=express, input=json.dumps({"n": 21}))
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"doubled": 42}
    # And a STANDARD machine is refused, as on AWS
    standard = sfn.create_state_machine(
        name="Standard", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.start_sync_execution(stateMachineArn=standard, input="{}")


def test_validate_state_machine_definition(interpreter: dict[str, Any]) -> None:
    sfn = interpreter["sfn"]
    good = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    bad = {"StartAt": "P", "States": {"P": {"Type": "NoSuchType", "End": True}}}
    assert sfn.validate_state_machine_definition(definition=json.dumps(good))["result"] == "OK"
    failed = sfn.validate_state_machine_definition(definition=json.dumps(bad))
    assert failed["result"] == "FAIL"
    assert failed["diagnostics"][0]["severity"] == "ERROR"


def test_item_batcher_hands_each_child_a_batch(run: Run) -> None:
    # Given a distributed Map over 5 items with batches of 2 and a BatchInput
    definition = map_machine(
        ItemsPath="$.items",
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"run": "r1"}},
        ItemProcessor=BATCH_COUNTER,
    )
    # When it runs
    result = run(definition, {"items": [1, 2, 3, 4, 5]})
    # Then three children ran, on 2 + 2 + 1 items, each with the BatchInput
    assert result["status"] == "SUCCEEDED", result.get("cause")
    assert json.loads(result["output"]) == [
        {"n": 2, "run": "r1"},
        {"n": 2, "run": "r1"},
        {"n": 1, "run": "r1"},
    ]
