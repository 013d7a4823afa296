"""Database unavailability is a step fault (retried, then recorded), never a stack start fault."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from fault_support import (
    ROOT,
    TRANSCRIPTION_STATES,
    execution_input,
    mock_states,
    put_transcript,
    start,
    use_mocks,
)

from medscribe.local.engine import LocalPipeline


def test_an_unreachable_database_fails_the_steps_not_the_stack_and_the_failure_is_still_published(
    tmp_path: Path,
) -> None:
    # Given a local stack whose PostgreSQL cannot be reached (nothing listens there)
    unreachable = f"postgresql://postgres@/postgres?host={tmp_path}&port=1&connect_timeout=2"
    # When the stack starts: it does, no migration runs at start
    with LocalPipeline(ROOT, database_url=unreachable, home=tmp_path, instant_waits=True) as pipeline:
        # and a recording reaches the first step that reads PostgreSQL (RenderPdf: the recording's details),
        # transcription answered as a completed job, the rest for real
        put_transcript(pipeline)
        use_mocks(mock_states(*TRANSCRIPTION_STATES))
        result = start(pipeline, "db-down")
        rid = execution_input()["recording"]["recording_id"]
        item = pipeline.client("dynamodb").get_item(
            TableName=pipeline.stack.physical["RecordingsTable"], Key={"recording_id": {"S": rid}}
        )["Item"]
        events = pipeline.received_events()
        invocations = Counter(i.function for i in pipeline.dispatcher.invocations)
        branch_results: Any = next(e for e in reversed(result.history) if e["type"] == "ParallelStateExited")[
            "stateExitedEventDetails"
        ]

    # Then RenderPdf was retried with the database's bound (Aurora resume), and the execution failed with the
    # original error; nothing after it ran
    assert result.status == "FAILED"
    assert result.error == "DatabaseUnavailable"
    assert invocations["RenderPdfFunction"] == 7
    assert invocations["PersistResultsFunction"] == 0
    # And the failure is recorded where it can be: DynamoDB FAILED, the RecordingFailed event published,
    # the PostgreSQL branch recorded as not written after its own retries (the other branches still finished)
    assert item["status"]["S"] == "FAILED"
    assert [e["detail-type"] for e in events] == ["RecordingFailed"]
    assert events[0]["detail"]["error"]["name"] == "DatabaseUnavailable"
    assert '"sink":"postgresql","recorded":false' in branch_results["output"].replace(" ", "")
