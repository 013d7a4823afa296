"""Waiting for a local execution to start or end without polling: the interpreter's history events (with
``on_event``), the execution's own start or end, or a failed trigger delivery wake the waiting thread
(``moto_patches.execution_events``); each wait is bounded by its timeout (``TimeoutError`` naming the execution).

Besides those wake-ups, a sleeping waiter re-asks the emulator every ``RECHECK_SECONDS`` in case one was missed.
None is known to be: the interpreter announces every start (``Execution.start``) and every end (``terminated``,
also after a stop, a redrive or a timeout), and the only other status change, the durable state's abort of
executions a previous process left running (``local.state.restart``), happens before any waiter exists. Each
re-check is a DescribeExecution (~2.5 ms of this process's CPU): with re-checks every 2 s (start) and 5 s (end),
100 concurrent recordings of ``make soak`` made ~1,900 calls per batch, 441 without (docs/throughput.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from medscribe.local.moto_patches import execution_events

TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
RECHECK_SECONDS = 60.0  # only in case a wake-up was missed (see above)
TERMINAL_EVENTS = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"}


@dataclass
class ExecutionResult:
    execution_arn: str
    status: str
    output: dict[str, Any] | None
    error: str | None
    cause: str | None
    history: list[dict[str, Any]] = field(default_factory=list)

    def states_entered(self) -> list[str]:
        return [
            e["stateEnteredEventDetails"]["name"] for e in self.history if "stateEnteredEventDetails" in e
        ]


def wait_for_execution(
    sfn: Any,
    execution_arn: str,
    *,
    timeout: float = 1800,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> ExecutionResult:
    """Until the execution ends, without polling: the interpreter's history events (with ``on_event``) or
    its end (without) wake this thread; the AWS API is asked only then (each call costs the interpreter's
    thread the GIL), and the history is read from the emulator directly (the events GetExecutionHistory
    returns, without its JSON round trip)."""
    seen = 0
    deadline = time.monotonic() + timeout

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"{execution_arn} still running after {timeout}s")
        # The cap only bounds a missed wake-up (an execution's own end wakes it; history events with on_event).
        return min(1.0 if on_event is not None else RECHECK_SECONDS, left)

    while True:
        ended_before = execution_events.end_count(execution_arn)
        events_before = execution_events.event_count()
        if on_event is not None:
            history = execution_events.read_history(execution_arn)  # in process: no JSON round trip
            for event in history[seen:]:
                on_event(event)
            seen = len(history)
            if not history or history[-1]["type"] not in TERMINAL_EVENTS:
                execution_events.wait_for_event(events_before, timeout=remaining())
                continue
        description = sfn.describe_execution(executionArn=execution_arn)
        if description["status"] not in TERMINAL:
            execution_events.wait_for_end(
                execution_arn, ended_before, timeout=remaining()
            )  # its own end only
            continue
        history = execution_events.read_history(execution_arn)  # in process: no JSON round trip
        if on_event:
            for event in history[seen:]:
                on_event(event)
        return ExecutionResult(
            execution_arn=execution_arn,
            status=description["status"],
            output=json.loads(description["output"]) if description.get("output") else None,
            error=description.get("error"),
            cause=description.get("cause"),
            history=history,
        )


def wait_for_start(
    sfn: Any,
    execution_arn: str,
    *,
    timeout: float,
    failure: Callable[[], BaseException | None],
    what: str,
) -> None:
    """Until the execution ``execution_arn`` exists (an upload's trigger starts it), without polling: its own
    start wakes this thread, and so does a failed trigger delivery (``failure()`` then returns the error, raised
    here; whoever records one calls ``execution_events.wake_all``). ``TimeoutError`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        error = failure()
        if error is not None:
            raise error
        starts_before = execution_events.start_count(execution_arn)
        try:
            sfn.describe_execution(executionArn=execution_arn)
            return
        except sfn.exceptions.ExecutionDoesNotExist:
            pass
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no execution started for {what} within {timeout}s")
        execution_events.wait_for_start(
            execution_arn,
            starts_before,
            timeout=min(RECHECK_SECONDS, left),
            interrupted=lambda: failure() is not None,
        )
