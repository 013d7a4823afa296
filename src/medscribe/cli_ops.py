"""Operator and developer verbs: ``list``, ``status``, ``history``, ``redrive``, ``open`` (over
``medscribe.ops``: the local endpoint by default, a deployed stack with ``--aws``), and ``endpoint`` (a
standalone local AWS endpoint: Step Functions Local without Docker or Java)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from medscribe.local.endpoint import DEFAULT_HOST, DEFAULT_PORT

LOCAL_ENDPOINT = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"


def register(sub: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_mutually_exclusive_group()
    where.add_argument(
        "--endpoint-url",
        default=None,
        help=f"AWS endpoint (default: $AWS_ENDPOINT_URL, else the local serve endpoint {LOCAL_ENDPOINT})",
    )
    where.add_argument("--aws", action="store_true", help="the deployed stack (ordinary AWS credentials)")
    common.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("list", parents=[common], help="list recordings and their status")
    p.add_argument("--status", type=str.upper, choices=_statuses(), default=None)
    p.add_argument("--tenant", default=None)
    p.add_argument(
        "--dead-letters", action="store_true", help="upload events in TriggerDLQ (unknown tenant, ...), kept"
    )
    p.set_defaults(func=cmd_list)
    for name, func, text in (
        ("status", cmd_status, "one recording's execution status"),
        ("history", cmd_history, "a recording's timeline: state, start, duration, retries, error"),
        ("redrive", cmd_redrive, "redrive a failed recording's execution from its failed state"),
    ):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("recording_id", metavar="RID")
        p.set_defaults(func=func)
    p = sub.add_parser("open", parents=[common], help="download a recording's PDF and print its path")
    p.add_argument("recording_id", metavar="RID")
    p.add_argument("--out", default="out", help="directory to save into (default ./out)")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("endpoint", help="run the local stack behind an AWS-compatible endpoint")
    p.add_argument("--host", default=DEFAULT_HOST)
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument(
        "--mock-config",
        default=os.environ.get("SFN_MOCK_CONFIG"),
        help="Step Functions Local MockConfigFile (default $SFN_MOCK_CONFIG): start executions on ARN#TestCase",
    )
    p.add_argument(
        "--mock-hybrid",
        action="store_true",
        help="an invocation with no mocked response runs the real handler (Step Functions Local fails it)",
    )
    p.add_argument("--instant-waits", action="store_true", help="skip Wait/Retry time on a virtual clock")
    p.add_argument(
        "--i-know-the-endpoint-is-unauthenticated",
        dest="allow_non_loopback",
        action="store_true",
        help="listen on a non-loopback --host although the endpoint has no authentication",
    )
    p.set_defaults(func=cmd_endpoint)


def _statuses() -> list[str]:
    from medscribe.ops.operations import STATUSES

    return list(STATUSES)


def _ops(args: argparse.Namespace) -> Any:
    from medscribe.ops import Ops

    if args.aws:
        return Ops()
    return Ops(endpoint_url=args.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or LOCAL_ENDPOINT)


def _run(args: argparse.Namespace, action: Any) -> int:
    """One line on stderr for an ops error or an unreachable endpoint, exit 1 (2 when not found)."""
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

    from medscribe.ops import OpsError, RecordingNotFound

    try:
        action(_ops(args))
    except RecordingNotFound as exc:
        print(f"medscribe: {exc}", file=sys.stderr)
        return 2
    except EndpointConnectionError as exc:
        print(
            f"medscribe: cannot reach {exc.kwargs.get('endpoint_url')}: is `medscribe serve` running?",
            file=sys.stderr,
        )
        return 1
    except (OpsError, ClientError, BotoCoreError) as exc:
        print(f"medscribe: {exc}", file=sys.stderr)
        return 1
    return 0


def _age(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


def _emit(payload: Any) -> None:
    print(json.dumps(payload, indent=2))


def cmd_list(args: argparse.Namespace) -> int:
    if args.dead_letters:
        return _run(args, _list_dead_letters(args))

    def action(ops: Any) -> None:
        rows = ops.list_recordings(status=args.status, tenant=args.tenant)
        if args.json:
            _emit([r.to_json() for r in rows])
            return
        print(f"{'RECORDING':<40} {'TENANT':<16} {'STATUS':<10} {'AGE':>6}  ERROR")
        for r in rows:
            print(
                f"{r.recording_id:<40} {r.tenant:<16} {r.status:<10} {_age(r.age_seconds):>6}  {r.error or ''}"
            )

    return _run(args, action)


def _list_dead_letters(args: argparse.Namespace) -> Any:
    def action(ops: Any) -> None:
        from medscribe.ops.dead_letters import dead_letters

        rows = dead_letters(ops.client("sqs"))
        if args.json:
            _emit([r.to_json() for r in rows])
            return
        print(f"{'SENT':<25} {'FUNCTION':<40} {'ERROR':<20} {'TRIES':>5}  TENANT FOLDER")
        for r in rows:
            print(f"{r.sent:<25} {r.function:<40} {r.error:<20} {r.attempts:>5}  {r.tenant_folder or '-'}")

    return action


def cmd_status(args: argparse.Namespace) -> int:
    def action(ops: Any) -> None:
        r = ops.status(args.recording_id)
        if args.json:
            _emit(r.to_json())
            return
        print(f"{r.recording_id}  {r.status}  tenant={r.tenant}  started={r.started.isoformat()}")
        if r.error:
            print(f"error: {r.error}")

    return _run(args, action)


def cmd_history(args: argparse.Namespace) -> int:
    def action(ops: Any) -> None:
        entries = ops.history(args.recording_id)
        if args.json:
            _emit([e.to_json() for e in entries])
            return
        print(f"{'STATE':<24} {'START':<12} {'DURATION':>9} {'RETRIES':>7}  ERROR")
        for e in entries:
            duration = f"{e.duration_seconds:.2f}s" if e.duration_seconds is not None else "-"
            print(
                f"{e.state:<24} {e.entered.strftime('%H:%M:%S.%f')[:12]:<12} {duration:>9} {e.retries:>7}  "
                f"{e.error or ''}"
            )

    return _run(args, action)


def cmd_redrive(args: argparse.Namespace) -> int:
    def action(ops: Any) -> None:
        r = ops.redrive(args.recording_id)
        if args.json:
            _emit(r.to_json())
        else:
            print(f"{r.recording_id}  {r.status}  (redriven)")

    return _run(args, action)


def cmd_open(args: argparse.Namespace) -> int:
    def action(ops: Any) -> None:
        with _local_audit_database(ops):
            path = audited_open(ops, args.recording_id, Path(args.out))
        if args.json:
            _emit({"recording_id": args.recording_id, "path": str(path.resolve())})
        else:
            print(path.resolve())

    return _run(args, action)


@contextmanager
def _local_audit_database(ops: Any) -> Iterator[None]:
    """Against a local endpoint with no database configured, the read is audited in the data directory's own
    PostgreSQL (the one ``serve`` holds: joined, as ``medscribe search`` does); elsewhere nothing changes."""
    from medscribe import wiring
    from medscribe.local.database import local_database
    from medscribe.local.engine import default_home
    from medscribe.ops.operations import _is_local

    configured = os.environ.get("DATABASE_URL") or (
        os.environ.get("DB_CLUSTER_ARN") and os.environ.get("DB_SECRET_ARN")
    )
    if configured or ops.endpoint_url is None or not _is_local(ops.endpoint_url):
        yield
        return
    with local_database(default_home()) as url:
        os.environ["DATABASE_URL"] = url
        wiring.reset()
        try:
            yield
        finally:
            os.environ.pop("DATABASE_URL", None)
            wiring.reset()


def audited_open(ops: Any, recording_id: str, destination: Path) -> Path:
    """``open`` reads PHI: the document is fetched into a private temporary folder, the audit row (channel
    ``ops-cli``: the AWS principal, or the local user against a local endpoint) is written, and only then is
    the file moved to ``destination``. No audit table reachable (``DATABASE_URL``, or ``DB_CLUSTER_ARN`` and
    ``DB_SECRET_ARN``): refused, nothing saved."""
    import getpass
    import shutil
    import tempfile

    from medscribe import wiring
    from medscribe.api.audit import Principal, RequestMeta, record
    from medscribe.ops import OpsError
    from medscribe.ops.operations import _is_local

    settings = wiring.get_services().settings
    if not settings.database_url and not (settings.db_cluster_arn and settings.db_secret_arn):
        raise OpsError(
            "open reads a document: set DATABASE_URL (or DB_CLUSTER_ARN and DB_SECRET_ARN) so the read is audited"
        )
    tenant = ops.status(recording_id).tenant
    if ops.endpoint_url is not None and _is_local(ops.endpoint_url):
        who = f"local:{getpass.getuser()}"
    else:
        who = str(ops.client("sts").get_caller_identity()["Arn"])
    with tempfile.TemporaryDirectory() as tmp:
        fetched = ops.open(recording_id, Path(tmp))
        record(
            wiring.get_services().audit,
            Principal(sub=who, tenant="*", role="aws-principal"),
            "pdf.download",
            "ops-cli",
            RequestMeta(user_agent="medscribe open"),
            recording_id=recording_id,
            target_tenant=tenant,
        )
        destination.mkdir(parents=True, exist_ok=True)
        path = destination / fetched.name
        shutil.move(str(fetched), path)
    return path


def cmd_endpoint(args: argparse.Namespace) -> int:
    from medscribe.local.endpoint import AwsEndpoint
    from medscribe.local.engine import LocalPipeline

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("starting the local stack...", file=sys.stderr, flush=True)
    with (
        LocalPipeline(instant_waits=args.instant_waits, persist=True) as pipeline,
        AwsEndpoint(
            args.host,
            args.port,
            mock_config=args.mock_config,
            mock_hybrid=args.mock_hybrid,
            allow_non_loopback=args.allow_non_loopback,
        ) as endpoint,
    ):
        ready = {
            "endpoint_url": endpoint.url,
            "state_machine_arn": pipeline.state_machine_arn,
            "bucket": pipeline.bucket,
        }
        print(json.dumps(ready), flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("stopped", file=sys.stderr, flush=True)
    return 0
