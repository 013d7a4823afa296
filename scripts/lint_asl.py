#!/usr/bin/env python3
"""Lint the state machine as it will be deployed: substitute template.yaml's DefinitionSubstitutions into the
ASL (dummy ARNs, parameter defaults), then run statelint over the result.

``sam validate --lint`` never looks inside DefinitionUri files, so this is the ASL's only static check.
Also fails when a ``${X}`` placeholder has no substitution (or a substitution is never used), when a
substituted tunable does not parse as JSON (the ASL reads them with States.StringToJson), or when any
``${...}`` survives substitution.

Usage: lint_asl.py [--template template.yaml] [--state-machine TranscribePipeline]
Exit status: 0 clean, 1 problems found, 2 usage/template errors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from statelint.linter import Linter

from medscribe.local.cfn_yaml import load_template

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
ACCOUNT = "123456789012"
REGION = "us-east-1"
# statelint 3.1.0 predates fields AWS documents (checked 2026-12-06): ItemReader.ReaderConfig.InputType (required
# by the s3:getObject reader of a Distributed Map).
STATELINT_GAPS = re.compile(r'Field "InputType" not allowed in .*\.ItemReader\.ReaderConfig$')


def dummy_value(value: Any, template: dict[str, Any]) -> str:
    """A deploy-like string for one DefinitionSubstitutions value."""
    resources = template.get("Resources", {})
    parameters = template.get("Parameters", {})
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref" and arg in parameters:
            if "Default" not in parameters[arg]:
                raise ValueError(f"parameter {arg} has no Default to lint with")
            return str(parameters[arg]["Default"])
        if fn == "Ref" and arg in resources:
            return _arn_for(arg, resources[arg]["Type"])
        if fn == "Ref" and str(arg).endswith(".Alias") and arg.removesuffix(".Alias") in resources:
            logical = arg.removesuffix(".Alias")  # SAM's AutoPublishAlias: the alias ARN
            return _arn_for(logical, resources[logical]["Type"]) + ":live"
        if fn == "Fn::GetAtt":
            logical, attribute = arg
            if logical in resources and attribute == "Arn":
                return _arn_for(logical, resources[logical]["Type"])
    raise ValueError(f"cannot make a dummy value for {value!r}")


def _arn_for(logical_id: str, resource_type: str) -> str:
    name = f"medscribe-{logical_id}"
    if resource_type in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    if resource_type in ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
        return f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"
    if resource_type == "AWS::SQS::Queue":
        return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    if resource_type == "AWS::Events::EventBus":
        return f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{name}"
    if resource_type == "AWS::DynamoDB::Table":
        return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    if resource_type == "AWS::S3::Bucket":
        return f"arn:aws:s3:::{name.lower()}"
    raise ValueError(f"no dummy ARN for {resource_type}")


def lint(template_path: Path, state_machine: str | None = None) -> list[str]:
    """Return the problems found (empty list = clean)."""
    template = load_template(template_path)
    machines = {
        lid: res
        for lid, res in template.get("Resources", {}).items()
        if (
            res.get("Type") == "AWS::Serverless::StateMachine"
            and "DefinitionUri" in res.get("Properties", {})
        )
        or (
            res.get("Type") == "AWS::StepFunctions::StateMachine"
            and isinstance(res.get("Properties", {}).get("DefinitionS3Location"), str)
        )
    }
    if state_machine is not None:
        machines = {k: v for k, v in machines.items() if k == state_machine}
    if not machines:
        return [f"no state machine with a local DefinitionUri/DefinitionS3Location in {template_path}"]

    problems: list[str] = []
    for lid, res in machines.items():
        props = res["Properties"]
        asl_path = template_path.parent / (props.get("DefinitionUri") or props["DefinitionS3Location"])
        text = asl_path.read_text(encoding="utf-8")
        substitutions: dict[str, Any] = props.get("DefinitionSubstitutions", {})
        placeholders = set(PLACEHOLDER.findall(text))
        for name in sorted(placeholders - substitutions.keys()):
            problems.append(f"{lid}: ${{{name}}} in {asl_path.name} has no DefinitionSubstitution")
        for name in sorted(substitutions.keys() - placeholders):
            problems.append(f"{lid}: DefinitionSubstitution {name} is not used in {asl_path.name}")

        for name, value in substitutions.items():
            try:
                dummy = dummy_value(value, template)
            except ValueError as exc:
                problems.append(f"{lid}: DefinitionSubstitution {name}: {exc}")
                continue
            parameter = (
                template.get("Parameters", {}).get(value.get("Ref")) if isinstance(value, dict) else None
            )
            if parameter is not None and parameter.get("Type") == "Number":
                try:
                    json.loads(dummy)  # numeric tunables are read with States.StringToJson
                except json.JSONDecodeError:
                    problems.append(f"{lid}: DefinitionSubstitution {name}={dummy!r} is not valid JSON")
            # The value lands inside a JSON string literal: escape it as JSON would.
            text = text.replace("${" + name + "}", json.dumps(dummy)[1:-1])

        leftover = sorted(set(PLACEHOLDER.findall(text)))
        if leftover:
            problems.append(f"{lid}: unresolved placeholders after substitution: {leftover}")
        try:
            definition = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(f"{lid}: {asl_path.name} is not valid JSON after substitution: {exc}")
            continue
        problems.extend(
            f"{lid}: statelint: {p}" for p in Linter.validate(definition) if not STATELINT_GAPS.search(p)
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", type=Path, default=ROOT / "template.yaml")
    parser.add_argument("--state-machine", default=None, help="logical id (default: every state machine)")
    args = parser.parse_args(argv)
    if not args.template.is_file():
        print(f"no such template: {args.template}", file=sys.stderr)
        return 2
    problems = lint(args.template, args.state_machine)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"ASL OK ({args.template.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
