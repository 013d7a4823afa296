"""Least privilege: specific actions, specific resources, S3 grants that follow keys.py exactly."""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest
from cfn_support import (
    ALL_FUNCTIONS,
    BUCKET,
    STEP_FUNCTIONS,
    as_list,
    functions,
    identity_statements,
    policy_statements,
    refers_to,
    resolve,
    resources,
    template,
)

from medscribe.keys import RecordingKeys

# Actions that AWS does not support resource-level permissions for (Service Authorization Reference):
# Resource "*" is the only valid form for them. Nothing else may use "*".
NO_RESOURCE_LEVEL_ACTIONS = {
    "comprehendmedical:DetectEntitiesV2",
    "comprehendmedical:InferRxNorm",
    "transcribe:StartMedicalTranscriptionJob",  # narrowed with transcribe:Output* condition keys instead
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
}
# SAM policy templates allowed, each with the parameter that must name a resource of this template.
SAFE_POLICY_TEMPLATES = {"LambdaInvokePolicy": "FunctionName"}

# What each function may do on objects, derived from the key layout in keys.py (and nothing more).
KEYS = RecordingKeys(tenant="acme", recording_id="visit-0123456789abcdef")
OBJECTS = {
    "incoming": "incoming/acme/visit.wav",
    "backfill": "backfill/acme/2024/visit.wav",  # a backfill's archive object
    "audio": KEYS.audio,  # a direct upload's processing copy
    "transcribe_output": KEYS.transcribe_output,
    "transcript_text": KEYS.transcript_text,
    "entities_detected": KEYS.entities_detected,
    "entities_filtered": KEYS.entities_filtered,
    "summary_pdf": KEYS.summary_pdf,
}
READS = {
    # the start route moves the upload (HeadObject, copy source) to its recording's key; the presigned PDF link;
    # a backfill's manifest
    "ApiFunction": {"incoming", "audio", "summary_pdf", "backfill"},
    "StartRecordingFunction": {"incoming", "audio"},  # copies an upload; HeadObject of an earlier copy
    "ValidateAudioFunction": {"audio"},  # the pinned version of the recording's own key, nothing else
    "StartTranscriptionFunction": {"audio"},  # Transcribe reads the media with our credentials
    "DetectEntitiesFunction": {"transcribe_output"},
    "FilterEntitiesFunction": {"entities_detected", "transcribe_output", "transcript_text"},  # the draft
    "RenderPdfFunction": {"transcript_text", "entities_filtered"},
    "PersistResultsFunction": {"transcript_text", "entities_filtered"},
    "BackfillItemFunction": {"backfill"},  # HeadObject and the copy's source
}
WRITES = {
    "ApiFunction": {"incoming", "audio"},  # the presigned POST upload is signed by the API's role; the move
    "StartRecordingFunction": {"audio"},  # the copy of an upload
    "StartTranscriptionFunction": {"transcribe_output"},  # Transcribe writes with the caller's credentials
    "DetectEntitiesFunction": {"transcript_text", "entities_detected"},
    "FilterEntitiesFunction": {"entities_filtered"},
    "RenderPdfFunction": {"summary_pdf"},
    "BackfillItemFunction": {"audio"},  # the processing copy, as for a direct upload
}


def _allow(statements: Any) -> list[dict[str, Any]]:
    return [s for s in statements if s.get("Effect") == "Allow"]


def _granted(statements: list[dict[str, Any]], action: str, arn: str, tpl: dict[str, Any]) -> bool:
    for statement in _allow(statements):
        actions = as_list(statement["Action"])
        if action not in actions:
            continue
        for resource in as_list(resolve(statement["Resource"], tpl)):
            if fnmatch.fnmatchcase(arn, resource):
                return True
    return False


def test_given_identity_policies_when_scanned_then_no_allow_uses_a_wildcard_action() -> None:
    statements = list(identity_statements(template()))
    assert statements
    for owner, statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        assert "NotAction" not in statement, owner
        for action in as_list(statement["Action"]):
            assert isinstance(action, str)
            assert "*" not in action, f"{owner}: {action}"
            assert "?" not in action, f"{owner}: {action}"


def test_given_identity_policies_when_scanned_then_star_resources_only_for_actions_without_arns() -> None:
    for owner, statement in identity_statements(template()):
        if statement.get("Effect") != "Allow":
            continue
        assert "NotResource" not in statement, owner
        if "*" in as_list(statement["Resource"]):
            extra = set(as_list(statement["Action"])) - NO_RESOURCE_LEVEL_ACTIONS
            assert not extra, f"{owner}: {sorted(extra)} on Resource '*'"


def test_given_resource_arns_when_scanned_then_wildcards_are_only_object_or_job_name_patterns() -> None:
    tpl = template()
    for owner, statement in identity_statements(tpl):
        for resource in as_list(resolve(statement.get("Resource", []), tpl)):
            if resource == "*" or "*" not in resource:
                continue
            prefix = resource.split("*", 1)[0]
            assert prefix.startswith(
                (
                    f"arn:aws:s3:::{BUCKET}/",
                    "arn:aws:transcribe:us-east-1:123456789012:medical-transcription-job/medscribe-",
                    # a backfill's children: executions of our two state machines only
                    "arn:aws:states:us-east-1:123456789012:execution:medscribe-transcribe-pipeline:",
                    "arn:aws:states:us-east-1:123456789012:execution:medscribe-backfill-pipeline",
                    "arn:aws:states:us-east-1:123456789012:mapRun:medscribe-backfill-pipeline/",
                )
            ), f"{owner}: {resource}"


def test_given_sam_policy_templates_when_used_then_only_specific_ones_naming_our_resources() -> None:
    tpl = template()
    for lid, res in resources(tpl, "AWS::Serverless::Function", "AWS::Serverless::StateMachine").items():
        for policy in as_list(res["Properties"].get("Policies", [])):
            assert not isinstance(policy, str), f"{lid}: managed policy {policy} (too broad)"
            if "Statement" in policy:
                continue
            ((name, args),) = policy.items()
            assert name in SAFE_POLICY_TEMPLATES, f"{lid}: policy template {name}"
            target = args[SAFE_POLICY_TEMPLATES[name]]
            assert isinstance(target, dict), lid
            assert target.get("Ref") in tpl["Resources"], lid


def test_given_the_state_machine_when_it_invokes_then_it_may_invoke_exactly_its_step_functions() -> None:
    tpl = template()
    assert tpl["Resources"]["TranscribePipeline"]["Properties"]["RoleArn"] == {
        "Fn::GetAtt": ["TranscribePipelineRole", "Arn"]
    }
    invokable = set()
    for lid, statement in identity_statements(tpl):
        if "lambda:InvokeFunction" in as_list(statement["Action"]) and lid == "BackfillPipelineRole":
            assert statement["Resource"] == {"Fn::GetAtt": ["BackfillItemFunction", "Arn"]}
            continue
        if "lambda:InvokeFunction" in as_list(statement["Action"]):
            assert lid == "TranscribePipelineRole"
            for target in as_list(statement["Resource"]):
                alias = str(target.get("Ref", "")).removesuffix(".Alias")  # a SnapStart function's alias
                ref = target.get("Fn::GetAtt", [alias or None])[0] or target["Fn::Sub"].split(".Arn}")[0][2:]
                invokable.add(ref)
    assert invokable == set(STEP_FUNCTIONS)


def test_given_transcribe_start_when_allowed_on_star_then_it_is_bound_to_our_bucket_and_key() -> None:
    statements = policy_statements(
        template()["Resources"]["StartTranscriptionFunction"]["Properties"]["Policies"]
    )
    start = next(s for s in statements if "transcribe:StartMedicalTranscriptionJob" in as_list(s["Action"]))
    condition = start["Condition"]["StringEquals"]
    assert condition["transcribe:OutputBucketName"] == {"Ref": "AudioBucket"}
    assert condition["transcribe:OutputEncryptionKMSKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}


@pytest.mark.parametrize("logical_id", sorted(ALL_FUNCTIONS))
@pytest.mark.parametrize("action", ["s3:GetObject", "s3:PutObject"])
def test_given_the_key_layout_when_checking_s3_grants_then_each_function_reaches_exactly_its_objects(
    logical_id: str, action: str
) -> None:
    # Given
    tpl = template()
    statements = list(policy_statements(tpl["Resources"][logical_id]["Properties"].get("Policies")))
    expected = (READS if action == "s3:GetObject" else WRITES).get(logical_id, set())
    # When
    granted = {
        name
        for name, key in OBJECTS.items()
        if _granted(statements, action, f"arn:aws:s3:::{BUCKET}/{key}", tpl)
    }
    # Then
    assert granted == expected


# Only the two that start recordings remove objects: the upload they moved (that version), or a later upload to
# a started recording, under incoming/ and nowhere else.
ADOPT_ACTIONS = {"s3:DeleteObject", "s3:DeleteObjectVersion"}
MOVERS = {"StartRecordingFunction", "ApiFunction"}
# Pinned reads of one version: the movers (copy source: the version the event names) and ValidateAudio (the
# version the start pinned on the recording's own key).
VERSION_READERS = {
    "StartRecordingFunction": f"arn:aws:s3:::{BUCKET}/incoming/*",
    "ApiFunction": f"arn:aws:s3:::{BUCKET}/incoming/*",
    "ValidateAudioFunction": f"arn:aws:s3:::{BUCKET}/*/*/audio",
}


def test_given_any_function_when_checking_other_s3_actions_then_none_beyond_get_put_and_list() -> None:
    tpl = template()
    for lid, statement in identity_statements(tpl):
        s3_actions = {a for a in as_list(statement["Action"]) if a.startswith("s3:")}
        if s3_actions & ADOPT_ACTIONS:
            assert lid in MOVERS, lid
            assert resolve(statement["Resource"], tpl) == f"arn:aws:s3:::{BUCKET}/incoming/*", lid
            s3_actions -= ADOPT_ACTIONS
        if "s3:GetObjectVersion" in s3_actions:
            assert resolve(statement["Resource"], tpl) == VERSION_READERS.get(lid), lid
            s3_actions -= {"s3:GetObjectVersion"}
        assert s3_actions <= {"s3:GetObject", "s3:PutObject", "s3:ListBucket"}, lid
        if "s3:ListBucket" in s3_actions:
            assert resolve(statement["Resource"], tpl) == f"arn:aws:s3:::{BUCKET}", lid


@pytest.mark.parametrize("logical_id", sorted(ALL_FUNCTIONS))
def test_given_a_function_using_the_data_key_then_only_through_named_services(logical_id: str) -> None:
    statements = policy_statements(template()["Resources"][logical_id]["Properties"].get("Policies"))
    for statement in statements:
        actions = as_list(statement["Action"])
        if any(a.startswith("kms:") for a in actions):
            assert statement["Resource"] == {"Fn::GetAtt": ["DataKey", "Arn"]}, logical_id
            assert "kms:ViaService" in statement["Condition"]["StringEquals"], logical_id
            assert set(actions) <= {"kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt", "kms:DescribeKey"}


def test_given_the_key_policy_when_read_then_only_the_account_root_gets_kms_star() -> None:
    # Given
    policy = template()["Resources"]["DataKey"]["Properties"]["KeyPolicy"]
    # Then: the root statement is AWS's default (delegates to IAM); services get specific actions, conditioned
    for statement in policy["Statement"]:
        principal = statement["Principal"]
        if statement["Action"] == "kms:*":
            assert principal == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
            continue
        assert set(principal) == {"Service"}
        assert all("*" not in a for a in as_list(statement["Action"]))
        assert statement.get("Condition"), statement.get("Sid")
    assert template()["Resources"]["DataKey"]["Properties"]["EnableKeyRotation"] is True


def test_given_resource_policies_when_services_deliver_then_each_is_scoped_to_its_source() -> None:
    tpl = template()
    for lid, res in resources(tpl, "AWS::SQS::QueuePolicy").items():
        for statement in _allow(res["Properties"]["PolicyDocument"]["Statement"]):
            assert statement["Principal"] == {"Service": "events.amazonaws.com"}, lid
            assert statement["Action"] == "sqs:SendMessage", lid
            source = statement["Condition"]["ArnEquals"]["aws:SourceArn"]
            assert refers_to(source, "CompletionRule") or refers_to(source, "RecordingUploadedRule"), lid
    for lid, res in resources(tpl, "AWS::Lambda::Permission").items():
        assert "SourceArn" in res["Properties"], lid
        assert "SourceAccount" in res["Properties"], lid


def test_given_queues_and_topics_when_reached_without_tls_then_denied() -> None:
    tpl = template()
    policies = [
        *resources(tpl, "AWS::SQS::QueuePolicy").values(),
        *resources(tpl, "AWS::SNS::TopicPolicy").values(),
    ]
    covered: set[str] = set()
    for res in policies:
        for statement in res["Properties"]["PolicyDocument"]["Statement"]:
            if statement.get("Effect") == "Deny" and statement.get("Condition") == {
                "Bool": {"aws:SecureTransport": "false"}
            }:
                assert statement["Principal"] == "*"
                for target in as_list(statement["Resource"]):
                    covered.add(str(target.get("Fn::GetAtt", [target.get("Ref")])[0]))
    assert set(resources(tpl, "AWS::SQS::Queue")) | set(resources(tpl, "AWS::SNS::Topic")) <= covered


# Step Functions actions each function may use, all on the pipeline state machine only (callback mode: the
# signal function answers waits; StartTranscription answers its own wait when the job had already ended).
STATES_ACTIONS = {
    "StartRecordingFunction": {"states:StartExecution", "states:DescribeExecution"},
    "ApiFunction": {
        "states:StartExecution",
        "states:DescribeExecution",
        "states:ListMapRuns",
        "states:DescribeMapRun",
    },
    "TranscriptionDoneFunction": {"states:SendTaskSuccess", "states:SendTaskFailure"},
    "StartTranscriptionFunction": {"states:SendTaskSuccess"},
    # startExecution.sync:2 of the pipeline; a Distributed Map's children are executions of the backfill itself
    "BackfillPipelineRole": {"states:StartExecution", "states:DescribeExecution", "states:StopExecution"},
}
BACKFILL_STATES_RESOURCES = {
    "arn:aws:states:us-east-1:123456789012:stateMachine:TranscribePipeline",  # !Ref TranscribePipeline
    "arn:aws:states:us-east-1:123456789012:execution:medscribe-transcribe-pipeline:*",
    "arn:aws:states:us-east-1:123456789012:stateMachine:medscribe-backfill-pipeline",
    "arn:aws:states:us-east-1:123456789012:execution:medscribe-backfill-pipeline/*",
    # the API: start a backfill, read its status and its Map Run's counts
    "arn:aws:states:us-east-1:123456789012:stateMachine:BackfillPipeline",
    "arn:aws:states:us-east-1:123456789012:execution:medscribe-backfill-pipeline:*",
    "arn:aws:states:us-east-1:123456789012:mapRun:medscribe-backfill-pipeline/*",
}


def test_given_every_step_function_when_listed_then_none_can_start_executions_except_the_trigger() -> None:
    tpl = template()
    pipeline_arn = resolve({"Ref": "TranscribePipeline"}, tpl)
    granted: dict[str, set[str]] = {}
    for lid, statement in identity_statements(tpl):
        actions = {a for a in as_list(statement["Action"]) if a.startswith("states:")}
        if actions:
            assert lid in STATES_ACTIONS, lid
            granted.setdefault(lid, set()).update(actions)
            resource = resolve(statement["Resource"], tpl)
            if lid == "BackfillPipelineRole" or (lid == "ApiFunction" and resource not in (pipeline_arn,)):
                assert resource in BACKFILL_STATES_RESOURCES, resource
                continue
            # !Ref, or (where !Ref would be a cycle) the ARN built from the state machine's Name; DescribeExecution
            # (is a recording's execution there?) on the pipeline's own executions only
            props = tpl["Resources"]["TranscribePipeline"]["Properties"]
            name = resolve(props.get("Name") or props["StateMachineName"], tpl)
            executions = pipeline_arn.rsplit(":", 2)[0] + f":execution:{name}:*"
            allowed = (pipeline_arn, pipeline_arn.rsplit(":", 1)[0] + ":" + name)
            if actions == {"states:DescribeExecution"}:
                allowed = (executions,)
            assert resource in allowed, (lid, resource)
    assert granted == STATES_ACTIONS


def test_given_the_callback_rule_when_delivering_then_only_transcripts_reach_the_signal_function() -> None:
    # Given
    rule = template()["Resources"]["TranscriptLandedRule"]["Properties"]
    # Then: S3 Object Created in our bucket, keys of the Transcribe output layout only, one Lambda target
    pattern = rule["EventPattern"]
    assert pattern["source"] == ["aws.s3"]
    assert pattern["detail-type"] == ["Object Created"]
    assert pattern["detail"]["bucket"]["name"] == [{"Ref": "AudioBucket"}]
    assert pattern["detail"]["object"]["key"] == [{"wildcard": "*/*/transcribe/medscribe-*.json"}]
    assert [t["Arn"] for t in rule["Targets"]] == [{"Fn::GetAtt": ["TranscriptionDoneFunction", "Arn"]}]
    permission = template()["Resources"]["TranscriptLandedRulePermission"]["Properties"]
    assert permission["SourceArn"] == {"Fn::GetAtt": ["TranscriptLandedRule", "Arn"]}
    assert permission["FunctionName"] == {"Ref": "TranscriptionDoneFunction"}


# Functions whose grants name a resource that names them (a cycle if inline): an AWS::IAM::Policy on the role
# SAM creates for them (<logical id>Role).
ROLE_POLICIES = {"MfaGuardFunction": "MfaGuardPolicy"}


def test_given_functions_when_counted_then_every_function_has_an_inline_policy() -> None:
    tpl = template()
    for lid, res in functions(tpl).items():
        if lid in ROLE_POLICIES:
            policy = tpl["Resources"][ROLE_POLICIES[lid]]
            assert policy["Type"] == "AWS::IAM::Policy"
            assert policy["Properties"]["Roles"] == [{"Ref": f"{lid}Role"}], lid
            assert "Policies" not in res["Properties"], lid
            continue
        assert list(policy_statements(res["Properties"].get("Policies"))), lid


def test_given_the_mfa_guard_when_granted_then_it_may_only_read_users_of_this_pool() -> None:
    tpl = template()
    statements = list(
        as_list(tpl["Resources"]["MfaGuardPolicy"]["Properties"]["PolicyDocument"]["Statement"])
    )
    assert [(s["Effect"], s["Action"], s["Resource"]) for s in statements] == [
        ("Allow", "cognito-idp:AdminGetUser", {"Fn::GetAtt": ["UserPool", "Arn"]})
    ]
