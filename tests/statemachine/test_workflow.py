"""The real ASL, executed by moto's Step Functions interpreter, one test case per path through the workflow.

Task results come from tests/statemachine/MockConfigFile.json (Step Functions Local format, generated from a
real run by `make events`), so these tests exercise the state machine itself: Retry, Catch, the bounded poll
loop, ResultSelector/ResultPath plumbing. RecordFailure is never mocked: the failure path really writes
DynamoDB, PostgreSQL and the RecordingFailed event, and the tests read them back.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from medscribe.keys import execution_name

HERE = Path(__file__).parent
MOCK_CONFIG = HERE / "MockConfigFile.json"
EVENTS = HERE.parents[1] / "events"
MAX_POLLS = 4


def poll_interval() -> float:
    """The interval in the state the Wait reads: StartTranscription's output (= CheckTranscription's input)."""
    return float(
        json.loads((EVENTS / "check_transcription.json").read_text())["settings"]["poll_interval_seconds"]
    )


@dataclass(frozen=True)
class Expect:
    status: str
    error: str | None = None
    invocations: dict[str, int] = field(default_factory=dict)
    task_errors: tuple[str, ...] = ()
    backoffs: int = 0  # Retry sleeps the interpreter asked for


CASES: dict[str, Expect] = {
    "HappyPath": Expect(
        "SUCCEEDED", invocations={"ValidateAudio": 1, "CheckTranscription": 1, "PublishCompletion": 1}
    ),
    "RetryLambdaServiceException": Expect(
        "SUCCEEDED", invocations={"ValidateAudio": 2}, task_errors=("Lambda.ServiceException",), backoffs=1
    ),
    "RetryDatabaseUnavailable": Expect(
        "SUCCEEDED", invocations={"PersistResults": 2}, task_errors=("DatabaseUnavailable",), backoffs=1
    ),
    "PollUntilCompleted": Expect("SUCCEEDED", invocations={"CheckTranscription": 2}),
    "PollLimitReached": Expect(
        "FAILED", "TranscriptionTimedOut", invocations={"CheckTranscription": MAX_POLLS, "DetectEntities": 0}
    ),
    "CatchValidateAudio": Expect("FAILED", "UnsupportedAudioFormat", invocations={"StartTranscription": 0}),
    "CatchStartTranscription": Expect(
        "FAILED", "TranscriptionJobFailed", invocations={"CheckTranscription": 0}
    ),
    "CatchCheckTranscription": Expect("FAILED", "TranscriptionJobFailed", invocations={"DetectEntities": 0}),
    "CatchDetectEntities": Expect("FAILED", "TranscriptNotFound", invocations={"FilterEntities": 0}),
    "CatchFilterEntities": Expect("FAILED", "ValidationError", invocations={"RenderPdf": 0}),
    "CatchRenderPdf": Expect("FAILED", "DocumentRenderFailed", invocations={"PersistResults": 0}),
    "CatchPersistResults": Expect(
        "FAILED", "DatabaseUnavailable", invocations={"PersistResults": 7, "PublishCompletion": 0}, backoffs=6
    ),
    "CatchPublishCompletion": Expect(
        "FAILED", "EventPublishFailed", invocations={"PublishCompletion": 6}, backoffs=5
    ),
}


def _run(pipeline: Any, case: str) -> tuple[Any, dict[str, Any]]:
    pipeline.use_mock_config(MOCK_CONFIG, case)
    execution_input = json.loads((EVENTS / "execution_input.json").read_text())
    name = execution_name(execution_input["recording"]["recording_id"])
    sfn = pipeline.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=f"{pipeline.state_machine_arn}#{case}", name=name, input=json.dumps(execution_input)
    )["executionArn"]
    return pipeline.wait(arn, timeout=120), execution_input


def scheduled_per_state(history: list[dict[str, Any]]) -> Counter[str]:
    """TaskScheduled events per Task state (the pipeline is linear: the last state entered owns them)."""
    counts: Counter[str] = Counter()
    state = ""
    for event in history:
        if event["type"] == "TaskStateEntered":
            state = event["stateEnteredEventDetails"]["name"]
        elif event["type"] == "TaskScheduled":
            counts[state] += 1
    return counts


def test_every_test_case_of_the_mock_config_is_exercised() -> None:
    cases = json.loads(MOCK_CONFIG.read_text())["StateMachines"]["TranscribePipeline"]["TestCases"]
    assert set(cases) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_workflow_path(case: str, pipeline: Any, fresh_database: str) -> None:
    # Given the real ASL with MaxPolls lowered so the poll bound is reachable
    expect = CASES[case]
    # When the execution runs with this test case's mocked task results
    result, execution_input = _run(pipeline, case)
    recording_id = execution_input["recording"]["recording_id"]

    # Then it ends as expected, with the error name Step Functions reports
    assert result.status == expect.status, (result.error, result.cause)
    assert result.error == expect.error, (result.cause, result.states_entered()[-6:])
    entered = Counter(result.states_entered())
    # Task invocations (retries included) per state, as the execution history records them
    invoked = scheduled_per_state(result.history)
    # RecordFailure's sink branches are never mocked: every one scheduled ran the real handler
    sink_states = {"RecordFailureStatus", "RecordFailureRow", "RecordFailureEvent"}
    real_sinks = sum(1 for i in pipeline.dispatcher.invocations if i.function == "RecordFailureFunction")
    assert real_sinks == sum(invoked[s] for s in sink_states)
    for state, count in expect.invocations.items():
        assert invoked[state] == count, (state, invoked)
    failed = [e["taskFailedEventDetails"]["error"] for e in result.history if e["type"] == "TaskFailed"]
    for error in expect.task_errors:
        assert error in failed
    retry_sleeps = [w for w in pipeline.waits if w != poll_interval()]
    assert len(retry_sleeps) == expect.backoffs, pipeline.waits

    events = pipeline.received_events()
    table = pipeline.client("dynamodb")
    item = table.get_item(
        TableName=pipeline.stack.physical["RecordingsTable"], Key={"recording_id": {"S": recording_id}}
    ).get("Item")
    if expect.status == "SUCCEEDED":
        assert result.output is not None
        assert result.output["event"]["detail_type"] == "RecordingProcessed"
        assert "RecordFailure" not in entered
        return
    # And the failure is recorded everywhere: DynamoDB, PostgreSQL, and a RecordingFailed event, one branch each
    assert entered["RecordFailure"] == 1
    sinks = Counter(
        i.event["sink"] for i in pipeline.dispatcher.invocations if i.function == "RecordFailureFunction"
    )
    assert sinks == {"dynamodb": 1, "postgresql": 1, "event": 1}
    assert item is not None
    assert item["status"]["S"] == "FAILED"
    assert item["error_name"]["S"] == expect.error
    with psycopg.connect(fresh_database) as conn:
        row = conn.execute(
            "SELECT status, error_name FROM recordings WHERE recording_id = %s", (recording_id,)
        ).fetchone()
    assert row == ("FAILED", expect.error)
    failures = [e for e in events if e["detail-type"] == "RecordingFailed"]
    assert len(failures) == 1
    assert failures[0]["detail"]["error"]["name"] == expect.error
    assert failures[0]["detail"]["recording_id"] == recording_id


def test_poll_loop_waits_the_configured_interval_each_round(pipeline: Any) -> None:
    result, _ = _run(pipeline, "PollLimitReached")
    waits = [e for e in result.history if e["type"] == "WaitStateEntered"]
    assert len(waits) == MAX_POLLS
    assert pipeline.waits == [poll_interval()] * MAX_POLLS
