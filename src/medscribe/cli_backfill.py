"""``medscribe backfill DIR|s3://BUCKET/PREFIX --tenant T [--dry-run] [--max-concurrency N]``: an archive of
dictations through BackfillPipeline on the local stack (docs/backfill.md).

A directory's files are put under ``backfill/{tenant}/`` of the local bucket (their relative paths kept: the
same file gives the same recording id on every run); ``s3://…/backfill/{tenant}/…`` names a prefix already
there. A live progress bar and a summary table go to stderr; the last stdout line is one JSON object
``{"items", "started", "skipped", "succeeded", "failed", "failures": {error name: count}}`` (``--dry-run``:
the item count, audio minutes and estimated cost instead, nothing started).

Ctrl-C stops the run; the recordings that COMPLETED are kept in ``MEDSCRIBE_HOME/backfill/{tenant}.json``
(local moto state lives in memory only), so the next run of the same archive skips them and runs the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medscribe.errors import MedscribeError
from medscribe.logic import backfill

if TYPE_CHECKING:
    from medscribe.local.engine import LocalPipeline

MAX_ITEMS_ENV = "MEDSCRIBE_BACKFILL_MAX_ITEMS"


def _files(directory: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            yield rel.as_posix(), path


def _state_file(tenant: str) -> Path:
    from medscribe.local.engine import default_home

    return default_home() / "backfill" / f"{tenant}.json"


def _remember_completed(pipeline: LocalPipeline, tenant: str) -> None:
    """Recordings of this tenant that COMPLETED, kept for the next run (the emulator's table is in memory)."""
    path = _state_file(tenant)
    known = set(json.loads(path.read_text())) if path.is_file() else set()
    items, start = [], None
    table = pipeline.client("dynamodb")
    name = pipeline.stack.physical["RecordingsTable"]
    while True:
        kwargs: dict[str, Any] = {"TableName": name, **({"ExclusiveStartKey": start} if start else {})}
        page = table.scan(**kwargs)
        items += page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    known |= {
        i["recording_id"]["S"]
        for i in items
        if i.get("status", {}).get("S") == "COMPLETED" and i.get("tenant", {}).get("S") == tenant
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sorted(known)))


def _restore_completed(tenant: str) -> None:
    from datetime import UTC, datetime

    from medscribe.wiring import get_services

    path = _state_file(tenant)
    if not path.is_file():
        return
    table = get_services().table
    for recording_id in json.loads(path.read_text()):
        table.put_status(recording_id=recording_id, tenant=tenant, status="COMPLETED", at=datetime.now(UTC))


def read_results(pipeline: LocalPipeline, output: dict[str, Any]) -> backfill.Summary:
    """The ResultWriter manifest named in the execution's output -> counts."""
    details = output["map_run"]["ResultWriterDetails"]
    s3 = pipeline.client("s3")

    def body(key: str) -> Any:
        return json.loads(s3.get_object(Bucket=details["Bucket"], Key=key)["Body"].read())

    manifest = body(details["Key"])
    files = {
        status: [e for f in refs for e in body(f["Key"])] for status, refs in manifest["ResultFiles"].items()
    }
    return backfill.summarise(files)


_RUNNING: list[str] = []  # the execution ARN of the backfill in progress (for the summary of an aborted run)


def partial_summary() -> backfill.Summary:
    """What the children of the running backfill have finished so far (an aborted run's last line)."""
    from medscribe.local.moto_patches import backfill_map

    if not _RUNNING:
        return backfill.Summary()
    entries = backfill_map.finished(_RUNNING[-1])
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        grouped.setdefault(entry["Status"], []).append(entry)
    done = backfill.summarise(grouped)
    total = max(done.items, backfill_map.progress(_RUNNING[-1])[1])  # items read, finished or not
    return done.model_copy(update={"items": total, "started": total - done.skipped})


def run_backfill(
    pipeline: LocalPipeline, tenant: str, prefix: str, *, on_progress: Any = None, timeout: float = 86_400
) -> backfill.Summary:
    """Start BackfillPipeline over ``prefix`` and wait for its end (``on_progress(done, total)`` meanwhile)."""
    from medscribe.local.moto_patches import backfill_map

    backfill_id = f"b{uuid.uuid4().hex[:20]}"
    sfn = pipeline.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=pipeline.stack.state_machines["BackfillPipeline"],
        name=backfill_id,
        input=json.dumps(
            {"backfill_id": backfill_id, "tenant": tenant, "bucket": pipeline.bucket, "prefix": prefix}
        ),
    )["executionArn"]
    _RUNNING.append(arn)
    deadline = time.monotonic() + timeout
    while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
        if time.monotonic() > deadline:
            raise TimeoutError(f"backfill still running after {timeout:.0f}s")
        if on_progress is not None:
            on_progress(*backfill_map.progress(arn))
        time.sleep(0.5)
    result = pipeline.wait(arn, timeout=60)
    if result.status != "SUCCEEDED" or result.output is None:
        raise MedscribeError(f"backfill {result.status}: {result.error}")
    return read_results(pipeline, result.output)


def _summary_table(summary: backfill.Summary) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="backfill")
    table.add_column("outcome")
    table.add_column("items", justify="right")
    for name in ("items", "started", "skipped", "succeeded", "failed"):
        table.add_row(name, str(getattr(summary, name)))
    for error, count in summary.failures.items():
        table.add_row(f"  failed: {error}", str(count))
    Console(file=sys.stderr).print(table)


def cmd_backfill(args: argparse.Namespace) -> int:
    from medscribe.keys import check_tenant
    from medscribe.local import hygiene

    tenant = check_tenant(args.tenant)
    source = str(args.source)
    own = backfill.tenant_prefix(tenant)
    files: list[tuple[str, Path]] = []
    if source.startswith("s3://"):
        prefix = source[len("s3://") :].split("/", 1)[1] if "/" in source[len("s3://") :] else ""
        backfill.check_prefix(tenant, prefix)
    else:
        directory = Path(source)
        if not directory.is_dir():
            print(f"medscribe: no such directory: {source}", file=sys.stderr)
            return 2
        files = list(_files(directory))
        prefix = own
    maximum = int(os.environ.get(MAX_ITEMS_ENV, backfill.DEFAULT_MAX_ITEMS))
    if files:
        try:
            backfill.check_item_count(len(files), maximum)
        except MedscribeError as exc:
            print(f"medscribe: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 2
    if args.dry_run and files:
        plan = backfill.dry_run((rel, path.stat().st_size) for rel, path in files)
        print(plan.model_dump_json())
        return 0
    real_stdout = sys.stdout
    parameters = {"BackfillMaxConcurrency": str(args.max_concurrency)} if args.max_concurrency else {}
    from medscribe.local.engine import LocalPipeline, default_home

    hygiene.clean_stale_pgserver(default_home() / "pgdata")
    partial = backfill.Summary()
    try:
        with (
            hygiene.abort_on_signals(),
            redirect_stdout(sys.stderr),
            LocalPipeline(instant_waits=True, parameters=parameters, prewarm_workers=True) as pipeline,
        ):
            s3 = pipeline.client("s3")
            for rel, path in files:
                s3.upload_file(str(path), pipeline.bucket, own + rel)
            if args.dry_run:
                listed = s3.get_paginator("list_objects_v2").paginate(Bucket=pipeline.bucket, Prefix=prefix)
                objects = [(o["Key"], o["Size"]) for page in listed for o in page.get("Contents", [])]
                print(backfill.dry_run(objects).model_dump_json(), file=real_stdout)
                return 0
            _restore_completed(tenant)
            try:
                summary = _run_with_progress(pipeline, tenant, prefix)
            finally:  # also on Ctrl-C: what COMPLETED is skipped by the next run
                partial = partial_summary()  # before the stack stops the running children
                _remember_completed(pipeline, tenant)
    except hygiene.RunAborted as aborted:
        print(
            f"medscribe: {aborted}: stopped; completed recordings are kept, re-run to resume", file=sys.stderr
        )
        real_stdout.write(json.dumps({**partial.model_dump(), "status": "ABORTED"}) + "\n")
        real_stdout.flush()
        hygiene.stop_asr_workers()
        os._exit(aborted.exit_code)  # the offline ASR's worker threads are not waited for (as `run` does)
    except (MedscribeError, OSError, TimeoutError) as exc:
        print(f"medscribe: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    _summary_table(summary)
    print(summary.model_dump_json(), file=real_stdout, flush=True)
    return 0 if summary.failed == 0 else 1


def _run_with_progress(pipeline: LocalPipeline, tenant: str, prefix: str) -> backfill.Summary:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("backfill"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
    ) as bar:
        task = bar.add_task("items", total=None)

        def on_progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        summary = run_backfill(pipeline, tenant, prefix, on_progress=on_progress)
        bar.update(task, completed=summary.items, total=summary.items)
    return summary


def register(sub: Any) -> None:
    """Add the ``backfill`` subcommand to ``medscribe``'s subparsers."""
    p = sub.add_parser("backfill", help="run an archive of recordings (a directory or s3:// prefix) in bulk")
    p.add_argument("source", help="a directory of audio files, or s3://BUCKET/backfill/TENANT/...")
    p.add_argument("--tenant", required=True, help="the tenant the recordings belong to")
    p.add_argument(
        "--dry-run", action="store_true", help="count items, audio minutes and cost; start nothing"
    )
    p.add_argument("--max-concurrency", type=int, default=None, help="recordings at once (MaxConcurrency)")
    p.set_defaults(func=cmd_backfill)
