"""Helpers shared by the adapter tests (imported by name: conftest modules are not importable reliably)."""

from __future__ import annotations

import base64
import itertools
import json
from datetime import datetime
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from medscribe.keys import RecordingKeys, job_name
from medscribe.models import DocumentRendered

REGION = "us-east-1"


def stub_client(service: str) -> Any:
    """A real boto3 client for use with ``botocore.stub.Stubber`` (no request leaves the process)."""
    return boto3.client(service, region_name=REGION)


class PgBackedDataApi:
    """Answers a real boto3 ``rds-data`` client's calls by running them on PostgreSQL.

    Hooked on botocore's ``before-call`` event (as ``Stubber`` is), so each request is first validated
    against the service model and serialised by botocore exactly as it would be sent to AWS; the JSON body is
    then decoded here, the typed parameters bound, the SQL run, and a response in the documented shape
    (``records`` of ``Field`` values) returned. It plays the role of the Data API, not of our adapter: it
    binds ``:name`` parameters with the repository's own ``to_pyformat`` only because psycopg needs pyformat.
    """

    def __init__(self, url: str) -> None:
        import psycopg

        self._psycopg = psycopg
        self.url = url
        self.client = boto3.client("rds-data", region_name=REGION)
        self.client.meta.events.register("before-call.rds-data.*", self._handle)
        self.transactions: dict[str, Any] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._ids = itertools.count(1)

    def _handle(self, model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        body = json.loads(params["body"] or b"{}")
        self.calls.append((model.name, body))
        handler = getattr(self, f"_op_{model.name}")
        return AWSResponse(None, 200, {}, None), handler(body)  # type: ignore[arg-type]

    def _conn(self, body: dict[str, Any]) -> Any:
        tx = body.get("transactionId")
        if tx:
            return self.transactions[tx]
        return self._psycopg.connect(self.url, autocommit=True)

    @staticmethod
    def _value(field: dict[str, Any]) -> Any:
        if field.get("isNull"):
            return None
        (kind, value), *_ = field.items()
        return base64.b64decode(value) if kind == "blobValue" else value

    @staticmethod
    def _field(value: Any) -> dict[str, Any]:
        if value is None:
            return {"isNull": True}
        if isinstance(value, bool):
            return {"booleanValue": value}
        if isinstance(value, int):
            return {"longValue": value}
        if isinstance(value, float):
            return {"doubleValue": value}
        if isinstance(value, datetime):
            return {"stringValue": value.isoformat()}
        return {"stringValue": str(value)}

    def _run(self, conn: Any, sql: str, parameters: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        from medscribe.adapters.database import to_pyformat

        values = {p["name"]: self._value(p["value"]) for p in parameters}
        cur = conn.execute(to_pyformat(sql), values) if parameters else conn.execute(sql)
        rows: list[tuple[Any, ...]] = cur.fetchall() if cur.description else []
        return rows

    def _op_BeginTransaction(self, body: dict[str, Any]) -> dict[str, Any]:
        conn = self._psycopg.connect(self.url)  # autocommit off: a transaction until commit/rollback
        tx = f"tx-{next(self._ids)}"
        self.transactions[tx] = conn
        return {"transactionId": tx}

    def _op_ExecuteStatement(self, body: dict[str, Any]) -> dict[str, Any]:
        conn = self._conn(body)
        rows = self._run(conn, body["sql"], body.get("parameters", []))
        return {"records": [[self._field(v) for v in row] for row in rows], "numberOfRecordsUpdated": 0}

    def _op_BatchExecuteStatement(self, body: dict[str, Any]) -> dict[str, Any]:
        conn = self._conn(body)
        for parameters in body["parameterSets"]:
            self._run(conn, body["sql"], parameters)
        return {"updateResults": [{"generatedFields": []} for _ in body["parameterSets"]]}

    def _op_CommitTransaction(self, body: dict[str, Any]) -> dict[str, Any]:
        conn = self.transactions.pop(body["transactionId"])
        conn.commit()
        conn.close()
        return {"transactionStatus": "Transaction Committed"}

    def _op_RollbackTransaction(self, body: dict[str, Any]) -> dict[str, Any]:
        conn = self.transactions.pop(body["transactionId"])
        conn.rollback()
        conn.close()
        return {"transactionStatus": "Rollback Complete"}


def document_rendered(recording_id: str, tenant: str) -> DocumentRendered:
    """A recording at the PersistResults step (every earlier step's output), for repository tests."""
    keys = RecordingKeys(tenant=tenant, recording_id=recording_id)
    return DocumentRendered.model_validate(
        {
            "recording": {
                "recording_id": recording_id,
                "tenant": tenant,
                "bucket": "medscribe-audio",
                "audio_key": f"incoming/{tenant}/visit.wav",
                "received_at": "2026-11-22T06:00:00Z",
            },
            "audio": {
                "media_format": "wav",
                "duration_seconds": 42.5,
                "sample_rate_hz": 16000,
                "channels": 1,
                "size_bytes": 1_360_044,
            },
            "transcription": {
                "job_name": job_name(recording_id),
                "status": "COMPLETED",
                "output_key": keys.transcribe_output,
            },
            "transcript": {"text_key": keys.transcript_text, "char_count": 52, "word_count": 9},
            "entities": {"key": keys.entities_detected, "count": 3, "model_version": "2.4.0"},
            "filtered": {
                "key": keys.entities_filtered,
                "min_score": 0.5,
                "kept_count": 2,
                "dropped_count": 1,
                "medication_count": 1,
            },
            "document": {"pdf_key": keys.summary_pdf, "sha256": "ab" * 32, "pages": 2, "size_bytes": 20480},
        }
    )
