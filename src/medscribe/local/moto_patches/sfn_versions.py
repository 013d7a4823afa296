"""``PublishStateMachineVersion`` (absent in moto 5.2.6: HTTP 500) and ``ListStateMachineVersions``.

Versions ``<arn>:1``, ``:2``, ...; publishing an unchanged state machine returns its latest version (AWS is
idempotent); DescribeStateMachine on a version ARN is moto's own.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo
from medscribe.local.moto_patches.sfn_definitions import same_definition

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores=(
        "PublishStateMachineVersion and ListStateMachineVersions (Step Functions API Reference; 'State machine "
        "versions' in the Developer Guide)."
    ),
    targets=(
        "moto.stepfunctions.responses.StepFunctionResponse.publish_state_machine_version",
        "moto.stepfunctions.responses.StepFunctionResponse.list_state_machine_versions",
    ),
    canary="tests/emulator/test_canary_sfn_api.py::test_sfn_versions",
)


def apply(stack: ExitStack) -> None:
    from moto.core.responses import ActionResult
    from moto.stepfunctions.exceptions import StateMachineDoesNotExist
    from moto.stepfunctions.responses import StepFunctionResponse

    def publish_state_machine_version(response: Any) -> ActionResult:
        arn = response._get_param("stateMachineArn")
        machine = response.stepfunction_backend.describe_state_machine(arn)
        if not hasattr(machine, "publish"):  # a version ARN
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        latest = machine.latest_version
        if latest is None or not (
            same_definition(latest.definition, machine.definition) and latest.roleArn == machine.roleArn
        ):
            machine.publish(description=response._get_param("description"))
            latest = machine.latest_version
        return ActionResult({"creationDate": latest.creation_date, "stateMachineVersionArn": latest.arn})

    def list_state_machine_versions(response: Any) -> ActionResult:
        arn = response._get_param("stateMachineArn")
        machine = response.stepfunction_backend.describe_state_machine(arn)
        versions = sorted(getattr(machine, "versions", {}).values(), key=lambda v: -v.version)
        items = [{"stateMachineVersionArn": v.arn, "creationDate": v.creation_date} for v in versions]
        return ActionResult({"stateMachineVersions": items})

    for name, method in (
        ("publish_state_machine_version", publish_state_machine_version),
        ("list_state_machine_versions", list_state_machine_versions),
    ):
        stack.enter_context(mock.patch.object(StepFunctionResponse, name, method, create=True))
