"""What the ops surfaces show: an execution summary and a per-state timeline built from its history.
Ids, states, times and error names only: no transcript, entity or file-name text."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass
class Execution:
    recording_id: str
    tenant: str
    status: str
    execution_arn: str
    started: datetime
    stopped: datetime | None = None
    error: str | None = None
    redrive_count: int = 0

    @property
    def age_seconds(self) -> float:
        return (datetime.now(UTC) - self.started).total_seconds()

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["started"] = self.started.isoformat()
        out["stopped"] = self.stopped.isoformat() if self.stopped else None
        out["age_seconds"] = round(self.age_seconds, 1)
        return out


@dataclass
class TimelineEntry:
    state: str
    state_type: str
    entered: datetime
    exited: datetime | None = None
    retries: int = 0
    error: str | None = None
    outcome: str = "running"  # succeeded | failed | caught | running
    errors: list[str] = field(default_factory=list)

    @property
    def duration_seconds(self) -> float | None:
        return (self.exited - self.entered).total_seconds() if self.exited else None

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "type": self.state_type,
            "entered": self.entered.isoformat(),
            "duration_seconds": self.duration_seconds,
            "retries": self.retries,
            "error": self.error,
            "outcome": self.outcome,
        }


_FAILURE_DETAILS = (
    "taskFailedEventDetails",
    "executionAbortedEventDetails",
    "activityFailedEventDetails",
    "activityTimedOutEventDetails",
    "taskTimedOutEventDetails",
    "lambdaFunctionFailedEventDetails",
    "executionFailedEventDetails",
)


def timeline(events: list[dict[str, Any]]) -> list[TimelineEntry]:
    """One entry per state entered (top level and nested), in order. retries = attempts - 1; outcome:
    succeeded (left after a successful attempt), caught (left after a failure: a Catch), failed (open when
    the execution failed, timed out or was aborted), running.

    Each event is credited to the state it belongs to by following ``previousEventId`` back to that state's
    StateEntered event (as AWS and Step Functions Local chain them), not to the state entered last: Parallel
    branches and Map iterations interleave their events."""
    entries: list[TimelineEntry] = []
    open_by_name: dict[str, TimelineEntry] = {}
    owner: dict[int, TimelineEntry] = {}  # event id -> the state entry it belongs to
    attempts: dict[int, int] = {}
    last_ok: dict[int, bool] = {}
    current: TimelineEntry | None = None
    for event in events:
        kind: str = event["type"]
        when = _time(event["timestamp"])
        event_id, previous = event.get("id"), event.get("previousEventId")
        if kind.endswith("StateEntered"):
            name = event["stateEnteredEventDetails"]["name"]
            current = TimelineEntry(state=name, state_type=kind.removesuffix("StateEntered"), entered=when)
            entries.append(current)
            open_by_name[name] = current
            if event_id is not None:
                owner[event_id] = current
            continue
        entry_of_event = owner.get(previous, current) if previous is not None else current
        if kind.endswith("StateExited"):
            name = event["stateExitedEventDetails"]["name"]
            chained = (
                entry_of_event is not None and entry_of_event.state == name and not entry_of_event.exited
            )
            entry = entry_of_event if chained else open_by_name.get(name)
            if entry is not None and open_by_name.get(name) is entry:
                del open_by_name[name]
            if entry is not None:
                entry.exited = when
                entry.outcome = "succeeded" if last_ok.get(id(entry), True) else "caught"
                if entry.outcome == "succeeded":
                    entry.error = None
            entry_of_event = entry
        elif kind in ("TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled") and entry_of_event:
            attempts[id(entry_of_event)] = attempts.get(id(entry_of_event), 0) + 1
            entry_of_event.retries = attempts[id(entry_of_event)] - 1
        elif kind in ("TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded") and entry_of_event:
            last_ok[id(entry_of_event)] = True
        elif kind in ("ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"):
            error = _error_of(event) or ("States.Timeout" if kind == "ExecutionTimedOut" else None)
            for entry in {id(e): e for e in [*open_by_name.values(), *_open(entries)]}.values():
                entry.outcome, entry.exited = "failed", when
                entry.error = entry.error or error
            open_by_name.clear()
        elif (error := _error_of(event)) is not None and entry_of_event is not None:
            entry_of_event.errors.append(error)
            entry_of_event.error = error
            last_ok[id(entry_of_event)] = False
        if event_id is not None and entry_of_event is not None:
            owner[event_id] = entry_of_event
    return entries


def _open(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return [entry for entry in entries if entry.exited is None]


def _error_of(event: dict[str, Any]) -> str | None:
    for key in _FAILURE_DETAILS:
        if key in event:
            error = event[key].get("error")
            return str(error) if error else "Unknown"
    return None


def _time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def recording_of(execution_input: str | None) -> tuple[str, str]:
    """(recording id, tenant) from a pipeline execution's input (the ExecutionInput model's JSON)."""
    try:
        recording = json.loads(execution_input or "{}").get("recording", {})
    except json.JSONDecodeError:
        recording = {}
    return str(recording.get("recording_id", "")), str(recording.get("tenant", ""))
