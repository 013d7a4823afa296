"""Task events as Step Functions Local writes them, and retries credited to the state that retried (boto3 over
HTTP against the endpoint, a MockConfigFile test case as Step Functions Local users run them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from endpoint_support import ROLE, aws_client, finished

from medscribe.local.mocks import REGISTRY, MockConfig
from medscribe.ops.views import timeline


def sdk_task(name: str, retry: bool = False) -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:comprehend:detectSentiment",
        "Parameters": {"Text": "fine", "LanguageCode": "en"},
        "End": True,
    }
    if retry:
        state["Retry"] = [
            {"ErrorEquals": ["Comprehend.ThrottlingException"], "IntervalSeconds": 1, "MaxAttempts": 2}
        ]
    return {"StartAt": name, "States": {name: state}}


PARALLEL = {
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "Branches": [sdk_task("Flaky", retry=True), sdk_task("Steady")],
            "End": True,
        }
    },
}
THROTTLE = {"Throw": {"Error": "Comprehend.ThrottlingException", "Cause": "slow down"}}
OK = {"Return": {"Sentiment": "NEUTRAL"}}
CONFIG = {
    "StateMachines": {
        "par": {"TestCases": {"FlakyOnce": {"Flaky": "ThrottleThenOk", "Steady": "Ok"}}},
        "one": {"TestCases": {"Fails": {"Only": "AlwaysThrottle"}}},
    },
    "MockedResponses": {
        "ThrottleThenOk": {"0": THROTTLE, "1": OK},
        "Ok": {"0": OK},
        "AlwaysThrottle": {"0": THROTTLE},
    },
}


@pytest.fixture
def sfn(bare_endpoint: str) -> Iterator[Any]:
    REGISTRY.use(MockConfig(CONFIG))
    try:
        yield aws_client("stepfunctions", bare_endpoint)
    finally:
        REGISTRY.clear()


def run(sfn: Any, name: str, definition: dict[str, Any], case: str) -> list[dict[str, Any]]:
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    execution = sfn.start_execution(stateMachineArn=f"{arn}#{case}", name="e")["executionArn"]
    finished(sfn, execution)
    return list(sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"])


def test_aws_sdk_task_events_are_named_as_step_functions_local_names_them(sfn: Any) -> None:
    # When an aws-sdk task fails with a mocked Throw
    events = run(sfn, "one", sdk_task("Only"), "Fails")
    # Then every task event names resourceType "aws-sdk" and resource "comprehend:detectSentiment"
    task_details = [
        d for e in events for k, d in e.items() if k.startswith("task") and k.endswith("EventDetails")
    ]
    assert {e["type"] for e in events} >= {"TaskScheduled", "TaskStarted", "TaskFailed"}
    assert {(d["resourceType"], d["resource"]) for d in task_details} == {
        ("aws-sdk", "comprehend:detectSentiment")
    }
    failed = next(e["taskFailedEventDetails"] for e in events if e["type"] == "TaskFailed")
    assert failed["error"] == "Comprehend.ThrottlingException"


def test_retries_are_credited_to_the_state_that_retried(sfn: Any) -> None:
    # Given a Parallel whose first branch is throttled once (then retried) and whose second runs once
    events = run(sfn, "par", PARALLEL, "FlakyOnce")
    assert events[-1]["type"] == "ExecutionSucceeded"
    # When the history is read as `medscribe history` / the console read it
    retries = {entry.state: entry.retries for entry in timeline(events)}
    # Then only the branch that retried shows a retry
    assert retries == {"Both": 0, "Flaky": 1, "Steady": 0}


def at(events: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """History events (id, previousEventId, type, state name) as boto3 parses them."""
    out = []
    for event_id, previous, kind, name in events:
        event: dict[str, Any] = {
            "id": event_id,
            "previousEventId": previous,
            "type": kind,
            "timestamp": f"2026-12-06T10:00:{event_id:02d}+00:00",
        }
        if kind.endswith("StateEntered"):
            event["stateEnteredEventDetails"] = {"name": name}
        if kind.endswith("StateExited"):
            event["stateExitedEventDetails"] = {"name": name}
        if kind == "TaskFailed":
            event["taskFailedEventDetails"] = {"error": "DatabaseUnavailable"}
        out.append(event)
    return out


def test_interleaved_branches_keep_their_own_attempts() -> None:
    # Given two branches whose events interleave (both entered before either is scheduled), and a retry in the
    # first branch after the second branch was entered last
    events = at(
        [
            (1, 0, "ExecutionStarted", ""),
            (2, 1, "ParallelStateEntered", "Record"),
            (3, 2, "ParallelStateStarted", ""),
            (4, 3, "TaskStateEntered", "RecordFailureRow"),
            (5, 3, "TaskStateEntered", "RecordFailureStatus"),
            (6, 4, "TaskScheduled", ""),
            (7, 5, "TaskScheduled", ""),
            (8, 6, "TaskStarted", ""),
            (9, 8, "TaskFailed", ""),
            (10, 7, "TaskStarted", ""),
            (11, 9, "TaskScheduled", ""),
            (12, 10, "TaskSucceeded", ""),
            (13, 12, "TaskStateExited", "RecordFailureStatus"),
            (14, 11, "TaskStarted", ""),
            (15, 14, "TaskSucceeded", ""),
            (16, 15, "TaskStateExited", "RecordFailureRow"),
            (17, 16, "ParallelStateExited", "Record"),
        ]
    )
    # When the timeline is built
    entries = {entry.state: entry for entry in timeline(events)}
    # Then each state has its own attempts and outcome
    assert entries["RecordFailureRow"].retries == 1
    assert entries["RecordFailureStatus"].retries == 0
    assert entries["RecordFailureStatus"].errors == []
    assert entries["RecordFailureRow"].errors == ["DatabaseUnavailable"]
    assert {e.outcome for e in entries.values()} == {"succeeded"}
