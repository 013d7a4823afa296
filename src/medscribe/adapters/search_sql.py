"""Search over a tenant's recordings, done by PostgreSQL (migration ``0007_search``).

- Full text: ``transcriptions.search_vector`` (English stems + every token as said, GIN index), queried with
  ``websearch_to_tsquery`` (quotes, ``or``, ``-word`` as a web search box), ranked by ``ts_rank_cd``; the
  snippet is ``ts_headline`` with the matches between ``<<`` and ``>>``.
- Exact filters: normalised entity names (``lower(btrim(text))``, indexed per category) for drug and condition,
  status, and the date of service (the recording's receipt date when none was given).
- The tenant is always the first predicate. The same SQL text runs on psycopg and the RDS Data API
  (``:name`` parameters, explicit casts so a NULL filter needs no driver type hint).
- Ranked rows are chosen first (ORDER BY rank, id with LIMIT/OFFSET); only those get a snippet and their
  matching entities.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from medscribe.ports import SearchHit, SearchQuery

HIGHLIGHT_START, HIGHLIGHT_STOP = "<<", ">>"

TSQUERY = (
    "(websearch_to_tsquery('english', CAST(:q AS text)) || websearch_to_tsquery('simple', CAST(:q AS text)))"
)
SERVED = "COALESCE(d.date_of_service, CAST(r.received_at AS date))"
_ENTITY_FILTER = (
    "t.recording_id IN (SELECT e.recording_id FROM entities e WHERE e.category = '{category}' "
    "AND lower(btrim(e.text)) = lower(btrim(CAST(:{name} AS text))))"
)
_FILTERS = {  # parameter -> predicate; only the given ones are in the SQL, so the planner sees plain predicates
    "q": f"t.search_vector @@ {TSQUERY}",
    "status": "r.status = CAST(:status AS text)",
    "drug": _ENTITY_FILTER.format(category="MEDICATION", name="drug"),
    "condition": _ENTITY_FILTER.format(category="MEDICAL_CONDITION", name="condition"),
    "date_from": f"{SERVED} >= CAST(:date_from AS date)",
    "date_to": f"{SERVED} <= CAST(:date_to AS date)",
}
_MATCHES = """CAST(COALESCE((
    SELECT jsonb_agg(DISTINCT jsonb_build_object('category', e.category, 'text', e.text))
    FROM entities e
    WHERE e.recording_id = ranked.recording_id AND e.category IN ('MEDICATION', 'MEDICAL_CONDITION')
      AND ({match})
), '[]'::jsonb) AS text)"""


def search_sql(query: SearchQuery) -> str:
    """The SQL of one search: fixed fragments for the filters it uses (never any request text in the SQL)."""
    given = {name for name, value in query.parameters().items() if value is not None}
    where = " AND ".join(["r.tenant = :tenant", *(sql for name, sql in _FILTERS.items() if name in given)])
    rank = f"ts_rank_cd(t.search_vector, {TSQUERY})" if "q" in given else "0"
    snippet = (
        f"ts_headline('english', t.text, {TSQUERY}, "
        "'StartSel=<<, StopSel=>>, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=\" … \"')"
        if "q" in given
        else "left(t.text, 200)"
    )
    match = [f"to_tsvector('english', e.text) @@ {TSQUERY}"] if "q" in given else []
    match += [
        f"lower(btrim(e.text)) = lower(btrim(CAST(:{n} AS text)))"
        for n in ("drug", "condition")
        if n in given
    ]
    return f"""
WITH ranked AS (
    SELECT r.recording_id, r.status, r.updated_at, {SERVED} AS date_of_service, {rank} AS rank
    FROM transcriptions t
    JOIN recordings r ON r.recording_id = t.recording_id
    LEFT JOIN recording_details d ON d.recording_id = r.recording_id
    WHERE {where}
    ORDER BY rank DESC, r.recording_id
    LIMIT :limit OFFSET :offset
)
SELECT ranked.recording_id, ranked.status, CAST(ranked.updated_at AS text), CAST(ranked.date_of_service AS text),
       CAST(ranked.rank AS double precision), {snippet} AS snippet, {_MATCHES.format(match=" OR ".join(match) or "false")}
FROM ranked
JOIN transcriptions t ON t.recording_id = ranked.recording_id
ORDER BY ranked.rank DESC, ranked.recording_id
"""


class _Session(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]: ...


def search(session: _Session, query: SearchQuery) -> list[SearchHit]:
    hits = []
    for rid, status, updated, served, rank, snippet, matches in session.execute(
        search_sql(query), _used(query)
    ):
        found = json.loads(matches) if isinstance(matches, str) else (matches or [])
        hits.append(
            SearchHit(
                recording_id=rid,
                status=status,
                updated_at=updated,
                date_of_service=served,
                rank=round(float(rank), 6),
                snippet=snippet or "",
                matches=sorted(found, key=lambda m: (m["category"], m["text"].lower())),
            )
        )
    return hits


def _used(query: SearchQuery) -> dict[str, Any]:
    """Only the parameters the SQL names (the Data API refuses unused ones)."""
    return {
        k: v for k, v in query.parameters().items() if v is not None or k in ("tenant", "limit", "offset")
    }
