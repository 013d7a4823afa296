"""Fault matrix over the real ASL: every Task state x {transient error that clears, terminal error, crash after
the side effect}. The end state must be consistent across DynamoDB, PostgreSQL, S3 and the completion queue, and
a re-run must leave exactly one row set, one PDF and one completion event.

Transcription (ValidateAudio / StartTranscription / CheckTranscription) is answered from the MockConfigFile (as
a completed job); everything after it runs the real handlers. ``MEDSCRIBE_FAULT_MATRIX=<file>`` appends each
row of the matrix to that file (JSON lines) for the report.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fault_matrix import EXPECTED, TASK_STATES, FaultInjector, execution_input_for, mock_config_for
from fault_support import DICTATION, ROOT, read_sinks, use_mocks
from pg_support import own_database

from medscribe.keys import RecordingKeys, job_name
from medscribe.local.engine import LocalPipeline

KINDS = ("transient", "terminal", "crash")


@pytest.fixture(scope="module")
def matrix_database(database_url: str) -> Iterator[str]:
    with own_database(database_url, f"faults_matrix_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="module")
def stack(
    matrix_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LocalPipeline, FaultInjector]]:
    home = tmp_path_factory.mktemp("matrix")
    with LocalPipeline(ROOT, database_url=matrix_database, home=home, instant_waits=True) as pipeline:
        injector = FaultInjector(pipeline.dispatcher)
        injector.install()
        yield pipeline, injector


def _transcript(pipeline: LocalPipeline, rid: str) -> None:
    key = RecordingKeys(tenant="default", recording_id=rid).transcribe_output_for(job_name(rid))
    items = [
        {
            "type": "pronunciation",
            "start_time": f"{i * 0.4:.2f}",
            "end_time": f"{i * 0.4 + 0.3:.2f}",
            "alternatives": [{"confidence": "0.9500", "content": w.strip(".")}],
        }
        for i, w in enumerate(DICTATION.split())
    ]
    output = {
        "jobName": job_name(rid),
        "accountId": "0",
        "status": "COMPLETED",
        "results": {"transcripts": [{"transcript": DICTATION}], "items": items},
    }
    pipeline.client("s3").put_object(Bucket=pipeline.bucket, Key=key, Body=json.dumps(output).encode())


def _run(pipeline: LocalPipeline, injector: FaultInjector, rid: str, name: str) -> Any:
    use_mocks(mock_config_for(rid, injector.faults.get(rid)))
    sfn = pipeline.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=pipeline.state_machine_arn, name=name, input=json.dumps(execution_input_for(rid))
    )["executionArn"]
    return pipeline.wait(arn, timeout=120)


def _pdf_objects(pipeline: LocalPipeline, rid: str) -> int:
    prefix = RecordingKeys(tenant="default", recording_id=rid).prefix + "documents/"
    return int(
        pipeline.client("s3").list_objects_v2(Bucket=pipeline.bucket, Prefix=prefix).get("KeyCount", 0)
    )


def _row(
    pipeline: LocalPipeline, database: str, rid: str, result: Any, events: list[dict[str, Any]]
) -> dict[str, Any]:
    sinks = read_sinks(pipeline, database, rid)
    return {
        "execution": result.status if result.status == "SUCCEEDED" else f"FAILED {result.error}",
        "dynamodb": sinks.dynamodb_status,
        "postgresql": sinks.pg_status,
        "pdf_objects": _pdf_objects(pipeline, rid),
        "events": dict(Counter(e["detail-type"] for e in events)),
        "entity_rows": sinks.pg_entity_rows,
        "document_rows": sinks.pg_documents,
    }


def test_the_matrix_pins_every_case() -> None:
    assert set(EXPECTED) == {(state, kind) for state in TASK_STATES for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("state", TASK_STATES)
def test_fault_matrix(
    state: str, kind: str, stack: tuple[LocalPipeline, FaultInjector], matrix_database: str
) -> None:
    pipeline, injector = stack
    rid = "fault-" + re.sub(r"[^a-z]", "", state.lower()) + f"-{kind}"
    _transcript(pipeline, rid)
    # Given a fault in this state for this recording
    injector.faults[rid] = (state, kind)
    # When the recording runs
    result = _run(pipeline, injector, rid, rid)
    events = [e for e in pipeline.received_events() if e["detail"]["recording_id"] == rid]
    first = _row(pipeline, matrix_database, rid, result, events)
    # Then the case ends as pinned, and every sink tells the same story
    expected = EXPECTED[(state, kind)]
    assert first["execution"] == expected.execution, first
    assert (first["dynamodb"], first["postgresql"]) == (expected.stores, expected.stores), first
    assert first["events"] == {expected.event: 1}, first
    assert first["pdf_objects"] == expected.pdf_objects, first
    if expected.event == "RecordingFailed":
        assert events[0]["detail"]["error"]["name"] == result.error
    injector.faults.pop(rid)
    if kind == "transient":  # already completed once; the re-run of a completed recording is the crash cases'
        _record(state, kind, first, first)
        return
    # When the fault is gone and the recording is re-run
    rerun = _run(pipeline, injector, rid, rid + "-rerun")
    events += [e for e in pipeline.received_events() if e["detail"]["recording_id"] == rid]
    second = _row(pipeline, matrix_database, rid, rerun, events)
    # Then it completes with exactly one row set, one PDF and one completion event
    assert rerun.status == "SUCCEEDED", (rerun.error, rerun.cause)
    assert (second["dynamodb"], second["postgresql"]) == ("COMPLETED", "COMPLETED"), second
    assert second["events"].get("RecordingProcessed") == 1, second
    assert second["events"].get("RecordingFailed", 0) == first["events"].get("RecordingFailed", 0) <= 1
    assert second["pdf_objects"] == 1
    assert second["document_rows"] == 1
    assert second["entity_rows"] > 0
    if first["entity_rows"]:
        assert second["entity_rows"] == first["entity_rows"]  # replaced, never appended
    _record(state, kind, first, second)


def _record(state: str, kind: str, first: dict[str, Any], rerun: dict[str, Any]) -> None:
    out = os.environ.get("MEDSCRIBE_FAULT_MATRIX")
    if out:
        with Path(out).open("a") as f:
            f.write(json.dumps({"state": state, "fault": kind, "first": first, "rerun": rerun}) + "\n")
