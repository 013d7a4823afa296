"""The AWS CLI (v1, `make aws-venv`) against the endpoint: each row of docs/local-asl-coverage.md's endpoint table
that names a CLI command, answered as AWS's API reference says."""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_cli_support import AwsCli
from endpoint_support import ROLE
from test_lambda_api_semantics import HANDLER, TRUST

PASSES = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}}
WAITS = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}


class Cli:
    def __init__(self, url: str, aws: AwsCli) -> None:
        self.url = url
        self.aws = aws

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
        return self.aws.run(["--endpoint-url", self.url, "--output", "json", *args], env)

    def ok(self, *args: str) -> Any:
        proc = self.run(*args)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    def error(self, *args: str) -> str:
        proc = self.run(*args)
        assert proc.returncode != 0, proc.stdout
        return proc.stderr


@pytest.fixture(scope="module")
def aws_cli() -> Iterator[AwsCli]:
    cli = AwsCli()
    yield cli
    cli.close()


@pytest.fixture
def cli(bare_endpoint: str, aws_cli: AwsCli) -> Cli:
    return Cli(bare_endpoint, aws_cli)


def create(cli: Cli, name: str, definition: dict[str, Any]) -> str:
    created = cli.ok(
        "stepfunctions", "create-state-machine", "--name", name, "--definition", json.dumps(definition),
        "--role-arn", ROLE,
    )  # fmt: skip
    return str(created["stateMachineArn"])


def settled(cli: Cli, arn: str) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 30
    while (described := cli.ok("stepfunctions", "describe-execution", "--execution-arn", arn))[
        "status"
    ] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return dict(described)


def test_stepfunctions_rows(cli: Cli) -> None:
    machine = create(cli, "m", PASSES)
    # start-execution without --name, twice: two UUID-named executions
    first = cli.ok("stepfunctions", "start-execution", "--state-machine-arn", machine)["executionArn"]
    second = cli.ok("stepfunctions", "start-execution", "--state-machine-arn", machine)["executionArn"]
    assert first != second
    assert not first.endswith(":None")
    # describe-execution: inputDetails / outputDetails
    described = settled(cli, first)
    assert (described["inputDetails"], described["outputDetails"]) == ({"included": True}, {"included": True})
    # get-execution-history: --max-items pages, --reverse-order, --no-include-execution-data
    page = cli.ok("stepfunctions", "get-execution-history", "--execution-arn", first, "--max-items", "2")
    assert len(page["events"]) == 2
    assert "NextToken" in page
    latest = cli.ok("stepfunctions", "get-execution-history", "--execution-arn", first, "--reverse-order")
    assert latest["events"][0]["type"] == "ExecutionSucceeded"
    bare = cli.ok(
        "stepfunctions", "get-execution-history", "--execution-arn", first, "--no-include-execution-data"
    )
    assert "input" not in bare["events"][0]["executionStartedEventDetails"]
    # list-executions --status-filter BOGUS: ValidationException
    assert "ValidationException" in cli.error(
        "stepfunctions", "list-executions", "--state-machine-arn", machine, "--status-filter", "BOGUS"
    )
    # create-state-machine: invalid ASL, a dangling Next, the same name with another definition
    assert "InvalidDefinition" in cli.error(
        "stepfunctions", "create-state-machine", "--name", "bad", "--definition", "{", "--role-arn", ROLE
    )
    dangling = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
    assert "MISSING_TRANSITION_TARGET" in cli.error(
        "stepfunctions", "create-state-machine", "--name", "bad", "--definition", json.dumps(dangling),
        "--role-arn", ROLE,
    )  # fmt: skip
    assert create(cli, "m", PASSES) == machine
    assert "StateMachineAlreadyExists" in cli.error(
        "stepfunctions",
        "create-state-machine",
        "--name",
        "m",
        "--definition",
        json.dumps(WAITS),
        "--role-arn",
        ROLE,
    )
    # publish-state-machine-version, describe by version ARN
    version = cli.ok("stepfunctions", "publish-state-machine-version", "--state-machine-arn", machine)
    assert version["stateMachineVersionArn"] == f"{machine}:1"
    assert (
        cli.ok("stepfunctions", "describe-state-machine", "--state-machine-arn", f"{machine}:1")["name"]
        == "m"
    )
    # stop-execution --error --cause
    waiting = create(cli, "w", WAITS)
    execution = cli.ok("stepfunctions", "start-execution", "--state-machine-arn", waiting)["executionArn"]
    cli.ok(
        "stepfunctions",
        "stop-execution",
        "--execution-arn",
        execution,
        "--error",
        "Ops.Stop",
        "--cause",
        "why",
    )
    stopped = settled(cli, execution)
    assert (stopped["status"], stopped["error"], stopped["cause"]) == ("ABORTED", "Ops.Stop", "why")


def test_stepfunctions_rows_of_session_11(cli: Cli) -> None:
    # start-execution on a version ARN: that version runs, under the state machine's name
    machine = create(cli, "vm", PASSES)
    version = cli.ok("stepfunctions", "publish-state-machine-version", "--state-machine-arn", machine)[
        "stateMachineVersionArn"
    ]
    execution = cli.ok("stepfunctions", "start-execution", "--state-machine-arn", version)["executionArn"]
    ran = settled(cli, execution)
    assert (ran["status"], ran["stateMachineArn"], ran["stateMachineVersionArn"]) == (
        "SUCCEEDED",
        machine,
        version,
    )
    # stop-execution of an execution whose Task waits for its token: ABORTED at once
    queue = cli.ok("sqs", "create-queue", "--queue-name", "cli-tokens")["QueueUrl"]
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": queue, "MessageBody.$": "$$.Task.Token"},
        "HeartbeatSeconds": 600,
        "End": True,
    }
    waiting = create(cli, "tok", {"StartAt": "T", "States": {"T": task}})
    execution = cli.ok("stepfunctions", "start-execution", "--state-machine-arn", waiting)["executionArn"]
    assert cli.ok("sqs", "receive-message", "--queue-url", queue, "--wait-time-seconds", "10")["Messages"]
    cli.ok("stepfunctions", "stop-execution", "--execution-arn", execution, "--error", "Ops.Stop")
    assert settled(cli, execution)["status"] == "ABORTED"
    # validate-state-machine-definition: what create-state-machine refuses is FAIL
    missing = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})
    checked = cli.ok("stepfunctions", "validate-state-machine-definition", "--definition", missing)
    assert (checked["result"], checked["diagnostics"][0]["code"]) == ("FAIL", "MISSING_TRANSITION_TARGET")


def test_lambda_rows(cli: Cli, tmp_path: Path) -> None:
    # invoke of an unknown function: ResourceNotFoundException
    assert "ResourceNotFoundException" in cli.error(
        "lambda", "invoke", "--function-name", "nope", str(tmp_path / "o")
    )
    # create-function with a Python zip, then list-functions and invoke
    role = cli.ok(
        "iam", "create-role", "--role-name", "fn", "--assume-role-policy-document", json.dumps(TRUST)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", HANDLER)
    (tmp_path / "fn.zip").write_bytes(buffer.getvalue())
    cli.ok(
        "lambda", "create-function", "--function-name", "hello", "--runtime", "python3.12",
        "--handler", "app.handler", "--role", role["Role"]["Arn"], "--zip-file", f"fileb://{tmp_path / 'fn.zip'}",
        "--environment", "Variables={GREETING=hey}",
    )  # fmt: skip
    assert [f["FunctionName"] for f in cli.ok("lambda", "list-functions")["Functions"]] == ["hello"]
    out = tmp_path / "out.json"
    cli.ok("lambda", "invoke", "--function-name", "hello", "--payload", '{"name": "cli"}', str(out))
    assert json.loads(out.read_text())["greeting"] == "hey"
