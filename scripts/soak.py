"""`make soak`: many concurrent recordings in ONE local stack (real ASL, real handlers, offline ASR in worker
processes, real PostgreSQL), then the books: every recording must end terminal, exactly one row set and exactly
one outcome event each. Measures concurrent vs sequential throughput side by side in one run. Not a test: it
prints figures (stdout: figures only, the last line JSON; the handlers' logs go to stderr).

    .venv/bin/python scripts/soak.py [--concurrency 20,100] [--sequential 4] [--clip-seconds 8]

Each concurrent batch is framed by two sequential batches in the same stack (seq, 20 concurrent, seq, 100
concurrent, seq): its ratio is its throughput over the mean of the two sequential throughputs around it, so a
change of the machine's load during the run moves both sides alike. CPU seconds per recording (this process,
all threads; the offline workers) say where the time goes when the ratio falls short.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import psutil
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


class CpuMeter:
    """CPU seconds of this process (every thread), of its children (the offline workers) and of the embedded
    PostgreSQL (not a child: pg_ctl detaches it; its postmaster, the backends it reaped and those alive) between
    two readings."""

    def __init__(self, pgdata: Path | None = None) -> None:
        self.me = psutil.Process()
        self.postmaster: psutil.Process | None = None
        pid_file = pgdata / "postmaster.pid" if pgdata else None
        if pid_file is not None and pid_file.is_file():
            self.postmaster = psutil.Process(int(pid_file.read_text().split()[0]))

    def read(self) -> tuple[float, float, float]:
        own = self.me.cpu_times()
        return own.user + own.system, _tree_seconds(self.me.children(recursive=True)), self._postgres()

    def _postgres(self) -> float:
        if self.postmaster is None:
            return 0.0
        try:
            times = self.postmaster.cpu_times()
            children = self.postmaster.children(recursive=True)
        except psutil.Error:
            return 0.0
        reaped = times.children_user + times.children_system  # one backend per connection, reaped on close
        return times.user + times.system + reaped + _tree_seconds(children)


def _tree_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def run_batch(
    pipeline: LocalPipeline, clips: list[Path], tenant: str, concurrent: bool, meter: CpuMeter
) -> dict[str, Any]:
    cpu_before = meter.read()
    started = time.monotonic()

    def one(clip: Path) -> Any:
        try:
            recording_id, arn = pipeline.start_from_upload(clip, tenant=tenant, timeout=300)
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
    wall = time.monotonic() - started
    cpu_after = meter.read()
    return {
        "count": len(clips),
        "wall_s": wall,
        "per_min": 60 * len(clips) / wall,
        "cpu_main_s": (cpu_after[0] - cpu_before[0]) / len(clips),
        "cpu_workers_s": (cpu_after[1] - cpu_before[1]) / len(clips),
        "cpu_postgres_s": (cpu_after[2] - cpu_before[2]) / len(clips),
        "load": os.getloadavg()[0],
        "results": results,
    }


def books(database_url: str, results: list[Any], events: list[dict[str, Any]]) -> dict[str, Any]:
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


def _checked(pipeline: LocalPipeline, database_url: str, batch: dict[str, Any]) -> dict[str, Any]:
    figures = books(database_url, batch.pop("results"), pipeline.received_events())
    return {**batch, "books": figures}


def soak(args: argparse.Namespace) -> dict[str, Any]:
    levels = [int(n) for n in args.concurrency.split(",") if n.strip()]
    with tempfile.TemporaryDirectory(prefix="medscribe-soak-") as tmp:
        folder = Path(tmp)
        clips = make_clips(folder, 1 + sum(levels) + args.sequential * (len(levels) + 1), args.clip_seconds)
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
        parameters = {
            "PollIntervalSeconds": str(args.poll_interval),
            "MaxPolls": str(args.max_polls),
            "Tenants": "soak-warmup,soak-seq,soak",  # uploads under unknown tenant folders are refused
            # The callback wait's heartbeat (x 3 waits) bounds how long a recording may wait for its transcript:
            # 100 recordings queued behind 2 decoding workers wait minutes, more on a shared machine. It is
            # also how long a lost completion signal takes to be noticed (the expiry re-checks the job).
            "CallbackBaseSeconds": str(args.callback_base_seconds),
        }
        with LocalPipeline(
            ROOT, home=folder / "home", parameters=parameters, prewarm_workers=True, persist=args.persist
        ) as pipeline:
            database_url = str(pipeline.database_url)
            meter = CpuMeter(pipeline.postgres.pgdata if pipeline.postgres is not None else None)
            # Every worker started and loaded before anything is measured (prewarm_workers starts them all).
            for ready in pipeline.workers_ready:
                ready.result(timeout=300)
            run_batch(pipeline, clips[:1], "soak-warmup", False, meter)  # imports, workers, decoder loads
            pipeline.received_events()
            rest = clips[1:]

            def take(n: int) -> list[Path]:
                nonlocal rest
                batch, rest = rest[:n], rest[n:]
                return batch

            sequential = [
                _checked(
                    pipeline,
                    database_url,
                    run_batch(pipeline, take(args.sequential), "soak-seq", False, meter),
                )
            ]
            concurrent = []
            for level in levels:
                batch = run_batch(pipeline, take(level), "soak", True, meter)
                concurrent.append(_checked(pipeline, database_url, batch))
                seq = run_batch(pipeline, take(args.sequential), "soak-seq", False, meter)
                sequential.append(_checked(pipeline, database_url, seq))
            state = pipeline.state  # the durable state's snapshots (--persist), read before the last save
            snapshots = {"saves": state.saves, "seconds": round(state.save_seconds, 2)} if state else None
    cores = os.cpu_count() or 1
    for i, batch in enumerate(concurrent):
        pair = (sequential[i], sequential[i + 1])
        around = sum(b["per_min"] for b in pair) / 2
        batch["sequential_per_min"] = around
        batch["ratio"] = batch["per_min"] / around
        # What the CPU seconds allow on an otherwise idle machine: a sequential recording costs its CPU seconds
        # (its waits only make it slower), the concurrent ones share the cores, this process on one core at most.
        # PostgreSQL's CPU counts too (session 7 on: it shares the cores).
        seq_cpu = sum(b["cpu_main_s"] + b["cpu_workers_s"] + b["cpu_postgres_s"] for b in pair) / 2
        main = batch["cpu_main_s"]
        total = main + batch["cpu_workers_s"] + batch["cpu_postgres_s"]
        batch["cpu_bound_ratio"] = seq_cpu / max(main, total / cores)
    return {"levels": levels, "sequential": sequential, "concurrent": concurrent, "snapshots": snapshots}


def report(out: Any, args: argparse.Namespace, result: dict[str, Any]) -> None:
    def line(text: str) -> None:
        print(text, file=out)

    line(
        f"soak: one stack, {os.cpu_count()} cores, clips of {args.clip_seconds:.0f} s; "
        f"sequential batches of {args.sequential} around each concurrent batch"
    )
    line(
        f"  {'batch':16s} {'wall s':>7s} {'rec/min':>8s} {'ratio':>6s} {'cpu main/rec':>13s} "
        f"{'cpu workers/rec':>16s} {'cpu pg/rec':>11s} {'load':>5s}  books"
    )
    order = []
    for i, batch in enumerate(result["concurrent"]):
        order.append((f"sequential {args.sequential}", result["sequential"][i]))
        order.append((f"concurrent {batch['count']}", batch))
    order.append((f"sequential {args.sequential}", result["sequential"][-1]))
    for name, batch in order:
        b = batch["books"]
        ok = b["succeeded"] == b["recordings"] and not any(
            b[k] for k in ("rows_lost", "rows_duplicated", "events_lost", "events_duplicated")
        )
        books_text = "ok" if ok else json.dumps(b)
        ratio = f"{batch['ratio']:.2f}x" if "ratio" in batch else ""
        line(
            f"  {name:16s} {batch['wall_s']:7.1f} {batch['per_min']:8.1f} {ratio:>6s} "
            f"{batch['cpu_main_s']:12.2f}s {batch['cpu_workers_s']:15.2f}s {batch['cpu_postgres_s']:10.2f}s "
            f"{batch['load']:5.1f}  {books_text}"
        )
    for batch in result["concurrent"]:
        line(
            f"  concurrent {batch['count']:>3d} / sequential: {batch['ratio']:.2f}x  (goal >= 1.7x on 2 cores); "
            f"CPU-seconds bound on idle cores: {batch['cpu_bound_ratio']:.2f}x"
        )
    summary: dict[str, Any] = {
        f"concurrent_{b['count']}": {
            "ratio": round(b["ratio"], 2),
            "cpu_bound_ratio": round(b["cpu_bound_ratio"], 2),
            "wall_s": round(b["wall_s"], 1),
            "per_min": round(b["per_min"], 1),
            "sequential_per_min": round(b["sequential_per_min"], 1),
            "cpu_main_s_per_recording": round(b["cpu_main_s"], 2),
            "cpu_workers_s_per_recording": round(b["cpu_workers_s"], 2),
            "cpu_postgres_s_per_recording": round(b["cpu_postgres_s"], 2),
            "load_average": round(b["load"], 1),
            **{k: v for k, v in b["books"].items() if k != "recordings"},
        }
        for b in result["concurrent"]
    }
    summary["sequential"] = [
        {
            "per_min": round(b["per_min"], 1),
            "cpu_main_s_per_recording": round(b["cpu_main_s"], 2),
            "cpu_workers_s_per_recording": round(b["cpu_workers_s"], 2),
            "cpu_postgres_s_per_recording": round(b["cpu_postgres_s"], 2),
            "succeeded": b["books"]["succeeded"],
        }
        for b in result["sequential"]
    ]
    if result["snapshots"] is not None:
        summary["snapshots"] = result["snapshots"]
        line(f"  durable state: {result['snapshots']['saves']} snapshots, {result['snapshots']['seconds']} s")
    line(json.dumps(summary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--concurrency", default="20,100", help="concurrent batch sizes, comma-separated")
    parser.add_argument("--sequential", type=int, default=4, help="recordings per sequential batch")
    parser.add_argument("--clip-seconds", type=float, default=8.0)
    parser.add_argument(
        "--poll-interval", type=int, default=5, help="seconds between job polls (poll mode only)"
    )
    parser.add_argument("--max-polls", type=int, default=300)
    parser.add_argument(
        "--callback-base-seconds",
        type=int,
        default=120,
        help="the callback wait's heartbeat base (local default: 60): 3 waits of it bound a recording's queueing",
    )
    parser.add_argument(
        "--persist", action="store_true", help="durable local state, as `serve` and `run` keep it (snapshots)"
    )
    args = parser.parse_args()
    # Figures only on stdout: the handlers log (and powertools prints metrics) to file descriptor 1.
    sys.stdout.flush()
    figures = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    result = soak(args)
    report(figures, args, result)
    figures.flush()


if __name__ == "__main__":
    main()
