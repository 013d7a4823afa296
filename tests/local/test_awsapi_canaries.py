"""Canaries: moto 5.2.5 unpatched still shows each deviation that sfn_executions, sfn_definitions, lambda_api and
sfn_local_events patch. A canary that fails means moto fixed the deviation: drop that part of the patch."""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

ROLE = "arn:aws:iam::123456789012:role/r"
PASSES = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}}


@pytest.fixture
def sfn(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from moto import mock_aws

    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    config: Any = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
    with mock_aws(config=config):
        yield boto3.client("stepfunctions")


def machine(sfn: Any, name: str = "m", definition: dict[str, Any] = PASSES) -> str:
    return str(
        sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
            "stateMachineArn"
        ]
    )


def settle(sfn: Any, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while (description := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return dict(description)


def test_unpatched_moto_names_an_unnamed_execution_none(sfn: Any) -> None:
    arn = sfn.start_execution(stateMachineArn=machine(sfn))["executionArn"]
    assert arn.endswith(":None")


def test_unpatched_moto_ignores_history_paging_and_lacks_input_details(sfn: Any) -> None:
    arn = sfn.start_execution(stateMachineArn=machine(sfn), name="e")["executionArn"]
    description = settle(sfn, arn)
    assert "inputDetails" not in description
    page = sfn.get_execution_history(executionArn=arn, maxResults=1, reverseOrder=True)
    assert len(page["events"]) > 1
    assert "nextToken" not in page
    assert page["events"][0]["type"] == "ExecutionStarted"


def test_unpatched_moto_accepts_a_bogus_status_filter(sfn: Any) -> None:
    assert sfn.list_executions(stateMachineArn=machine(sfn), statusFilter="BOGUS")["executions"] == []


def test_unpatched_moto_drops_stop_error_and_cause() -> None:
    from moto.stepfunctions.models import StateMachine

    assert "error" not in inspect.signature(StateMachine.stop_execution).parameters


def test_unpatched_moto_accepts_dangling_next_and_redefinition(sfn: Any) -> None:
    dangling = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
    machine(sfn, "dangling", dangling)
    arn = machine(sfn, "same")
    assert machine(sfn, "same", {"StartAt": "Z", "States": {"Z": {"Type": "Succeed"}}}) == arn


def test_unpatched_moto_raises_invalid_definition_without_an_error_code() -> None:
    from moto.stepfunctions.parser.api import InvalidDefinition

    # moto's AWSError serializes TYPE; LocalStack's class sets only ``code``: the server answers an empty code
    assert not getattr(InvalidDefinition, "TYPE", None)


def test_unpatched_moto_has_no_publish_state_machine_version() -> None:
    from moto.stepfunctions.responses import StepFunctionResponse

    assert not hasattr(StepFunctionResponse, "publish_state_machine_version")


def test_unpatched_moto_lambda_echoes_instead_of_running() -> None:
    from moto.awslambda_simple.models import LambdaSimpleBackend

    backend = LambdaSimpleBackend.__new__(LambdaSimpleBackend)
    backend.lambda_simple_results_queue = []
    assert LambdaSimpleBackend.invoke(backend, "any", None, '{"a": 1}', {}, {}) == b'{"a": 1}'


def test_unpatched_moto_names_aws_sdk_tasks_by_service() -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import mock_eval_utils
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
        StateTaskServiceAwsSdk,
    )

    task = SimpleNamespace(resource=SimpleNamespace(service_name="aws-sdk", api_name="comprehend"))
    assert StateTaskServiceAwsSdk._get_sfn_resource_type(task) == "aws-sdk:comprehend"  # type: ignore[arg-type]
    assert "resourceType" not in inspect.getsource(mock_eval_utils._eval_mocked_response_throw)
