"""Hardening of the deployed stack (issue 16, item 6): what an outside review found missing is declared."""

from __future__ import annotations

from cfn_support import as_list, refers_to, resources, template

OPENAPI_METHODS = ("get", "post", "put", "patch", "delete")


def test_given_the_user_pool_then_privileged_roles_need_mfa_and_threat_protection_is_enforced() -> None:
    pool = template()["Resources"]["UserPool"]["Properties"]
    assert pool["MfaConfiguration"] == "OPTIONAL"  # available to every user ...
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    # ... and required of clinic-admin / operator by the pre-token-generation trigger (no token without it)
    assert pool["LambdaConfig"]["PreTokenGeneration"] == {"Fn::GetAtt": ["MfaGuardFunction", "Arn"]}
    assert "DeviceConfiguration" not in pool  # no remembered device skips the challenge
    assert pool["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}
    assert pool["UserPoolTier"] == "PLUS"
    permission = template()["Resources"]["MfaGuardPermission"]["Properties"]
    assert permission["Principal"] == "cognito-idp.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["UserPool", "Arn"]}


def test_given_the_api_stage_then_a_regional_web_acl_with_managed_rules_and_a_rate_limit_guards_it() -> None:
    tpl = template()
    acl = tpl["Resources"]["ApiWebAcl"]["Properties"]
    assert acl["Scope"] == "REGIONAL"
    rules = {r["Name"]: r for r in acl["Rules"]}
    managed = {
        r["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for r in rules.values()
        if "ManagedRuleGroupStatement" in r["Statement"]
    }
    assert managed >= {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesSQLiRuleSet",
    }
    rate = [r for r in rules.values() if "RateBasedStatement" in r["Statement"]]
    assert len(rate) == 1
    assert rate[0]["Action"] == {"Block": {}}
    assert rate[0]["Statement"]["RateBasedStatement"]["Limit"] == {"Ref": "WafRateLimit"}
    assert len({r["Priority"] for r in rules.values()}) == len(rules)
    association = tpl["Resources"]["ApiWebAclAssociation"]["Properties"]
    assert refers_to(association["ResourceArn"], "MedscribeApi")
    assert "/stages/" in association["ResourceArn"]["Fn::Sub"]
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    logging = tpl["Resources"]["ApiWafLogging"]["Properties"]
    assert {"SingleHeader": {"Name": "authorization"}} in logging["RedactedFields"]


def test_given_the_openapi_file_then_every_operation_has_the_params_only_validator() -> None:
    from cfn_support import ROOT

    from medscribe.local.cfn_yaml import load_template  # plain YAML: the OpenAPI file has no CFN tags

    spec = load_template(ROOT / "api" / "openapi.yaml")
    assert "params-only" in spec["x-amazon-apigateway-request-validators"]
    operations = [op for item in spec["paths"].values() for m, op in item.items() if m in OPENAPI_METHODS]
    assert operations
    assert all(op.get("x-amazon-apigateway-request-validator") == "params-only" for op in operations)


def test_given_the_entry_functions_then_their_concurrency_is_reserved_from_parameters() -> None:
    tpl = template()
    fns = tpl["Resources"]
    assert fns["ApiFunction"]["Properties"]["ReservedConcurrentExecutions"] == {
        "Ref": "ApiReservedConcurrency"
    }
    assert fns["StartRecordingFunction"]["Properties"]["ReservedConcurrentExecutions"] == {
        "Ref": "UploadTriggerReservedConcurrency"
    }
    for name in ("ApiReservedConcurrency", "UploadTriggerReservedConcurrency"):
        assert tpl["Parameters"][name]["Type"] == "Number"
        assert tpl["Parameters"][name]["MinValue"] >= 1


def test_given_the_log_stores_then_they_are_versioned_expiring_and_retained() -> None:
    tpl = template()
    logs = tpl["Resources"]["AccessLogBucket"]
    assert logs["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = logs["Properties"]["LifecycleConfiguration"]["Rules"]
    assert any("ExpirationInDays" in r for r in rules)
    assert any("NoncurrentVersionExpiration" in r for r in rules)
    for lid in ("ApiAccessLogGroup", "ApiWafLogGroup"):
        assert tpl["Resources"][lid]["DeletionPolicy"] == "Retain", lid
        assert tpl["Resources"][lid]["UpdateReplacePolicy"] == "Retain", lid


def test_given_the_audio_and_documents_then_a_trail_records_every_object_access() -> None:
    tpl = template()
    trails = resources(tpl, "AWS::CloudTrail::Trail")
    assert list(trails) == ["DataEventsTrail"]
    trail = trails["DataEventsTrail"]["Properties"]
    assert trail["IsLogging"] is True
    assert trail["EnableLogFileValidation"] is True
    assert refers_to(trail["KMSKeyId"], "DataKey")
    assert trail["S3BucketName"] == {"Ref": "TrailBucket"}
    (selector,) = trail["EventSelectors"]
    assert selector["ReadWriteType"] == "All"
    (data,) = selector["DataResources"]
    assert data["Type"] == "AWS::S3::Object"
    # every object of the bucket: the audio and the PDFs ({tenant}/{rid}/documents/) live in AudioBucket
    assert data["Values"] == [{"Fn::Sub": "${AudioBucket.Arn}/"}]
    bucket = tpl["Resources"]["TrailBucket"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    policy = tpl["Resources"]["TrailBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    writes = [s for s in policy if s["Effect"] == "Allow"]
    assert all(s["Principal"] == {"Service": "cloudtrail.amazonaws.com"} for s in writes)
    assert all("aws:SourceArn" in s["Condition"]["StringEquals"] for s in writes)
    denies = [s for s in policy if s["Effect"] == "Deny"]
    assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)
    assert as_list(denies[0]["Resource"])
