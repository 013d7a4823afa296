"""``GET /recordings/search``: the caller's tenant's recordings by what was said and what was found.

- The tenant is the verified caller's, always; operators (who never read transcripts) are refused (403).
- Bounded input before any read: ``q`` 1-200 characters, drug/condition 1-100, at least one of the three,
  ``from`` <= ``to``, limit 1-50, no control characters; otherwise 400.
- The page cursor is signed (HMAC-SHA256): it carries the tenant, the offset and a digest of the query, so
  a cursor cannot be replayed for another tenant or another query, or edited (400).
- Audit policy for searches: query terms are PHI (a patient's name may be typed in ``q``), so the audit row
  keeps who / when / which filters were used / how many hits, and the terms only as a keyed digest
  (HMAC-SHA256 of the normalised terms, key = the cursor key): an investigator holding the key can check
  whether someone searched for a given term; nobody reading the table learns the terms.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from medscribe.api.caller import Caller, Forbidden
from medscribe.ports import SearchQuery

if TYPE_CHECKING:
    from medscribe.api.service import RequestMeta
    from medscribe.wiring import Services

MAX_QUERY_CHARS = 200
MAX_FILTER_CHARS = 100
MAX_LIMIT = 50
MAX_OFFSET = 1000  # deeper pages are not a search any more: refine the query
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
STATUSES = frozenset(
    {"UPLOAD_PENDING", "RECEIVED", "VALIDATED", "TRANSCRIBING", "TRANSCRIBED", "FAILED", "COMPLETED"}
)


class SearchRejected(ValueError):
    """A search the API cannot run (400): empty, too long, contradictory, or a bad cursor."""


class MatchView(BaseModel):
    category: str
    text: str


class SearchHitView(BaseModel):
    recording_id: str
    status: str
    date_of_service: str | None = None
    updated_at: str | None = None
    rank: float
    snippet: str
    matches: list[MatchView]


class SearchPage(BaseModel):
    hits: list[SearchHitView]
    next: str | None = None


@cache
def _process_key() -> bytes:
    return os.urandom(32)


def cursor_key(svc: Services) -> bytes:
    """The HMAC key for cursors and audit digests: ``CURSOR_SIGNING_KEY`` (a Secrets Manager value on AWS);
    unset, a per-process random key (cursors then last as long as the process: a later page answers 400)."""
    configured = svc.settings.cursor_signing_key
    return configured.encode() if configured else _process_key()


def _clean(name: str, value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise SearchRejected(f"{name} is empty")
    if len(value) > limit:
        raise SearchRejected(f"{name} is longer than {limit} characters")
    if _CONTROL.search(value):
        raise SearchRejected(f"{name} holds control characters")
    return value


def query_digest_of(key: bytes, *parts: Any) -> str:
    """The keyed digest of a search's terms kept in the audit table (never the terms)."""
    text = json.dumps([p if not isinstance(p, date) else p.isoformat() for p in parts], separators=(",", ":"))
    return hmac.new(key, text.lower().encode(), hashlib.sha256).hexdigest()


def _sign(key: bytes, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    mac = hmac.new(key, body, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(mac + body).decode().rstrip("=")


def _verify(key: bytes, token: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        mac, body = raw[:16], raw[16:]
        if not hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).digest()[:16]):
            raise SearchRejected("invalid next token")
        value = json.loads(body)
    except (ValueError, binascii.Error) as exc:
        raise SearchRejected("invalid next token") from exc
    if not isinstance(value, dict):
        raise SearchRejected("invalid next token")
    return value


def search(
    caller: Caller,
    svc: Services,
    meta: RequestMeta,
    *,
    q: str | None = None,
    drug: str | None = None,
    condition: str | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 20,
    next_token: str | None = None,
) -> SearchPage:
    from medscribe.api.service import audit

    if not caller.may_read_phi:
        raise Forbidden(f"role {caller.role} may not search what was said")
    q = _clean("q", q, MAX_QUERY_CHARS)
    drug = _clean("drug", drug, MAX_FILTER_CHARS)
    condition = _clean("condition", condition, MAX_FILTER_CHARS)
    if q is None and drug is None and condition is None:
        raise SearchRejected("give at least one of q, drug, condition")
    if status is not None and status not in STATUSES:
        raise SearchRejected(f"unknown status {status[:20]!r}")
    if date_from and date_to and date_from > date_to:
        raise SearchRejected("from is after to")
    limit = max(1, min(limit, MAX_LIMIT))
    key = cursor_key(svc)
    query_digest = query_digest_of(key, q, drug, condition, status, date_from, date_to)
    offset = 0
    if next_token:
        cursor = _verify(key, next_token)
        if cursor.get("t") != caller.tenant or cursor.get("h") != query_digest:
            raise SearchRejected("invalid next token")
        offset = int(cursor.get("o", 0))
        if not 0 <= offset <= MAX_OFFSET:
            raise SearchRejected("invalid next token")
    query = SearchQuery(
        tenant=caller.tenant,
        q=q,
        drug=drug,
        condition=condition,
        status=status,
        date_from=date_from,
        date_to=date_to,
        limit=limit + 1,  # one more than the page: is there a next page?
        offset=offset,
    )
    hits = svc.search.search(query)
    more = len(hits) > limit and offset + limit <= MAX_OFFSET
    page = hits[:limit]
    audit(
        svc,
        caller,
        "recording.search",
        meta,
        target_tenant=caller.tenant,
        detail={
            "filters": sorted(n for n, v in (("q", q), ("drug", drug), ("condition", condition)) if v),
            "query_digest": query_digest,
            "hits": len(page),
            "offset": offset,
        },
    )
    return SearchPage(
        hits=[
            SearchHitView(
                recording_id=h.recording_id,
                status=h.status,
                date_of_service=h.date_of_service,
                updated_at=h.updated_at,
                rank=h.rank,
                snippet=h.snippet,
                matches=[MatchView(**m) for m in h.matches],
            )
            for h in page
        ],
        next=_sign(key, {"t": caller.tenant, "o": offset + limit, "h": query_digest}) if more else None,
    )
