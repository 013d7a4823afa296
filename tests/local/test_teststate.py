"""TestState as AWS documents it (moto 5.2.5 serves none): medscribe.local.moto_patches.teststate."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config

ROLE = "arn:aws:iam::123456789012:role/r"
MISSING_OBJECT = {  # an aws-sdk task that fails: the bucket does not exist
    "Type": "Task",
    "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    "Parameters": {"Bucket": "no-such-bucket", "Key": "k"},
}


@pytest.fixture
def sfn(interpreter: dict[str, Any]) -> Any:
    # TestState is served on a "sync-" host on AWS: a client on a local endpoint does not inject it
    return boto3.client("stepfunctions", config=Config(inject_host_prefix=False))


def run_state(sfn: Any, state: dict[str, Any], payload: Any = None, **kwargs: Any) -> dict[str, Any]:
    answer: dict[str, Any] = sfn.test_state(
        definition=json.dumps(state), roleArn=ROLE, input=json.dumps(payload or {}), **kwargs
    )
    answer.pop("ResponseMetadata", None)
    return answer


def test_debug_level_shows_the_data_flow_and_the_next_state(sfn: Any) -> None:
    # Given a Pass state with every JSONPath filter and a Next
    state = {
        "Type": "Pass",
        "InputPath": "$.order",
        "Parameters": {"total.$": "$.amount"},
        "ResultPath": "$.priced",
        "Next": "Ship",
    }
    # When it is tested at DEBUG
    answer = run_state(sfn, state, {"order": {"amount": 3}}, inspectionLevel="DEBUG")
    # Then the status, output and next state are AWS's, and each processing step is shown as compact JSON
    assert (answer["status"], answer["nextState"]) == ("SUCCEEDED", "Ship")
    # (ResultPath combines the result with the raw state input, not the InputPath selection)
    assert json.loads(answer["output"]) == {"order": {"amount": 3}, "priced": {"total": 3}}
    data = answer["inspectionData"]
    assert data["input"] == '{"order":{"amount":3}}'
    assert data["afterInputPath"] == '{"amount":3}'
    assert data["afterParameters"] == '{"total":3}'
    assert data["afterResultPath"] == answer["output"]
    # And INFO (the default) returns no inspection data
    assert "inspectionData" not in run_state(sfn, state, {"order": {"amount": 3}})


def test_end_choice_and_fail_states(sfn: Any) -> None:
    # Given an End state, a Choice and a Fail state
    end = run_state(sfn, {"Type": "Pass", "Result": "hello", "End": True})
    choice = run_state(
        sfn,
        {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}],
            "Default": "Other",
        },
        {"n": 2},
    )
    failed = run_state(sfn, {"Type": "Fail", "Error": "Rejected", "Cause": "why"})
    # Then: output as JSON text and no next state; the Choice's branch; the Fail state's error
    assert (end["status"], end["output"], "nextState" in end) == ("SUCCEEDED", '"hello"', False)
    assert (choice["status"], choice["nextState"]) == ("SUCCEEDED", "Other")
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Rejected", "why")


def test_a_matching_retrier_is_retriable_and_does_not_retry(sfn: Any, interpreter: dict[str, Any]) -> None:
    # Given a failing task whose second Retrier matches, with a 3 s interval
    state = dict(
        MISSING_OBJECT,
        Retry=[{"ErrorEquals": ["Other"]}, {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3}],
        End=True,
    )
    # When it is tested
    answer = run_state(sfn, state, inspectionLevel="DEBUG")
    # Then it is RETRIABLE with the task's error, names the retrier and its backoff, and nothing was retried
    assert answer["status"] == "RETRIABLE"
    assert "NoSuchBucket" in answer["error"]
    assert answer["inspectionData"]["errorDetails"] == {"retryIndex": 1, "retryBackoffIntervalSeconds": 3}
    assert interpreter["waits"] == []
    # And with the retrier's attempts exhausted (MaxAttempts 0) and no Catch, the state FAILED
    exhausted = dict(MISSING_OBJECT, Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}], End=True)
    assert run_state(sfn, exhausted)["status"] == "FAILED"


def test_a_matching_catcher_is_caught_error_with_its_next_state(sfn: Any) -> None:
    # Given a failing task whose second Catcher matches and puts the error under $.error
    state = dict(
        MISSING_OBJECT,
        Catch=[
            {"ErrorEquals": ["Other"], "Next": "Elsewhere"},
            {"ErrorEquals": ["States.ALL"], "Next": "Recover", "ResultPath": "$.error"},
        ],
        End=True,
    )
    # When it is tested
    answer = run_state(sfn, state, {"keep": 1}, inspectionLevel="DEBUG")
    # Then it is CAUGHT_ERROR, goes to the catcher's Next with the catcher's output
    assert (answer["status"], answer["nextState"]) == ("CAUGHT_ERROR", "Recover")
    output = json.loads(answer["output"])
    assert output["keep"] == 1
    assert "NoSuchBucket" in output["error"]["Error"]
    assert answer["error"] == output["error"]["Error"]
    assert answer["inspectionData"]["errorDetails"] == {"catchIndex": 1}


def test_variables_state_name_and_refusals(sfn: Any) -> None:
    # Given variables passed in and a state that reads one and assigns another
    state = {"Type": "Pass", "Parameters": {"seen.$": "$given"}, "Assign": {"made": 2}, "End": True}
    answer = run_state(sfn, state, variables=json.dumps({"given": 1}), inspectionLevel="DEBUG")
    # Then the state read it, and the inspection data shows the variables afterwards
    assert json.loads(answer["output"]) == {"seen": 1}
    assert json.loads(answer["inspectionData"]["variables"]) == {"given": 1, "made": 2}
    # And a whole state machine with stateName tests that one state
    machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
    assert run_state(sfn, machine, stateName="A")["nextState"] == "B"
    # And a Map state, a malformed definition and malformed input are refused as AWS refuses them
    inline_map = {
        "Type": "Map",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    }
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        run_state(sfn, dict(inline_map, End=True))
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        run_state(sfn, {"Type": "NoSuchType", "End": True})
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.test_state(definition=json.dumps({"Type": "Pass", "End": True}), roleArn=ROLE, input="{not json")
    # And nothing was recorded: TestState creates no state machine or execution
    assert sfn.list_state_machines()["stateMachines"] == []
