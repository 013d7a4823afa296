"""moto 5.2.6: the interpreter's history events announced to whoever waits on an execution, and an execution's
history read in process (no behaviour change: no DescribeExecution polling, no JSON round trip).

- Every history event calls the ``on_event`` listeners (the local state's "dirty" mark) and notifies
  ``EXECUTION_EVENTS`` (a ``threading.Condition``): ``LocalPipeline.wait`` sleeps on it instead of polling
  DescribeExecution every 50 ms. The ARNs of executions that started / ended are kept too, and a waiter for one
  execution's start or end sleeps on a condition of that ARN alone (sharing the one lock), so only its own
  start or end wakes it: with 100 executions in one stack, a notify_all on every history event woke all 100
  waiting threads ~40 times per recording (each thread taking the GIL to re-check and sleep again):
  O(executions^2) wake-ups that starved the interpreter's threads. ``wake_all`` wakes those waiters to re-check
  a condition outside the interpreter they also wait for (an upload's wait for its start: a failed delivery).
- GetExecutionHistory: moto's generic response serializer walks the botocore shape for every member of every
  event (~1 ms per event: ~25 ms for one recording's history, more than the interpreter spends running it).
  The history is already in the API's shape (camelCase keys, datetimes): ``plain`` makes it JSON-ready with
  the serializer's rules for what it touches (``None`` dropped, timestamps as epoch seconds truncated to ms);
  event timestamps, which moto keeps as ISO text, go out as epoch seconds too, as AWS sends them.
  ``sfn_executions`` (which owns GetExecutionHistory: paging) writes it with ``plain``; ``read_history`` gives
  a caller in this process the list boto3 would return.
"""

from __future__ import annotations

import calendar
import datetime
import enum
import functools
import threading
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="speedup",
    moto_version=MOTO_VERSION,
    restores=(
        "No AWS behaviour: history events announced to waiters (no DescribeExecution polling), each waiter woken "
        "by its own execution's start or end only."
    ),
    targets=(
        "moto.stepfunctions.parser.asl.eval.event.event_manager.EventManager.add_event",
        "moto.stepfunctions.parser.backend.execution.BaseExecutionWorkerCommunication.terminated",
        "moto.stepfunctions.parser.backend.execution.Execution.start",
    ),
    canary="tests/emulator/test_canary_speedups.py::test_execution_events",
)
_EVENTS_LOCK = threading.RLock()
EXECUTION_EVENTS = threading.Condition(_EVENTS_LOCK)  # any event (progress display), any end
# Waiters for one execution's start or end: ARN -> (its condition on the same lock, how many wait on it).
_arn_waiters: dict[str, tuple[threading.Condition, int]] = {}
_event_count = 0
_terminated_count = 0
# Per execution ARN: how many times it started / ended in this process (a redrive runs the same ARN again; a
# waiter compares with the count it read before asking the execution's status, so no stale end wakes it).
_starts: dict[str, int] = {}
_ends: dict[str, int] = {}


# Called after every history event (``on_event``): the one wrapper of EventManager.add_event serves them all.
_listeners: list[Any] = []


def on_event(stack: ExitStack, listener: Any) -> None:
    """Call ``listener()`` after every history event (also when adding it failed) until ``stack`` closes."""
    _listeners.append(listener)
    stack.callback(_listeners.remove, listener)


def _notify(terminated: bool = False, started_arn: str | None = None, ended_arn: str | None = None) -> None:
    global _event_count, _terminated_count
    with EXECUTION_EVENTS:
        _event_count += 1
        _terminated_count += int(terminated)
        for arn, counts in ((started_arn, _starts), (ended_arn, _ends)):
            if arn:
                counts[arn] = counts.get(arn, 0) + 1
                waiting = _arn_waiters.get(arn)
                if waiting is not None:
                    waiting[0].notify_all()
        EXECUTION_EVENTS.notify_all()


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, Execution

    add_event_original = EventManager.add_event
    terminated_original = BaseExecutionWorkerCommunication.terminated
    start_original = Execution.start

    def start(self: Any) -> None:
        start_original(self)
        _notify(started_arn=self.exec_arn)

    def add_event(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = add_event_original(self, *args, **kwargs)
        finally:
            for listener in list(_listeners):
                listener()
        _notify()
        return result

    def terminated(self: Any) -> None:  # the status is set after the last event: notify again
        terminated_original(self)
        _notify(terminated=True, ended_arn=self.execution.exec_arn)

    stack.enter_context(mock.patch.object(Execution, "start", start))
    stack.enter_context(mock.patch.object(EventManager, "add_event", add_event))
    stack.enter_context(mock.patch.object(BaseExecutionWorkerCommunication, "terminated", terminated))


def event_count() -> int:
    with EXECUTION_EVENTS:
        return _event_count


def wait_for_event(after: int, timeout: float) -> int:
    """Block until the interpreter has recorded an event or ended an execution since ``event_count()`` was
    ``after`` (or ``timeout`` s pass); returns the current count."""
    with EXECUTION_EVENTS:
        EXECUTION_EVENTS.wait_for(lambda: _event_count != after, timeout)
        return _event_count


def start_count(arn: str) -> int:
    with EXECUTION_EVENTS:
        return _starts.get(arn, 0)


def _wait_for_arn(
    arn: str,
    counts: dict[str, int],
    after: int,
    timeout: float,
    interrupted: Callable[[], bool] | None = None,
) -> bool:
    """Sleep on ``arn``'s own condition until its count in ``counts`` moved from ``after`` (or ``timeout``, or
    ``interrupted()`` is true after a ``wake_all``)."""
    with _EVENTS_LOCK:
        condition, users = _arn_waiters.get(arn, (None, 0))
        if condition is None:
            condition = threading.Condition(_EVENTS_LOCK)
        _arn_waiters[arn] = (condition, users + 1)
        try:
            return condition.wait_for(
                lambda: counts.get(arn, 0) != after or (interrupted is not None and interrupted()), timeout
            )
        finally:
            condition, users = _arn_waiters[arn]
            if users <= 1:
                del _arn_waiters[arn]  # bounded: only ARNs someone waits on right now
            else:
                _arn_waiters[arn] = (condition, users - 1)


def wait_for_start(
    arn: str, after: int, timeout: float, interrupted: Callable[[], bool] | None = None
) -> bool:
    """Block until the execution ``arn`` has started since ``start_count(arn)`` was ``after`` (or ``timeout``, or
    ``interrupted()`` is true when ``wake_all`` is called)."""
    return _wait_for_arn(arn, _starts, after, timeout, interrupted)


def wake_all() -> None:
    """Wake every waiter of one execution's start or end to re-check its ``interrupted`` (an event outside the
    interpreter it also waits for, such as a failed trigger delivery); the others sleep on."""
    with _EVENTS_LOCK:
        for condition, _ in _arn_waiters.values():
            condition.notify_all()


def end_count(arn: str) -> int:
    with EXECUTION_EVENTS:
        return _ends.get(arn, 0)


def wait_for_end(arn: str, after: int, timeout: float) -> bool:
    """Block until the execution ``arn`` has ended since ``end_count(arn)`` was ``after`` (or ``timeout``)."""
    return _wait_for_arn(arn, _ends, after, timeout)


def terminated_count() -> int:
    with EXECUTION_EVENTS:
        return _terminated_count


def wait_for_termination(after: int, timeout: float) -> int:
    """Block until some execution has ended since ``terminated_count()`` was ``after`` (or ``timeout``)."""
    with EXECUTION_EVENTS:
        EXECUTION_EVENTS.wait_for(lambda: _terminated_count != after, timeout)
        return _terminated_count


def plain(value: Any) -> Any:
    """``value`` as moto's JSON serializer writes it (for a history: dicts, lists, strings, numbers, datetimes)."""
    if isinstance(value, dict):
        return {
            k: _epoch(v) if k == "timestamp" and isinstance(v, str) else plain(v)
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list | tuple):
        return [plain(v) for v in value if v is not None]
    if isinstance(value, datetime.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)  # as moto reads it
        return _unix_timestamp(aware)
    return value


def _unix_timestamp(value: datetime.datetime) -> int | float:
    """moto's ``TimestampSerializer._timestamp_unixtimestamp``: epoch seconds, truncated to milliseconds."""
    base = calendar.timegm(value.timetuple())
    return base + (value.microsecond // 1000) / 1000.0 if value.microsecond else base


def _epoch(text: str) -> Any:
    """An event's timestamp (moto keeps ``iso_8601_datetime_with_milliseconds`` text) as AWS's JSON protocol
    sends it, epoch seconds with milliseconds: the client then reads it with ``fromtimestamp`` instead of
    dateutil's parser (~0.1 ms per event, a third of reading a recording's history)."""
    if len(text) != 24 or not text.endswith("Z"):
        return text  # another format: left for the client's own parser
    try:
        parsed = datetime.datetime.fromisoformat(text[:-1]).replace(tzinfo=datetime.UTC)
    except ValueError:
        return text
    return _unix_timestamp(parsed)


@functools.cache
def _local_zone() -> Any:
    from dateutil.tz import tzlocal

    return tzlocal()


def _client_datetime(epoch: Any) -> Any:
    """What botocore's ``parse_timestamp`` makes of AWS's epoch seconds (a datetime in ``tzlocal()``), with one
    ``tzlocal`` for all (botocore builds one per value; they compare equal)."""
    if not isinstance(epoch, int | float):
        from botocore.utils import parse_timestamp

        return parse_timestamp(epoch)
    return datetime.datetime.fromtimestamp(epoch, _local_zone())


def read_history(execution_arn: str) -> list[dict[str, Any]]:
    """GetExecutionHistory's events for ``execution_arn`` (all pages) as boto3 returns them, read from the
    backend of this process: the same dicts as through the API (``None`` dropped, timestamps parsed the way
    botocore parses AWS's epoch seconds), without serializing to JSON and parsing it back (~1/4 of the CPU
    an execution costs, for a caller such as ``LocalPipeline.wait`` that only wants the list)."""
    from moto.stepfunctions.responses import get_backend

    _, _, _, region, account, *_ = execution_arn.split(":")
    history = get_backend(account, region).get_execution_history(execution_arn)

    def parsed(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: _client_datetime(_epoch(v)) if k == "timestamp" and isinstance(v, str) else parsed(v)
                for k, v in value.items()
                if v is not None
            }
        if isinstance(value, list | tuple):
            return [parsed(v) for v in value if v is not None]
        if isinstance(value, datetime.datetime):
            return _client_datetime(plain(value))
        if isinstance(value, enum.Enum):  # moto's HistoryEventType etc.: JSON carries the value
            return value.value
        return value

    events: list[dict[str, Any]] = parsed(history["events"])
    return events
