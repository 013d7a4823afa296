"""Search figures through `medscribe serve` (make bench-search): a benchmark script, not a timed test.

Seeds N synthetic recordings (transcripts and entities written straight into PostgreSQL; default 10,000, one
tenant, plus 1,000 of another tenant that must never show up), then runs 200 searches through the local API
with a real token (full text, drug filter, condition filter, combined, paged) and prints p50 / p95 latency and
the EXPLAIN plans that show which indexes the searches use. Last stdout line: one JSON object.

Usage: .venv/bin/python scripts/bench_search.py [--recordings 10000] [--searches 200]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
import requests

from medscribe.adapters.database import PsycopgRepository, to_pyformat
from medscribe.adapters.search_sql import search_sql
from medscribe.cli_front import add_user, id_token
from medscribe.local.database import local_database
from medscribe.local.server import LocalServer
from medscribe.ports import SearchQuery

DRUGS = [
    "metformin",
    "lisinopril",
    "atorvastatin",
    "amlodipine",
    "sertraline",
    "warfarin",
    "apixaban",
    "levothyroxine",
    "omeprazole",
    "salbutamol",
    "prednisolone",
    "amoxicillin",
    "insulin glargine",
    "furosemide",
    "bisoprolol",
    "gabapentin",
    "zolmitriptan",
    "hydroxyzine",
    "hydralazine",
    "quetiapine",
]
RARE_DRUGS = ["zolmitriptan", "dantrolene", "pyridostigmine", "riluzole", "tetrabenazine"]  # ~1 in 200 notes
CONDITIONS = [
    "hypertension",
    "type 2 diabetes",
    "asthma",
    "depression",
    "atrial fibrillation",
    "migraine",
    "hypothyroidism",
    "heart failure",
    "pneumonia",
    "gout",
    "anxiety",
    "osteoarthritis",
    "eczema",
    "chronic kidney disease",
    "copd",
    "urinary tract infection",
]
FILLER = [
    "patient seen today",
    "follow up in two weeks",
    "reports feeling better",
    "no acute distress",
    "vitals stable",
    "discussed lifestyle changes",
    "bloods requested",
    "review in clinic",
    "tolerating medication well",
    "denies chest pain",
    "sleep improved",
    "appetite normal",
]
PASSWORD = "Bench-Search-Passw0rd!"


def transcript(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    drugs, conditions = rng.sample(DRUGS, 2), rng.sample(CONDITIONS, 2)
    parts = [
        rng.choice(FILLER),
        f"known {conditions[0]}",
        f"start {drugs[0]} {rng.choice([5, 10, 20, 50])} mg daily",
        rng.choice(FILLER),
        f"{conditions[1]} is stable",
        f"continue {drugs[1]}",
        rng.choice(FILLER),
    ]
    if rng.random() < 0.005:
        rare = rng.choice(RARE_DRUGS)
        parts.append(f"add {rare}")
        drugs.append(rare)
    rng.shuffle(parts)
    text = ". ".join(p.capitalize() for p in parts) + "."
    found = [("MEDICATION", d) for d in drugs] + [("MEDICAL_CONDITION", c) for c in conditions]
    return text, found


def seed(url: str, n: int, tenant: str, prefix: str, rng: random.Random) -> None:
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        recs, trans, ents = [], [], []
        for i in range(n):
            rid = f"{prefix}{i:06d}"
            text, found = transcript(rng)
            recs.append((rid, tenant, "COMPLETED"))
            trans.append((rid, text, len(text), len(text.split())))
            for eid, (category, name) in enumerate(found):
                at = text.lower().find(name)
                ents.append((rid, eid, category, name, max(at, 0), max(at, 0) + len(name)))
        with cur.copy(
            "COPY recordings (recording_id, tenant, status, received_at, created_at, updated_at) FROM STDIN"
        ) as copy:
            for r in recs:
                copy.write_row((*r, "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"))
        with cur.copy(
            "COPY transcriptions (recording_id, job_name, transcript_key, text_key, text, char_count, "
            "word_count, created_at, updated_at) FROM STDIN"
        ) as copy:
            for rid, text, chars, words in trans:
                copy.write_row(
                    (rid, "j", "k", "k", text, chars, words, "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z")
                )
        with cur.copy(
            "COPY entities (recording_id, entity_id, category, type, text, score, begin_offset, "
            "end_offset, negated, attributes, traits) FROM STDIN"
        ) as copy:
            for rid, eid, category, name, begin, end in ents:
                kind = "GENERIC_NAME" if category == "MEDICATION" else "DX_NAME"
                copy.write_row((rid, eid, category, kind, name, 0.95, begin, end, False, "[]", "[]"))
        cur.execute("ANALYZE")


def searches(rng: random.Random, count: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            out.append({"q": rng.choice(DRUGS + RARE_DRUGS)})
        elif kind == 1:
            out.append({"drug": rng.choice(DRUGS)})
        elif kind == 2:
            out.append({"q": rng.choice(CONDITIONS), "condition": rng.choice(CONDITIONS)})
        else:
            out.append({"q": f'"{rng.choice(FILLER)}" {rng.choice(DRUGS)}', "limit": 10})
    return out


def explain(url: str, query: SearchQuery) -> str:
    with psycopg.connect(url) as conn:
        params = {k: v for k, v in query.parameters().items() if v is not None}
        rows = conn.execute("EXPLAIN (ANALYZE, COSTS OFF) " + to_pyformat(search_sql(query)), params)
        return "\n".join(r[0] for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--recordings", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args(argv)
    rng = random.Random(20261206)
    with tempfile.TemporaryDirectory() as home, local_database(Path(home)) as url:
        PsycopgRepository(url).migrate()
        started = time.monotonic()
        seed(url, args.recordings, "clinic-a", "a", rng)
        seed(url, args.recordings // 10, "clinic-b", "b", rng)
        print(
            f"seeded {args.recordings} + {args.recordings // 10} recordings in {time.monotonic() - started:.1f} s",
            file=sys.stderr,
        )
        with LocalServer(
            port=0,
            aws_port=0,
            home=Path(home) / "serve",
            database_url=url,
            parameters={"Tenants": "clinic-a,clinic-b"},
        ) as server:
            add_user(server.aws_url, "bench@clinic-a.test", "clinic-a", "clinician", PASSWORD)
            token = id_token(server.aws_url, "bench@clinic-a.test", PASSWORD)
            session = requests.Session()
            session.headers["Authorization"] = token
            latencies, hits, foreign = [], 0, 0
            for params in searches(rng, args.searches):
                t0 = time.perf_counter()
                response = session.get(f"{server.api_url}/recordings/search", params=params, timeout=60)
                latencies.append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
                page = response.json()["hits"]
                hits += len(page)
                foreign += sum(1 for h in page if not h["recording_id"].startswith("a"))
        plans = {
            "full_text_rare": explain(url, SearchQuery(tenant="clinic-a", q="dantrolene", limit=21)),
            "full_text_common": explain(url, SearchQuery(tenant="clinic-a", q="metformin", limit=21)),
            "drug_filter": explain(url, SearchQuery(tenant="clinic-a", drug="warfarin", limit=21)),
        }
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    for name, plan in plans.items():
        print(f"--- EXPLAIN {name}\n{plan}", file=sys.stderr)
    indexes = sorted(
        {
            i
            for i in (
                "transcriptions_search_idx",
                "entities_normalised_name_idx",
                "recordings_tenant_updated_idx",
                "recordings_pkey",
            )
            if any(i in plan for plan in plans.values())
        }
    )
    result = {
        "recordings": args.recordings,
        "searches": args.searches,
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "hits": hits,
        "foreign_tenant_hits": foreign,
        "indexes_used": indexes,
    }
    print(json.dumps(result))
    return 0 if foreign == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
