"""The virtual clock's wait for an execution (moto_patches/clock.py) sleeps until it has something to do."""

from __future__ import annotations

import sys
import threading
import time
import types
from typing import Any

import pytest
from asl_support import Run

from medscribe.local.moto_patches import clock

WAITS = 40


def _chain_of_waits(timeout_seconds: int) -> dict[str, Any]:
    states: dict[str, Any] = {
        f"W{i}": {"Type": "Wait", "Seconds": 1, "Next": f"W{i + 1}"} for i in range(WAITS - 1)
    }
    states[f"W{WAITS - 1}"] = {"Type": "Wait", "Seconds": 1, "End": True}
    return {"TimeoutSeconds": timeout_seconds, "StartAt": "W0", "States": states}


def test_a_running_execution_does_not_poll_its_clock(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the executions' clock reads counted where the execution's wait makes them (each read is a wake-up
    # of the thread that waits for the program: with 100 executions in flight they were 5,000 a second)
    reads: list[str] = []
    original = clock.skipped_seconds

    def counted(env: Any) -> float:
        reads.append(sys._getframe(1).f_code.co_name)
        return original(env)

    monkeypatch.setattr(clock, "skipped_seconds", counted)
    # When a machine with a budget runs 40 instant waits (each yields 10 ms of real time to other threads)
    started = time.monotonic()
    result = run(_chain_of_waits(3600))
    took = time.monotonic() - started
    # Then it succeeded after a real fraction of a second, and the wait for its program read the clock a few
    # times (when it started and when the program ended), not every 20 ms
    assert result["status"] == "SUCCEEDED", result.get("cause")
    assert took > WAITS * 0.01
    assert reads.count("program_eval") <= 3, (reads.count("program_eval"), took)


def test_a_skip_past_the_budget_times_the_execution_out_at_once(run: Run) -> None:
    # Given a budget of 10 s and 40 waits of 1 s (skipped on the virtual clock, 10 ms of real time each)
    started = time.monotonic()
    result = run(_chain_of_waits(10))
    # Then the execution timed out when its skips spent the budget, long before its real time would have
    assert result["status"] == "TIMED_OUT"
    assert result["events"][-1]["type"] == "ExecutionTimedOut"
    assert time.monotonic() - started < 10 / 2


class _Moment:
    """Where the wait for a program stands (the test's stand-ins for clock's threading.Event and Thread)."""

    def __init__(self) -> None:
        self.waiting = threading.Event()  # the wait for the program sleeps on its wake event
        self.ended = False  # the program's thread set the wake event (this machine has no skip to set it)
        self.armed = False  # ... and the waiting thread woke and cleared it
        self.lied = False


def _stand_ins(moment: _Moment) -> types.SimpleNamespace:
    class Event(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            moment.waiting.set()
            return super().wait(timeout)

        def set(self) -> None:
            if threading.current_thread() is not threading.main_thread():
                moment.waiting.wait(10)  # the program ends only once its waiter sleeps (bounded)
                moment.ended = True
            super().set()

        def clear(self) -> None:
            super().clear()
            moment.armed = moment.armed or moment.ended

    class Thread(threading.Thread):
        def is_alive(self) -> bool:  # alive for one more look after the wake: its exit not yet seen
            if moment.armed and not moment.lied:
                moment.lied = True
                return True
            return super().is_alive()

    return types.SimpleNamespace(Event=Event, Thread=Thread)


def test_a_program_thread_seen_alive_after_its_end_does_not_hold_the_execution(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a program thread still seen alive for one look after it woke its waiter at its end (the GIL can pass
    # to the waiter between the thread's last act and its exit), and a budget of an hour: a wait for the
    # program that slept again would sleep the hour, and then report TIMED_OUT
    moment = _Moment()
    monkeypatch.setattr(clock, "threading", _stand_ins(moment))
    # When a machine with that budget runs to its end
    result = run({"TimeoutSeconds": 3600, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    # Then it is reported SUCCEEDED as soon as it ended (bounded by run's 20 s), the slow exit having been seen
    assert moment.armed
    assert result["status"] == "SUCCEEDED"
    assert result["events"][-1]["type"] == "ExecutionSucceeded"
