"""The append-only audit table (migration 0002): who did what to which recording, ids only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from medscribe.adapters.database.sql import Tables

AUDIT_COLUMNS = (
    "actor_sub",
    "actor_tenant",
    "actor_role",
    "action",
    "recording_id",
    "target_tenant",
    "outcome",
    "source_ip",
    "user_agent",
    "request_id",
)
SQL_APPEND_AUDIT = f"INSERT INTO audit_events ({', '.join(AUDIT_COLUMNS)}) VALUES ({', '.join(':' + c for c in AUDIT_COLUMNS)})"
SQL_SELECT_AUDIT = f"SELECT event_id, CAST(occurred_at AS text), {', '.join(AUDIT_COLUMNS)} FROM audit_events"


class AuditTable(Tables):
    def append_audit(self, entry: Mapping[str, Any]) -> None:
        """One row of the append-only ``audit_events`` table (migration 0002): ids and who/what/where only."""
        with self._transaction() as s:
            s.execute(SQL_APPEND_AUDIT, {name: entry.get(name) for name in AUDIT_COLUMNS})

    def audit_events(self, recording_id: str | None = None) -> list[dict[str, Any]]:
        """Audit rows, oldest first (all, or one recording's): for tests and investigations."""
        sql = SQL_SELECT_AUDIT + (" WHERE recording_id = :recording_id" if recording_id else "")
        with self._transaction() as s:
            rows = s.execute(sql + " ORDER BY event_id", {"recording_id": recording_id})
        return [dict(zip(("event_id", "occurred_at", *AUDIT_COLUMNS), row, strict=True)) for row in rows]
