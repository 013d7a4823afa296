"""Helpers shared by the template tests: the parsed template, its functions, IAM statements, and a tiny
resolver that turns intrinsic functions into deploy-like strings (enough to match ARNs with wildcards)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from medscribe.local.cfn_yaml import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
ASL = ROOT / "statemachine" / "transcribe_pipeline.asl.json"

REGION = "us-east-1"
ACCOUNT = "123456789012"
BUCKET = "medscribe-audio-bucket"
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::StackName": "medscribe",
    "AWS::URLSuffix": "amazonaws.com",
}

# Step function logical id -> CodeUri folder (the brief's contract with lambdas/<folder>/app.py).
STEP_FUNCTIONS = {
    "ValidateAudioFunction": "validate_audio",
    "StartTranscriptionFunction": "start_transcription",
    "CheckTranscriptionFunction": "check_transcription",
    "DetectEntitiesFunction": "detect_entities",
    "FilterEntitiesFunction": "filter_entities",
    "RenderPdfFunction": "render_pdf",
    "PersistResultsFunction": "persist_results",
    "PublishCompletionFunction": "publish_completion",
    "RecordFailureFunction": "record_failure",
}
ALL_FUNCTIONS = {
    **STEP_FUNCTIONS,
    "StartRecordingFunction": "start_recording",
    "ApiFunction": "api",
    "TranscriptionDoneFunction": "transcription_done",
    "MfaGuardFunction": "mfa_guard",
    "BackfillItemFunction": "backfill_item",
}


@cache
def _parsed() -> dict[str, Any]:
    return load_template(TEMPLATE)


def template() -> dict[str, Any]:
    """The parsed template.yaml (a private copy: tests may mutate what they get)."""
    return copy.deepcopy(_parsed())


def asl() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ASL.read_text(encoding="utf-8"))
    return data


def asl_text() -> str:
    return ASL.read_text(encoding="utf-8")


def resources(tpl: dict[str, Any], *types: str) -> dict[str, dict[str, Any]]:
    return {lid: res for lid, res in tpl["Resources"].items() if not types or res["Type"] in types}


def functions(tpl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return resources(tpl, "AWS::Serverless::Function")


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def policy_statements(policies: Any) -> Iterator[dict[str, Any]]:
    """Inline statements of a SAM ``Policies`` list (policy templates and managed policy names skipped)."""
    for policy in as_list(policies or []):
        if isinstance(policy, dict) and "Statement" in policy:
            yield from as_list(policy["Statement"])


def identity_statements(tpl: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(owner logical id, statement) for every identity-based statement in the template."""
    for lid, res in tpl["Resources"].items():
        props = res.get("Properties", {})
        if res["Type"] in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            for statement in policy_statements(props.get("Policies")):
                yield lid, statement
        elif res["Type"] == "AWS::IAM::Role":
            for policy in props.get("Policies", []):
                for statement in as_list(policy["PolicyDocument"]["Statement"]):
                    yield lid, statement
        elif res["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for statement in as_list(props["PolicyDocument"]["Statement"]):
                yield lid, statement


def resolve(value: Any, tpl: dict[str, Any]) -> Any:
    """Deploy-like strings for the intrinsics used in ARNs (Sub, GetAtt ...Arn, Ref)."""
    if isinstance(value, list):
        return [resolve(v, tpl) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return _ref(arg, tpl)
        if fn == "Fn::GetAtt":
            return _getatt(arg[0], arg[1], tpl)
        if fn == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            return re.sub(r"\$\{([^}!]+)\}", lambda m: str(_sub_token(m.group(1), variables, tpl)), text)
    return {k: resolve(v, tpl) for k, v in value.items()}


def _sub_token(token: str, variables: dict[str, Any], tpl: dict[str, Any]) -> Any:
    if token in variables:
        return resolve(variables[token], tpl)
    if "." in token and token.split(".", 1)[0] in tpl["Resources"]:
        logical, attribute = token.split(".", 1)
        return _getatt(logical, attribute, tpl)
    return _ref(token, tpl)


def _ref(name: str, tpl: dict[str, Any]) -> str:
    if name in PSEUDO:
        return PSEUDO[name]
    if name in tpl.get("Parameters", {}):
        return str(tpl["Parameters"][name].get("Default", ""))
    if name.endswith(".Alias"):  # SAM's AutoPublishAlias reference: the function's alias ARN
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name.removesuffix('.Alias')}:alias"
    rtype = tpl["Resources"][name]["Type"]
    if rtype == "AWS::S3::Bucket":
        return BUCKET
    if rtype in ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
        return f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"
    return f"ref-{name}"


def _getatt(logical: str, attribute: str, tpl: dict[str, Any]) -> str:
    rtype = tpl["Resources"][logical]["Type"]
    if rtype == "AWS::S3::Bucket" and attribute == "Arn":
        return f"arn:aws:s3:::{BUCKET}"
    return f"arn:getatt:{logical}.{attribute}"


def refers_to(value: Any, logical_id: str) -> bool:
    """Whether ``value`` references resource ``logical_id`` (Ref, GetAtt, or ${X}/${X.Attr} in a Sub)."""
    if isinstance(value, list):
        return any(refers_to(v, logical_id) for v in value)
    if not isinstance(value, dict):
        return False
    if value.get("Ref") == logical_id:
        return True
    getatt = value.get("Fn::GetAtt")
    if isinstance(getatt, list) and getatt and getatt[0] == logical_id:
        return True
    sub = value.get("Fn::Sub")
    if sub is not None:
        text = sub if isinstance(sub, str) else sub[0]
        if re.search(r"\$\{" + re.escape(logical_id) + r"(\.[^}]*)?\}", text):
            return True
    return any(refers_to(v, logical_id) for v in value.values())
