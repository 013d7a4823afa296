"""Step Functions Local's test workflow, through the endpoint, as its users run it.

Three small state machines of our own (tests/endpoint/samples) with a MockConfigFile: created through the
endpoint with boto3, started on ``stateMachineArn#TestCase``, their history read back. Mocked responses apply
to Task states by name (Lambda, SQS, DynamoDB, EventBridge, aws-sdk; in Parallel branches and Map iterations),
indexed by invocation count per state, ``Throw`` with its plain Error/Cause, a missing response fails.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto_support import aws_client

from medscribe.local.endpoint import AwsEndpoint
from medscribe.local.engine import LocalPipeline
from medscribe.local.mocks import REGISTRY

SAMPLES = Path(__file__).parent / "samples"
ROLE = "arn:aws:iam::123456789012:role/StepFunctionsLocal"


@pytest.fixture
def sfn(pipeline: LocalPipeline) -> Iterator[Any]:
    with AwsEndpoint(port=0, mock_config=SAMPLES / "MockConfigFile.json") as endpoint:
        yield aws_client("stepfunctions", endpoint.url)


def create(sfn: Any, name: str, asl: str) -> str:
    arn: str = sfn.create_state_machine(name=name, definition=(SAMPLES / asl).read_text(), roleArn=ROLE)[
        "stateMachineArn"
    ]
    return arn


def run(
    sfn: Any, machine_arn: str, case: str, payload: dict[str, Any], timeout: float = 30
) -> dict[str, Any]:
    """Start ``arn#case`` and wait: returns describe_execution plus the full history under "events"."""
    arn = sfn.start_execution(
        stateMachineArn=f"{machine_arn}#{case}",
        name=f"{case}-{time.monotonic_ns()}",
        input=json.dumps(payload),
    )["executionArn"]
    deadline = time.monotonic() + timeout
    while (description := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, f"{case} still running"
        time.sleep(0.05)
    description["events"] = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return dict(description)


def types(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


def entered(events: list[dict[str, Any]]) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]


TASK_OK = ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited"]


def test_lambda_sqs_happy_path_history(sfn: Any) -> None:
    # Given the developer guide's Lambda + SQS machine, created through the endpoint
    arn = create(sfn, "LambdaSQSIntegration", "sqs_lambda.asl.json")
    # When the HappyPath test case runs
    result = run(sfn, arn, "HappyPath", {"name": "x"})
    # Then both tasks return their mocked responses, with AWS's event sequence
    assert result["status"] == "SUCCEEDED"
    assert types(result["events"]) == ["ExecutionStarted", *TASK_OK, *TASK_OK, "ExecutionSucceeded"]
    assert json.loads(result["output"])["MessageId"] == "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"
    sqs_input = [e for e in result["events"] if e["type"] == "TaskScheduled"][1]
    assert json.loads(sqs_input["taskScheduledEventDetails"]["parameters"])["MessageBody"]["body"] == (
        "Hello from Lambda!"
    )


def test_lambda_sqs_retry_path_uses_the_invocation_index(sfn: Any) -> None:
    # Given the same machine
    arn = create(sfn, "LambdaSQSIntegration", "sqs_lambda.asl.json")
    # When RetryPath runs: invocation 0 throws one error, 1-2 another, 3 returns
    result = run(sfn, arn, "RetryPath", {})
    # Then the Retry ran three times on exactly the mocked error names, then succeeded
    assert result["status"] == "SUCCEEDED"
    failures = [e["taskFailedEventDetails"] for e in result["events"] if e["type"] == "TaskFailed"]
    assert [f["error"] for f in failures] == [
        "Lambda.ResourceNotReadyException",
        "Lambda.TimeoutException",
        "Lambda.TimeoutException",
    ]
    assert failures[0]["cause"] == "Lambda resource is not ready."
    assert types(result["events"]).count("TaskScheduled") == 5  # 4 Lambda attempts + SQS


def test_lambda_sqs_hybrid_path_calls_the_real_queue(sfn: Any, pipeline: LocalPipeline) -> None:
    # Given a real (local) queue and a test case that mocks only the Lambda state
    sqs = pipeline.client("sqs")
    url = sqs.create_queue(QueueName="samples-queue")["QueueUrl"]
    arn = create(sfn, "LambdaSQSIntegration", "sqs_lambda.asl.json")
    # When it runs
    result = run(sfn, arn, "HybridPath", {})
    # Then the unmocked SQS state really sent the mocked Lambda's payload
    assert result["status"] == "SUCCEEDED", result.get("cause")
    body = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert body == {"StatusCode": 200, "body": "Hello from Lambda!"}


def test_parallel_branches_and_map_iterations_are_mocked_by_state_name(sfn: Any) -> None:
    # Given a Parallel whose branches hold DynamoDB + EventBridge tasks and a Map of aws-sdk S3 calls,
    # none of whose tables, buses or buckets exist
    arn = create(sfn, "ParallelNested", "parallel.asl.json")
    # When AllSucceed runs
    result = run(sfn, arn, "AllSucceed", {"id": "r1", "items": ["a", "b", "c"]})
    # Then every nested task got its mocked response
    assert result["status"] == "SUCCEEDED", result.get("cause")
    output = json.loads(result["output"])
    assert output[0]["Entries"][0]["EventId"] == "11710aed-b79e-4468-a20b-bb3c0c3b4860"
    assert output[1] == [{"ETag": '"0123"'}] * 3
    counts = Counter(entered(result["events"]))
    assert (counts["StoreItem"], counts["PutRecord"], counts["Notify"]) == (3, 1, 1)
    assert "ParallelStateSucceeded" in types(result["events"])
    assert "MapStateSucceeded" in types(result["events"])


def test_a_throw_inside_a_branch_is_caught_by_the_parallel_state(sfn: Any) -> None:
    # Given the same machine
    arn = create(sfn, "ParallelNested", "parallel.asl.json")
    # When NotifyFails runs
    result = run(sfn, arn, "NotifyFails", {"id": "r2", "items": ["a"]})
    # Then the branch fails with exactly the mocked error and the Catch routes to Recover
    assert result["status"] == "SUCCEEDED"
    output = json.loads(result["output"])
    assert output["error"]["Error"] == "EventBridge.InternalException"
    assert output["error"]["Cause"] == "bus unavailable"
    assert output["outcome"] == "recovered"
    assert "ParallelStateFailed" in types(result["events"])


def test_a_loop_gets_one_response_per_invocation_not_per_retry(sfn: Any) -> None:
    # Given a poll loop entering CheckStatus until it reports DONE
    arn = create(sfn, "PollLoop", "loop.asl.json")
    # When responses 0-3 say IN_PROGRESS and 4 says DONE
    result = run(sfn, arn, "DoneOnFifth", {})
    # Then CheckStatus ran exactly five times (moto's RetryCount index would repeat response 0 forever)
    assert result["status"] == "SUCCEEDED"
    assert entered(result["events"]).count("CheckStatus") == 5
    assert types(result["events"])[-1] == "ExecutionSucceeded"


def test_a_missing_response_fails_the_execution(sfn: Any) -> None:
    # Given a test case with responses for three invocations only
    arn = create(sfn, "PollLoop", "loop.asl.json")
    # When the loop asks for a fourth
    result = run(sfn, arn, "RunsOutOfResponses", {})
    # Then the execution fails (Step Functions Local does not call the real function)
    assert result["status"] == "FAILED"
    assert result["error"] == "States.Runtime"
    assert entered(result["events"]).count("CheckStatus") == 4
    assert REGISTRY.config is not None
    assert not REGISTRY.config.hybrid


def test_an_unknown_test_case_is_refused(sfn: Any) -> None:
    # Given a state machine with test cases
    arn = create(sfn, "PollLoop", "loop.asl.json")
    # When a test case that is not in the file is asked for, Then StartExecution is refused
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.start_execution(stateMachineArn=f"{arn}#NoSuchCase", name="x", input="{}")
