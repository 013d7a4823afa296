"""Lambda through the endpoint as AWS answers it: created Python zips run, unknown functions are
ResourceNotFoundException, ListFunctions lists the template's functions (boto3 over HTTP)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from endpoint_support import ROLE, aws_client, finished

from medscribe.local.endpoint import AwsEndpoint
from medscribe.local.engine import LocalPipeline

HANDLER = """
import os

class TooLoud(Exception):
    pass

def handler(event, context):
    print("a log line, not the result")
    if event.get("shout"):
        raise TooLoud("no shouting")
    if event.get("buckets"):
        import boto3
        return [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]]
    if event.get("sleep"):
        import time
        time.sleep(event["sleep"])
    return {"hello": event.get("name"), "greeting": os.environ["GREETING"], "fn": context.function_name}
"""


def python_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", HANDLER)
    return buffer.getvalue()


TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def lambda_role(lam: Any) -> str:
    """A role Lambda can assume (AWS, and moto, refuse CreateFunction without one)."""
    iam = aws_client("iam", lam.meta.endpoint_url)
    try:
        return str(iam.get_role(RoleName="fn")["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        return str(iam.create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"])


def create(lam: Any, name: str = "hello", **extra: Any) -> None:
    lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=lambda_role(lam),
        Handler="app.handler",
        Code={"ZipFile": python_zip()},
        Environment={"Variables": {"GREETING": "hi"}},
        **extra,
    )


def invoke(lam: Any, name: str, event: dict[str, Any]) -> tuple[str | None, Any]:
    answer = lam.invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return answer.get("FunctionError"), json.loads(answer["Payload"].read())


def test_a_created_python_zip_runs(bare_endpoint: str) -> None:
    # Given a Python zip function created through the endpoint
    lam = aws_client("lambda", bare_endpoint)
    # (Lambda's default 3 s timeout: the boto3 import and S3 call below took longer on a loaded machine)
    create(lam, Timeout=60)
    # When it is invoked, Then the handler runs with its environment and the payload is its result
    assert invoke(lam, "hello", {"name": "ada"}) == (None, {"hello": "ada", "greeting": "hi", "fn": "hello"})
    # And an exception is a function error named by its class, as Lambda reports it
    error, payload = invoke(lam, "hello", {"shout": True})
    assert (error, payload["errorType"], payload["errorMessage"]) == ("Unhandled", "TooLoud", "no shouting")
    # And its AWS calls reach the local endpoint (never AWS)
    aws_client("s3", bare_endpoint).create_bucket(Bucket="local-only")
    assert invoke(lam, "hello", {"buckets": True}) == (None, ["local-only"])


def test_a_created_function_times_out_as_lambda_does(bare_endpoint: str) -> None:
    lam = aws_client("lambda", bare_endpoint)
    create(lam, "slow", Timeout=1)
    error, payload = invoke(lam, "slow", {"sleep": 30})
    assert (error, payload["errorType"]) == ("Unhandled", "Sandbox.Timedout")


def test_a_state_machine_invokes_a_created_function(bare_endpoint: str) -> None:
    # Given a created function and a state machine whose Task invokes it
    lam, sfn = aws_client("lambda", bare_endpoint), aws_client("stepfunctions", bare_endpoint)
    create(lam)
    arn = lam.get_function(FunctionName="hello")["Configuration"]["FunctionArn"]
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": arn, "End": True}}}
    machine = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)
    execution = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"name": "bo"}')
    # Then the execution succeeds with the handler's result

    description = finished(sfn, execution["executionArn"])
    assert description["status"] == "SUCCEEDED"
    assert json.loads(description["output"])["hello"] == "bo"


def test_what_cannot_run_is_refused_at_creation(bare_endpoint: str) -> None:
    lam = aws_client("lambda", bare_endpoint)
    with pytest.raises(ClientError) as exc:
        lam.create_function(
            FunctionName="node",
            Runtime="nodejs20.x",
            Role=lambda_role(lam),
            Handler="index.handler",
            Code={"ZipFile": python_zip()},
        )
    assert exc.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "Python zip functions only" in exc.value.response["Error"]["Message"]
    assert lam.list_functions()["Functions"] == []


def test_an_unknown_function_is_resource_not_found(bare_endpoint: str) -> None:
    lam = aws_client("lambda", bare_endpoint)
    with pytest.raises(ClientError) as exc:
        lam.invoke(FunctionName="nope", Payload=b"{}")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


@pytest.fixture
def endpoint(pipeline: LocalPipeline) -> Iterator[AwsEndpoint]:
    with AwsEndpoint(port=0) as ep:
        yield ep


def test_the_stack_lists_template_functions_and_refuses_unknown_ones(
    pipeline: LocalPipeline, endpoint: AwsEndpoint
) -> None:
    # Given the local stack behind the endpoint
    lam = aws_client("lambda", endpoint.url)
    # Then ListFunctions lists every template function
    listed = {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    assert listed == set(pipeline.stack.functions)
    # And an unknown function is ResourceNotFoundException, not a 500
    with pytest.raises(ClientError) as exc:
        lam.invoke(FunctionName="nope", Payload=b"{}")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
    # And a function created beside them runs in its own process, while a template name is taken
    create(lam)
    assert invoke(lam, "hello", {"name": "x"})[1]["greeting"] == "hi"
    assert {f["FunctionName"] for f in lam.list_functions()["Functions"]} == listed | {"hello"}
    with pytest.raises(ClientError) as exc:
        create(lam, next(iter(listed)))
    assert exc.value.response["Error"]["Code"] == "ResourceConflictException"
