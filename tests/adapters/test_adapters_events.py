"""EventBridgePublisher: moto delivery end to end, Stubber for failures and the size limit."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from adapter_support import REGION, stub_client
from botocore.stub import ANY, Stubber

from medscribe.adapters.events import MAX_ENTRY_BYTES, EventBridgePublisher, entry_size
from medscribe.errors import EventPublishFailed, EventTooLarge, ServiceThrottled

BUS = "medscribe-test"


def test_published_event_reaches_a_rule_target(aws: None) -> None:
    # Given a bus with a rule on source "medscribe" delivering to an SQS queue
    events = boto3.client("events", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    events.create_event_bus(Name=BUS)
    queue_url = sqs.create_queue(QueueName="sink")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(Name="all", EventBusName=BUS, EventPattern=json.dumps({"source": ["medscribe"]}))
    events.put_targets(Rule="all", EventBusName=BUS, Targets=[{"Id": "q", "Arn": queue_arn}])
    # When an event is published
    event_id = EventBridgePublisher(events, BUS).publish(
        detail_type="RecordingCompleted",
        detail={"recording_id": "r1", "entity_count": 3},
        resources=["arn:aws:states:us-east-1:123456789012:execution:sm:r1"],
    )
    # Then its id is returned and the target received the same detail
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0)["Messages"]
    body = json.loads(messages[0]["Body"])
    assert event_id
    assert body["detail-type"] == "RecordingCompleted"
    assert body["source"] == "medscribe"
    assert body["detail"] == {"recording_id": "r1", "entity_count": 3}


def test_failed_entry_raises_event_publish_failed() -> None:
    # Given PutEvents answers 200 with one failed entry (its documented partial-failure shape)
    client = stub_client("events")
    response = {
        "FailedEntryCount": 1,
        "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "Internal service error"}],
    }
    with Stubber(client) as stub:
        stub.add_response("put_events", response, {"Entries": ANY})
        # When published, Then the retryable EventPublishFailed is raised with the error code
        with pytest.raises(EventPublishFailed, match="InternalFailure"):
            EventBridgePublisher(client, BUS).publish(
                detail_type="RecordingFailed", detail={"recording_id": "r1"}
            )


def test_request_entry_has_the_documented_fields() -> None:
    client = stub_client("events")
    expected = {
        "Entries": [
            {
                "Source": "medscribe",
                "DetailType": "RecordingCompleted",
                "Detail": '{"recording_id":"r1","note":"é"}',
                "EventBusName": BUS,
                "Resources": ["arn:aws:s3:::b/k"],
            }
        ]
    }
    with Stubber(client) as stub:
        stub.add_response("put_events", {"FailedEntryCount": 0, "Entries": [{"EventId": "e-1"}]}, expected)
        event_id = EventBridgePublisher(client, BUS).publish(
            detail_type="RecordingCompleted",
            detail={"recording_id": "r1", "note": "é"},
            resources=["arn:aws:s3:::b/k"],
        )
    assert event_id == "e-1"


def _detail_of_size(total: int) -> dict[str, Any]:
    """A detail whose entry (source "medscribe" + detail type "X") is exactly ``total`` bytes."""
    overhead = entry_size(
        {"Source": "medscribe", "DetailType": "X", "Detail": json.dumps({"p": ""}, separators=(",", ":"))}
    )
    pad = total - overhead
    return {"p": "é" * (pad // 2) + "a" * (pad % 2)}


def test_entry_of_exactly_256_kb_is_sent() -> None:
    client = stub_client("events")
    detail = _detail_of_size(MAX_ENTRY_BYTES)
    with Stubber(client) as stub:
        stub.add_response(
            "put_events", {"FailedEntryCount": 0, "Entries": [{"EventId": "e-2"}]}, {"Entries": ANY}
        )
        assert EventBridgePublisher(client, BUS).publish(detail_type="X", detail=detail) == "e-2"


def test_entry_over_256_kb_is_refused_before_any_call() -> None:
    # Given a detail one byte over the limit (multi-byte text counted in UTF-8 bytes)
    client = stub_client("events")
    detail = _detail_of_size(MAX_ENTRY_BYTES + 1)
    # no response queued: a call would fail the test with UnStubbedResponseError instead
    with Stubber(client), pytest.raises(EventTooLarge):
        EventBridgePublisher(client, BUS).publish(detail_type="X", detail=detail)


def test_throttling_raises_service_throttled() -> None:
    client = stub_client("events")
    with Stubber(client) as stub:
        stub.add_client_error("put_events", "ThrottlingException", "Rate exceeded", 400)
        with pytest.raises(ServiceThrottled):
            EventBridgePublisher(client, BUS).publish(detail_type="X", detail={})
