"""Stores: every one is encrypted with the customer-managed key; bucket, table, events and DB as specified."""

from __future__ import annotations

from typing import Any

import pytest
from cfn_support import refers_to, resources, template

# Resource type -> where its KMS key is named.
KEY_PROPERTY = {
    "AWS::S3::Bucket": lambda p: p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ]["KMSMasterKeyID"],
    "AWS::DynamoDB::Table": lambda p: p["SSESpecification"]["KMSMasterKeyId"],
    "AWS::SQS::Queue": lambda p: p["KmsMasterKeyId"],
    "AWS::RDS::DBCluster": lambda p: p["KmsKeyId"],
    "AWS::Logs::LogGroup": lambda p: p["KmsKeyId"],
    "AWS::SNS::Topic": lambda p: p["KmsMasterKeyId"],
}
STORE_TYPES = sorted(KEY_PROPERTY)


def _props(logical_id: str) -> dict[str, Any]:
    props: dict[str, Any] = template()["Resources"][logical_id]["Properties"]
    return props


@pytest.mark.parametrize("resource_type", STORE_TYPES)
def test_given_a_store_type_when_declared_then_every_such_store_uses_the_data_key(resource_type: str) -> None:
    # Given
    stores = resources(template(), resource_type)
    assert stores, f"no {resource_type} in the template"
    for lid, res in stores.items():
        if lid == "AccessLogBucket":  # S3 server access log delivery supports SSE-S3 targets only
            continue
        # When
        key = KEY_PROPERTY[resource_type](res["Properties"])
        # Then
        assert refers_to(key, "DataKey"), lid


def test_given_the_db_cluster_when_created_then_storage_and_master_secret_use_the_data_key() -> None:
    props = _props("DbCluster")
    assert props["StorageEncrypted"] is True
    assert refers_to(props["MasterUserSecret"]["KmsKeyId"], "DataKey")
    assert props["ManageMasterUserPassword"] is True
    assert props["EnableHttpEndpoint"] is True  # RDS Data API
    assert props["Engine"] == "aurora-postgresql"
    assert str(template()["Parameters"]["DbEngineVersion"]["Default"]).startswith("16.")
    assert props["DeletionProtection"] == {"Fn::If": ["IsProd", True, False]}
    scaling = props["ServerlessV2ScalingConfiguration"]
    assert scaling["MinCapacity"] == {"Ref": "DbMinCapacity"}
    assert template()["Parameters"]["DbMinCapacity"]["MinValue"] == 0  # auto-pause allowed
    instance = _props("DbInstance")
    assert instance["DBInstanceClass"] == "db.serverless"
    assert instance["PubliclyAccessible"] is False


def test_given_the_db_network_when_created_then_it_has_two_azs_and_no_ingress() -> None:
    tpl = template()
    subnets = resources(tpl, "AWS::EC2::Subnet")
    assert len(subnets) == 2
    azs = [s["Properties"]["AvailabilityZone"] for s in subnets.values()]
    assert sorted(a["Fn::Select"][0] for a in azs) == [0, 1]
    groups = resources(tpl, "AWS::EC2::SecurityGroup")
    assert all("SecurityGroupIngress" not in g["Properties"] for g in groups.values())
    assert not resources(
        tpl, "AWS::EC2::SecurityGroupIngress", "AWS::EC2::InternetGateway", "AWS::EC2::NatGateway"
    )
    assert all(
        "VpcConfig" not in f["Properties"] for f in resources(tpl, "AWS::Serverless::Function").values()
    )


def test_given_the_bucket_when_created_then_it_is_private_versioned_bucket_keyed_and_emits_events() -> None:
    props = _props("AudioBucket")
    rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["BucketKeyEnabled"] is True
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(props["PublicAccessBlockConfiguration"]) == 4
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    assert props["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"] is True
    rules = props["LifecycleConfiguration"]["Rules"]
    assert any("AbortIncompleteMultipartUpload" in r and r["Status"] == "Enabled" for r in rules)


def test_given_the_bucket_policy_when_a_request_is_not_tls_then_it_is_denied() -> None:
    statements = _props("AudioBucketPolicy")["PolicyDocument"]["Statement"]
    deny = [s for s in statements if s["Effect"] == "Deny"]
    assert any(
        s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} and s["Principal"] == "*" for s in deny
    )
    assert all(s["Effect"] == "Deny" for s in statements)  # the bucket policy grants nothing


def test_given_the_table_when_created_then_keys_index_ttl_and_recovery_are_as_specified() -> None:
    props = _props("RecordingsTable")
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["KeySchema"] == [{"AttributeName": "recording_id", "KeyType": "HASH"}]
    types = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
    assert types == {"recording_id": "S", "tenant": "S", "status_updated": "S"}
    (gsi,) = props["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "by-tenant-status"
    assert gsi["KeySchema"] == [
        {"AttributeName": "tenant", "KeyType": "HASH"},
        {"AttributeName": "status_updated", "KeyType": "RANGE"},
    ]
    assert gsi["Projection"] == {"ProjectionType": "ALL"}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["SSESpecification"]["SSEType"] == "KMS"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_given_uploads_when_created_under_incoming_then_the_rule_targets_the_trigger_with_a_dlq() -> None:
    props = _props("RecordingUploadedRule")
    assert "EventBusName" not in props  # S3 notifications go to the default bus
    pattern = props["EventPattern"]
    assert pattern["source"] == ["aws.s3"]
    assert pattern["detail-type"] == ["Object Created"]
    assert pattern["detail"]["bucket"]["name"] == [{"Ref": "AudioBucket"}]
    assert pattern["detail"]["object"]["key"] == [{"prefix": "incoming/"}]
    (target,) = props["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["StartRecordingFunction", "Arn"]}
    assert refers_to(target["DeadLetterConfig"]["Arn"], "TriggerDLQ")
    assert "RetryPolicy" in target
    invoke = _props("StartRecordingFunction")["EventInvokeConfig"]
    assert refers_to(invoke["DestinationConfig"]["OnFailure"]["Destination"], "TriggerDLQ")


def test_given_completion_events_when_published_then_they_reach_the_completion_queue() -> None:
    tpl = template()
    assert _props("MedscribeBus")["Name"] == {"Fn::Sub": "medscribe-${Stage}"}
    props = _props("CompletionRule")
    assert props["EventBusName"] == {"Ref": "MedscribeBus"}
    assert props["EventPattern"] == {
        "source": ["medscribe"],
        "detail-type": ["RecordingProcessed", "RecordingFailed"],
    }
    (target,) = props["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["CompletionQueue", "Arn"]}
    redrive = tpl["Resources"]["CompletionQueue"]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["CompletionDLQ", "Arn"]}


def test_given_event_names_when_published_by_the_code_then_the_rule_matches_them() -> None:
    from medscribe.logic import events

    pattern = _props("CompletionRule")["EventPattern"]
    assert {events.RECORDING_PROCESSED, events.RECORDING_FAILED} == set(pattern["detail-type"])
    assert pattern["source"] == [events.SOURCE]


def test_given_the_state_machine_when_it_logs_then_no_execution_data_is_logged() -> None:
    props = _props("TranscribePipeline")
    assert props["StateMachineType"] == "STANDARD"
    assert props["DefinitionS3Location"] == "statemachine/transcribe_pipeline.asl.json"
    assert props["LoggingConfiguration"]["IncludeExecutionData"] is False
    assert props["LoggingConfiguration"]["Level"] in ("ALL", "ERROR")
    (destination,) = props["LoggingConfiguration"]["Destinations"]
    assert refers_to(destination, "StateMachineLogGroup")


def test_given_the_outputs_when_deployed_then_operators_get_every_entry_point() -> None:
    outputs = template()["Outputs"]
    for name in (
        "ApiUrl",
        "AudioBucketName",
        "StateMachineArn",
        "EventBusName",
        "CompletionQueueUrl",
        "RecordingsTableName",
        "DbClusterArn",
        "DbSecretArn",
    ):
        assert name in outputs, name
