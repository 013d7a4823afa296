"""The append-only audit table (migrations 0002, 0005 channel, 0007 detail): who did what to which recording,
ids only; ``detail`` is PHI-free by contract (e.g. a search's filter names and keyed digest of its terms)."""

from __future__ import annotations

import json
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
    "channel",
    "detail",
)
_AUDIT_VALUES = ", ".join("CAST(:detail AS jsonb)" if c == "detail" else ":" + c for c in AUDIT_COLUMNS)
SQL_APPEND_AUDIT = f"INSERT INTO audit_events ({', '.join(AUDIT_COLUMNS)}) VALUES ({_AUDIT_VALUES})"
_AUDIT_SELECT = ", ".join("CAST(detail AS text)" if c == "detail" else c for c in AUDIT_COLUMNS)
SQL_SELECT_AUDIT = f"SELECT event_id, CAST(occurred_at AS text), {_AUDIT_SELECT} FROM audit_events"


class AuditTable(Tables):
    def append_audit(self, entry: Mapping[str, Any]) -> None:
        """One row of the append-only ``audit_events`` table (migration 0002): ids and who/what/where only."""
        with self._transaction() as s:
            params = {name: entry.get(name) for name in AUDIT_COLUMNS}
            params["channel"] = params["channel"] or "api"  # the column's default (migration 0005)
            s.execute(SQL_APPEND_AUDIT, params)

    def audit_events(self, recording_id: str | None = None) -> list[dict[str, Any]]:
        """Audit rows, oldest first (all, or one recording's): for tests and investigations."""
        sql = SQL_SELECT_AUDIT + (" WHERE recording_id = :recording_id" if recording_id else "")
        with self._transaction() as s:
            rows = s.execute(sql + " ORDER BY event_id", {"recording_id": recording_id})
        events = [dict(zip(("event_id", "occurred_at", *AUDIT_COLUMNS), row, strict=True)) for row in rows]
        for event in events:
            event["detail"] = json.loads(event["detail"]) if event["detail"] else None
        return events
