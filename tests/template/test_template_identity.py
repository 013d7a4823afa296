"""Identity and the API contract: a Cognito authorizer on every route, tenant/role groups, encryption at rest
of the bus and the execution history, access logs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from cfn_support import as_list, refers_to, resources, template

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load((ROOT / "api" / "openapi.yaml").read_text())
    return spec


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in _spec()["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_given_the_api_when_defined_then_its_body_is_the_openapi_file() -> None:
    props = template()["Resources"]["MedscribeApi"]["Properties"]
    assert props["DefinitionBody"] == {
        "Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "api/openapi.yaml"}}
    }
    assert "Auth" not in props  # the authorizers live in the OpenAPI file, on every operation
    for lid, res in resources(template(), "AWS::Serverless::Function").items():
        events = res["Properties"].get("Events", {})
        assert all(e["Type"] != "Api" for e in events.values()), lid  # no route outside the spec


def test_given_every_route_when_called_then_a_cognito_authorizer_guards_it() -> None:
    spec = _spec()
    schemes = spec["components"]["securitySchemes"]
    for name, scheme in schemes.items():
        assert scheme["x-amazon-apigateway-authtype"] == "cognito_user_pools", name
        authorizer = scheme["x-amazon-apigateway-authorizer"]
        assert authorizer["type"] == "cognito_user_pools", name
        assert authorizer["providerARNs"] == [{"Fn::GetAtt": ["UserPool", "Arn"]}], name
    operations = _operations()
    assert len(operations) >= 4
    for path, method, op in operations:
        security = op.get("security", spec.get("security"))
        assert security, (path, method)  # no route without auth (an empty list would opt out)
        for requirement in security:
            assert requirement, (path, method)
            assert set(requirement) <= set(schemes), (path, method)
        integration = op["x-amazon-apigateway-integration"]
        assert integration["type"] == "aws_proxy"
        assert "${ApiFunction.Arn}" in integration["uri"]["Fn::Sub"]
        if path.startswith("/m2m/"):  # client credentials: an access token with a medscribe/ scope
            assert all(s.startswith("medscribe/") for r in security for s in r["CognitoM2M"]), path
        else:  # users: the ID token (custom:tenant, cognito:groups), no scopes
            assert security == [{"CognitoUser": []}], path


def test_given_the_user_pool_when_created_then_tenant_is_immutable_and_roles_are_groups() -> None:
    tpl = template()
    pool = tpl["Resources"]["UserPool"]["Properties"]
    tenant = next(a for a in pool["Schema"] if a["Name"] == "tenant")
    assert tenant["Mutable"] is False
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    groups = {r["Properties"]["GroupName"] for r in resources(tpl, "AWS::Cognito::UserPoolGroup").values()}
    assert groups == {"clinician", "clinic-admin", "operator"}
    client = tpl["Resources"]["UserPoolClient"]["Properties"]
    assert "custom:tenant" not in client["WriteAttributes"]  # users cannot change their tenant
    scopes = {s["ScopeName"] for s in tpl["Resources"]["ApiResourceServer"]["Properties"]["Scopes"]}
    assert scopes == {"recordings.read", "recordings.write"}


def test_given_the_bus_and_the_history_when_stored_then_the_data_key_encrypts_them() -> None:
    tpl = template()
    bus = tpl["Resources"]["MedscribeBus"]["Properties"]
    assert refers_to(bus["KmsKeyIdentifier"], "DataKey")
    machines = resources(tpl, "AWS::StepFunctions::StateMachine")
    assert machines
    for lid, res in machines.items():
        encryption = res["Properties"]["EncryptionConfiguration"]
        assert encryption["Type"] == "CUSTOMER_MANAGED_KMS_KEY", lid
        assert refers_to(encryption["KmsKeyId"], "DataKey"), lid


def test_given_phi_access_paths_when_used_then_access_is_logged() -> None:
    tpl = template()
    api = tpl["Resources"]["MedscribeApi"]["Properties"]
    assert refers_to(api["AccessLogSetting"]["DestinationArn"], "ApiAccessLogGroup")
    assert "$context.authorizer.claims.sub" in api["AccessLogSetting"]["Format"]
    bucket = tpl["Resources"]["AudioBucket"]["Properties"]
    assert refers_to(bucket["LoggingConfiguration"]["DestinationBucketName"], "AccessLogBucket")


def test_given_api_access_logging_when_deployed_then_the_account_has_a_cloudwatch_role_first() -> None:
    # Given the template
    tpl = template()
    res = tpl["Resources"]
    # Then the API Gateway account setting names a role only API Gateway can assume, with AWS's push policy
    account = resources(tpl, "AWS::ApiGateway::Account")
    assert list(account) == ["ApiGatewayAccount"]
    assert account["ApiGatewayAccount"]["Properties"]["CloudWatchRoleArn"] == {
        "Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"]
    }
    role = res["ApiGatewayCloudWatchRole"]["Properties"]
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement == {
        "Effect": "Allow",
        "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    assert role["ManagedPolicyArns"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"}
    ]
    assert "Policies" not in role
    assert res["ApiGatewayCloudWatchRole"]["DeletionPolicy"] == "Retain"  # the account setting outlives us
    # And the API (whose stage logs access) is created after the account setting
    assert "ApiGatewayAccount" in as_list(res["MedscribeApi"]["DependsOn"])
    assert "AccessLogSetting" in res["MedscribeApi"]["Properties"]
