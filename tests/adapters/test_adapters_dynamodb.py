"""DynamoRecordingsTable against moto DynamoDB, with the table defined as the module docstring says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from adapter_support import REGION, stub_client
from botocore.stub import Stubber

from medscribe.adapters.dynamodb import TENANT_STATUS_INDEX, DynamoRecordingsTable
from medscribe.errors import ServiceThrottled

TABLE = "medscribe-recordings-test"
T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.fixture
def ddb(aws: None) -> Any:
    client = boto3.client("dynamodb", region_name=REGION)
    # exactly the key schema documented in medscribe.adapters.dynamodb
    client.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "recording_id", "AttributeType": "S"},
            {"AttributeName": "tenant", "AttributeType": "S"},
            {"AttributeName": "status_updated", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "recording_id", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": TENANT_STATUS_INDEX,
                "KeySchema": [
                    {"AttributeName": "tenant", "KeyType": "HASH"},
                    {"AttributeName": "status_updated", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    client.update_time_to_live(
        TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
    return client


def _walk(table: DynamoRecordingsTable, *statuses: str) -> list[bool | None]:
    return [
        table.put_status(recording_id="r1", tenant="clinic-a", status=s, at=T0 + timedelta(seconds=i))
        for i, s in enumerate(statuses)
    ]


def test_statuses_move_forward_with_attributes(ddb: Any) -> None:
    # Given a new recording
    table = DynamoRecordingsTable(ddb, TABLE)
    # When it moves through the pipeline with attributes
    results = _walk(table, "RECEIVED", "VALIDATED", "TRANSCRIBING")
    table.put_status(
        recording_id="r1",
        tenant="clinic-a",
        status="TRANSCRIBED",
        attributes={"duration_seconds": 12.5, "word_count": 40, "job_name": "medscribe-r1"},
        at=T0 + timedelta(minutes=5),
    )
    # Then every write succeeded and the item has the documented attributes
    item = table.get("r1")
    assert results == [True, True, True]
    assert item is not None
    assert item["status"] == "TRANSCRIBED"
    assert item["created_at"] == "2026-11-22T06:00:00.000000Z"
    assert item["updated_at"] == "2026-11-22T06:05:00.000000Z"
    assert item["status_updated"] == "TRANSCRIBED#2026-11-22T06:05:00.000000Z"
    assert (item["duration_seconds"], item["word_count"], item["job_name"]) == (12.5, 40, "medscribe-r1")
    assert table.get("nope") is None


def test_completed_cannot_go_back_to_transcribing(ddb: Any) -> None:
    # Given a COMPLETED recording
    table = DynamoRecordingsTable(ddb, TABLE)
    _walk(table, "RECEIVED", "TRANSCRIBING", "COMPLETED")
    # When a late retry writes TRANSCRIBING
    moved = table.put_status(
        recording_id="r1", tenant="clinic-a", status="TRANSCRIBING", at=T0 + timedelta(hours=1)
    )
    # Then the write is refused and the item is unchanged
    item = table.get("r1")
    assert moved is False
    assert item is not None
    assert item["status"] == "COMPLETED"
    assert item["updated_at"] == "2026-11-22T06:00:02.000000Z"


def test_completed_never_becomes_failed_but_failed_may_complete(ddb: Any) -> None:
    table = DynamoRecordingsTable(ddb, TABLE)
    assert _walk(table, "RECEIVED", "COMPLETED", "FAILED") == [True, True, False]
    assert table.get("r1")["status"] == "COMPLETED"  # type: ignore[index]
    table2 = DynamoRecordingsTable(ddb, TABLE)
    results = [
        table2.put_status(recording_id="r2", tenant="clinic-a", status=s, at=T0)
        for s in ("RECEIVED", "FAILED", "TRANSCRIBING", "COMPLETED")
    ]
    assert results == [True, True, False, True]
    assert table2.get("r2")["status"] == "COMPLETED"  # type: ignore[index]


def test_repeating_a_status_is_an_idempotent_no_op(ddb: Any) -> None:
    table = DynamoRecordingsTable(ddb, TABLE)
    _walk(table, "RECEIVED", "VALIDATED")
    before = table.get("r1")
    again = table.put_status(
        recording_id="r1",
        tenant="clinic-a",
        status="VALIDATED",
        attributes={"x": 1},
        at=T0 + timedelta(days=1),
    )
    assert again is True
    assert table.get("r1") == before


def test_gsi_lists_a_tenants_recordings_by_status(ddb: Any) -> None:
    # Given recordings of two tenants in different statuses
    table = DynamoRecordingsTable(
        boto3.resource("dynamodb", region_name=REGION), TABLE
    )  # a resource works too
    for i, (tenant, status) in enumerate(
        [("a", "COMPLETED"), ("a", "FAILED"), ("a", "COMPLETED"), ("b", "COMPLETED")]
    ):
        table.put_status(recording_id=f"r{i}", tenant=tenant, status=status, at=T0 + timedelta(minutes=i))
    # When tenant a's COMPLETED recordings are queried on the GSI
    page = ddb.query(
        TableName=TABLE,
        IndexName=TENANT_STATUS_INDEX,
        KeyConditionExpression="tenant = :t AND begins_with(status_updated, :s)",
        ExpressionAttributeValues={":t": {"S": "a"}, ":s": {"S": "COMPLETED#"}},
    )
    # Then exactly those come back, oldest first
    assert [i["recording_id"]["S"] for i in page["Items"]] == ["r0", "r2"]


def test_retention_sets_the_ttl_attribute(ddb: Any) -> None:
    table = DynamoRecordingsTable(ddb, TABLE, retention_days=30)
    table.put_status(recording_id="r1", tenant="a", status="RECEIVED", at=T0)
    assert table.get("r1")["expires_at"] == int(T0.timestamp()) + 30 * 86_400  # type: ignore[index]


def test_bad_inputs_are_refused(ddb: Any) -> None:
    table = DynamoRecordingsTable(ddb, TABLE)
    with pytest.raises(ValueError, match="status"):
        table.put_status(recording_id="r", tenant="a", status="DONE", at=T0)
    with pytest.raises(ValueError, match="attributes"):
        table.put_status(recording_id="r", tenant="a", status="RECEIVED", attributes={"status": "x"}, at=T0)
    with pytest.raises(ValueError, match="timezone"):
        table.put_status(recording_id="r", tenant="a", status="RECEIVED", at=datetime(2026, 1, 1))


def test_throttling_raises_service_throttled() -> None:
    client = stub_client("dynamodb")
    with Stubber(client) as stub:
        stub.add_client_error("update_item", "ProvisionedThroughputExceededException", "slow", 400)
        with pytest.raises(ServiceThrottled):
            DynamoRecordingsTable(client, TABLE).put_status(
                recording_id="r", tenant="a", status="RECEIVED", at=T0
            )


def test_the_task_token_is_overwritten_by_a_retried_wait_and_never_read_back_by_get_or_list(ddb: Any) -> None:
    # Given a recording waiting for its transcription (callback mode)
    table = DynamoRecordingsTable(ddb, TABLE)
    _walk(table, "RECEIVED", "VALIDATED")
    assert table.task_token("r1") is None
    table.put_task_token("r1", "token-1")
    # When the wait is retried with a new token
    table.put_task_token("r1", "token-2")
    table.put_status(
        recording_id="r1", tenant="clinic-a", status="TRANSCRIBING", at=T0 + timedelta(minutes=1)
    )
    # Then the newest token stands, and the API's reads of the item never show it
    assert table.task_token("r1") == "token-2"
    item = table.get("r1")
    assert item is not None
    assert item["status"] == "TRANSCRIBING"
    assert "task_token" not in item
    assert all("task_token" not in i for i in table.page("clinic-a")[0])
    raw = ddb.get_item(TableName=TABLE, Key={"recording_id": {"S": "r1"}})["Item"]
    assert raw["task_token"] == {"S": "token-2"}
