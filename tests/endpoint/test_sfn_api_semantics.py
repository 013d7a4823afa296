"""Step Functions API semantics through the endpoint, as AWS's API reference states them (boto3 over HTTP)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from endpoint_support import ROLE, aws_client, finished

PASSES = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": {"x": 1}, "Next": "B"},
        "B": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Pass", "End": True},
    },
}
WAITS = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def machine(sfn: Any, name: str = "m", definition: dict[str, Any] = PASSES) -> str:
    return str(
        sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
            "stateMachineArn"
        ]
    )


def error_code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def test_unnamed_executions_get_uuid_names(bare_endpoint: str) -> None:
    # Given a state machine
    sfn = aws_client("stepfunctions", bare_endpoint)
    arn = machine(sfn)
    # When it is started twice without a name
    first = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    second = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    # Then each execution is named with a generated UUID (no ':None', no ExecutionAlreadyExists)
    names = [a.rsplit(":", 1)[-1] for a in (first, second)]
    assert names[0] != names[1]
    assert all(len(n) == 36 and n.count("-") == 4 for n in names)
    assert finished(sfn, second)["name"] == names[1]


def test_history_pages_orders_and_hides_data(bare_endpoint: str) -> None:
    # Given a finished execution
    sfn = aws_client("stepfunctions", bare_endpoint)
    arn = sfn.start_execution(stateMachineArn=machine(sfn), name="e1", input='{"secret": 1}')["executionArn"]
    finished(sfn, arn)
    everything = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    assert len(everything) > 4
    # When it is read two events at a time
    pages, kwargs = [], {"executionArn": arn, "maxResults": 2}
    while True:
        page = sfn.get_execution_history(**kwargs)
        assert len(page["events"]) <= 2
        pages.append(page["events"])
        if "nextToken" not in page:
            break
        kwargs["nextToken"] = page["nextToken"]
    # Then the pages join up to the whole history, in order
    assert [e["id"] for p in pages for e in p] == [e["id"] for e in everything]
    # And reverseOrder gives the latest event first
    latest = sfn.get_execution_history(executionArn=arn, reverseOrder=True, maxResults=1)["events"]
    assert latest[0]["type"] == "ExecutionSucceeded"
    # And includeExecutionData=false drops input/output from event details
    bare = sfn.get_execution_history(executionArn=arn, includeExecutionData=False)["events"]
    assert "input" in everything[0]["executionStartedEventDetails"]
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert all("output" not in d for e in bare for k, d in e.items() if k.endswith("EventDetails"))
    # And a forged token is InvalidToken
    with pytest.raises(ClientError) as exc:
        sfn.get_execution_history(executionArn=arn, nextToken="bm90LWEtdG9rZW4=")
    assert error_code(exc) == "InvalidToken"


def test_paginator_reads_a_long_history(bare_endpoint: str) -> None:
    # Given an execution with more than 100 events (AWS's default page)
    sfn = aws_client("stepfunctions", bare_endpoint)
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(60)}
    states["S60"] = {"Type": "Pass", "End": True}
    arn = machine(sfn, "long", {"StartAt": "S0", "States": states})
    execution = sfn.start_execution(stateMachineArn=arn, name="e")["executionArn"]
    finished(sfn, execution)
    # When the AWS paginator reads it
    pages = list(sfn.get_paginator("get_execution_history").paginate(executionArn=execution))
    # Then it takes more than one page and sees every event once
    ids = [e["id"] for p in pages for e in p["events"]]
    assert len(pages) > 1
    assert ids == list(range(1, len(ids) + 1))


def test_stop_keeps_error_and_cause(bare_endpoint: str) -> None:
    # Given a running execution (an hour's Wait)
    sfn = aws_client("stepfunctions", bare_endpoint)
    arn = sfn.start_execution(stateMachineArn=machine(sfn, "w", WAITS), name="e")["executionArn"]
    # When it is stopped with an error and a cause
    sfn.stop_execution(executionArn=arn, error="Operator.Stopped", cause="maintenance")
    # Then DescribeExecution and the ExecutionAborted event carry both
    description = finished(sfn, arn)
    assert (description["status"], description["error"], description["cause"]) == (
        "ABORTED",
        "Operator.Stopped",
        "maintenance",
    )
    # (the history is complete once the status is: no polling; tests/endpoint/test_sfn_stop_races.py forces
    # every moment a stop can come at)
    events = sfn.get_execution_history(executionArn=arn)["events"]
    assert events[-1]["type"] == "ExecutionAborted"
    assert events[-1]["executionAbortedEventDetails"] == {"error": "Operator.Stopped", "cause": "maintenance"}


@pytest.mark.parametrize("heartbeat", [None, 600], ids=["timeout-only", "heartbeat"])
def test_stop_ends_a_task_waiting_for_its_token_at_once(bare_endpoint: str, heartbeat: int | None) -> None:
    # Given an execution whose Task waits for its task token (an hour), the token already handed out
    sfn = aws_client("stepfunctions", bare_endpoint)
    sqs = aws_client("sqs", bare_endpoint)
    queue = sqs.create_queue(QueueName=f"tokens-{heartbeat}")["QueueUrl"]
    task: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": queue, "MessageBody.$": "$$.Task.Token"},
        "TimeoutSeconds": 3600,
        "End": True,
    }
    if heartbeat:
        task["HeartbeatSeconds"] = heartbeat
    waits = {"StartAt": "T", "States": {"T": task}}
    arn = sfn.start_execution(stateMachineArn=machine(sfn, f"t{heartbeat}", waits))["executionArn"]
    assert sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=10).get("Messages")
    # When it is stopped
    sfn.stop_execution(executionArn=arn, error="Operator.Stopped", cause="maintenance")
    # Then it is ABORTED at once, as on AWS (it stayed RUNNING until its heartbeat, which then failed it), and
    # its history ends with ExecutionAborted, no failure of the interrupted task before it
    description = finished(sfn, arn)
    assert (description["status"], description["error"]) == ("ABORTED", "Operator.Stopped")
    types = [e["type"] for e in sfn.get_execution_history(executionArn=arn)["events"]]  # complete by now
    assert types[-1] == "ExecutionAborted", types
    assert not {"TaskTimedOut", "TaskFailed", "ExecutionFailed"} & set(types), types


def test_list_executions_refuses_an_unknown_status(bare_endpoint: str) -> None:
    sfn = aws_client("stepfunctions", bare_endpoint)
    arn = machine(sfn)
    with pytest.raises(ClientError) as exc:
        sfn.list_executions(stateMachineArn=arn, statusFilter="BOGUS")
    assert error_code(exc) == "ValidationException"
    assert "statusFilter" in str(exc.value)
    assert sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"] == []


def test_describe_execution_has_input_and_output_details(bare_endpoint: str) -> None:
    sfn = aws_client("stepfunctions", bare_endpoint)
    arn = sfn.start_execution(stateMachineArn=machine(sfn), name="e")["executionArn"]
    description = finished(sfn, arn)
    assert description["inputDetails"] == {"included": True}
    assert description["outputDetails"] == {"included": True}


def test_invalid_definitions_are_invalid_definition(bare_endpoint: str) -> None:
    sfn = aws_client("stepfunctions", bare_endpoint)
    dangling = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
    for definition in (
        "{not json",
        json.dumps(dangling),
        json.dumps({"StartAt": "A", "States": {"A": {"Type": "Bogus"}}}),
    ):
        with pytest.raises(ClientError) as exc:
            sfn.create_state_machine(name="bad", definition=definition, roleArn=ROLE)
        assert error_code(exc) == "InvalidDefinition"
        assert exc.value.response["Error"]["Message"].startswith("Invalid State Machine Definition: '")
    with pytest.raises(ClientError) as exc:
        sfn.create_state_machine(name="bad", definition=json.dumps(dangling), roleArn=ROLE)
    assert "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next" in str(exc.value)
    assert sfn.list_state_machines()["stateMachines"] == []


def test_create_is_idempotent_only_for_the_same_definition(bare_endpoint: str) -> None:
    sfn = aws_client("stepfunctions", bare_endpoint)
    arn = machine(sfn, "same")
    # The same name and definition: the existing ARN
    assert machine(sfn, "same") == arn
    # The same name, another definition: StateMachineAlreadyExists, and the machine is unchanged
    other = {"StartAt": "Z", "States": {"Z": {"Type": "Succeed"}}}
    with pytest.raises(ClientError) as exc:
        machine(sfn, "same", other)
    assert error_code(exc) == "StateMachineAlreadyExists"
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == PASSES


def test_versions_publish_and_describe(bare_endpoint: str) -> None:
    sfn = aws_client("stepfunctions", bare_endpoint)
    arn = machine(sfn, "v")
    version = sfn.publish_state_machine_version(stateMachineArn=arn, description="first")
    assert version["stateMachineVersionArn"] == f"{arn}:1"
    # Publishing an unchanged machine again returns the same version (AWS is idempotent here)
    assert sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"] == f"{arn}:1"
    sfn.update_state_machine(
        stateMachineArn=arn, definition=json.dumps({"StartAt": "Z", "States": {"Z": {"Type": "Succeed"}}})
    )
    assert sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"] == f"{arn}:2"
    described = sfn.describe_state_machine(stateMachineArn=f"{arn}:1")
    assert json.loads(described["definition"]) == PASSES
    listed = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in listed] == [f"{arn}:2", f"{arn}:1"]


def test_an_execution_started_on_a_version_runs_that_version(bare_endpoint: str) -> None:
    # Given a state machine whose version 1 passes {"x": 1} and whose latest revision succeeds at once
    sfn = aws_client("stepfunctions", bare_endpoint)
    arn = machine(sfn, "vx")
    v1 = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    sfn.update_state_machine(
        stateMachineArn=arn, definition=json.dumps({"StartAt": "Z", "States": {"Z": {"Type": "Succeed"}}})
    )
    # When an execution is started on the version ARN (moto: HTTP 500) and another on the state machine
    on_version = sfn.start_execution(stateMachineArn=v1, name="on-v1")["executionArn"]
    latest = sfn.start_execution(stateMachineArn=arn, name="latest")["executionArn"]
    # Then, as on AWS, each runs its own definition under the state machine's name; the first names its version
    assert on_version == f"{arn.replace(':stateMachine:', ':execution:')}:on-v1"
    first, second = finished(sfn, on_version), finished(sfn, latest)
    assert (first["status"], json.loads(first["output"])) == ("SUCCEEDED", {"x": 1})
    assert (first["stateMachineArn"], first["stateMachineVersionArn"]) == (arn, v1)
    assert "stateMachineVersionArn" not in second
    listed = sfn.list_executions(stateMachineArn=v1)["executions"]
    assert [(e["name"], e["stateMachineVersionArn"]) for e in listed] == [("on-v1", v1)]
    assert {e["name"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]} == {"on-v1", "latest"}


def test_validate_definition_finds_what_create_refuses(bare_endpoint: str) -> None:
    # Given a definition whose Next names no state (CreateStateMachine refuses it: InvalidDefinition)
    sfn = aws_client("stepfunctions", bare_endpoint)
    missing = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})
    with pytest.raises(ClientError) as exc:
        sfn.create_state_machine(name="missing-next", definition=missing, roleArn=ROLE)
    assert error_code(exc) == "InvalidDefinition"
    # When it is validated, Then it fails with AWS's diagnostic (it was "OK"), and bad JSON too
    checked = sfn.validate_state_machine_definition(definition=missing)
    assert checked["result"] == "FAIL"
    assert [(d["code"], d["location"]) for d in checked["diagnostics"]] == [
        ("MISSING_TRANSITION_TARGET", "/States/A/Next")
    ]
    garbled = sfn.validate_state_machine_definition(definition='{"StartAt": ')
    assert [d["code"] for d in garbled["diagnostics"]] == ["INVALID_JSON_DESCRIPTION"]
    assert sfn.validate_state_machine_definition(definition=json.dumps(PASSES))["result"] == "OK"
