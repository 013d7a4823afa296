"""S3 "Object Created" on EventBridge in AWS's documented shape (moto_patches.s3_events, moto 5.2.6)."""

from __future__ import annotations

import json
from pathlib import Path

from medscribe.local.engine import LocalPipeline

EVENTS = Path(__file__).resolve().parents[2] / "events"


def test_the_upload_event_has_a_string_time_and_lower_case_etag(pipeline: LocalPipeline) -> None:
    # When a recording is uploaded under incoming/ (S3 -> EventBridge -> StartRecordingFunction)
    pipeline.upload(EVENTS.parent / "samples" / "dictation.wav", tenant="clinic-a")
    delivered = []
    import time

    deadline = time.monotonic() + 30
    while not delivered and time.monotonic() < deadline:
        delivered = [
            i.event for i in pipeline.dispatcher.invocations if i.function == "StartRecordingFunction"
        ]
        time.sleep(0.05)
    # Then the event the function received is shaped as AWS documents it
    event = delivered[0]
    assert isinstance(event["time"], str)
    assert event["time"].endswith("Z")
    assert "etag" in event["detail"]["object"]
    assert "eTag" not in event["detail"]["object"]


def test_the_sample_events_have_the_documented_shape() -> None:
    for name in ("s3_object_created.json", "start_recording.json"):
        event = json.loads((EVENTS / name).read_text())
        assert isinstance(event["time"], str), name
        assert "etag" in event["detail"]["object"], name
