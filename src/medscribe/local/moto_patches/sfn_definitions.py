"""State machine definitions and versions as AWS answers them (moto 5.2.6 deviations, checked against AWS's API
reference).

- Invalid ASL: AWS answers ``InvalidDefinition`` ("Invalid State Machine Definition: '<CODE>: <detail> at
  <path>'"); moto 5.2.6 raises LocalStack's ``InvalidDefinition`` (not a moto error), which its server answers
  with an empty error code.
- A ``Next``/``Default``/``Choices[].Next``/``StartAt`` naming a missing state: AWS answers InvalidDefinition
  (MISSING_TRANSITION_TARGET); moto 5.2.6's parser accepts it (the execution fails later).
- CreateStateMachine with an existing name: AWS is idempotent when the definition, type, logging and tracing
  match (returns the existing ARN) and answers ``StateMachineAlreadyExists`` otherwise; moto 5.2.6 returns the
  old ARN whatever the definition.
(PublishStateMachineVersion / ListStateMachineVersions: ``sfn_versions``.)
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.aws_error import AWSError
from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores=(
        "CreateStateMachine answers InvalidDefinition for invalid ASL and missing transition targets, and "
        "StateMachineAlreadyExists for a same-named machine with another definition (Step Functions API Reference)."
    ),
    targets=(
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend._validate_definition",
        "moto.stepfunctions.models.StepFunctionBackend.create_state_machine",
    ),
    canary="tests/emulator/test_canary_sfn_api.py::test_sfn_definitions",
    private="_validate_definition is the one check every CreateStateMachine/UpdateStateMachine runs; moto has no "
    "public validation hook",
)


class InvalidDefinition(AWSError):
    TYPE = "InvalidDefinition"
    STATUS = 400


class StateMachineAlreadyExists(AWSError):
    TYPE = "StateMachineAlreadyExists"
    STATUS = 400


def invalid(code: str, detail: str) -> InvalidDefinition:
    return InvalidDefinition(f"Invalid State Machine Definition: '{code}: {detail}'")


def transition_errors(machine: Any, path: str = "") -> list[str]:
    """Every transition target (StartAt, Next, Default, Choices[].Next) naming a state that does not exist, in
    this machine and in the Parallel branches / Map processors inside it."""
    if not isinstance(machine, dict) or not isinstance(machine.get("States"), dict):
        return [f"SCHEMA_VALIDATION_FAILED: The field 'States' is required at {path or '/'}"]
    states: dict[str, Any] = machine["States"]
    errors: list[str] = []
    if machine.get("StartAt") not in states:
        errors.append(
            f"MISSING_TRANSITION_TARGET: Missing 'Next' target: {machine.get('StartAt')} at {path}/StartAt"
        )
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        here = f"{path}/States/{name}"
        targets = [(state.get("Next"), f"{here}/Next"), (state.get("Default"), f"{here}/Default")]
        for i, choice in enumerate(state.get("Choices") or []):
            if isinstance(choice, dict):
                targets.append((choice.get("Next"), f"{here}/Choices[{i}]/Next"))
        for target, where in targets:
            if target is not None and target not in states:
                errors.append(f"MISSING_TRANSITION_TARGET: Missing 'Next' target: {target} at {where}")
        for i, branch in enumerate(state.get("Branches") or []):
            errors += transition_errors(branch, f"{here}/Branches[{i}]")
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                errors += transition_errors(state[key], f"{here}/{key}")
    return errors


def validate_definition(definition: str) -> None:
    """Raise InvalidDefinition as AWS does: bad JSON, then missing transition targets, then the parser."""
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    try:
        machine = json.loads(definition)
    except (TypeError, ValueError) as exc:
        raise invalid("INVALID_JSON_DESCRIPTION", str(exc)) from exc
    errors = transition_errors(machine)
    if errors:
        raise InvalidDefinition(f"Invalid State Machine Definition: '{', '.join(errors)}'")
    try:
        AmazonStateLanguageParser.parse(definition)
    except Exception as exc:  # the parser raises many types: each is one definition error
        raise invalid("SCHEMA_VALIDATION_FAILED", str(exc) or type(exc).__name__) from exc


def same_definition(a: str, b: str) -> bool:
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return a == b


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.models import StepFunctionBackend
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    original_create = StepFunctionBackend.create_state_machine

    def create_state_machine(backend: Any, name: str, definition: str, roleArn: str, **kw: Any) -> Any:
        existing = next((m for m in backend.state_machines if m.name == name), None)
        if existing is not None:
            same = (
                same_definition(existing.definition, definition)
                and existing.type == (kw.get("sm_type") or "STANDARD")
                and (kw.get("loggingConfiguration") or {"level": "OFF"}) == existing.loggingConfiguration
                and (kw.get("tracingConfiguration") or {"enabled": False}) == existing.tracingConfiguration
            )
            if not same:
                raise StateMachineAlreadyExists(f"State Machine Already Exists: '{existing.arn}'")
        return original_create(backend, name, definition, roleArn, **kw)

    stack.enter_context(
        mock.patch.object(
            StepFunctionsParserBackend, "_validate_definition", staticmethod(validate_definition)
        )
    )
    stack.enter_context(mock.patch.object(StepFunctionBackend, "create_state_machine", create_state_machine))
