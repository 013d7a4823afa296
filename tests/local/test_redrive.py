"""Redrive as AWS documents it, beyond resuming at the failed state (test_asl_coverage): only a Parallel's / an
inline Map's unsuccessful branches and iterations run again (redrive_branches.py), and DescribeExecution /
ListExecutions report redriveCount, redriveDate, redriveStatus (redrive.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from asl_support import map_machine, wait

LAMBDA = "arn:aws:states:::lambda:invoke"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:f"
ROLE = "arn:aws:iam::123456789012:role/r"


def task(name: str, then: dict[str, Any]) -> dict[str, Any]:
    """A one-Task workflow whose result is the mocked Payload, put under $.r."""
    state = {
        "Type": "Task",
        "Resource": LAMBDA,
        "Parameters": {"FunctionName": FUNCTION, "Payload.$": "$"},
        "ResultSelector": {"from.$": "$.Payload.from"},
        "ResultPath": "$.r",
        "End": True,
    }
    return {"StartAt": name, "States": {name: state}} | then


def ok(label: str) -> dict[str, Any]:
    return {"Return": {"StatusCode": 200, "Payload": {"from": label}}}


FAIL = {"Throw": {"Error": "Broken", "Cause": "first attempt"}}
MOCKS = {
    "StateMachines": {
        "Fan": {"TestCases": {"Once": {"A": "A", "C": "C"}}},
        "Single": {"TestCases": {"Once": {"B": "B"}}},
        "Items": {"TestCases": {"Once": {"Work": "Work"}}},
    },
    "MockedResponses": {
        # A and C answer once only: a second invocation (a re-run) has no response and fails the execution
        "A": {"0": ok("a0")},
        "B": {"0": FAIL, "1": ok("b1")},
        "C": {"0": ok("c0")},
        # items run one at a time: item 0 succeeds, item 1 fails (item 2 never starts); then 1 and 2 only
        "Work": {"0": ok("w0"), "1": FAIL, "2": ok("w2"), "3": ok("w3")},
    },
}


@pytest.fixture
def sfn(interpreter: dict[str, Any]) -> Iterator[Any]:
    from medscribe.local.mocks import REGISTRY, MockConfig

    REGISTRY.use(MockConfig(MOCKS))
    yield interpreter["sfn"]
    REGISTRY.clear()


def start(sfn: Any, name: str, definition: dict[str, Any], payload: Any) -> str:
    machine = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)
    arn: str = sfn.start_execution(
        stateMachineArn=f"{machine['stateMachineArn']}#Once", name=f"{name}-1", input=json.dumps(payload)
    )["executionArn"]
    return arn


def test_redrive_of_a_parallel_reruns_only_its_failed_branch(sfn: Any) -> None:
    import boto3

    # Given a Parallel of three branches: A and C are mocked tasks with one response each, and B waits for a
    # task token (so B fails only once A and C have finished: no race between the branches)
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="tokens")["QueueUrl"]
    waiting = {
        "StartAt": "B",
        "States": {
            "B": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": url, "MessageBody": {"token.$": "$$.Task.Token"}},
                "ResultPath": "$.r",
                "End": True,
            }
        },
    }
    definition = {
        "StartAt": "Fan",
        "States": {
            "Fan": {"Type": "Parallel", "Branches": [task("A", {}), waiting, task("C", {})], "End": True}
        },
    }
    arn = start(sfn, "Fan", definition, {"n": 1})
    exited = wait_for(sfn, arn, lambda names: {"A", "C"} <= names)
    assert exited >= {"A", "C"}
    sfn.send_task_failure(taskToken=token(sqs, url), error="Broken", cause="first attempt")
    first = wait(sfn, arn)
    assert (first["status"], first["error"]) == ("FAILED", "Broken")
    # When the execution is redriven, and B's new task succeeds
    sfn.redrive_execution(executionArn=arn)
    sfn.send_task_success(taskToken=token(sqs, url), output=json.dumps({"from": "b1"}))
    second = wait(sfn, arn)
    # Then only B ran again (A and C would have failed without a second response) and the results are in order
    assert second["status"] == "SUCCEEDED", second.get("cause")
    assert [branch["r"]["from"] for branch in json.loads(second["output"])] == ["a0", "b1", "c0"]


def wait_for(sfn: Any, arn: str, done: Any, timeout: float = 20) -> set[str]:
    """The names of the states exited so far, once ``done(names)`` holds (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        names = {e["stateExitedEventDetails"]["name"] for e in events if "stateExitedEventDetails" in e}
        if done(names) or time.monotonic() > deadline:
            return names
        time.sleep(0.02)


def token(sqs: Any, url: str, timeout: float = 20) -> str:
    """The task token of the next message on the queue (bounded wait)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", []):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            return str(json.loads(message["Body"])["token"])
        time.sleep(0.02)
    raise AssertionError("no task token on the queue")


def test_redrive_of_an_inline_map_reruns_only_unsuccessful_iterations(sfn: Any) -> None:
    # Given an inline Map over three items, one at a time, whose second item fails (the third never starts)
    definition = map_machine(
        ItemsPath="$.items",
        MaxConcurrency=1,
        ItemProcessor={"ProcessorConfig": {"Mode": "INLINE"}} | task("Work", {}),
    )
    arn = start(sfn, "Items", definition, {"items": [{"i": 0}, {"i": 1}, {"i": 2}]})
    assert wait(sfn, arn)["status"] == "FAILED"
    # When the execution is redriven
    sfn.redrive_execution(executionArn=arn)
    second = wait(sfn, arn)
    # Then item 0 kept its first result and items 1 and 2 ran once each, in order
    assert second["status"] == "SUCCEEDED", second.get("cause")
    assert [(item["i"], item["r"]["from"]) for item in json.loads(second["output"])] == [
        (0, "w0"),
        (1, "w2"),
        (2, "w3"),
    ]


def test_describe_and_list_executions_report_redrives(sfn: Any) -> None:
    # Given a failed execution (the Parallel above) and a succeeded one
    fan = {
        "StartAt": "Fan",
        "States": {"Fan": {"Type": "Parallel", "Branches": [task("B", {})], "End": True}},
    }
    arn = start(sfn, "Single", fan, {})
    machine = sfn.describe_execution(executionArn=arn)["stateMachineArn"]
    failed = wait(sfn, arn)
    # Then a failed execution that was never redriven is REDRIVABLE with redriveCount 0 and no redriveDate
    assert (failed["status"], failed["redriveStatus"], failed["redriveCount"]) == ("FAILED", "REDRIVABLE", 0)
    assert "redriveDate" not in failed
    # When it is redriven and succeeds
    redriven_at = sfn.redrive_execution(executionArn=arn)["redriveDate"]
    done = wait(sfn, arn)
    # Then DescribeExecution counts the redrive, dates it, and says it cannot be redriven again (and why)
    assert (done["status"], done["redriveCount"], done["redriveDate"]) == ("SUCCEEDED", 1, redriven_at)
    assert done["redriveStatus"] == "NOT_REDRIVABLE"
    assert done["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven."
    # And ListExecutions carries redriveCount / redriveDate and honours redriveFilter
    (item,) = sfn.list_executions(stateMachineArn=machine)["executions"]
    assert (item["redriveCount"], item["redriveDate"]) == (1, redriven_at)
    assert sfn.list_executions(stateMachineArn=machine, redriveFilter="REDRIVEN")["executions"] == [item]
    assert sfn.list_executions(stateMachineArn=machine, redriveFilter="NOT_REDRIVEN")["executions"] == []


def test_an_execution_aborted_between_two_states_continues_at_the_next_state() -> None:
    # Given a history that ends with an abort after A exited and before B was entered (a killed local stack)
    from medscribe.local.moto_patches.redrive import ExecutionNotRedrivable, unsuccessful_state

    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "Route"},
            "Route": {"Type": "Choice", "Choices": [], "Default": "B"},
            "B": {"Type": "Pass", "End": True},
        },
    }

    def entered(name: str, value: str) -> dict[str, Any]:
        return {"type": "PassStateEntered", "stateEnteredEventDetails": {"name": name, "input": value}}

    def exited(name: str, value: str) -> dict[str, Any]:
        return {"type": "PassStateExited", "stateExitedEventDetails": {"name": name, "output": value}}

    aborted = {"type": "ExecutionAborted"}
    # Then it continues at A's Next with A's output; after a Choice, at the Choice with its input
    assert unsuccessful_state(definition, [entered("A", '{"x": 1}'), exited("A", '{"x": 2}'), aborted]) == (
        "Route",
        {"x": 2},
    )
    history = [
        entered("A", "{}"),
        exited("A", '{"y": 1}'),
        entered("Route", '{"y": 1}'),
        exited("Route", "{}"),
    ]
    assert unsuccessful_state(definition, [*history, aborted]) == ("Route", {"y": 1})
    # And one aborted before its first state was recorded (the snapshot held the started execution only)
    # starts at StartAt with the execution's input
    assert unsuccessful_state(definition, [aborted], {"z": 3}) == ("A", {"z": 3})
    assert unsuccessful_state(definition, [{"type": "ExecutionStarted"}, aborted], {"z": 3}) == (
        "A",
        {"z": 3},
    )
    # And an execution that ended without an abort still has nothing to redrive
    with pytest.raises(ExecutionNotRedrivable):
        unsuccessful_state(definition, [entered("A", "{}"), exited("A", "{}")])
    with pytest.raises(ExecutionNotRedrivable):
        unsuccessful_state(definition, [{"type": "ExecutionStarted"}], {"z": 3})


def test_an_execution_restored_without_its_history_is_redriven_from_its_start(sfn: Any) -> None:
    # Given an execution the local stack's last snapshot held as RUNNING before any of its history (the stack
    # killed inside the snapshot's debounce window), aborted at the next start as a restart aborts it
    from moto.stepfunctions.parser.api import ExecutionStatus
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    from medscribe.local.state.restart import RESTART_ERROR, abort_running_executions

    definition = {
        "StartAt": "Copy",
        "States": {"Copy": {"Type": "Pass", "ResultPath": "$.copied", "End": True}},
    }
    machine = sfn.create_state_machine(name="Restored", definition=json.dumps(definition), roleArn=ROLE)
    arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], name="r-1", input='{"n": 7}')[
        "executionArn"
    ]
    assert wait(sfn, arn)["status"] == "SUCCEEDED"
    (execution,) = [
        e
        for _account, _region, backend in stepfunctions_parser_backends.iter_backends()
        for m in backend.state_machines
        for e in m.executions
        if e.exec_arn == arn
    ]
    execution.exec_status, execution.exec_worker, execution.stop_date = ExecutionStatus.RUNNING, None, None
    assert abort_running_executions() == 1
    assert (sfn.describe_execution(executionArn=arn)["status"], execution.error) == ("ABORTED", RESTART_ERROR)
    # When it is redriven
    sfn.redrive_execution(executionArn=arn)
    # Then it runs from StartAt with the execution's own input, to its end
    done = wait(sfn, arn)
    assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", {"n": 7, "copied": {"n": 7}})
