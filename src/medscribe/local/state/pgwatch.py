"""The embedded PostgreSQL's watchdog: ``python -m medscribe.local.state.pgwatch PGDATA``.

``pg_ctl start`` detaches the postmaster: it is nobody's child, so no parent-death signal reaches it. The
process that starts PostgreSQL starts this watchdog first (before ``initdb`` / ``pg_ctl``: a kill during
start-up is covered too) with a pipe on its stdin and keeps the pipe's write end (close-on-exec: no other child
inherits it). The watchdog only reads: the read returns EOF when that end is closed, which the kernel does
however the holder ends (exit, exception, SIGKILL). The watchdog then lets a start-up still in progress
(``initdb`` / ``pg_ctl`` of this data directory, which outlive a killed holder) finish, drops dead holders from
pgserver's handle list (a killed holder that its parent has not reaped yet, a zombie, is dead) and, when no live
process holds the server any more, stops the postmaster with a fast shutdown (``hygiene.clean_stale_pgserver``):
a normal exit has stopped it already, a kill -9 has not. A holder that has stopped its handle itself writes
``CLEAN_STOP`` before closing the pipe: the watchdog then skips the grace period and the start-up check (nothing
is starting, the holder's handle is gone) and only checks, as always, that no unheld postmaster is left.

It runs in its own session (a Ctrl-C to the terminal, a signal to the caller's process group do not reach it)
and ignores SIGINT, SIGTERM and SIGHUP: it leaves only when its holder is gone, after stopping what is left. Its
stdout/stderr go to its own log file (it never holds the caller's pipes: ``medscribe run | cat`` ends with
``run``).
"""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

# After EOF: give the holder's own exit a moment to remove its handle and stop PostgreSQL itself.
GRACE_SECONDS = 0.5
# pg_ctl -w waits up to 60 s for the server; initdb of an empty cluster takes seconds.
STARTUP_WAIT_SECONDS = 90.0
STARTUP_TOOLS = ("initdb", "pg_ctl")
CLEAN_STOP = b"clean-stop\n"  # the holder's last words on a normal stop (state.postgres._release)


def startup_in_progress(pgdata: Path) -> bool:
    """An ``initdb`` or ``pg_ctl`` of this data directory runs (a killed holder's start-up goes on without it)."""
    import psutil

    names = {str(pgdata), str(pgdata.resolve())}
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if cmdline and Path(cmdline[0]).name in STARTUP_TOOLS and names & set(cmdline):
            return True
    return False


def main(argv: list[str]) -> int:
    pgdata = Path(argv[0])
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    said = b""
    while chunk := sys.stdin.buffer.read(4096):  # b"" once the holder's end is closed (exit, kill -9)
        said += chunk
    if CLEAN_STOP not in said:  # killed, or an exception before its stop: let its start-up/exit finish
        time.sleep(GRACE_SECONDS)
        deadline = time.monotonic() + STARTUP_WAIT_SECONDS
        while startup_in_progress(pgdata) and time.monotonic() < deadline:
            time.sleep(0.2)
    from medscribe.local.hygiene import clean_stale_pgserver

    done = clean_stale_pgserver(pgdata)
    print(json.dumps({"event": "holder-gone", "clean": CLEAN_STOP in said, **done}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
