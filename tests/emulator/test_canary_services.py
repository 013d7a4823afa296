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


def _through_endpoint(target: str) -> int:
    """A DynamoDB JSON request to moto's WSGI app (the AWS endpoint's path), in process; its status."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.test import Client

    scope = "local/20240101/us-east-1/dynamodb/aws4_request"
    auth = f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=0"
    headers = {
        "Authorization": auth,
        "X-Amz-Target": f"DynamoDB_20120810.{target}",
        "Content-Type": "application/x-amz-json-1.0",
    }
    body = {"TableName": "via-endpoint", "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]}
    body["AttributeDefinitions"] = [{"AttributeName": "k", "AttributeType": "S"}]
    body["BillingMode"] = "PAY_PER_REQUEST"
    client = Client(DomainDispatcherApplication(create_backend_app))
    return client.post("/", headers=headers, data=json.dumps(body)).status_code


@BOTH
def test_state_hooks(emulator: Emulator, patched: bool) -> None:
    """moto announces no request and no S3 body set (the durable local state needs both); the wrappers rely on
    the call shapes below."""
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.s3.models import FakeKey

    from medscribe.local.moto_patches import state_hooks

    assert list(inspect.signature(BotocoreStubber.__call__).parameters) == [
        "self",
        "event_name",
        "request",
        "kwargs",
    ]
    assert list(inspect.signature(DomainDispatcherApplication.__call__).parameters) == [
        "self",
        "environ",
        "start_response",
    ]
    value = FakeKey.__dict__["value"]
    assert isinstance(value, property)
    assert value.fset is not None

    clients = emulator(patched)
    dynamodb, s3 = clients("dynamodb"), clients("s3")
    changes: list[str] = []
    bodies: list[str] = []
    with ExitStack() as stack:
        state_hooks.on_request(stack, lambda: changes.append("change"))
        state_hooks.on_body_set(stack, lambda key: bodies.append(key.name))
        # Given reads, in process and through the endpoint
        dynamodb.list_tables()
        assert _through_endpoint("ListTables") == 200
        assert changes == []  # a read marks nothing, patched or not
        # When state changes: a table through the endpoint, an S3 object in process
        assert _through_endpoint("CreateTable") == 200
        s3.create_bucket(Bucket="bucket-1")
        s3.put_object(Bucket="bucket-1", Key="k", Body=b"body")
    assert dynamodb.describe_table(TableName="via-endpoint")["Table"]["TableStatus"] == "ACTIVE"
    if patched:  # each state-changing request reached the hook, and the object's body set
        assert changes == ["change"] * 3
        assert bodies == ["k"]
    else:  # plain moto has no hook
        assert changes == bodies == []
    s3.put_object(Bucket="bucket-1", Key="after", Body=b"x")  # the hooks end with their stack
    assert changes.count("change") == (3 if patched else 0)
