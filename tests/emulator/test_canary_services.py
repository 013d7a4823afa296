"""Canaries of the S3, DynamoDB, Lambda and EventBridge patches: plain moto still deviates from AWS as the patch
says (else the canary fails: the patch can go), patched moto answers as AWS documents."""

from __future__ import annotations

import inspect
import io
import json
import zipfile
from contextlib import ExitStack
from typing import Any

import pytest
from botocore.exceptions import ClientError
from emulator_support import Emulator

BOTH = pytest.mark.parametrize("patched", [False, True], ids=["moto", "patched"])


@BOTH
def test_s3_events(emulator: Emulator, patched: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.events.models import Rule

    # Given every event a rule receives recorded (under the patches, as what they hand moto)
    received: list[dict[str, Any]] = []
    monkeypatch.setattr(
        Rule, "send_to_targets", lambda rule, event, transform_input=True: received.append(event)
    )
    clients = emulator(patched)
    s3, events = clients("s3"), clients("events")
    s3.create_bucket(Bucket="bucket-1")
    s3.put_bucket_notification_configuration(
        Bucket="bucket-1", NotificationConfiguration={"EventBridgeConfiguration": {}}
    )
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["aws.s3"]}))
    # When an object is created
    s3.put_object(Bucket="bucket-1", Key="k", Body=b"x")
    event = received[-1]
    if patched:  # AWS: "time" is ISO-8601 text, detail.object.etag lower case
        assert isinstance(event["time"], str)
        assert "etag" in event["detail"]["object"]
    else:
        assert not isinstance(event["time"], str)
        assert "eTag" in event["detail"]["object"]


@BOTH
def test_s3_conditional_copy(emulator: Emulator, patched: bool) -> None:
    s3 = emulator(patched)("s3")
    s3.create_bucket(Bucket="bucket-1")
    s3.put_object(Bucket="bucket-1", Key="source", Body=b"new")
    s3.put_object(Bucket="bucket-1", Key="taken", Body=b"old")
    copy = {
        "Bucket": "bucket-1",
        "Key": "taken",
        "CopySource": {"Bucket": "bucket-1", "Key": "source"},
        "IfNoneMatch": "*",
    }
    if patched:  # AWS: 412 PreconditionFailed, the existing object kept
        with pytest.raises(ClientError, match="PreconditionFailed"):
            s3.copy_object(**copy)
        assert s3.get_object(Bucket="bucket-1", Key="taken")["Body"].read() == b"old"
    else:
        s3.copy_object(**copy)
        assert s3.get_object(Bucket="bucket-1", Key="taken")["Body"].read() == b"new"


def test_dynamodb_atomic() -> None:
    """The race itself is what tests/local/test_dynamodb_atomic.py pins with the patch (a plain-moto run loses
    writes only under forced thread switching). The canary: moto still serves a request without any lock."""
    from moto.dynamodb import responses
    from moto.dynamodb.models import table

    for module in (responses, table):
        source = inspect.getsource(module)
        assert "Lock(" not in source, module.__name__  # (RLock( contains it too)
    assert list(inspect.signature(responses.DynamoHandler.call_action).parameters) == ["self"]


def _zip(code: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", code)
    return buffer.getvalue()


@BOTH
def test_lambda_api(emulator: Emulator, patched: bool) -> None:
    clients = emulator(patched)
    iam, lam = clients("iam"), clients("lambda")
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    lam.create_function(
        FunctionName="f",
        Runtime="python3.12",
        Role=role,
        Handler="handler.main",
        Code={"ZipFile": _zip("def main(event, context):\n    return {'ran': event['n'] + 1}\n")},
    )
    answer = json.loads(lam.invoke(FunctionName="f", Payload=b'{"n": 1}')["Payload"].read())
    if patched:  # AWS runs the handler
        assert answer == {"ran": 2}
    else:  # moto without Docker echoes the payload
        assert answer == {"n": 1}


@BOTH
def test_eventbridge_targets(emulator: Emulator, patched: bool) -> None:
    from medscribe.local.moto_patches import eventbridge_targets

    events = emulator(patched)("events")
    arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["app"]}))
    events.put_targets(Rule="r", Targets=[{"Id": "f", "Arn": arn}])
    delivered: list[tuple[str, dict[str, Any]]] = []
    entry = {"Source": "app", "DetailType": "t", "Detail": "{}"}
    with ExitStack() as stack:
        if not patched:  # moto delivers to SQS, Logs and buses only
            with pytest.raises(NotImplementedError):
                events.put_events(Entries=[entry])
            return
        eventbridge_targets.install(
            stack, lambda target, event: delivered.append((target, event)), lambda: False
        )
        events.put_events(Entries=[entry])
    assert [target for target, _ in delivered] == [arn]  # AWS invokes the function with the event
    assert delivered[0][1]["source"] == "app"
