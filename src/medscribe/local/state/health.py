"""``serve`` heals itself: a monitor thread restarts the embedded PostgreSQL when it dies (bounded attempts with
backoff, then ``PostgresUnavailable``, named in the log and in /health), and ``HealthGate`` answers

- ``GET /health``: what is up (``postgres``, ``emulator``, ``workers``), 200 when everything is, else 503;
- every other request while PostgreSQL is down: ``503`` ``application/problem+json`` with ``Retry-After``
  (never a bare 502), so a client backs off and retries; in-flight executions meet the pipeline's own
  ``DatabaseUnavailable`` (retried by the state machine, then recorded).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from medscribe.local.state.errors import PostgresUnavailable

CHECK_SECONDS = 1.0
BACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0)  # one restart attempt after each: 5 attempts, ~15 s in all
RETRY_AFTER_SECONDS = 5


def _say(text: str) -> None:
    print(f"medscribe: {text}", file=sys.stderr, flush=True)


class PostgresMonitor:
    """Watches ``postgres`` (``state.postgres.EmbeddedPostgres``); ``state`` is up / restarting / failed."""

    def __init__(self, postgres: Any, *, on_restart: Callable[[], None] | None = None) -> None:
        self.postgres = postgres
        self.on_restart = on_restart
        self.state = "up"
        self.error: str | None = None
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="postgres-monitor", daemon=True)

    def start(self) -> PostgresMonitor:
        self._thread.start()
        return self

    def stop(self) -> None:
        from medscribe.local import stopping

        with stopping.step("postgres-monitor") as record:
            self._stop.set()  # its wait (and a restart backoff) returns at once
            stopping.join(self._thread, 30.0, record)

    def up(self) -> bool:
        """Now, not as of the last check: a request right after a crash is answered 503 too."""
        return self.state == "up" and bool(self.postgres.alive())

    def _run(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            if self.state == "failed" or self.postgres.alive():
                continue
            self._recover()

    def _recover(self) -> None:
        self.state = "restarting"
        _say("PostgreSQL is down: API requests answer 503 while it restarts")
        for attempt, delay in enumerate(BACKOFF_SECONDS, start=1):
            if self._stop.wait(delay):
                return
            try:
                self.postgres.restart()
            except PostgresUnavailable as exc:
                _say(f"PostgreSQL restart {attempt}/{len(BACKOFF_SECONDS)} failed: {exc}")
                continue
            if self.postgres.alive():
                self.restarts += 1
                self.state, self.error = "up", None
                _say(f"PostgreSQL restarted (attempt {attempt}, pid {self.postgres.pid()})")
                if self.on_restart is not None:
                    self.on_restart()
                return
        self.state = "failed"
        self.error = f"PostgresUnavailable: not restarted after {len(BACKOFF_SECONDS)} attempts"
        _say(f"{self.error}; restart `medscribe serve`")


class HealthGate:
    """WSGI middleware in front of the API gateway (``/health`` and the 503 gate)."""

    def __init__(
        self, app: Any, monitor: PostgresMonitor | None, workers: Callable[[], dict[str, Any]]
    ) -> None:
        self.app = app
        self.monitor = monitor
        self.workers = workers

    def status(self) -> dict[str, Any]:
        postgres: dict[str, Any] = {"status": "external"}
        if self.monitor is not None:
            state = (
                "up" if self.monitor.up() else ("down" if self.monitor.state == "up" else self.monitor.state)
            )
            postgres = {"status": state, "restarts": self.monitor.restarts, "error": self.monitor.error}
        workers = self.workers()
        ok = postgres["status"] in ("up", "external")
        return {
            "status": "ok" if ok else "degraded",
            "postgres": postgres,
            "emulator": {"status": "up"},
            "workers": workers,
        }

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in ("/health", "/ready"):
            body = self.status()
            code = "200 OK" if body["status"] == "ok" else "503 Service Unavailable"
            return self._json(start_response, code, body, "application/json", retry=body["status"] != "ok")
        if self.monitor is not None and not self.monitor.up():
            problem = {
                "type": "about:blank",
                "title": "Service Unavailable",
                "status": 503,
                "detail": "the local database is restarting; retry after the indicated delay",
            }
            return self._json(
                start_response, "503 Service Unavailable", problem, "application/problem+json", retry=True
            )
        result: Iterable[bytes] = self.app(environ, start_response)
        return result

    @staticmethod
    def _json(start_response: Any, code: str, body: dict[str, Any], kind: str, *, retry: bool) -> list[bytes]:
        data = json.dumps(body).encode()
        headers = [("Content-Type", kind), ("Content-Length", str(len(data))), ("Cache-Control", "no-store")]
        if retry:
            headers.append(("Retry-After", str(RETRY_AFTER_SECONDS)))
        start_response(code, headers)
        return [data]


def workers_status() -> dict[str, Any]:
    """The offline worker pool: how many worker processes are alive (0 until the first job or prewarm)."""
    from medscribe.offline import workers

    if workers.pool.cache_info().currsize == 0:
        return {"status": "idle", "alive": 0, "size": workers.worker_count()}
    processes = getattr(workers.pool(), "_processes", None) or {}
    alive = sum(1 for p in processes.values() if p.is_alive())
    return {"status": "up" if alive else "starting", "alive": alive, "size": workers.worker_count()}
