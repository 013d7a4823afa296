"""The local AWS endpoint: an ordinary boto3 client with ``endpoint_url`` drives the real local stack."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from decode_memo_support import memo_in_process
from moto_support import aws_client

from medscribe.local.endpoint import AwsEndpoint
from medscribe.local.engine import LocalPipeline

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def endpoint(pipeline: LocalPipeline) -> Iterator[AwsEndpoint]:
    with AwsEndpoint(port=0) as ep:
        yield ep


def wait_for_terminal(sfn: Any, machine_arn: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        executions = sfn.list_executions(stateMachineArn=machine_arn)["executions"]
        if executions and executions[0]["status"] != "RUNNING":
            return dict(executions[0])
        time.sleep(0.2)
    raise AssertionError(f"no finished execution within {timeout}s")


def test_s3_put_through_the_endpoint_runs_the_real_pipeline(
    pipeline: LocalPipeline, endpoint: AwsEndpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The endpoint's HTTP path to the pipeline is under test, not the decode (decode_memo_support)
    memo_in_process(monkeypatch)
    # Given a boto3 client pointed at the endpoint (HTTP, not moto's in-process interception)
    s3, sfn = aws_client("s3", endpoint.url), aws_client("stepfunctions", endpoint.url)
    machines = sfn.list_state_machines()["stateMachines"]
    assert [m["stateMachineArn"] for m in machines] == list(pipeline.stack.state_machines.values())
    # When a recording is put under incoming/ through the endpoint
    s3.put_object(
        Bucket=pipeline.bucket,
        Key="incoming/clinic-a/visit.wav",
        Body=(ROOT / "samples" / "dictation.wav").read_bytes(),
    )
    # Then the production path starts an execution, which succeeds
    summary = wait_for_terminal(sfn, pipeline.state_machine_arn)
    assert summary["status"] == "SUCCEEDED"
    # And describe / history read it through the endpoint with real event types
    description = sfn.describe_execution(executionArn=summary["executionArn"])
    assert description["status"] == "SUCCEEDED"
    events = sfn.get_execution_history(executionArn=summary["executionArn"], maxResults=1000)["events"]
    types = [e["type"] for e in events]
    assert types[0] == "ExecutionStarted"
    assert types[-1] == "ExecutionSucceeded"
    entered = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"] == "TaskStateEntered"]
    assert entered[0] == "ValidateAudio"
    assert "PublishCompletion" in entered


def test_endpoint_sets_moto_port_while_running_and_restores_it(pipeline: LocalPipeline) -> None:
    # Given no MOTO_PORT
    import os

    os.environ.pop("MOTO_PORT", None)
    # When an endpoint runs, the interpreter's own clients are pointed at it; afterwards nothing is left
    with AwsEndpoint(port=0) as ep:
        assert os.environ["MOTO_PORT"] == str(ep.port)
        assert aws_client("s3", ep.url).list_buckets()["Buckets"]
    assert "MOTO_PORT" not in os.environ


def test_test_state_through_the_endpoint_reaches_the_local_stack(
    pipeline: LocalPipeline, endpoint: AwsEndpoint
) -> None:
    # Given an object in the stack's bucket (outside incoming/: no pipeline run), and a client on the endpoint
    # that does not inject AWS's "sync-" host prefix (an IP endpoint has no such host)
    import json

    aws_client("s3", endpoint.url).put_object(Bucket=pipeline.bucket, Key="probe/one.txt", Body=b"x")
    sfn = boto3.client(
        "stepfunctions",
        endpoint_url=endpoint.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, inject_host_prefix=False),
    )
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
        "Parameters": {"Bucket.$": "$.bucket", "Prefix": "probe/"},
        "ResultSelector": {"count.$": "$.KeyCount"},
        "Next": "Done",
    }
    # When one Task state is tested there
    answer = sfn.test_state(
        definition=json.dumps(state),
        roleArn="arn:aws:iam::123456789012:role/r",
        input=json.dumps({"bucket": pipeline.bucket}),
        inspectionLevel="DEBUG",
    )
    # Then it ran against the local stack's S3 and reports AWS's TestState fields
    assert (answer["status"], answer["nextState"]) == ("SUCCEEDED", "Done")
    assert json.loads(answer["output"]) == {"count": 1}
    assert json.loads(answer["inspectionData"]["afterParameters"]) == {
        "Bucket": pipeline.bucket,
        "Prefix": "probe/",
    }
    assert json.loads(answer["inspectionData"]["afterResultSelector"]) == {"count": 1}
