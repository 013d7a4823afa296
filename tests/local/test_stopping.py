"""``medscribe.local.stopping``: a server's ``serve_forever`` stops when asked, woken by a connection rather than
at the end of its poll period, and a wait past its bound is recorded and named (``StopTimedOut``)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from medscribe.local import stopping


@pytest.fixture(autouse=True)
def _fresh_record() -> Iterator[None]:
    stopping.reset()
    yield
    stopping.reset()


def _app(environ: object, start_response: object) -> list[bytes]:
    start_response("200 OK", [])  # type: ignore[operator]
    return [b"ok"]


def test_a_server_polling_every_ten_minutes_stops_without_hitting_its_bound() -> None:
    server = make_server("127.0.0.1", 0, _app, threaded=True)
    # A poll period far above the bound: only the wake-up connection can end serve_forever in time.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 600}, daemon=True)
    thread.start()
    with stopping.step("http") as record:
        stopping.stop_http(server, thread, 20.0, record)
    assert not thread.is_alive()
    assert [(s["step"], s["timed_out"]) for s in stopping.steps()] == [("http", False)]


def test_a_thread_past_its_bound_marks_the_step_and_names_the_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="stuck", daemon=True)
    thread.start()
    with stopping.step("stuck-step") as record:
        assert stopping.join(thread, 0.01, record) is False
    release.set()
    assert stopping.timed_out() == ["stuck-step"]
    assert "StopTimedOut: thread stuck did not finish within 0.01 s" in capsys.readouterr().err


def test_a_process_past_its_bound_is_killed_and_reaped() -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    with stopping.step("child") as record:
        assert stopping.wait_process(process, 0.01, record) is False
    assert process.returncode is not None  # killed and reaped: no child left behind
    assert stopping.timed_out() == ["child"]


def test_a_signal_taken_by_another_thread_still_ends_the_wait_for_stop() -> None:
    """Given serve's foreground wait and a SIGUSR1 handler that sets its event, when the signal is delivered to
    another thread (its C-level handler runs there; the main thread's lock wait is not interrupted), then the wait
    still ends, within its poll period. An unbounded ``Event.wait()`` sleeps until the 10 s watchdog wakes it."""
    stop = threading.Event()
    watchdog_fired = threading.Event()

    def watchdog() -> None:
        if not stop.wait(10):
            watchdog_fired.set()
            stop.set()

    def deliver_to_this_thread() -> None:
        threading.Event().wait(0.3)  # the main thread is in its wait by then
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)

    previous = signal.signal(signal.SIGUSR1, lambda *_: stop.set())
    try:
        threading.Thread(target=watchdog, daemon=True).start()
        threading.Thread(target=deliver_to_this_thread, daemon=True).start()
        stopping.wait_for_stop(stop)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert not watchdog_fired.is_set(), "the handler ran only when the watchdog woke the main thread"
