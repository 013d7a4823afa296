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

SQL_SEARCH = """
WITH query AS (
    SELECT CASE WHEN CAST(:q AS text) IS NULL THEN NULL
                ELSE websearch_to_tsquery('english', CAST(:q AS text))
                     || websearch_to_tsquery('simple', CAST(:q AS text)) END AS tsq
), ranked AS (
    SELECT r.recording_id, r.status, r.updated_at,
           COALESCE(d.date_of_service, CAST(r.received_at AS date)) AS date_of_service,
           CASE WHEN query.tsq IS NULL THEN 0 ELSE ts_rank_cd(t.search_vector, query.tsq) END AS rank
    FROM recordings r
    JOIN transcriptions t ON t.recording_id = r.recording_id
    LEFT JOIN recording_details d ON d.recording_id = r.recording_id
    CROSS JOIN query
    WHERE r.tenant = :tenant
      AND (query.tsq IS NULL OR t.search_vector @@ query.tsq)
      AND (CAST(:status AS text) IS NULL OR r.status = CAST(:status AS text))
      AND (CAST(:drug AS text) IS NULL OR EXISTS (
            SELECT 1 FROM entities e WHERE e.recording_id = r.recording_id AND e.category = 'MEDICATION'
              AND lower(btrim(e.text)) = lower(btrim(CAST(:drug AS text)))))
      AND (CAST(:condition AS text) IS NULL OR EXISTS (
            SELECT 1 FROM entities e WHERE e.recording_id = r.recording_id AND e.category = 'MEDICAL_CONDITION'
              AND lower(btrim(e.text)) = lower(btrim(CAST(:condition AS text)))))
      AND (CAST(:date_from AS date) IS NULL
           OR COALESCE(d.date_of_service, CAST(r.received_at AS date)) >= CAST(:date_from AS date))
      AND (CAST(:date_to AS date) IS NULL
           OR COALESCE(d.date_of_service, CAST(r.received_at AS date)) <= CAST(:date_to AS date))
    ORDER BY rank DESC, r.recording_id
    LIMIT :limit OFFSET :offset
)
SELECT ranked.recording_id, ranked.status, CAST(ranked.updated_at AS text), CAST(ranked.date_of_service AS text),
       CAST(ranked.rank AS double precision),
       CASE WHEN query.tsq IS NULL THEN left(t.text, 200)
            ELSE ts_headline('english', t.text, query.tsq,
                 'StartSel=<<, StopSel=>>, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "')
       END AS snippet,
       CAST(COALESCE((
           SELECT jsonb_agg(DISTINCT jsonb_build_object('category', e.category, 'text', e.text))
           FROM entities e
           WHERE e.recording_id = ranked.recording_id
             AND e.category IN ('MEDICATION', 'MEDICAL_CONDITION')
             AND ((query.tsq IS NOT NULL AND to_tsvector('english', e.text) @@ query.tsq)
                  OR lower(btrim(e.text)) = lower(btrim(CAST(:drug AS text)))
                  OR lower(btrim(e.text)) = lower(btrim(CAST(:condition AS text))))
       ), '[]'::jsonb) AS text) AS matches
FROM ranked
JOIN transcriptions t ON t.recording_id = ranked.recording_id
CROSS JOIN query
ORDER BY ranked.rank DESC, ranked.recording_id
"""


class _Session(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]: ...


def search(session: _Session, query: SearchQuery) -> list[SearchHit]:
    hits = []
    for rid, status, updated, served, rank, snippet, matches in session.execute(
        SQL_SEARCH, query.parameters()
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
