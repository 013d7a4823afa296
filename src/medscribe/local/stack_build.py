"""Creating template.yaml's resources in the active moto mock (``build_stack``): names and ARNs first (resources
reference each other), then KMS, S3, DynamoDB, EventBridge, SQS, functions, state machines, rules and Cognito."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from medscribe.local.cfn_yaml import load_template
from medscribe.local.stack import (
    ACCOUNT,
    REGION,
    STACK,
    LocalStack,
    define_functions,
    physical_name,
    resolved_definition,
)


def build_stack(template_path: Path, overrides: dict[str, str] | None = None) -> LocalStack:
    """Create every emulated resource of template.yaml in the active moto mock; return the name/ARN map."""
    template = load_template(template_path)
    params = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
    params.update(overrides or {})
    stack = LocalStack(template=template, root=template_path.parent, parameters=params)
    session = boto3.session.Session(region_name=REGION)

    kms: Any = session.client("kms")
    for lid, _ in stack.resources("AWS::KMS::Key"):
        meta = kms.create_key(Description=f"{STACK} {lid}")["KeyMetadata"]
        stack.physical[lid] = meta["KeyId"]
        stack.attributes[lid] = {"Arn": meta["Arn"], "KeyId": meta["KeyId"]}

    # Names and ARNs first (resources reference each other), then creation.
    for lid, res in stack.resources("AWS::S3::Bucket"):
        name = stack.resolve(res.get("Properties", {}).get("BucketName")) or physical_name(lid)
        stack.physical[lid] = name
        stack.attributes[lid] = {"Arn": f"arn:aws:s3:::{name}", "DomainName": f"{name}.s3.amazonaws.com"}
    for lid, res in stack.resources("AWS::DynamoDB::Table"):
        name = stack.resolve(res.get("Properties", {}).get("TableName")) or physical_name(lid)
        stack.physical[lid] = name
        stack.attributes[lid] = {"Arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"}
    for lid, res in stack.resources("AWS::Events::EventBus"):
        name = stack.resolve(res["Properties"]["Name"])
        stack.physical[lid] = name
        stack.attributes[lid] = {"Arn": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{name}", "Name": name}
    for lid, res in stack.resources("AWS::SQS::Queue"):
        name = stack.resolve(res.get("Properties", {}).get("QueueName")) or physical_name(lid)
        stack.physical[lid] = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
        stack.attributes[lid] = {"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}", "QueueName": name}
    for lid, res in stack.resources("AWS::Serverless::Function"):
        name = stack.resolve(res.get("Properties", {}).get("FunctionName")) or physical_name(lid)
        stack.physical[lid] = name
        stack.attributes[lid] = {"Arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"}
    for lid, res in stack.resources("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
        props = res.get("Properties", {})
        name = stack.resolve(props.get("Name") or props.get("StateMachineName")) or physical_name(lid)
        arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"
        stack.physical[lid] = arn
        stack.attributes[lid] = {"Arn": arn, "Name": name}

    s3: Any = session.client("s3")
    for lid, res in stack.resources("AWS::S3::Bucket"):
        props = res.get("Properties", {})
        s3.create_bucket(Bucket=stack.physical[lid])
        stack.buckets[lid] = stack.physical[lid]
        if stack.resolve(props.get("VersioningConfiguration", {})).get("Status") == "Enabled":
            s3.put_bucket_versioning(
                Bucket=stack.physical[lid], VersioningConfiguration={"Status": "Enabled"}
            )
        if props.get("NotificationConfiguration", {}).get("EventBridgeConfiguration"):
            s3.put_bucket_notification_configuration(
                Bucket=stack.physical[lid], NotificationConfiguration={"EventBridgeConfiguration": {}}
            )
        if "BucketEncryption" in props:
            rules = [
                {
                    # CloudFormation's property name differs from the API's.
                    "ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
                    **({"BucketKeyEnabled": rule["BucketKeyEnabled"]} if "BucketKeyEnabled" in rule else {}),
                }
                for rule in stack.resolve(props["BucketEncryption"]["ServerSideEncryptionConfiguration"])
            ]
            s3.put_bucket_encryption(
                Bucket=stack.physical[lid], ServerSideEncryptionConfiguration={"Rules": rules}
            )

    ddb: Any = session.client("dynamodb")
    for lid, res in stack.resources("AWS::DynamoDB::Table"):
        props = stack.resolve(res["Properties"])
        kwargs: dict[str, Any] = {
            "TableName": stack.physical[lid],
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        ddb.create_table(**kwargs)
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            ddb.update_time_to_live(
                TableName=stack.physical[lid],
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )

    events: Any = session.client("events")
    for lid, _ in stack.resources("AWS::Events::EventBus"):
        events.create_event_bus(Name=stack.physical[lid])

    sqs: Any = session.client("sqs")
    queues = stack.resources("AWS::SQS::Queue")
    # Dead-letter queues first: a RedrivePolicy names its DLQ's ARN.
    queues.sort(key=lambda item: "RedrivePolicy" in item[1].get("Properties", {}))
    for lid, res in queues:
        props = stack.resolve(res.get("Properties", {}))
        attributes = {}
        if "RedrivePolicy" in props:
            attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
        if "MessageRetentionPeriod" in props:
            attributes["MessageRetentionPeriod"] = str(props["MessageRetentionPeriod"])
        url = sqs.create_queue(QueueName=stack.attributes[lid]["QueueName"], Attributes=attributes)[
            "QueueUrl"
        ]
        stack.physical[lid] = url
        stack.queues[lid] = url

    define_functions(stack)

    sfn: Any = session.client("stepfunctions")
    for lid, res in stack.resources("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
        props = res["Properties"]
        sfn.create_state_machine(
            name=stack.attributes[lid]["Name"],
            definition=resolved_definition(stack, props),
            roleArn=f"arn:aws:iam::{ACCOUNT}:role/{STACK}-{lid}-role",
            type=props.get("Type") or props.get("StateMachineType", "STANDARD"),
        )
        stack.state_machines[lid] = stack.physical[lid]

    for lid, res in stack.resources("AWS::Events::Rule"):
        props = stack.resolve(res["Properties"])
        bus = props.get("EventBusName", "default")
        bus = bus.rsplit("/", 1)[-1]
        events.put_rule(
            Name=physical_name(lid),
            EventBusName=bus,
            EventPattern=json.dumps(props["EventPattern"]),
            State="ENABLED",
        )
        targets = [{"Id": t["Id"], "Arn": t["Arn"]} for t in props.get("Targets", [])]
        if targets:
            events.put_targets(Rule=physical_name(lid), EventBusName=bus, Targets=targets)

    _build_identity(stack, session)

    emulated = {
        "AWS::Cognito::UserPool",
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolGroup",
        "AWS::Cognito::UserPoolResourceServer",
        "AWS::KMS::Key",
        "AWS::S3::Bucket",
        "AWS::DynamoDB::Table",
        "AWS::Events::EventBus",
        "AWS::SQS::Queue",
        "AWS::Serverless::Function",
        "AWS::Serverless::StateMachine",
        "AWS::StepFunctions::StateMachine",
        "AWS::Events::Rule",
    }
    stack.skipped = sorted(
        f"{lid} ({res['Type']})"
        for lid, res in template.get("Resources", {}).items()
        if res["Type"] not in emulated
    )
    return stack


_POOL_PROPERTIES = (
    "Policies",
    "AutoVerifiedAttributes",
    "UsernameAttributes",
    "MfaConfiguration",
    "AdminCreateUserConfig",
    "AccountRecoverySetting",
    "Schema",
)
_CLIENT_PROPERTIES = (
    "ClientName",
    "GenerateSecret",
    "ExplicitAuthFlows",
    "ReadAttributes",
    "WriteAttributes",
    "PreventUserExistenceErrors",
    "IdTokenValidity",
    "AccessTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
)


def _build_identity(stack: LocalStack, session: Any) -> None:
    """The Cognito user pool(s), app clients, groups and resource servers of template.yaml, in moto's
    cognito-idp (which signs tokens with its bundled key and serves /{pool}/.well-known/jwks.json)."""
    idp: Any = session.client("cognito-idp")
    for lid, res in stack.resources("AWS::Cognito::UserPool"):
        props = stack.resolve(res.get("Properties", {}))
        kwargs = {k: props[k] for k in _POOL_PROPERTIES if k in props}
        pool = idp.create_user_pool(PoolName=props.get("UserPoolName") or physical_name(lid), **kwargs)[
            "UserPool"
        ]
        stack.physical[lid] = pool["Id"]
        stack.attributes[lid] = {
            "Arn": pool["Arn"],
            "ProviderName": f"cognito-idp.{REGION}.amazonaws.com/{pool['Id']}",
            "ProviderURL": f"https://cognito-idp.{REGION}.amazonaws.com/{pool['Id']}",
            "UserPoolId": pool["Id"],
        }
        stack.user_pools[lid] = pool["Id"]
    for lid, res in stack.resources("AWS::Cognito::UserPoolResourceServer"):
        props = stack.resolve(res["Properties"])
        idp.create_resource_server(
            UserPoolId=props["UserPoolId"],
            Identifier=props["Identifier"],
            Name=props["Name"],
            Scopes=props.get("Scopes", []),
        )
        stack.physical[lid] = props["Identifier"]
    for lid, res in stack.resources("AWS::Cognito::UserPoolClient"):
        props = stack.resolve(res["Properties"])
        kwargs = {k: props[k] for k in _CLIENT_PROPERTIES if k in props}
        kwargs.setdefault("ClientName", physical_name(lid))
        client = idp.create_user_pool_client(UserPoolId=props["UserPoolId"], **kwargs)["UserPoolClient"]
        stack.physical[lid] = client["ClientId"]
        stack.attributes[lid] = {"ClientId": client["ClientId"]}
        stack.user_pool_clients[lid] = client["ClientId"]
    for lid, res in stack.resources("AWS::Cognito::UserPoolGroup"):
        props = stack.resolve(res["Properties"])
        idp.create_group(
            UserPoolId=props["UserPoolId"],
            GroupName=props["GroupName"],
            **{k: props[k] for k in ("Description", "Precedence") if k in props},
        )
        stack.physical[lid] = props["GroupName"]
