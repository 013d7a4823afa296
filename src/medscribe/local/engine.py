"""Local mode: the same ASL and the same handlers, end to end, on this machine.

``LocalPipeline`` starts moto's in-process AWS emulator with its Step Functions interpreter, creates the stack
from template.yaml (``medscribe.local.stack``), dispatches Lambda invokes to the real handlers
(``medscribe.local.lambdas``), delivers EventBridge rule targets that moto cannot (Lambda) to those handlers
too, connects a real PostgreSQL (``DATABASE_URL`` or an embedded PostgreSQL), and selects the offline backends
for Transcribe Medical and Comprehend Medical. An upload to ``incoming/`` then takes the production path:
S3 -> EventBridge -> StartRecordingFunction -> StartExecution named after the recording id.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from medscribe import wiring
from medscribe.keys import INCOMING_PREFIX, execution_name, recording_id_for_object
from medscribe.local import stopping
from medscribe.local.database import signing_key
from medscribe.local.lambdas import LambdaDispatcher
from medscribe.local.lifecycle import Started
from medscribe.local.moto_patches import execution_events, perf
from medscribe.local.rule_targets import TargetPools
from medscribe.local.stack import REGION, LocalStack, state_for_function
from medscribe.local.stack_build import build_stack
from medscribe.local.waiting import ExecutionResult, wait_for_execution, wait_for_start
from medscribe.models import DEFAULT_TENANT

# Tunables for local runs (template defaults are for AWS): poll every 5 s, at most 300 times (the template's
# MaxValue): 25 minutes, i.e. recordings up to ~100 minutes at the offline ASR's real-time factor of 0.15-0.25.
# Longer local recordings: --poll-interval 15.
LOCAL_PARAMETERS = {"PollIntervalSeconds": "5", "MaxPolls": "300", "CallbackBaseSeconds": "60"}
# The local user pool allows the password flows (scripts, `medscribe token`); the local tenants.
LOCAL_PARAMETERS.update({"AllowPasswordAuth": "true", "Tenants": "default,demo,clinic-a,clinic-b"})
# With instant waits a Wait state still yields this long (real time), so background work such as the offline
# transcription job progresses while the bounded poll loop counts: 300 polls x 0.25 s = 75 s of job time.
INSTANT_WAIT_SECONDS = 0.25


def project_root() -> Path:
    """The directory holding template.yaml: MEDSCRIBE_ROOT, else the nearest parent of the cwd, else the
    source checkout this package was installed from (editable installs)."""
    if os.environ.get("MEDSCRIBE_ROOT"):
        return Path(os.environ["MEDSCRIBE_ROOT"]).resolve()
    for base in [Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parents[3]]:
        if (base / "template.yaml").is_file() and (base / "statemachine").is_dir():
            return base
    raise FileNotFoundError("template.yaml not found: run from the project directory or set MEDSCRIBE_ROOT")


def default_home() -> Path:
    return Path(os.environ.get("MEDSCRIBE_HOME", Path.home() / ".medscribe"))


class LocalPipeline(Started):
    def __init__(
        self,
        root: Path | None = None,
        *,
        database_url: str | None = None,
        home: Path | None = None,
        instant_waits: bool = False,
        parameters: dict[str, str] | None = None,
        prewarm_workers: bool = False,
        persist: bool = False,
    ) -> None:
        self.root = root or project_root()
        # persist: the emulator's state lives under home/state and survives restarts (``medscribe run``,
        # ``serve``, ``endpoint``; ``local.state.snapshot``); tests and benches start from nothing.
        self.persist = persist
        self.state: Any = None
        self.home = home or default_home()
        self.database_url = database_url or os.environ.get("DATABASE_URL")
        self.instant_waits = instant_waits
        self.prewarm_workers = prewarm_workers  # see _start_asr_workers
        self.workers_ready: list[Future[bool]] = []  # one per prewarmed worker (_start_asr_workers)
        self.parameters = {**LOCAL_PARAMETERS, **(parameters or {})}
        self.waits: list[float] = []  # seconds the ASL asked to wait / back off (recorded when instant)
        self._exit = ExitStack()
        self._targets = TargetPools()  # rule deliveries (see triggers_paused())
        self.async_errors: list[BaseException] = []
        self.stack: LocalStack
        self.dispatcher: LambdaDispatcher
        self._database: Any = None  # Future of the embedded PostgreSQL server (when no database_url)

    # ---- lifecycle (``with``: lifecycle.Started) --------------------------------------------------------
    def __exit__(self, *exc: object) -> None:
        with stopping.step("rule-deliveries"):
            self._targets.shutdown()
        with stopping.step("running-executions"):
            self._stop_running_executions()
        with stopping.step("emulator-and-database"):  # PostgreSQL's own step is inside (postgres)
            self._exit.close()
        wiring.reset()

    def _stop_running_executions(self) -> None:
        """Executions started in the background (e.g. by an upload) must not outlive the emulator: ABORTED
        with ``LocalStackStopped``, which the next ``medscribe run`` of the same audio redrives."""
        from medscribe.local.state.restart import STOP_CAUSE, STOP_ERROR

        sfn = self.client("stepfunctions")
        stopped = 0
        for arn in self.stack.state_machines.values():
            for execution in sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]:
                sfn.stop_execution(executionArn=execution["executionArn"], error=STOP_ERROR, cause=STOP_CAUSE)
                stopped += 1
        if not stopped:  # an idle stack: nothing to wait for
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
            sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
            for arn in self.stack.state_machines.values()
        ):
            time.sleep(0.05)

    def _start(self) -> None:
        from moto import mock_aws

        base_env = {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_SESSION_TOKEN": "local",
            "POWERTOOLS_SERVICE_NAME": "medscribe",
            "POWERTOOLS_METRICS_NAMESPACE": "Medscribe",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        }
        self._exit.enter_context(mock.patch.dict(os.environ, base_env))
        if self.prewarm_workers:
            self._start_asr_workers()  # in other processes: a worker loads its decoder while the stack is built
        self._start_database()  # in the background: PostgreSQL starts while moto and the stack are built
        perf.share_botocore_loader(self._exit)  # one parse of endpoints.json and of each model per process
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
            os.environ.pop(name, None)
        self._exit.enter_context(
            mock_aws(
                config={"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
            )
        )
        self._quiet_moto()
        self._apply_moto_patches()
        self.stack = self._restore_or_build()
        self._alias_state_machines()
        self.dispatcher = LambdaDispatcher(self.stack, state_for_function(self.stack, self.root))
        self._patch_lambda()
        self._patch_eventbridge_targets()
        if self.instant_waits:
            self._patch_waits()
        self._configure_functions()
        if self.state is not None:
            self.state.start(self._exit, self.stack)  # saved from now on, after every change
        # No migrations here: an unreachable database is discovered by the steps that need it (retried, then
        # recorded by RecordFailure), never by the stack start. wiring migrates once per process, lazily.

    def _restore_or_build(self) -> LocalStack:
        """The stack saved under home/state (``persist``), with this start's parameters; else a new one."""
        if not self.persist:
            return build_stack(self.root / "template.yaml", self.parameters)
        from medscribe.local.stack import reapply_parameters
        from medscribe.local.state.errors import check_writable
        from medscribe.local.state.snapshot import StateStore, template_digest

        check_writable(self.home)
        self.state = StateStore(self.home / "state", template_digest(self.root))
        self.state.acquire(self._exit)  # one process per MEDSCRIBE_HOME writes its state
        stack: LocalStack | None = self.state.load()
        if stack is None:
            return build_stack(self.root / "template.yaml", self.parameters)
        stack.root = self.root
        reapply_parameters(stack, self.parameters)
        return stack

    def _quiet_moto(self) -> None:
        import logging

        logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)

    def _apply_moto_patches(self) -> None:
        from medscribe.local import moto_patches
        from medscribe.local.mocks import REGISTRY

        perf.lazy_moto_batch()  # before any patch imports the interpreter (it would import moto.batch and ec2)
        moto_patches.apply_all(self._exit)
        self._exit.callback(REGISTRY.clear)

    def _alias_state_machines(self) -> None:
        """MockConfigFiles may name the pipeline by its logical id (TranscribePipeline)."""
        from medscribe.local.mocks import REGISTRY

        for lid, arn in self.stack.state_machines.items():
            REGISTRY.aliases[arn.rsplit(":", 1)[-1]] = lid

    def _patch_lambda(self) -> None:
        """Template functions run through the dispatcher (moto_patches.lambda_api owns moto's Lambda invoke)."""
        from medscribe.local.moto_patches import lambda_api

        def invoke(function_name: str, body: Any, response_headers: dict[str, Any]) -> bytes:
            # looked up per call: a test may wrap the dispatcher's invoke after the stack started (fault matrix)
            return bytes(self.dispatcher.invoke(function_name, body, response_headers))

        lambda_api.install_template(self._exit, self.stack, invoke)

    def _patch_eventbridge_targets(self) -> None:
        """Lambda targets of EventBridge rules reach the real handlers, asynchronously as EventBridge delivers
        (moto_patches.eventbridge_targets owns moto's rule delivery)."""
        from medscribe.local.moto_patches import eventbridge_targets

        def deliver(arn: str, event: dict[str, Any]) -> None:
            self._targets.pool(arn).submit(self._deliver, arn, event)

        eventbridge_targets.install(self._exit, deliver, lambda: self._targets.paused)

    def triggers_paused(self) -> AbstractContextManager[None]:
        """Objects put meanwhile trigger no Lambda rule target (``medscribe invoke`` seeds the object an event
        points at without the upload also starting the pipeline, as ``sam local invoke`` has no triggers)."""
        return self._targets.pause()

    def _deliver(self, arn: str, event: dict[str, Any]) -> None:
        """As Lambda's asynchronous invoke: retries, then the on-failure destination (``async_invoke``)."""
        from medscribe.local import async_invoke

        error = async_invoke.deliver(self.stack, self.dispatcher.call, self.client("sqs"), arn, event)
        if error is not None:
            self.async_errors.append(error)
            execution_events.wake_all()  # an upload waiting for its execution's start sees the error now

    def _patch_waits(self) -> None:
        from medscribe.local.moto_patches import clock

        clock.apply_instant_waits(self._exit, self.waits, INSTANT_WAIT_SECONDS)

    def _configure_functions(self) -> None:
        env: dict[str, str] = {}
        for spec in self.stack.functions.values():
            env.update(spec.environment)
        env.update(
            {
                "TRANSCRIBE_BACKEND": "offline",
                "NER_BACKEND": "offline",
                "INFER_RXNORM": "false",
                # Handlers log JSON at INFO on AWS; locally stderr carries the progress, so warnings only.
                "POWERTOOLS_LOG_LEVEL": os.environ.get("MEDSCRIBE_LOG_LEVEL", "WARNING"),
                "DATABASE_URL": self._database_url(),
                "CURSOR_SIGNING_KEY": signing_key(self.home),
            }
        )
        for name in ("DB_CLUSTER_ARN", "DB_SECRET_ARN"):
            env.pop(name, None)
            os.environ.pop(name, None)
        os.environ.update(env)
        wiring.reset()

    def _start_asr_workers(self) -> None:
        """Every offline ASR worker starts now and loads its decoder and lexicon (~2 s of CPU each, on the other
        cores), not when the first jobs arrive (with one prewarmed, the second one's loads landed on the first
        concurrent recordings); ``workers_ready``: a future per worker. Opt-in (``prewarm_workers``): ``medscribe
        run`` and ``serve``, the bench and soak scripts ask for it; tests, ``invoke``, ``endpoint`` and ``make
        events`` start a worker when a job needs one (a pool already started in this process is reused)."""
        from medscribe.offline import workers

        self.workers_ready = workers.prewarm(workers.worker_count())

    def _start_database(self) -> None:
        """An embedded PostgreSQL unless ``database_url`` is given (``state.postgres``), started on a thread:
        its ~1 s is mostly waiting for ``pg_ctl``, so it overlaps with building the emulated stack."""
        if self.database_url:
            return
        from medscribe.local.state.postgres import start_in_background

        self._database = start_in_background(self.home / "pgdata", self._exit)

    @property
    def postgres(self) -> Any:
        """The embedded PostgreSQL (``state.postgres.EmbeddedPostgres``), or None with a ``database_url``."""
        return self._database.result() if self._database is not None else None

    def _database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.database_url = self._database.result().uri()
        return self.database_url

    # ---- use -------------------------------------------------------------------------------------------
    @property
    def bucket(self) -> str:
        return next(iter(self.stack.buckets.values()))

    @property
    def state_machine_arn(self) -> str:
        return next(iter(self.stack.state_machines.values()))

    def client(self, service: str) -> Any:
        return wiring.client(service)

    def use_mock_config(
        self, path: Path | None, test_case: str | None = None, *, hybrid: bool = True
    ) -> None:
        """Load a MockConfigFile (``medscribe.local.mocks``); ``test_case`` also applies to executions
        started without ``arn#TestCase``. Hybrid by default: an index with no response runs the real handler."""
        from medscribe.local.mocks import REGISTRY, MockConfig

        REGISTRY.use(MockConfig.load(path, hybrid=hybrid) if path else None, default_case=test_case)

    def upload(self, audio: Path, *, tenant: str | None = None, key: str | None = None) -> tuple[str, str]:
        """Put a recording under incoming/ — on AWS, this upload is what starts an execution. The ETag is the
        PUT's own answer, never read back: the upload's trigger runs meanwhile and may already have moved the
        object, or deleted it (a later upload to a recording that ran: ``logic.intake.reject_upload``)."""
        key = key or f"{INCOMING_PREFIX}{tenant or DEFAULT_TENANT}/{audio.name}"
        with audio.open("rb") as body:
            etag: str = self.client("s3").put_object(Bucket=self.bucket, Key=key, Body=body)["ETag"]
        return key, etag

    def start_from_upload(
        self, audio: Path, *, tenant: str | None = None, timeout: float = 30
    ) -> tuple[str, str]:
        """Upload and wait for the S3 -> EventBridge -> StartRecording chain to start the execution (woken by its
        start, or by a trigger delivery that failed: ``local.waiting.wait_for_start``)."""
        key, etag = self.upload(audio, tenant=tenant)
        recording_id = recording_id_for_object(self.bucket, key, etag)
        arn = (
            self.state_machine_arn.replace(":stateMachine:", ":execution:")
            + f":{execution_name(recording_id)}"
        )
        wait_for_start(
            self.client("stepfunctions"),
            arn,
            timeout=timeout,
            failure=lambda: self.async_errors[-1] if self.async_errors else None,
            what=key,
        )
        return recording_id, arn

    def start_via_api(self, body: dict[str, Any]) -> dict[str, Any]:
        """Start an execution for an object already in the bucket ({audio_key, recording_id, tenant}), as the
        API's start route does (``logic.intake.start_recording``); returns {"statusCode", "body"}."""
        from medscribe.logic.intake import StartCommand, start_recording

        command = StartCommand(
            bucket=self.bucket,
            audio_key=body["audio_key"],
            recording_id=body["recording_id"],
            tenant=body.get("tenant", DEFAULT_TENANT),
        )
        result = start_recording(command, wiring.get_services(), self.state_machine_arn)
        return {"statusCode": 202 if result.started else 200, "body": result.model_dump_json()}

    def wait(
        self,
        execution_arn: str,
        *,
        timeout: float = 1800,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> ExecutionResult:
        """Until the execution ends, without polling (``local.waiting.wait_for_execution``)."""
        return wait_for_execution(
            self.client("stepfunctions"), execution_arn, timeout=timeout, on_event=on_event
        )

    def received_events(self) -> list[dict[str, Any]]:
        """Events delivered to the completion queue (the bus rule's SQS target): what a subscriber sees."""
        sqs = self.client("sqs")
        out: list[dict[str, Any]] = []
        for lid, url in self.stack.queues.items():
            if "dlq" in lid.lower():
                continue
            while True:
                messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
                if not messages:
                    break
                for m in messages:
                    out.append(json.loads(m["Body"]))
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return out


@contextmanager
def local_pipeline(**kwargs: Any) -> Iterator[LocalPipeline]:
    with LocalPipeline(**kwargs) as pipeline:
        yield pipeline
