"""The ops CLI as an operator runs it (subprocesses) against a running local endpoint with one succeeded and
two failed recordings: list / status / history / redrive / open, plain text and --json."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_cli_support import AwsCli
from ops_support import LocalEndpoint

pytestmark = pytest.mark.e2e


def ops(endpoint: LocalEndpoint, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in endpoint.env.items() if not k.startswith("AWS_")}
    env["AWS_ENDPOINT_URL"] = endpoint.url  # honoured when --endpoint-url is not given
    return subprocess.run(
        [sys.executable, "-m", "medscribe.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def ops_json(endpoint: LocalEndpoint, *args: str) -> Any:
    proc = ops(endpoint, *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_list_shows_both_outcomes_with_the_error_name(local_endpoint: LocalEndpoint) -> None:
    # When an operator lists recordings
    rows = {r["recording_id"]: r for r in ops_json(local_endpoint, "list")}
    # Then the succeeded and the failed ones are there, with tenant and the failure's error name
    assert rows[local_endpoint.succeeded]["status"] == "SUCCEEDED"
    assert rows[local_endpoint.succeeded]["tenant"] == "clinic-a"
    # (failed[1]: the redrive test below turns failed[0] SUCCEEDED, and the tests may run in any order)
    failed = rows[local_endpoint.failed[1]]
    assert (failed["status"], failed["error"], failed["tenant"]) == ("FAILED", "States.Runtime", "clinic-b")
    # And the filters filter
    # (the clinic-a rows of the whole list: the AWS CLI test adds one of clinic-a, in whatever order they run)
    clinic_a = {rid for rid, r in rows.items() if r["tenant"] == "clinic-a"}
    assert local_endpoint.succeeded in clinic_a
    assert {r["recording_id"] for r in ops_json(local_endpoint, "list", "--tenant", "clinic-a")} == clinic_a
    text = ops(local_endpoint, "list", "--status", "succeeded")
    assert text.returncode == 0, text.stderr
    assert local_endpoint.succeeded in text.stdout
    assert local_endpoint.failed[1] not in text.stdout


def test_status_and_history_show_where_it_failed(local_endpoint: LocalEndpoint) -> None:
    rid = local_endpoint.failed[1]
    # When an operator asks for status and history of a failed recording
    status = ops_json(local_endpoint, "status", rid)
    timeline = ops_json(local_endpoint, "history", rid)
    # Then the history is a timeline ending at the failed state with its error
    assert status["status"] == "FAILED"
    states = [t["state"] for t in timeline]
    assert states[:2] == ["InitSettings", "ValidateAudio"]
    assert timeline[-1]["state"] == "DetectEntities"
    assert (timeline[-1]["outcome"], timeline[-1]["error"]) == ("failed", "States.Runtime")
    assert all(t["outcome"] == "succeeded" for t in timeline[:-1])
    assert all(t["duration_seconds"] is not None for t in timeline)
    # And the plain-text form is a table with the same facts
    text = ops(local_endpoint, "history", rid)
    assert text.returncode == 0, text.stderr
    assert "DetectEntities" in text.stdout
    assert "States.Runtime" in text.stdout


def test_redrive_resumes_the_failed_recording_to_success(local_endpoint: LocalEndpoint) -> None:
    rid = local_endpoint.failed[0]
    # When an operator redrives it
    proc = ops(local_endpoint, "redrive", rid)
    assert proc.returncode == 0, proc.stderr
    # Then it resumes at DetectEntities (the real handler now) and succeeds, without re-running earlier states
    arn = local_endpoint.state_machine_arn.replace(":stateMachine:", ":execution:") + f":{rid}"
    assert local_endpoint.wait(arn)["status"] == "SUCCEEDED"
    timeline = ops_json(local_endpoint, "history", rid)
    names = [t["state"] for t in timeline]
    assert names.count("ValidateAudio") == 1
    assert names.count("DetectEntities") == 2
    assert timeline[-1]["outcome"] == "succeeded"
    # And a second redrive of a succeeded execution is refused with one line
    again = ops(local_endpoint, "redrive", rid)
    assert again.returncode == 1
    assert "cannot be redriven" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


def test_open_downloads_the_pdf(local_endpoint: LocalEndpoint, tmp_path: Path) -> None:
    # When a clinician opens the succeeded recording
    proc = ops(local_endpoint, "open", local_endpoint.succeeded, "--out", str(tmp_path))
    # Then the PDF is saved and its path printed
    assert proc.returncode == 0, proc.stderr
    path = Path(proc.stdout.strip())
    assert path.parent == tmp_path.resolve()
    assert path.read_bytes().startswith(b"%PDF")
    # And a failed recording has no document: one line, exit 1
    missing = ops(local_endpoint, "open", local_endpoint.failed[1], "--out", str(tmp_path))
    assert missing.returncode == 1
    assert "no document" in missing.stderr


def test_unknown_recording_and_unreachable_endpoint_are_one_line(local_endpoint: LocalEndpoint) -> None:
    unknown = ops(local_endpoint, "status", "no-such-recording")
    assert unknown.returncode == 2
    assert len(unknown.stderr.strip().splitlines()) == 1
    started = time.monotonic()
    down = ops(local_endpoint, "list", "--endpoint-url", "http://127.0.0.1:9")
    assert down.returncode == 1
    assert "cannot reach" in down.stderr
    assert time.monotonic() - started < 60


@pytest.fixture(scope="module")
def aws_cli() -> Iterator[AwsCli]:
    cli = AwsCli()
    yield cli
    cli.close()


def aws(cli: AwsCli, endpoint: LocalEndpoint, *args: str) -> Any:
    """The AWS CLI (v1, in its own venv: `make aws-venv`) against the local endpoint, as a developer runs it
    (each command through the CLI's driver in one process of that venv: aws_cli_support)."""
    env = {k: v for k, v in endpoint.env.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
    proc = cli.run(["--endpoint-url", endpoint.url, "--output", "json", *args], env)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.strip()
    return json.loads(out) if out[:1] in ("{", "[") else out  # `s3 cp` prints a line, not JSON


def test_aws_cli_upload_runs_the_pipeline_and_stepfunctions_reads_it(
    local_endpoint: LocalEndpoint, aws_cli: AwsCli
) -> None:
    machine = local_endpoint.state_machine_arn
    before = {
        e["name"]
        for e in aws(
            aws_cli, local_endpoint, "stepfunctions", "list-executions", "--state-machine-arn", machine
        )["executions"]
    }
    # When a developer copies a recording to incoming/ with the AWS CLI
    sample = Path(__file__).resolve().parents[2] / "samples" / "dictation.wav"
    copied = aws(
        aws_cli,
        local_endpoint,
        "s3",
        "cp",
        str(sample),
        f"s3://{local_endpoint.bucket}/incoming/clinic-a/from-cli.wav",
    )
    assert "upload: " in str(copied)
    # Then the upload starts an execution of the real pipeline, which succeeds
    deadline = time.monotonic() + 60
    while not (
        new := [
            e
            for e in aws(
                aws_cli, local_endpoint, "stepfunctions", "list-executions", "--state-machine-arn", machine
            )["executions"]
            if e["name"] not in before
        ]
    ):
        assert time.monotonic() < deadline, "the upload started no execution"
        time.sleep(0.5)
    arn = new[0]["executionArn"]
    local_endpoint.wait(arn)
    described = aws(aws_cli, local_endpoint, "stepfunctions", "describe-execution", "--execution-arn", arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["event"]["detail_type"] == "RecordingProcessed"
    # And the machine and its history read back through the CLI
    machines = aws(aws_cli, local_endpoint, "stepfunctions", "list-state-machines")["stateMachines"]
    assert machine in [m["stateMachineArn"] for m in machines]  # with BackfillPipeline (issue 18)
    definition = aws(
        aws_cli, local_endpoint, "stepfunctions", "describe-state-machine", "--state-machine-arn", machine
    )
    assert json.loads(definition["definition"])["StartAt"] == "InitSettings"
    events = aws(aws_cli, local_endpoint, "stepfunctions", "get-execution-history", "--execution-arn", arn)[
        "events"
    ]
    types = [e["type"] for e in events]
    assert (types[0], types[-1]) == ("ExecutionStarted", "ExecutionSucceeded")
    assert "TaskSucceeded" in types
