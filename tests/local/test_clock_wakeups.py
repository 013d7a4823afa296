"""The virtual clock's wait for an execution (moto_patches/clock.py) sleeps until it has something to do."""

from __future__ import annotations

import sys
import time
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


def test_a_program_that_ended_is_never_waited_for_until_its_timeout(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the program's thread still reporting alive after its program ended (as a thread does between its
    # target's return and its end: long enough on Python 3.13 under load that a backfill hung for its budget)
    import threading
    import types

    class Lingering(threading.Thread):
        def is_alive(self) -> bool:
            return True

    monkeypatch.setattr(clock, "threading", types.SimpleNamespace(Thread=Lingering, Event=threading.Event))
    # When a one-state machine with a 3 s budget runs
    result = run({"TimeoutSeconds": 3, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    # Then it succeeded: the wait saw the program's end, not a thread's liveness (it used to time it out)
    assert result["status"] == "SUCCEEDED", result
    assert result["events"][-1]["type"] == "ExecutionSucceeded"
