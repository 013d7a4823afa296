"""A running ``medscribe endpoint`` (its own process, as a developer runs it) with one succeeded and two failed
recordings, for the ops CLI, AWS CLI and console tests. The failed ones run the real pipeline under the
``FlakyDetect`` test case (hybrid): DetectEntities' first answer lacks its Payload, so its OutputPath fails
with States.Runtime (uncaught, as on AWS); a redrive resumes at DetectEntities and the real handler runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from decode_memo_support import memo_env

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "dictation.wav"
MOCKS = Path(__file__).parent / "ops_mocks.json"
ENDPOINT_COMMAND = (sys.executable, "-m", "medscribe.cli", "endpoint", "--port", "0", "--instant-waits")


@dataclass
class LocalEndpoint:
    process: subprocess.Popen[str]
    url: str
    state_machine_arn: str
    bucket: str
    env: dict[str, str]
    succeeded: str = ""
    failed: list[str] = field(default_factory=list)

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}),
        )

    def wait(self, arn: str, timeout: float = 180) -> dict[str, Any]:
        sfn = self.client("stepfunctions")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                d = sfn.describe_execution(executionArn=arn)
                if d["status"] != "RUNNING":
                    return dict(d)
            except sfn.exceptions.ExecutionDoesNotExist:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{arn} not finished in {timeout}s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_endpoint(database_url: str, home: Path) -> LocalEndpoint:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDSCRIBE_HOME": str(home),
        "MEDSCRIBE_ROOT": str(ROOT),
        **memo_env(),  # the seeded recordings test the ops tools, not the decode: one decode per test run
    }
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen(
        [*ENDPOINT_COMMAND, "--mock-config", str(MOCKS), "--mock-hybrid"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        raise AssertionError(f"medscribe endpoint exited with {process.returncode}")
    ready = json.loads(line)
    return LocalEndpoint(process, ready["endpoint_url"], ready["state_machine_arn"], ready["bucket"], env)


def seed(endpoint: LocalEndpoint) -> None:
    """One recording through the production path (S3 upload), two failing ones started on arn#FlakyDetect."""
    s3, sfn = endpoint.client("s3"), endpoint.client("stepfunctions")
    body = SAMPLE.read_bytes()
    s3.put_object(Bucket=endpoint.bucket, Key="incoming/clinic-a/visit.wav", Body=body)
    arns = []
    for n, tenant in ((1, "clinic-b"), (2, "clinic-b")):
        rid = f"rec-fail-{n}"
        key = f"uploads/{tenant}/{rid}.wav"
        s3.put_object(Bucket=endpoint.bucket, Key=key, Body=body)
        recording = {"recording_id": rid, "tenant": tenant, "bucket": endpoint.bucket, "audio_key": key}
        arns.append(
            sfn.start_execution(
                stateMachineArn=f"{endpoint.state_machine_arn}#FlakyDetect",
                name=rid,
                input=json.dumps({"recording": recording}),
            )["executionArn"]
        )
        endpoint.failed.append(rid)
    deadline = time.monotonic() + 60
    while (
        not (started := sfn.list_executions(stateMachineArn=endpoint.state_machine_arn)["executions"])
        or len(started) < 3
    ):
        assert time.monotonic() < deadline, "the upload started no execution"
        time.sleep(0.2)
    ok = next(e for e in started if e["name"] not in endpoint.failed)
    endpoint.succeeded = ok["name"]
    assert endpoint.wait(ok["executionArn"])["status"] == "SUCCEEDED"
    for arn in arns:
        assert endpoint.wait(arn)["status"] == "FAILED"


@dataclass
class Serve(LocalEndpoint):
    api_url: str = ""
    log: Path | None = None


def start_serve(database_url: str, home: Path) -> Serve:
    """``medscribe serve`` as a developer runs it, with the FlakyDetect MockConfigFile loaded (hybrid) through
    the Step Functions Local environment variables."""
    from medscribe.local.endpoint import free_port

    port, aws_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDSCRIBE_HOME": str(home),
        "MEDSCRIBE_ROOT": str(ROOT),
        "SFN_MOCK_CONFIG": str(MOCKS),
        "SFN_MOCK_HYBRID": "1",
        **memo_env(),  # the seeded recordings test the console, not the decode: one decode per test run
    }
    env.pop("AWS_ENDPOINT_URL", None)
    log = home / "serve.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "medscribe.cli",
                "serve",
                "--port",
                str(port),
                "--aws-port",
                str(aws_port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=sink,
            text=True,
            env=env,
        )
    deadline = time.monotonic() + 120
    while "medscribe: ready" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("medscribe serve did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.2)
    url = f"http://127.0.0.1:{aws_port}"
    probe = Serve(process, url, "", "", env, api_url=f"http://127.0.0.1:{port}", log=log)
    machines = probe.client("stepfunctions").list_state_machines()["stateMachines"]
    probe.state_machine_arn = next(
        m["stateMachineArn"] for m in machines if m["name"].endswith("-transcribe-pipeline")
    )
    probe.bucket = next(
        b["Name"] for b in probe.client("s3").list_buckets()["Buckets"] if b["Name"].endswith("audiobucket")
    )
    return probe
