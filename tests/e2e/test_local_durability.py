"""Local mode survives kill -9 and leaves no process behind (issue 17): real ``medscribe serve`` and ``run``
processes on one MEDSCRIBE_HOME, killed with SIGKILL and started again; the embedded PostgreSQL killed under
``serve``; outputs and data directory that cannot be written. Processes are counted with psutil."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from decode_memo_support import memo_env
from durable_support import (
    ROOT,
    SAMPLE,
    env_for,
    family,
    postmaster,
    start_serve,
    survivors,
    wait_for,
)
from pg_support import DURABILITY_SETTINGS, durability_settings, seed_pgdata

from medscribe.cli_front import add_user, id_token

pytestmark = pytest.mark.e2e
PASSWORD = "Durable-Test-Pw1!"
HOLD = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 600, "End": True}}}
QUICK = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}}
ROLE = "arn:aws:iam::123456789012:role/durable-test"


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # a bound on a local answer, not a wait
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _cli(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``medscribe <args>`` on ``home``, started now (the caller reads it with ``_ended``): the commands that only
    ask the running ``serve`` run side by side, each its own process, as a user's would."""
    return subprocess.Popen(
        [sys.executable, "-m", "medscribe.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(home) | (env or {}),
    )


def _ended(proc: subprocess.Popen[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    stdout, stderr = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _dead_letters(listed: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    """The rows of ``medscribe list --dead-letters --json`` (``_cli(home, *DEAD_LETTERS, aws_url)``)."""
    assert listed.returncode == 0, listed.stderr[-3000:]
    rows: list[dict[str, Any]] = json.loads(listed.stdout)
    return rows


DEAD_LETTERS = ("list", "--dead-letters", "--json", "--endpoint-url")


def _saved_after_now(serve: Any, home: Path) -> None:
    """Block until a snapshot taken after every call made so far is on disk: one more change marks the state
    dirty, and the next save (its file's mtime changes) started after it."""
    snapshot = home / "state" / "moto.pickle"
    before = snapshot.stat().st_mtime_ns
    bucket = serve.client("s3").list_buckets()["Buckets"][0]["Name"]
    serve.client("s3").put_object(Bucket=bucket, Key="outputs/durable-marker", Body=b"")
    wait_for(lambda: snapshot.stat().st_mtime_ns != before, 30, "a state snapshot")


def test_the_seeded_data_directory_runs_postgres_with_its_durable_defaults(pgdata_template: Path) -> None:
    # The template's initdb skipped its final flush to disk (pg_support.initdb_without_sync); the server these
    # kill -9 tests start on a copy must still be the product's: nothing turned off (the session's own
    # throwaway server turns these off, tests/conftest.py)
    assert durability_settings(pgdata_template) == dict.fromkeys(DURABILITY_SETTINGS, "on")


@pytest.fixture
def home(tmp_path: Path, pgdata_template: Path) -> Path:
    """A MEDSCRIBE_HOME whose PostgreSQL data directory is initialised (pg_support.seed_pgdata)."""
    seed_pgdata(pgdata_template, tmp_path / "home" / "pgdata")
    return tmp_path / "home"


def _killed_at_teardown(request: pytest.FixtureRequest, proc: subprocess.Popen[str]) -> None:
    """A test that fails before it kills ``proc`` itself leaves no ``serve`` (nor, through its watchdog, its
    PostgreSQL) running after the session."""

    def kill() -> None:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)

    request.addfinalizer(kill)


def test_serve_killed_with_sigkill_restarts_with_its_state_and_heals_postgres(
    home: Path, request: pytest.FixtureRequest
) -> None:
    # Given a serve with a user, two versions of an object, an item, a finished and a running execution, and
    # an upload to a tenant folder nobody knows
    serve = start_serve(home)
    _killed_at_teardown(request, serve.process)
    add_user(serve.aws_url, "dr.durable@example.org", "clinic-a", "clinician", PASSWORD)
    s3, ddb, sfn = serve.client("s3"), serve.client("dynamodb"), serve.client("stepfunctions")
    bucket = s3.list_buckets()["Buckets"][0]["Name"]
    v1 = s3.put_object(Bucket=bucket, Key="outputs/durable/probe.txt", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="outputs/durable/probe.txt", Body=b"two")["VersionId"]
    table = next(t for t in ddb.list_tables()["TableNames"] if "recordings" in t.lower())
    ddb.put_item(TableName=table, Item={"recording_id": {"S": "u-durable"}, "status": {"S": "RECEIVED"}})
    hold = sfn.create_state_machine(name="durable-hold", definition=json.dumps(HOLD), roleArn=ROLE)
    quick = sfn.create_state_machine(name="durable-quick", definition=json.dumps(QUICK), roleArn=ROLE)
    running = sfn.start_execution(stateMachineArn=hold["stateMachineArn"], name="at-kill")["executionArn"]
    done = sfn.start_execution(stateMachineArn=quick["stateMachineArn"], name="done")["executionArn"]
    wait_for(lambda: sfn.describe_execution(executionArn=done)["status"] == "SUCCEEDED", 30, "the quick one")
    s3.put_object(Bucket=bucket, Key="incoming/no-such-clinic/visit.wav", Body=SAMPLE.read_bytes())
    # Then the unknown tenant's upload lands in TriggerDLQ, with a log line naming the error (not the file):
    # the line is printed once the queue has the message (local.async_invoke.deliver), so it is what is waited
    # for, and `medscribe list --dead-letters` runs once (a process per poll cost ~0.5 s of CPU each)
    wait_for(
        lambda: any("failed after 3 attempts (UnknownTenant)" in line for line in serve.log),
        60,
        "a dead letter",
    )
    letters = _dead_letters(_ended(_cli(home, *DEAD_LETTERS, serve.aws_url)))
    assert [(d["error"], d["tenant_folder"], d["attempts"]) for d in letters] == [
        ("UnknownTenant", "no-such-clinic", 3)
    ]
    assert not any("visit.wav" in line for line in serve.log)
    _saved_after_now(serve, home)

    # When serve is killed with SIGKILL
    processes = family(serve.process.pid, home)
    assert len(processes) >= 3  # serve, the postmaster's watchdog, the postmaster (+ workers, backends)
    serve.process.kill()
    serve.process.wait(timeout=30)
    # Then nothing it started keeps running
    assert survivors(processes) == []

    # And when it starts again on the same MEDSCRIBE_HOME, everything is there
    serve = start_serve(home)
    cli: dict[str, subprocess.Popen[str]] = {}
    try:
        # (the commands below only ask serve, or are refused by it: started side by side, read in turn)
        token = ["token", "dr.durable@example.org", "--endpoint-url", serve.aws_url]
        cli = {
            "token": _cli(home, *token, env={"MEDSCRIBE_PASSWORD": PASSWORD}),
            "wrong": _cli(home, *token, env={"MEDSCRIBE_PASSWORD": PASSWORD + "x"}),
            "letters": _cli(home, *DEAD_LETTERS, serve.aws_url),
            "refused": _cli(home, "run", str(SAMPLE), "--out", str(home / "out")),
        }
        assert id_token(serve.aws_url, "dr.durable@example.org", PASSWORD).count(".") == 2
        # (`medscribe token` as a user runs it; a wrong password is one line naming Cognito's error, exit 1)
        assert _ended(cli["token"]).stdout.count(".") == 2
        wrong = _ended(cli["wrong"])
        assert (wrong.returncode, wrong.stdout) == (1, "")
        assert wrong.stderr.startswith("medscribe: NotAuthorizedException:"), wrong.stderr
        assert "Traceback" not in wrong.stderr
        s3, ddb, sfn = serve.client("s3"), serve.client("dynamodb"), serve.client("stepfunctions")
        versions = s3.list_object_versions(Bucket=bucket, Prefix="outputs/durable/probe")["Versions"]
        assert {v["VersionId"] for v in versions} == {v1, v2}
        assert s3.get_object(Bucket=bucket, Key="outputs/durable/probe.txt")["Body"].read() == b"two"
        item = ddb.get_item(TableName=table, Key={"recording_id": {"S": "u-durable"}})["Item"]
        assert item["status"] == {"S": "RECEIVED"}
        assert sfn.describe_execution(executionArn=done)["status"] == "SUCCEEDED"
        history = sfn.get_execution_history(executionArn=done)["events"]
        assert history[-1]["type"] == "ExecutionSucceeded"
        # the execution running at the kill ends as StopExecution would leave it: ABORTED, named, redrivable
        aborted = sfn.describe_execution(executionArn=running)
        assert (aborted["status"], aborted["error"]) == ("ABORTED", "LocalStackRestarted")
        assert aborted["redriveStatus"] == "REDRIVABLE"
        assert sfn.get_execution_history(executionArn=running)["events"][-1]["type"] == "ExecutionAborted"
        assert len(_dead_letters(_ended(cli["letters"]))) == 1
        # and a `run` on the home serve holds is refused by name (one stack writes a home's state)
        refused = _ended(cli["refused"])
        assert refused.returncode == 2
        assert json.loads(refused.stdout.strip().splitlines()[-1])["error"]["name"] == "StateInUse"

        # When its PostgreSQL is killed
        status, _, _ = _get(f"{serve.api_url}/recordings")
        assert status == 401  # up: the gateway asks for a token
        os.kill(postmaster(home) or 0, signal.SIGKILL)
        # Then the API answers 503 problem+json with Retry-After (not a bare 502) until it is back
        status, headers, body = wait_for(
            lambda: (r := _get(f"{serve.api_url}/recordings"))[0] == 503 and r, 30, "a 503"
        )
        assert headers["Retry-After"].isdigit()
        assert headers["Content-Type"] == "application/problem+json"
        assert json.loads(body)["status"] == 503
        health = wait_for(lambda: (r := _get(f"{serve.api_url}/health"))[0] == 200 and r, 60, "recovery")
        assert json.loads(health[2])["postgres"]["restarts"] == 1
        assert _get(f"{serve.api_url}/recordings")[0] == 401
        assert any("PostgreSQL restarted" in line for line in serve.log)
    finally:
        for proc in cli.values():  # a failed assertion leaves none of them running
            proc.kill()
            proc.communicate()
        processes = family(serve.process.pid, home)
        serve.process.send_signal(signal.SIGTERM)
        serve.process.wait(timeout=60)
    assert survivors(processes) == []


def _full_directory(path: Path) -> bool:
    """A 512 KiB tmpfs with 32 KiB left (root only); False when it cannot be mounted."""
    path.mkdir(parents=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(path)], check=False)
    if mounted.returncode != 0:
        return False
    (path / "filler").write_bytes(b"\0" * (480 * 1024))
    return True


def test_run_killed_with_sigkill_leaves_no_process_and_the_next_run_resumes_it(
    tmp_path: Path, home: Path
) -> None:
    # Given `medscribe run … | cat` in the middle of its transcription
    pipeline = subprocess.Popen(
        f"{sys.executable} -m medscribe.cli run {SAMPLE} --out {tmp_path / 'out'} | cat",
        shell=True,  # the pipe is what is tested
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(home),
        cwd=ROOT,
    )
    assert pipeline.stderr is not None
    for line in pipeline.stderr:
        if "-> StartTranscription" in line:
            break
    shell = family(pipeline.pid, home)
    run = next(p for p in shell if "medscribe.cli" in " ".join(p.cmdline()) and p.name().startswith("python"))
    processes = family(run.pid, home)
    assert len(processes) >= 4  # run, the watchdog, an ASR worker, the postmaster (+ backends)
    # When run is killed with SIGKILL
    run.kill()
    # Then the pipeline ends (nothing holds cat's input) and nothing run started is left
    stdout, _ = pipeline.communicate(timeout=60)
    assert stdout == ""
    assert survivors(processes) == []

    # When the same audio runs again on the same MEDSCRIBE_HOME, into an output directory that is full
    out = tmp_path / "full"
    full = _full_directory(out)
    if not full:
        out.rmdir()
        out.write_text("a file where the output directory should be")
    try:
        proc = subprocess.run(
            # real time, no --instant-waits: a virtual clock let the lost decode's heartbeats expire at once
            [sys.executable, "-m", "medscribe.cli", "run", str(SAMPLE), "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=600,
            env=env_for(home) | memo_env(),  # the resume is under test: the killed run decoded for real
            check=False,
        )
        written = sorted(p.name for p in out.rglob("*")) if out.is_dir() else []
    finally:
        if full:
            subprocess.run(["umount", str(out)], check=False)
    # Then the recording is taken to its end — the interrupted execution redriven when its start had been
    # saved, or (a kill inside the snapshot's debounce window) started from the audio copy that was saved,
    # never refused as a second upload — and the line tells the truth: SUCCEEDED, its outputs could not be
    # written (exit 4), and no truncated file is left
    assert "ExecutionSucceeded" in proc.stderr, proc.stderr[-3000:]
    # (the transcription job the killed run was decoding runs again at once: no heartbeat waited out)
    assert "HeartbeatTimeout" not in proc.stderr, proc.stderr[-3000:]
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 4, proc.stderr[-3000:]
    assert last["status"] == "SUCCEEDED"
    assert last["recording_id"]
    assert last["error"]["name"] == "OutputWriteFailed"
    assert not [name for name in written if name.endswith(".tmp") or name == "summary.pdf"], written

    # And `medscribe reset` asks first (refused without a terminal or --yes), then starts clean
    def reset(*args: str) -> int:
        cmd = [sys.executable, "-m", "medscribe.cli", "reset", *args]
        return subprocess.run(
            cmd, env=env_for(home), timeout=60, check=False, stdin=subprocess.DEVNULL
        ).returncode

    assert reset() == 1
    assert (home / "state").is_dir()
    assert reset("--yes") == 0
    assert not (home / "state").exists()
    assert not (home / "pgdata").exists()
    assert not (home / "api-signing.key").exists()


def test_missing_input_and_unusable_data_directory_are_json_lines_with_their_codes(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "home"
    not_a_directory.write_text("a file where MEDSCRIBE_HOME should be")
    cases: tuple[tuple[list[str], int, str], ...] = (
        ([str(tmp_path / "none.wav")], 3, "InputNotFound"),
        ([str(SAMPLE)], 5, "DataDirectoryUnwritable"),
        (["--min-score", "5", str(SAMPLE)], 2, "UsageError"),  # argparse's own exit, with the line too
    )
    homes = [not_a_directory, not_a_directory, not_a_directory]
    full_home = tmp_path / "full-home"
    if _full_directory(full_home):  # a tmpfs with 32 KiB left (root only)
        cases += (([str(SAMPLE)], 5, "DataDirectoryUnwritable"),)
        homes.append(full_home)
    started: list[subprocess.Popen[str]] = []
    try:  # (the cases are independent processes: started side by side, read in turn)
        started = [
            _cli(home, "run", *args, "--out", str(tmp_path / "out"))
            for (args, _, _), home in zip(cases, homes, strict=True)
        ]
        results = [_ended(proc) for proc in started]
    finally:
        for proc in started:  # none left running when one is not read
            proc.kill()
            proc.communicate()
        if full_home in homes:
            subprocess.run(["umount", str(full_home)], check=False)
    for (_, code, name), done in zip(cases, results, strict=True):
        last = json.loads(done.stdout.strip().splitlines()[-1])
        assert (done.returncode, last["status"], last["error"]["name"]) == (code, "FAILED", name), done.stderr
        assert "Traceback" not in done.stderr


def test_a_data_directory_that_fills_up_during_the_run_is_named_with_the_recordings_real_status(
    tmp_path: Path, pgdata_template: Path
) -> None:
    # Given a MEDSCRIBE_HOME on a small tmpfs with room to start (root only)
    home = tmp_path / "home"
    home.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=120m", "tmpfs", str(home)], check=False
    ).returncode:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        seed_pgdata(pgdata_template, home / "pgdata")  # as in a home used before (the disk fills up later)
        args = ["run", str(SAMPLE), "--out", str(tmp_path / "out"), "--instant-waits"]
        run = subprocess.Popen(
            [sys.executable, "-m", "medscribe.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(home) | memo_env(),
        )
        assert run.stderr is not None
        seen = []
        for line in run.stderr:
            seen.append(line)
            if "-> StartTranscription" in line:
                break
        # When the disk fills up while the recording is being processed
        with suppress(OSError):
            (home / "filler").write_bytes(b"\0" * (200 * 1024 * 1024))
        stdout, stderr = run.communicate(timeout=600)
    finally:
        subprocess.run(["umount", "-l", str(home)], check=False)
    # Then the line names the full data directory (exit 5), with the recording's id and its real end
    last = json.loads(stdout.strip().splitlines()[-1])
    assert run.returncode == 5, "".join(seen) + stderr[-3000:]
    assert last["recording_id"]
    assert last["status"] in ("SUCCEEDED", "FAILED")
    assert last["error"]["name"] == "DataDirectoryUnwritable"
    assert "MEDSCRIBE_HOME" in last["error"]["message"]
    assert "Traceback" not in stderr
