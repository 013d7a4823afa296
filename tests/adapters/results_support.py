"""Rows and helpers the results-repository tests share (test_adapters_database.py, test_adapters_data_api.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from adapter_support import document_rendered

from medscribe.adapters.database import load_migrations
from medscribe.models import DocumentRendered

CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:medscribe"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:medscribe-db-AbCdEf"
AT = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)
TABLES = ("recordings", "transcriptions", "entities", "documents")
VERSIONS = [v for v, _ in load_migrations()]


def state(recording_id: str = "visit-0001") -> DocumentRendered:
    return document_rendered(recording_id, "clinic-a")


TEXT = "Patient denies chest pain. Takes aspirin 81 mg daily."
ENTITIES: list[dict[str, Any]] = [
    {
        "Id": 0,
        "BeginOffset": 15,
        "EndOffset": 25,
        "Score": 0.97,
        "Text": "chest pain",
        "Category": "MEDICAL_CONDITION",
        "Type": "DX_NAME",
        "Traits": [{"Name": "NEGATION", "Score": 0.93}],
        "Attributes": [],
    },
    {
        "Id": 1,
        "BeginOffset": 33,
        "EndOffset": 40,
        "Score": 0.99,
        "Text": "aspirin",
        "Category": "MEDICATION",
        "Type": "GENERIC_NAME",
        "Traits": [],
        "Attributes": [
            {
                "Type": "DOSAGE",
                "Score": 0.93,
                "Id": 2,
                "BeginOffset": 41,
                "EndOffset": 46,
                "Text": "81 mg",
                "Traits": [],
            }
        ],
        "RxNormConcepts": [{"Code": "1191", "Description": "aspirin", "Score": 0.91}],
    },
]


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}
