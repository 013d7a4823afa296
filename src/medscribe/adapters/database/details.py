"""The request fields of a recording (PHI: never logged) and its review flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from medscribe.adapters.database.sql import Tables
from medscribe.models import RecordingDetails

SQL_UPSERT_DETAILS = """
INSERT INTO recording_details (
    recording_id, tenant, clinician_name, patient_reference, date_of_service, transcription_type,
    original_filename, received_at
) VALUES (
    :recording_id, :tenant, :clinician_name, :patient_reference, CAST(:date_of_service AS date),
    :transcription_type, :original_filename, CAST(:received_at AS timestamptz)
)
ON CONFLICT (recording_id) DO UPDATE SET
    tenant = EXCLUDED.tenant, clinician_name = EXCLUDED.clinician_name,
    patient_reference = EXCLUDED.patient_reference, date_of_service = EXCLUDED.date_of_service,
    transcription_type = EXCLUDED.transcription_type, original_filename = EXCLUDED.original_filename,
    received_at = EXCLUDED.received_at
"""

# dates and timestamps come back as text from both drivers (the Data API has no date type; its timestamps
# lack the zone), so pydantic parses one ISO 8601 form whatever the driver
SQL_GET_DETAILS = """
SELECT recording_id, tenant, clinician_name, patient_reference, CAST(date_of_service AS text),
    transcription_type, original_filename,
    to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
FROM recording_details WHERE recording_id = :recording_id
"""
_DETAIL_COLUMNS = (
    "recording_id",
    "tenant",
    "clinician_name",
    "patient_reference",
    "date_of_service",
    "transcription_type",
    "original_filename",
    "received_at",
)

SQL_DELETE_FLAGS = "DELETE FROM review_flags WHERE recording_id = :recording_id"
SQL_INSERT_FLAG = """
INSERT INTO review_flags (
    recording_id, flag_id, kind, subject, message, score, entity_id, begin_offset, end_offset, created_at
) VALUES (
    :recording_id, :flag_id, :kind, :subject, :message, :score, :entity_id, :begin_offset, :end_offset,
    CAST(:at AS timestamptz)
)
"""


class DetailsTables(Tables):
    def save_details(self, details: RecordingDetails) -> None:
        """Upsert the recording's request fields (PHI: never logged)."""
        params = details.model_dump()
        dos = params["date_of_service"]
        params["date_of_service"] = dos.isoformat() if dos is not None else None
        with self._transaction() as s:
            s.execute(SQL_UPSERT_DETAILS, params)

    def get_details(self, recording_id: str) -> RecordingDetails | None:
        with self._transaction() as s:
            rows = s.execute(SQL_GET_DETAILS, {"recording_id": recording_id})
        if not rows:
            return None
        return RecordingDetails.model_validate(dict(zip(_DETAIL_COLUMNS, rows[0], strict=True)))

    def save_review_flags(self, *, recording_id: str, flags: list[dict[str, Any]], at: datetime) -> int:
        """Replace the recording's review flags (``Draft.flags`` as JSON) in one transaction."""
        rows = [
            {
                "recording_id": recording_id,
                "flag_id": index,
                "kind": flag["kind"],
                "subject": flag["subject"],
                "message": flag["message"],
                "score": None if flag.get("score") is None else float(flag["score"]),
                "entity_id": flag.get("entity_id"),
                "begin_offset": flag.get("begin_offset"),
                "end_offset": flag.get("end_offset"),
                "at": at,
            }
            for index, flag in enumerate(flags)
        ]
        with self._transaction() as s:
            s.execute(SQL_DELETE_FLAGS, {"recording_id": recording_id})
            if rows:
                s.execute_many(SQL_INSERT_FLAG, rows)
        return len(rows)
