"""How the local stack stops, step by step: every step is timed and every wait in it bounded.

``step(name)`` times one shutdown step and appends ``{"step", "seconds", "timed_out"}`` to this process's stop
record; ``join(thread, seconds, step)`` and ``wait_process(popen, seconds, step)`` bound a wait and, past it,
mark the step timed out and print one line naming ``StopTimedOut`` (the remaining steps still run).
``medscribe serve`` writes the record to ``MEDSCRIBE_HOME/last-stop.json`` when it has stopped (``write``): the
steps in the order they ran, which a slow stop or a test reads.

``wait_for_stop(stop)``: the foreground wait of ``medscribe serve`` until SIGINT or SIGTERM, woken every
``STOP_POLL_SECONDS`` so that a signal is never lost (its docstring says how one was).

``wake_http(server)``: a werkzeug/socketserver server's ``serve_forever`` checks its shutdown flag only when its
``select`` returns (every 0.5 s when idle); ``shutdown()`` plus one connection to its socket makes it return at
once instead of at the end of the poll period.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

RECORD_FILE = "last-stop.json"
STOP_POLL_SECONDS = 0.5  # wait_for_stop wakes this often to run a signal handler that is pending
REAP_SECONDS = 5.0  # a SIGKILLed child is reaped within this (its own bound, whatever the wait's was)

# A process that starts and stops many stacks (a test run) keeps only the latest steps.
_steps: deque[dict[str, Any]] = deque(maxlen=100)
_lock = threading.Lock()


def reset() -> None:
    with _lock:
        _steps.clear()


def steps() -> list[dict[str, Any]]:
    with _lock:
        return [dict(s) for s in _steps]


def timed_out() -> list[str]:
    return [s["step"] for s in steps() if s["timed_out"]]


@contextmanager
def step(name: str) -> Iterator[dict[str, Any]]:
    """Times the block as one step; the yielded dict's ``timed_out`` is set by ``join`` / ``wait_process``."""
    record: dict[str, Any] = {"step": name, "seconds": 0.0, "timed_out": False}
    start = time.monotonic()
    try:
        yield record
    finally:
        record["seconds"] = round(time.monotonic() - start, 3)
        with _lock:
            _steps.append(record)


def _timed_out(record: dict[str, Any] | None, what: str, seconds: float) -> None:
    if record is not None:
        record["timed_out"] = True
    print(f"medscribe: StopTimedOut: {what} did not finish within {seconds:g} s", file=sys.stderr, flush=True)


def join(thread: threading.Thread, seconds: float, record: dict[str, Any] | None = None) -> bool:
    """``thread.join(seconds)``; False (and the step marked timed out) when it is still running."""
    thread.join(seconds)
    if thread.is_alive():
        _timed_out(record, f"thread {thread.name}", seconds)
        return False
    return True


def wait_process(
    process: subprocess.Popen[bytes], seconds: float, record: dict[str, Any] | None = None
) -> bool:
    """``process.wait(seconds)``, else kill it and reap it (``REAP_SECONDS``); False (step timed out) then."""
    try:
        process.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        _timed_out(record, f"process {process.pid}", seconds)
        process.kill()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=REAP_SECONDS)
        return False


def stop_http(server: Any, thread: threading.Thread, seconds: float, record: dict[str, Any] | None) -> None:
    """Stop a server running ``serve_forever`` on ``thread``: ask, wake its ``select`` with one connection,
    join (bounded), close the socket."""
    asking = threading.Thread(target=server.shutdown, name=f"{thread.name}-shutdown", daemon=True)
    asking.start()
    deadline = time.monotonic() + seconds
    while asking.is_alive() and time.monotonic() < deadline:
        wake_http(server)
        asking.join(0.05)
    join(thread, max(0.0, deadline - time.monotonic()), record)
    server.server_close()


def wake_http(server: Any) -> None:
    """One connection to the server's listening socket (closed at once): its ``select`` returns, the loop sees
    the shutdown flag. A server that handles it anyway (the flag not set yet) reads an empty request."""
    host, port = server.server_address[:2]
    with suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        pass


def write(home: Path) -> None:
    """The stop record as JSON (``last-stop.json``), replaced atomically."""
    path = home / RECORD_FILE
    tmp = path.with_suffix(".tmp")
    with suppress(OSError):
        tmp.write_text(json.dumps({"steps": steps()}, indent=1) + "\n")
        tmp.replace(path)


def wait_for_stop(stop: threading.Event, poll: float = STOP_POLL_SECONDS) -> None:
    """Returns when ``stop`` is set (a signal handler sets it) or a handler raises (SIGINT's KeyboardInterrupt).

    Never one unbounded ``stop.wait()``: CPython runs a Python-level signal handler only in the main thread, between
    bytecodes. When the signal is taken by another thread (the kernel may hand a process-directed signal to any
    thread; an idle ``serve`` has HTTP and worker threads), the main thread's lock wait is not interrupted and the
    handler waits with it, for good: an idle ``serve`` sent SIGINT once ran past a 120 s bound. A wait of ``poll``
    seconds returns, the pending handler runs, and the stop begins within ``poll`` seconds."""
    while not stop.wait(poll):
        pass
