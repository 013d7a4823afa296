"""list / status / history / redrive / open, over boto3 only.

``Ops(endpoint_url=...)`` talks to the local endpoint; ``Ops()`` with ordinary AWS credentials to a deployed
stack. The pipeline's state machine is found by name (``<stack>-transcribe-pipeline``) unless
``MEDSCRIBE_STATE_MACHINE_ARN`` names it; a recording's execution is named after its id
(``keys.execution_name``); its PDF lies at ``keys.RecordingKeys(tenant, id).summary_pdf`` in the bucket its
execution input names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from medscribe.keys import RecordingKeys, execution_name
from medscribe.ops.views import Execution, TimelineEntry, _time, recording_of, timeline

PIPELINE_SUFFIX = "-transcribe-pipeline"
STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE")


class OpsError(Exception):
    """An ops request that cannot be served (one line, for people)."""


class RecordingNotFound(OpsError):
    pass


class Ops:
    def __init__(
        self,
        endpoint_url: str | None = None,
        *,
        region: str | None = None,
        state_machine_arn: str | None = None,
        session: boto3.Session | None = None,
    ) -> None:
        self.endpoint_url = endpoint_url
        local = endpoint_url is not None and _is_local(endpoint_url)
        if session is None:
            if local and not os.environ.get("AWS_ACCESS_KEY_ID"):
                # The local endpoint accepts any signature; a developer need not configure credentials for it.
                session = boto3.Session(aws_access_key_id="local", aws_secret_access_key="local")
            else:
                session = boto3.Session()
        self.region = region or session.region_name or "us-east-1"
        self._session = session
        self._clients: dict[str, Any] = {}
        self._machine = state_machine_arn or os.environ.get("MEDSCRIBE_STATE_MACHINE_ARN")

    def client(self, service: str) -> Any:
        if service not in self._clients:
            make: Any = self._session.client
            self._clients[service] = make(
                service,
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                config=Config(retries={"max_attempts": 2}, connect_timeout=5, read_timeout=30),
            )
        return self._clients[service]

    # ---- discovery -------------------------------------------------------------------------------------
    @property
    def state_machine_arn(self) -> str:
        if self._machine is None:
            sfn = self.client("stepfunctions")
            names = [
                m["stateMachineArn"]
                for page in sfn.get_paginator("list_state_machines").paginate()
                for m in page["stateMachines"]
                if m["name"].endswith(PIPELINE_SUFFIX)
            ]
            if len(names) != 1:
                raise OpsError(
                    f"found {len(names)} state machines named *{PIPELINE_SUFFIX}: "
                    "set MEDSCRIBE_STATE_MACHINE_ARN"
                )
            self._machine = names[0]
        return self._machine

    def execution_arn(self, recording_id: str) -> str:
        return (
            self.state_machine_arn.replace(":stateMachine:", ":execution:", 1)
            + f":{execution_name(recording_id)}"
        )

    # ---- the verbs -------------------------------------------------------------------------------------
    def list_recordings(
        self, *, status: str | None = None, tenant: str | None = None, limit: int = 200
    ) -> list[Execution]:
        if status is not None and status not in STATUSES:
            raise OpsError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        out: list[Execution] = []
        for summary in self._executions(status):
            execution = self._describe(summary["executionArn"])
            if tenant is None or execution.tenant == tenant:
                out.append(execution)
            if len(out) >= limit:
                break
        return out

    def status(self, recording_id: str) -> Execution:
        return self._describe(self.execution_arn(recording_id))

    def history(self, recording_id: str) -> list[TimelineEntry]:
        return timeline(self.events(recording_id))

    def events(self, recording_id: str) -> list[dict[str, Any]]:
        sfn = self.client("stepfunctions")
        arn = self.execution_arn(recording_id)
        events: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"executionArn": arn, "maxResults": 1000}
        try:
            while True:
                page = sfn.get_execution_history(**kwargs)
                events.extend(page["events"])
                if not page.get("nextToken"):
                    return events
                kwargs["nextToken"] = page["nextToken"]
        except sfn.exceptions.ExecutionDoesNotExist as exc:
            raise RecordingNotFound(f"no execution for recording {recording_id}") from exc

    def definition(self) -> dict[str, Any]:
        import json

        described = self.client("stepfunctions").describe_state_machine(
            stateMachineArn=self.state_machine_arn
        )
        parsed: dict[str, Any] = json.loads(described["definition"])
        return parsed

    def redrive(self, recording_id: str) -> Execution:
        sfn = self.client("stepfunctions")
        arn = self.execution_arn(recording_id)
        try:
            sfn.redrive_execution(executionArn=arn)
        except sfn.exceptions.ExecutionDoesNotExist as exc:
            raise RecordingNotFound(f"no execution for recording {recording_id}") from exc
        except sfn.exceptions.ExecutionNotRedrivable as exc:
            raise OpsError(f"recording {recording_id} cannot be redriven: {_message(exc)}") from exc
        return self._describe(arn)

    def open(self, recording_id: str, destination: Path) -> Path:
        """Download the recording's PDF draft into ``destination`` (a directory); returns the file's path."""
        execution = self.status(recording_id)
        if execution.status != "SUCCEEDED":
            raise OpsError(f"recording {recording_id} is {execution.status}: no document")
        bucket = self._bucket_of(execution.execution_arn)
        key = RecordingKeys(execution.tenant, recording_id).summary_pdf
        destination.mkdir(parents=True, exist_ok=True)
        path = destination / f"{recording_id}.pdf"
        try:
            self.client("s3").download_file(bucket, key, str(path))
        except Exception as exc:  # botocore ClientError (404) and transfer errors: one line for people
            raise OpsError(f"cannot download the document of {recording_id}: {_message(exc)}") from exc
        return path

    # ---- helpers ---------------------------------------------------------------------------------------
    def _executions(self, status: str | None) -> Iterator[dict[str, Any]]:
        kwargs: dict[str, Any] = {"stateMachineArn": self.state_machine_arn}
        if status:
            kwargs["statusFilter"] = status
        for page in self.client("stepfunctions").get_paginator("list_executions").paginate(**kwargs):
            yield from page["executions"]

    def _describe(self, arn: str) -> Execution:
        sfn = self.client("stepfunctions")
        try:
            d = sfn.describe_execution(executionArn=arn)
        except sfn.exceptions.ExecutionDoesNotExist as exc:
            raise RecordingNotFound(f"no execution {arn.rsplit(':', 1)[-1]}") from exc
        recording_id, tenant = recording_of(d.get("input"))
        return Execution(
            recording_id=recording_id or d["name"],
            tenant=tenant,
            status=d["status"],
            execution_arn=arn,
            started=_time(d["startDate"]),
            stopped=_time(d["stopDate"]) if d.get("stopDate") else None,
            error=d.get("error"),
            redrive_count=int(d.get("redriveCount", 0) or 0),
        )

    def _bucket_of(self, arn: str) -> str:
        import json

        d = self.client("stepfunctions").describe_execution(executionArn=arn)
        return str(json.loads(d["input"])["recording"]["bucket"])


def _is_local(url: str) -> bool:
    from urllib.parse import urlparse

    return (urlparse(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def _message(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {})
        return f"{error.get('Code', type(exc).__name__)}: {error.get('Message', '')}".strip()
    return str(exc) or type(exc).__name__
