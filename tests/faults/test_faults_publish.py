"""Exactly one outcome event per recording, as consumers see it, under races and retries."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from medscribe import errors, wiring
from medscribe.adapters.events import EventBridgePublisher
from medscribe.logic.outcome import publish_completion, record_failure
from medscribe.models import FailureInput, ResultsPersisted

EVENTS = Path(__file__).resolve().parents[2] / "events"


def _state(pipeline: Any) -> ResultsPersisted:
    raw = json.loads((EVENTS / "publish_completion.json").read_text())
    raw["recording"]["bucket"] = pipeline.bucket
    return ResultsPersisted.model_validate(raw)


def _slow_put_events(monkeypatch: pytest.MonkeyPatch, seconds: float) -> list[str]:
    """PutEvents that takes a while, so two invocations overlap between claim and publish."""
    calls: list[str] = []
    original = EventBridgePublisher.publish

    def publish(self: EventBridgePublisher, **kwargs: Any) -> str:
        calls.append(kwargs["detail_type"])
        time.sleep(seconds)
        return original(self, **kwargs)

    monkeypatch.setattr(EventBridgePublisher, "publish", publish)
    return calls


def test_two_threads_publishing_the_same_completion_send_one_event(
    pipeline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a persisted recording and a PutEvents slow enough for two invocations to race
    state = _state(pipeline)
    put_events = _slow_put_events(monkeypatch, 0.5)
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def invoke() -> None:
        barrier.wait()
        try:
            outcomes.append(publish_completion(state, wiring.get_services()).event.event_id)
        except errors.MedscribeError as exc:
            outcomes.append(exc)

    # When two invocations publish the same recording at once
    threads = [threading.Thread(target=invoke) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    # Then one PutEvents happened; the loser was told to retry (a named transient error), not a KeyError
    assert put_events == ["RecordingProcessed"]
    ids = [o for o in outcomes if isinstance(o, str)]
    losers = [o for o in outcomes if not isinstance(o, str)]
    assert len(ids) == 1
    assert [type(e).__name__ for e in losers] == ["PublishInProgress"]
    # And its retry (as Step Functions would) returns the winner's event id without publishing again
    retried = publish_completion(state, wiring.get_services()).event.event_id
    assert retried == ids[0]
    assert put_events == ["RecordingProcessed"]
    # And exactly one event reached the completion queue
    received = Counter(e["detail-type"] for e in pipeline.received_events())
    assert received == {"RecordingProcessed": 1}


def test_completed_only_after_the_event_and_a_failed_publish_leaves_no_completed_store(
    pipeline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given PutEvents failing (EventBridge outage at the end of the pipeline)
    state = _state(pipeline)

    def down(self: EventBridgePublisher, **kwargs: Any) -> str:
        raise errors.EventPublishFailed("PutEvents: InternalFailure")

    monkeypatch.setattr(EventBridgePublisher, "publish", down)
    svc = wiring.get_services()
    rid = state.recording.recording_id
    svc.table.put_status(
        recording_id=rid, tenant="default", status="TRANSCRIBED", at=state.persisted.persisted_at
    )
    # When PublishCompletion runs
    with pytest.raises(errors.EventPublishFailed):
        publish_completion(state, svc)
    # Then DynamoDB does not say COMPLETED, and no claim is left behind that would block the retry
    item = svc.table.get(rid)
    assert item is not None
    assert item["status"] == "TRANSCRIBED"
    monkeypatch.undo()
    event = publish_completion(state, svc).event
    assert svc.table.get(rid)["status"] == "COMPLETED"  # type: ignore[index]
    assert [e["id"] for e in pipeline.received_events()] == [event.event_id]


def test_a_late_failure_of_a_completed_recording_publishes_no_recording_failed(pipeline: Any) -> None:
    # Given a recording whose completion event is out and stores say COMPLETED
    state = _state(pipeline)
    svc = wiring.get_services()
    svc.repository.save_results(
        state=state, transcript_text="", kept_entities=[], dropped_count=0, at=state.persisted.persisted_at
    )
    publish_completion(state, svc)
    # When a late RecordFailure event branch runs for it
    failure = FailureInput.model_validate(
        {**state.to_state(), "error": {"Error": "States.Timeout", "Cause": "late"}, "sink": "event"}
    )
    result = record_failure(failure, svc)
    # Then nothing contradicts the outcome
    assert result.recorded is False
    assert result.event is None
    assert Counter(e["detail-type"] for e in pipeline.received_events()) == {"RecordingProcessed": 1}
