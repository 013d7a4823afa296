"""Helpers for the fault tests: run the real ASL with some states answered from the MockConfigFile and the
rest by the real handlers, and read every sink back (DynamoDB, PostgreSQL, S3, the completion queue)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from medscribe.keys import RecordingKeys
from medscribe.local.mocks import REGISTRY, MockConfig

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
MOCK_CONFIG = ROOT / "tests" / "statemachine" / "MockConfigFile.json"


PARTIAL = "Partial"  # the test case these helpers add to the MockConfigFile


def mock_states(*states: str) -> MockConfig:
    """A hybrid MockConfig whose ``Partial`` test case answers only ``states`` as HappyPath does; the other
    states (and any invocation past a state's responses) run the real handlers."""
    raw = json.loads(MOCK_CONFIG.read_text())
    machine = next(iter(raw["StateMachines"]))
    happy = raw["StateMachines"][machine]["TestCases"]["HappyPath"]
    raw["StateMachines"][machine]["TestCases"][PARTIAL] = {s: happy[s] for s in states}
    return MockConfig(raw, hybrid=True)


def use_mocks(config: MockConfig) -> None:
    """Executions started from now on (without ``arn#TestCase``) run the ``Partial`` test case of ``config``."""
    REGISTRY.use(config, default_case=PARTIAL)


def execution_input() -> dict[str, Any]:
    value: dict[str, Any] = json.loads((EVENTS / "execution_input.json").read_text())
    return value


def transcribe_output_key() -> str:
    raw = json.loads(MOCK_CONFIG.read_text())
    key: str = raw["MockedResponses"]["CheckCompleted"]["0"]["Return"]["Payload"]["output_key"]
    return key


def start(pipeline: Any, name: str, payload: dict[str, Any] | None = None) -> Any:
    sfn = pipeline.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=pipeline.state_machine_arn, name=name, input=json.dumps(payload or execution_input())
    )["executionArn"]
    return pipeline.wait(arn, timeout=180)


@dataclass
class Sinks:
    """What every sink says about one recording."""

    dynamodb_status: str | None
    dynamodb_error: str | None
    pg_status: str | None
    pg_error: str | None
    pg_entity_rows: int
    pg_documents: int
    pdf: bool
    events: list[dict[str, Any]]

    def outcome_events(self) -> list[str]:
        return [e["detail-type"] for e in self.events]


def read_sinks(pipeline: Any, database_url: str, recording_id: str, tenant: str = "default") -> Sinks:
    item = (
        pipeline.client("dynamodb")
        .get_item(
            TableName=pipeline.stack.physical["RecordingsTable"], Key={"recording_id": {"S": recording_id}}
        )
        .get("Item")
        or {}
    )
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT status, error_name FROM recordings WHERE recording_id = %s", (recording_id,)
        ).fetchone()
        entity_rows = conn.execute(
            "SELECT count(*) FROM entities WHERE recording_id = %s", (recording_id,)
        ).fetchone()
        documents = conn.execute(
            "SELECT count(*) FROM documents WHERE recording_id = %s", (recording_id,)
        ).fetchone()
    pdf_key = RecordingKeys(tenant=tenant, recording_id=recording_id).summary_pdf
    listed = pipeline.client("s3").list_objects_v2(Bucket=pipeline.bucket, Prefix=pdf_key).get("KeyCount", 0)
    events = [e for e in pipeline.received_events() if e["detail"]["recording_id"] == recording_id]
    return Sinks(
        dynamodb_status=item.get("status", {}).get("S"),
        dynamodb_error=item.get("error_name", {}).get("S"),
        pg_status=row[0] if row else None,
        pg_error=row[1] if row else None,
        pg_entity_rows=int(entity_rows[0]) if entity_rows else 0,
        pg_documents=int(documents[0]) if documents else 0,
        pdf=listed > 0,
        events=events,
    )


DICTATION = "Patient reports chest pain. Start aspirin 81 milligrams daily. No known allergies."


def put_transcript(pipeline: Any, text: str = DICTATION) -> None:
    """The Transcribe output the mocked CheckTranscription points at, so the later steps run for real."""
    items = [
        {
            "type": "pronunciation",
            "start_time": f"{i * 0.4:.2f}",
            "end_time": f"{i * 0.4 + 0.3:.2f}",
            "alternatives": [{"confidence": "0.9500", "content": word.strip(".")}],
        }
        for i, word in enumerate(text.split())
    ]
    output = {
        "jobName": "medscribe-x",
        "accountId": "0",
        "status": "COMPLETED",
        "results": {"transcripts": [{"transcript": text}], "items": items},
    }
    pipeline.client("s3").put_object(
        Bucket=pipeline.bucket, Key=transcribe_output_key(), Body=json.dumps(output).encode()
    )


TRANSCRIPTION_STATES = ("ValidateAudio", "StartTranscription", "CheckTranscription")
