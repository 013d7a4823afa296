"""template.yaml -> resources in the in-process AWS emulator (moto).

moto's CloudFormation ignores DefinitionSubstitutions and builds state machines its interpreter cannot run,
so the local stack is created here with plain boto3 calls, derived from template.yaml: the same bucket,
table (keys, GSIs, TTL), bus, queues, rules, KMS key and state machine (with its DefinitionSubstitutions
resolved) that CloudFormation would create. Resources with no local meaning (VPC, RDS, API Gateway, IAM, log
groups, alarms) are listed in ``LocalStack.skipped``: PostgreSQL is a real local server instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from medscribe.local.cfn_yaml import load_template

REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK = "medscribe-local"

_PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::StackName": STACK,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NoValue": None,
}


@dataclass
class FunctionSpec:
    logical_id: str
    name: str
    arn: str
    code_uri: Path
    handler: str
    environment: dict[str, str]


@dataclass
class LocalStack:
    template: dict[str, Any]
    root: Path
    parameters: dict[str, str]
    physical: dict[str, str] = field(default_factory=dict)  # Ref values
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)  # GetAtt values
    functions: dict[str, FunctionSpec] = field(default_factory=dict)  # by function name
    state_machines: dict[str, str] = field(default_factory=dict)  # logical id -> ARN
    buckets: dict[str, str] = field(default_factory=dict)
    queues: dict[str, str] = field(default_factory=dict)  # logical id -> URL
    user_pools: dict[str, str] = field(default_factory=dict)  # logical id -> pool id
    user_pool_clients: dict[str, str] = field(default_factory=dict)  # logical id -> app client id
    skipped: list[str] = field(default_factory=list)

    # ---- intrinsic functions ---------------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, Mapping):
            return value
        if len(value) == 1:
            ((fn, arg),) = value.items()
            if fn == "Ref":
                return self._ref(arg)
            if fn == "Fn::GetAtt":
                logical, attr = arg.split(".", 1) if isinstance(arg, str) else arg
                return self.attributes.get(logical, {}).get(
                    attr, f"arn:aws:local:{REGION}:{ACCOUNT}:{logical}"
                )
            if fn == "Fn::Sub":
                return self._sub(arg)
            if fn == "Fn::Join":
                sep, items = arg
                return sep.join(str(self.resolve(i)) for i in self.resolve(items))
            if fn == "Fn::If":
                cond, yes, no = arg
                return self.resolve(yes if self.condition(cond) else no)
            if fn == "Fn::Select":
                index, items = arg
                return self.resolve(items)[int(self.resolve(index))]
            if fn == "Fn::GetAZs":
                return [f"{REGION}{c}" for c in "abc"]
            if fn == "Fn::Split":
                sep, text = arg
                return str(self.resolve(text)).split(sep)
            if fn == "Fn::ToJsonString":
                return json.dumps(self.resolve(arg))
        return {k: self.resolve(v) for k, v in value.items()}

    def _ref(self, name: str) -> Any:
        if name in _PSEUDO:
            return _PSEUDO[name]
        if name in self.parameters:
            return self.parameters[name]
        if name.endswith(".Alias"):
            # SAM's AutoPublishAlias (SnapStart on RenderPdf): local mode publishes no versions, call the function
            return self.resolve({"Fn::GetAtt": [name.removesuffix(".Alias"), "Arn"]})
        return self.physical.get(name, name)

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))
        out, i = [], 0
        while i < len(text):
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                break
            out.append(text[i:start])
            end = text.index("}", start)
            token = text[start + 2 : end]
            if token.startswith("!"):
                out.append("${" + token[1:] + "}")
            elif token in variables:
                out.append(str(variables[token]))
            elif "." in token and token.split(".", 1)[0] in self.template.get("Resources", {}):
                out.append(str(self.resolve({"Fn::GetAtt": token})))
            else:
                out.append(str(self._ref(token)))
            i = end + 1
        return "".join(out)

    def condition(self, name_or_expr: Any) -> bool:
        expr = (
            self.template.get("Conditions", {}).get(name_or_expr)
            if isinstance(name_or_expr, str)
            else name_or_expr
        )
        if expr is None:
            return False
        ((fn, arg),) = expr.items()
        if fn == "Fn::Equals":
            a, b = (self.resolve(x) for x in arg)
            return str(a) == str(b)
        if fn == "Fn::Not":
            return not self.condition(arg[0])
        if fn == "Fn::And":
            return all(self.condition(a) for a in arg)
        if fn == "Fn::Or":
            return any(self.condition(a) for a in arg)
        if fn == "Condition":
            return self.condition(arg)
        raise ValueError(f"unsupported condition {fn}")

    # ---- helpers ---------------------------------------------------------------------------------------
    def resources(self, *types: str) -> list[tuple[str, dict[str, Any]]]:
        return [
            (lid, res)
            for lid, res in self.template.get("Resources", {}).items()
            if res.get("Type") in types and ("Condition" not in res or self.condition(res["Condition"]))
        ]

    def function_for_arn(self, arn_or_name: str) -> FunctionSpec:
        name = arn_or_name.split(":function:")[-1].split(":")[0]
        return self.functions[name]

    def function(self, logical_id: str) -> FunctionSpec:
        return next(f for f in self.functions.values() if f.logical_id == logical_id)


def definition_path(root: Path, props: Mapping[str, Any]) -> Path:
    """The ASL file of a state machine: SAM's DefinitionUri or a local DefinitionS3Location (packaged)."""
    return root / str(props.get("DefinitionUri") or props["DefinitionS3Location"])


def _name(lid: str) -> str:
    return f"{STACK}-{lid}".lower()[:63]


def define_functions(stack: LocalStack) -> None:
    """``stack.functions`` from the template (handlers, code folders, resolved environments)."""
    template = stack.template
    globals_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    for lid, res in stack.resources("AWS::Serverless::Function"):
        props = res["Properties"]
        env = {**globals_env, **props.get("Environment", {}).get("Variables", {})}
        resolved = {k: v for k, v in stack.resolve(env).items() if v is not None}
        name = stack.physical[lid]
        stack.functions[name] = FunctionSpec(
            logical_id=lid,
            name=name,
            arn=stack.attributes[lid]["Arn"],
            code_uri=(stack.root / props["CodeUri"]).resolve(),
            handler=props.get("Handler", template.get("Globals", {}).get("Function", {}).get("Handler", "")),
            environment={k: str(v) for k, v in resolved.items()},
        )


def resolved_definition(stack: LocalStack, props: Mapping[str, Any]) -> str:
    """A state machine's ASL with its DefinitionSubstitutions resolved."""
    definition = definition_path(stack.root, props).read_text()
    for key, value in stack.resolve(props.get("DefinitionSubstitutions", {})).items():
        definition = definition.replace("${" + key + "}", str(value))
    return definition


def reapply_parameters(stack: LocalStack, parameters: dict[str, str]) -> None:
    """A restored stack (``local.state``) with this start's parameters: function environments and state
    machine definitions re-resolved (e.g. another ``--poll-interval``); the data is kept."""
    stack.parameters.update(parameters)
    define_functions(stack)
    sfn: Any = boto3.session.Session(region_name=REGION).client("stepfunctions")
    for lid, res in stack.resources("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
        arn = stack.state_machines[lid]
        definition = resolved_definition(stack, res["Properties"])
        if sfn.describe_state_machine(stateMachineArn=arn)["definition"] != definition:
            sfn.update_state_machine(stateMachineArn=arn, definition=definition)


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
        name = stack.resolve(res.get("Properties", {}).get("BucketName")) or _name(lid)
        stack.physical[lid] = name
        stack.attributes[lid] = {"Arn": f"arn:aws:s3:::{name}", "DomainName": f"{name}.s3.amazonaws.com"}
    for lid, res in stack.resources("AWS::DynamoDB::Table"):
        name = stack.resolve(res.get("Properties", {}).get("TableName")) or _name(lid)
        stack.physical[lid] = name
        stack.attributes[lid] = {"Arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"}
    for lid, res in stack.resources("AWS::Events::EventBus"):
        name = stack.resolve(res["Properties"]["Name"])
        stack.physical[lid] = name
        stack.attributes[lid] = {"Arn": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{name}", "Name": name}
    for lid, res in stack.resources("AWS::SQS::Queue"):
        name = stack.resolve(res.get("Properties", {}).get("QueueName")) or _name(lid)
        stack.physical[lid] = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
        stack.attributes[lid] = {"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}", "QueueName": name}
    for lid, res in stack.resources("AWS::Serverless::Function"):
        name = stack.resolve(res.get("Properties", {}).get("FunctionName")) or _name(lid)
        stack.physical[lid] = name
        stack.attributes[lid] = {"Arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"}
    for lid, res in stack.resources("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
        props = res.get("Properties", {})
        name = stack.resolve(props.get("Name") or props.get("StateMachineName")) or _name(lid)
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
            Name=_name(lid), EventBusName=bus, EventPattern=json.dumps(props["EventPattern"]), State="ENABLED"
        )
        targets = [{"Id": t["Id"], "Arn": t["Arn"]} for t in props.get("Targets", [])]
        if targets:
            events.put_targets(Rule=_name(lid), EventBusName=bus, Targets=targets)

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
        pool = idp.create_user_pool(PoolName=props.get("UserPoolName") or _name(lid), **kwargs)["UserPool"]
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
        kwargs.setdefault("ClientName", _name(lid))
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
