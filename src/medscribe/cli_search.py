"""``medscribe search "words" --tenant T [--drug D] [--condition C] [--status S] [--from D] [--to D] [--json]``.

The same search as ``GET /recordings/search`` (PostgreSQL full text + entity filters, one tenant), on the
local data directory that ``run``, ``serve`` and ``backfill`` share. Plain text: one hit a block (id, status,
date, matches, snippet); ``--json``: one JSON object ``{"hits": [{"recording_id", "status", "date_of_service",
"rank", "snippet", "matches"}]}`` as the last stdout line. Every search appends an audit row (channel: the
local CLI) with the filter names and a digest of the terms, never the terms. Exit 0, or 2 with a one-line
error for a search that cannot run (empty or over-long terms, no filter).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from datetime import date
from typing import Any

from medscribe.api.search import MAX_FILTER_CHARS, MAX_LIMIT, MAX_QUERY_CHARS, query_digest_of


def register(sub: Any) -> None:
    p = sub.add_parser("search", help="search a tenant's recordings by what was said and what was found")
    p.add_argument("q", nargs="?", default=None, help='words said (web-search syntax: "phrase", or, -word)')
    p.add_argument("--tenant", required=True)
    p.add_argument("--drug", default=None)
    p.add_argument("--condition", default=None)
    p.add_argument("--status", type=str.upper, default=None)
    p.add_argument("--from", dest="date_from", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true", help="one JSON object as the last stdout line")
    p.set_defaults(func=cmd_search)


def _check(args: argparse.Namespace) -> str | None:
    for name, value, limit in (
        ("q", args.q, MAX_QUERY_CHARS),
        ("--drug", args.drug, MAX_FILTER_CHARS),
        ("--condition", args.condition, MAX_FILTER_CHARS),
    ):
        if value is not None and not value.strip():
            return f"{name} is empty"
        if value is not None and len(value) > limit:
            return f"{name} is longer than {limit} characters"
    if not (args.q or args.drug or args.condition):
        return "give words to search for, or --drug / --condition"
    if not 1 <= args.limit <= MAX_LIMIT:
        return f"--limit must be 1-{MAX_LIMIT}"
    return None


def cmd_search(args: argparse.Namespace) -> int:
    from medscribe.adapters.database import PsycopgRepository
    from medscribe.local.database import local_database, signing_key
    from medscribe.local.engine import default_home
    from medscribe.ports import SearchQuery

    problem = _check(args)
    if problem:
        print(f"medscribe search: {problem}", file=sys.stderr)
        return 2
    query = SearchQuery(
        tenant=args.tenant,
        q=args.q,
        drug=args.drug,
        condition=args.condition,
        status=args.status,
        date_from=args.date_from,
        date_to=args.date_to,
        limit=args.limit,
    )
    with local_database(default_home()) as url:
        repo = PsycopgRepository(url)
        repo.migrate()
        hits = repo.search(query)
        key = signing_key(default_home()).encode()
        digest = query_digest_of(
            key, args.q, args.drug, args.condition, args.status, args.date_from, args.date_to
        )
        repo.append_audit(
            {
                "actor_sub": f"local:{getpass.getuser()}",
                "actor_tenant": args.tenant,
                "actor_role": "local-cli",
                "action": "recording.search",
                "target_tenant": args.tenant,
                "outcome": "allowed",
                "channel": "ops-cli",
                "detail": {
                    "filters": [
                        n for n, v in (("q", args.q), ("drug", args.drug), ("condition", args.condition)) if v
                    ],
                    "query_digest": digest,
                    "hits": len(hits),
                },
            }
        )
    if args.json:
        print(json.dumps({"hits": [asdict(h) for h in hits]}))
        return 0
    if not hits:
        print("no recording matches")
    for h in hits:
        found = ", ".join(f"{m['text']} ({m['category'].lower()})" for m in h.matches) or "-"
        print(f"{h.recording_id}  {h.status}  {h.date_of_service or '-'}  matches: {found}")
        print(f"    {h.snippet}")
    return 0
