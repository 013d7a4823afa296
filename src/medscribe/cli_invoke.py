"""``medscribe invoke FUNCTION -e EVENT.json``: one handler on a local stack (the docker-free ``sam local invoke``),
and the progress printer ``medscribe run`` shares."""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import redirect_stdout
from typing import Any, TextIO


def progress(stream: TextIO, started: float) -> Any:
    def on_event(event: dict[str, Any]) -> None:
        kind = event["type"]
        elapsed = time.monotonic() - started
        if "stateEnteredEventDetails" in event:
            print(
                f"[{elapsed:7.2f}s] -> {event['stateEnteredEventDetails']['name']}", file=stream, flush=True
            )
        elif kind.endswith("Failed") or kind.endswith("TimedOut"):
            details: dict[str, Any] = next((v for k, v in event.items() if k.endswith("EventDetails")), {})
            print(f"[{elapsed:7.2f}s] !! {kind}: {details.get('error', '')}", file=stream, flush=True)
        elif kind in ("ExecutionSucceeded",):
            print(f"[{elapsed:7.2f}s] == {kind}", file=stream, flush=True)

    return on_event


def json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def cmd_invoke(args: argparse.Namespace) -> int:
    from medscribe.local.engine import LocalPipeline

    event = args.event
    real_stdout = sys.stdout
    print("medscribe: starting the local stack", file=sys.stderr, flush=True)
    with redirect_stdout(sys.stderr), LocalPipeline(instant_waits=True) as pipeline:
        spec = _function_spec(pipeline, args.function)
        if not args.no_seed:
            _seed(pipeline, event, needs_run=spec.logical_id not in SEED_AUDIO_ONLY)
        print(f"medscribe: invoking {spec.logical_id}", file=sys.stderr, flush=True)
        try:
            result = pipeline.dispatcher.call(spec.arn, event)
        except Exception as exc:  # noqa: BLE001 - reported as Lambda would, as an error object
            result = {"errorType": type(exc).__name__, "errorMessage": str(exc)}
            print(json.dumps(result), file=real_stdout)
            return 1
    print(json.dumps(result, default=json_default), file=real_stdout)
    return 0


def _function_spec(pipeline: Any, name: str) -> Any:
    for spec in pipeline.stack.functions.values():
        folder = spec.code_uri.name
        if name in (spec.logical_id, spec.name, folder, spec.logical_id.removesuffix("Function")):
            return spec
    known = ", ".join(sorted(s.logical_id for s in pipeline.stack.functions.values()))
    raise SystemExit(f"medscribe: unknown function {name!r}; one of: {known}")


# Functions whose events need only the audio object in place (no earlier step's artifacts).
SEED_AUDIO_ONLY = {"ValidateAudioFunction", "StartTranscriptionFunction", "StartRecordingFunction"}


def _seed(pipeline: Any, event: dict[str, Any], *, needs_run: bool = True) -> None:
    """Give the event something to act on: the sample dictation uploaded where the event points, and, for
    steps that read an earlier step's artifacts, one real run of the pipeline for the event's recording id
    (progress on stderr)."""
    sample = pipeline.root / "samples" / "dictation.wav"
    recording = event.get("recording")
    key: str | None = None
    if recording:
        key = recording["audio_key"]
    elif event.get("source") == "aws.s3":
        key = event["detail"]["object"]["key"]
    elif event.get("httpMethod") == "POST" and event.get("body"):
        key = json.loads(event["body"]).get("audio_key")
    if key:
        with pipeline.triggers_paused():  # the upload alone starts nothing: only the invoked handler runs
            put = pipeline.client("s3").put_object(Bucket=pipeline.bucket, Key=key, Body=sample.read_bytes())
        if event.get("source") == "aws.s3" and "version-id" in event["detail"]["object"]:
            # the event names the version it announces, as S3's does: the one just seeded (versioned bucket)
            event["detail"]["object"]["version-id"] = put.get("VersionId", "null")
    if recording and needs_run:
        print(f"medscribe: seeding {recording['recording_id']}: one run of the pipeline", file=sys.stderr)
        body = {
            "audio_key": recording["audio_key"],
            "recording_id": recording["recording_id"],
            "tenant": recording.get("tenant", "default"),
        }
        response = pipeline.start_via_api(body)
        arn = json.loads(response["body"])["execution_arn"]
        result = pipeline.wait(arn, on_event=progress(sys.stderr, time.monotonic()))
        print(f"medscribe: seeded {recording['recording_id']}: {result.status}", file=sys.stderr)
