"""``StartSyncExecution`` and ``ValidateStateMachineDefinition`` (absent from moto 5.2.6's Step Functions).

- StartSyncExecution: EXPRESS state machines only (as AWS); runs the execution on the same interpreter and
  answers when it ends, with status/output/error/cause (SUCCEEDED, FAILED, TIMED_OUT). Clients that call it
  through an IP endpoint need ``Config(inject_host_prefix=False)`` (AWS serves it on a ``sync-`` host).
- ValidateStateMachineDefinition: parses the definition with the interpreter's own ASL parser; ``OK``, or
  ``FAIL`` with one ERROR diagnostic carrying the parser's message.
(TestState is not provided.)
"""

from __future__ import annotations

import json
import time
import uuid
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.aws_error import AWSError
from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores="StartSyncExecution (EXPRESS machines) and ValidateStateMachineDefinition (Step Functions API Reference).",
    targets=(
        "moto.stepfunctions.responses.StepFunctionResponse.start_sync_execution",
        "moto.stepfunctions.responses.StepFunctionResponse.validate_state_machine_definition",
    ),
    canary="tests/emulator/test_canary_sfn_api.py::test_extra_apis",
)
SYNC_LIMIT_SECONDS = 300  # AWS: express synchronous executions run at most 5 minutes


class StateMachineTypeNotSupported(AWSError):
    TYPE = "StateMachineTypeNotSupported"
    STATUS = 400


def definition_diagnostics(definition: str) -> list[dict[str, str]]:
    """ValidateStateMachineDefinition's diagnostics for what CreateStateMachine refuses before the parser: bad
    JSON, a transition to a missing state (AWS: code, message, location)."""
    from medscribe.local.moto_patches.sfn_definitions import transition_errors

    try:
        machine = json.loads(definition)
    except (TypeError, ValueError) as exc:
        return [{"severity": "ERROR", "code": "INVALID_JSON_DESCRIPTION", "message": str(exc)}]
    diagnostics = []
    for error in transition_errors(machine):
        code, _, message = error.partition(": ")
        message, _, location = message.rpartition(" at ")
        diagnostics.append({"severity": "ERROR", "code": code, "message": message, "location": location})
    return diagnostics


def apply(stack: ExitStack) -> None:
    from moto.core.responses import ActionResult
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
    from moto.stepfunctions.responses import StepFunctionResponse

    def start_sync_execution(response: Any) -> ActionResult:
        backend = response.stepfunction_backend
        arn = response._get_param("stateMachineArn")
        machine = backend.describe_state_machine(arn)
        if str(getattr(machine, "type", getattr(machine, "sm_type", ""))).upper().endswith("STANDARD"):
            raise StateMachineTypeNotSupported(
                "This operation is not supported by this type of state machine"
            )
        name = response._get_param("name") or str(uuid.uuid4())
        execution = backend.start_execution(arn, name, response._get_param("input", if_none="{}"))
        deadline = time.monotonic() + SYNC_LIMIT_SECONDS
        while execution.status == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.01)
        result: dict[str, Any] = {
            "executionArn": execution.execution_arn,
            "stateMachineArn": arn,
            "name": name,
            "startDate": execution.start_date,
            "stopDate": execution.stop_date,
            "status": execution.status if execution.status != "RUNNING" else "TIMED_OUT",
            "input": execution.execution_input,
        }
        if execution.status == "SUCCEEDED":
            output = execution.output
            result["output"] = output if isinstance(output, str) else json.dumps(output)
        for key in ("error", "cause"):
            if getattr(execution, key, None) is not None:
                result[key] = getattr(execution, key)
        return ActionResult(result)

    def validate_state_machine_definition(response: Any) -> ActionResult:
        definition = response._get_param("definition")
        checked = definition_diagnostics(definition)  # the checks CreateStateMachine runs (sfn_definitions)
        if checked:
            return ActionResult({"result": "FAIL", "diagnostics": checked, "truncated": False})
        try:
            AmazonStateLanguageParser.parse(definition)
        except Exception as exc:  # noqa: BLE001 - the parser raises many types: each is one diagnostic
            message = str(exc) or type(exc).__name__
            diagnostic = {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": message[:2000]}
            return ActionResult({"result": "FAIL", "diagnostics": [diagnostic], "truncated": False})
        return ActionResult({"result": "OK", "diagnostics": [], "truncated": False})

    stack.enter_context(
        mock.patch.object(StepFunctionResponse, "start_sync_execution", start_sync_execution, create=True)
    )
    stack.enter_context(
        mock.patch.object(
            StepFunctionResponse,
            "validate_state_machine_definition",
            validate_state_machine_definition,
            create=True,
        )
    )
