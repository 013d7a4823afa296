"""`make bench-backfill`: 40 recordings through BackfillPipeline on the local stack vs the same 40 run one by
one (upload -> execution -> wait, as `medscribe run` does), in one warm LocalPipeline; prints both wall times
and the throughput ratio (goal >= 1.7x on 2 cores). The last stdout line is one JSON object.

Each mode gets its own copies (distinct keys, so distinct recording ids: nothing is skipped). A warm-up
recording runs first so neither mode pays the decoder's start. BENCH_BACKFILL_N (40) and
BENCH_BACKFILL_AUDIO (corpus/audio/d20.wav, 6 s of dictation) change the workload.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

from medscribe.cli_backfill import run_backfill
from medscribe.local.engine import LocalPipeline

ROOT = Path(os.environ.get("MEDSCRIBE_ROOT", Path(__file__).resolve().parents[1]))
N = int(os.environ.get("BENCH_BACKFILL_N", "40"))
AUDIO = Path(os.environ.get("BENCH_BACKFILL_AUDIO", ROOT / "corpus" / "audio" / "d20.wav"))
TENANT = "demo"


def main() -> int:
    out = sys.stdout
    with (
        tempfile.TemporaryDirectory() as home,
        redirect_stdout(sys.stderr),
        LocalPipeline(ROOT, home=Path(home), instant_waits=True, prewarm_workers=True) as pipeline,
    ):
        _, warm = pipeline.start_from_upload(AUDIO, tenant=TENANT)
        pipeline.wait(warm, timeout=600)
        s3 = pipeline.client("s3")
        sequential = _one_by_one(pipeline, N)
        for i in range(N):
            s3.upload_file(str(AUDIO), pipeline.bucket, f"backfill/{TENANT}/bench/{i:03d}.wav")
        started = time.monotonic()
        summary = run_backfill(pipeline, TENANT, f"backfill/{TENANT}/bench/")
        bulk = time.monotonic() - started
    figures = {
        "recordings": N,
        "audio": AUDIO.name,
        "one_by_one_s": round(sequential, 2),
        "backfill_s": round(bulk, 2),
        "throughput_ratio": round(sequential / bulk, 2),
        "backfill_succeeded": summary.succeeded,
        "backfill_failed": summary.failed,
        "cpus": os.cpu_count(),
    }
    print(f"one by one: {sequential:.1f} s, backfill: {bulk:.1f} s, ratio {sequential / bulk:.2f}x", file=out)
    print(json.dumps(figures), file=out, flush=True)
    return 0


def _one_by_one(pipeline: LocalPipeline, n: int) -> float:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            copy = Path(tmp) / f"one-{i:03d}.wav"
            copy.write_bytes(AUDIO.read_bytes())
            _, arn = pipeline.start_from_upload(copy, tenant=TENANT)
            pipeline.wait(arn, timeout=600)
    return time.monotonic() - started


if __name__ == "__main__":
    raise SystemExit(main())
