"""Two threads sending events through one rule at once: each event reaches the rule's Lambda target."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
from moto_support import dummy_aws_environment, start_moto

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any, ExitStack]]:
    dummy_aws_environment(monkeypatch)
    with ExitStack() as stack:
        start_moto(stack)
        yield boto3.client("events"), boto3.client("sqs"), stack


def test_an_event_sent_while_another_is_delivered_to_the_rules_queue_reaches_its_function(
    events: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.events.models import Rule

    from medscribe.local.moto_patches import eventbridge_targets

    client, sqs, stack = events
    queue = sqs.create_queue(QueueName="q")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    # Given a rule with a Lambda target and a queue target (moto's own), and a first event held while moto sends it
    # to the queue
    client.put_rule(Name="r", EventPattern=json.dumps({"source": ["app"]}))
    client.put_targets(Rule="r", Targets=[{"Id": "f", "Arn": LAMBDA}, {"Id": "q", "Arn": queue_arn}])
    delivered: list[str] = []
    eventbridge_targets.install(
        stack, lambda target, event: delivered.append(event["detail-type"]), lambda: False
    )
    in_queue_send, release = threading.Event(), threading.Event()
    real_send = Rule._send_to_sqs_queue

    def held_send(rule: Any, *args: Any, **kwargs: Any) -> Any:
        in_queue_send.set()
        assert release.wait(timeout=60)
        return real_send(rule, *args, **kwargs)

    monkeypatch.setattr(Rule, "_send_to_sqs_queue", held_send)
    first = threading.Thread(
        target=client.put_events,
        kwargs={"Entries": [{"Source": "app", "DetailType": "first", "Detail": "{}"}]},
    )
    first.start()
    assert in_queue_send.wait(timeout=60)
    # When a second event is sent through the same rule meanwhile
    monkeypatch.setattr(Rule, "_send_to_sqs_queue", real_send)
    client.put_events(Entries=[{"Source": "app", "DetailType": "second", "Detail": "{}"}])
    release.set()
    first.join(timeout=60)
    # Then both reached the function (the wrapper once removed the rule's Lambda targets while moto sent to the
    # others: the second event found none), and the rule keeps both targets
    assert sorted(delivered) == ["first", "second"]
    targets = client.list_targets_by_rule(Rule="r")["Targets"]
    assert sorted(t["Id"] for t in targets) == ["f", "q"]
