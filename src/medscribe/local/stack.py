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


def physical_name(lid: str) -> str:
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


def state_for_function(stack: LocalStack, root: Path) -> dict[str, str]:
    """Map function logical ids to the ASL state that invokes them (for MockConfigFile test cases)."""
    mapping: dict[str, str] = {}
    for _lid, res in stack.resources("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
        props = res["Properties"]
        definition = json.loads(definition_path(root, props).read_text())
        subs = props.get("DefinitionSubstitutions", {})
        for state, body in definition["States"].items():
            fn = body.get("Parameters", {}).get("FunctionName", "") if body.get("Type") == "Task" else ""
            key = fn[2:-1] if fn.startswith("${") else ""
            target = subs.get(key)
            if isinstance(target, dict) and str(target.get("Ref", "")).endswith(".Alias"):
                target = {"Fn::GetAtt": [target["Ref"].removesuffix(".Alias"), "Arn"]}  # SnapStart alias
            if isinstance(target, dict) and "Fn::GetAtt" in target:
                ref = target["Fn::GetAtt"]
                # The first state that invokes a function names it (StartTranscription, not the callback
                # variant StartTranscriptionAndWait, in MockConfigFile test cases).
                mapping.setdefault(ref.split(".")[0] if isinstance(ref, str) else ref[0], state)
    return mapping
