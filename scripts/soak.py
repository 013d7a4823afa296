"""`make soak`: many concurrent recordings in ONE local stack (real ASL, real handlers, offline ASR in worker
processes, real PostgreSQL), then the books: every recording must end terminal, exactly one row set and exactly
one outcome event each. Also measures concurrent vs sequential throughput. Not a test: prints a table.

    .venv/bin/python scripts/soak.py [--recordings 100] [--sequential 6] [--clip-seconds 8]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import soundfile as sf

from medscribe.local.engine import LocalPipeline

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "dictation.wav"


def make_clips(folder: Path, count: int, seconds: float) -> list[Path]:
    """Distinct recordings (distinct bytes -> distinct recording ids): the sample's first seconds plus i x 10 ms."""
    samples, rate = sf.read(SAMPLE, dtype="int16")
    head = samples[: int(seconds * rate)]
    clips = []
    for i in range(count):
        path = folder / f"soak-{i:03d}.wav"
        sf.write(path, np.concatenate([head, np.zeros(160 * (i + 1), dtype=np.int16)]), rate)
        clips.append(path)
    return clips


def run_batch(
    pipeline: LocalPipeline, clips: list[Path], tenant: str, concurrent: bool
) -> tuple[float, list[Any]]:
    started = time.monotonic()

    def one(clip: Path) -> Any:
        try:
            recording_id, arn = pipeline.start_from_upload(clip, tenant=tenant, timeout=120)
        except Exception as exc:  # noqa: BLE001 - a lost recording is a figure, not a crash
            return (clip.name, None, f"not started: {type(exc).__name__}")
        try:
            return (clip.name, recording_id, pipeline.wait(arn, timeout=3600))
        except TimeoutError:
            return (clip.name, recording_id, "not terminal")

    if concurrent:
        with ThreadPoolExecutor(max_workers=len(clips)) as pool:
            results = list(pool.map(one, clips))
    else:
        results = [one(clip) for clip in clips]
    return time.monotonic() - started, results


def books(
    pipeline: LocalPipeline, database_url: str, results: list[Any], events: list[dict[str, Any]]
) -> dict[str, Any]:
    ids = [rid for _, rid, _ in results if rid]
    terminal = [r for _, _, r in results if not isinstance(r, str)]
    succeeded = [r for r in terminal if r.status == "SUCCEEDED"]
    per_event = Counter((e["detail"]["recording_id"], e["detail-type"]) for e in events)
    outcomes = Counter(e["detail"]["recording_id"] for e in events)
    with psycopg.connect(database_url) as conn:
        rows: dict[str, int] = dict(
            conn.execute(
                "SELECT recording_id, count(*) FROM recordings WHERE recording_id = ANY(%s) GROUP BY 1",
                (ids,),
            ).fetchall()
        )
        completed = conn.execute(
            "SELECT count(*) FROM recordings WHERE recording_id = ANY(%s) AND status = 'COMPLETED'", (ids,)
        ).fetchone()
        docs: dict[str, int] = dict(
            conn.execute(
                "SELECT recording_id, count(*) FROM documents WHERE recording_id = ANY(%s) GROUP BY 1", (ids,)
            ).fetchall()
        )
    return {
        "recordings": len(results),
        "terminal": len(terminal),
        "succeeded": len(succeeded),
        "failed": len(terminal) - len(succeeded),
        "lost_executions": len(results) - len(terminal),
        "rows_completed": int(completed[0]) if completed else 0,
        "rows_lost": sum(1 for rid in ids if rid not in rows),
        "rows_duplicated": sum(1 for rid in ids if rows.get(rid, 0) > 1 or docs.get(rid, 0) > 1),
        "events_lost": sum(1 for rid in ids if outcomes[rid] == 0),
        "events_duplicated": len([n for n in per_event.values() if n > 1]),
        "recordings_with_two_outcomes": sum(1 for rid in ids if outcomes[rid] > 1),
        # Why the failed ones failed: error name -> count (names only; causes may quote a recording's data).
        "failure_errors": dict(
            Counter(r.error or "no error name" for r in terminal if r.status != "SUCCEEDED")
        ),
        "failure_states": dict(
            Counter(_failed_state(r.history) for r in terminal if r.status != "SUCCEEDED")
        ),
    }


def _failed_state(history: list[dict[str, Any]]) -> str:
    """The last state a failed execution entered (where its error came from, or the failure path)."""
    entered = [e["stateEnteredEventDetails"]["name"] for e in history if e["type"].endswith("StateEntered")]
    failed = [e["type"] for e in history if e["type"].endswith("Failed") or e["type"].endswith("TimedOut")]
    before_catch = [n for n in entered if n not in {"RecordFailure", "Failed"}]
    return f"{before_catch[-1] if before_catch else '?'} ({failed[0] if failed else 'no failure event'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recordings", type=int, default=100)
    parser.add_argument("--sequential", type=int, default=4)
    parser.add_argument("--clip-seconds", type=float, default=8.0)
    parser.add_argument(
        "--poll-interval", type=int, default=5, help="seconds between job polls (local default)"
    )
    parser.add_argument("--max-polls", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="medscribe-soak-") as tmp:
        folder = Path(tmp)
        clips = make_clips(folder, args.recordings + args.sequential + 1, args.clip_seconds)
        warmup, clips = clips[:1], clips[1:]
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
        # Real waits at the local poll interval: with 100 executions, "instant" 0.25-s waits turn the poll loop
        # into hundreds of state transitions a second in the (GIL-bound) interpreter, which then starves the rest.
        parameters = {
            "PollIntervalSeconds": str(args.poll_interval),
            "MaxPolls": str(args.max_polls),
            "Tenants": "soak-warmup,soak-seq,soak",  # uploads under unknown tenant folders are refused
        }
        with LocalPipeline(
            ROOT, home=folder / "home", parameters=parameters, prewarm_workers=True
        ) as pipeline:
            database_url = str(pipeline.database_url)
            run_batch(
                pipeline, warmup, "soak-warmup", concurrent=False
            )  # imports, ASR workers, decoder loads
            pipeline.received_events()
            seq_wall, seq = run_batch(pipeline, clips[: args.sequential], "soak-seq", concurrent=False)
            seq_events = pipeline.received_events()
            wall, results = run_batch(pipeline, clips[args.sequential :], "soak", concurrent=True)
            events = pipeline.received_events()
            figures = books(pipeline, database_url, results, events)
            seq_figures = books(pipeline, database_url, seq, seq_events)
    per_min_conc = 60 * args.recordings / wall
    per_min_seq = 60 * args.sequential / seq_wall
    print(
        f"soak: {args.recordings} concurrent recordings of {args.clip_seconds:.0f} s, one stack, {os.cpu_count()} cores"
    )
    for name, value in figures.items():
        print(f"  {name:32s} {value}")
    print(f"  {'wall time (concurrent)':32s} {wall:.1f} s  ({per_min_conc:.1f} recordings/min)")
    print(
        f"  {'sequential baseline':32s} {args.sequential} in {seq_wall:.1f} s  ({per_min_seq:.1f} recordings/min)"
        f"  all succeeded: {seq_figures['succeeded'] == args.sequential}"
    )
    print(f"  {'concurrent / sequential':32s} {per_min_conc / per_min_seq:.2f}x  (goal >= 1.7x on 2 cores)")
    print(
        json.dumps(
            {
                **figures,
                "wall_s": round(wall, 1),
                "sequential_wall_s": round(seq_wall, 1),
                "throughput_ratio": round(per_min_conc / per_min_seq, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
