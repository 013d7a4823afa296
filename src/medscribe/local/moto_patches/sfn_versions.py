"""``PublishStateMachineVersion`` (absent in moto 5.2.6: HTTP 500) and ``ListStateMachineVersions``.

Versions ``<arn>:1``, ``:2``, ...; publishing an unchanged state machine returns its latest version (AWS is
idempotent); DescribeStateMachine on a version ARN is moto's own. StartExecution on a version ARN (moto 5.2.6:
HTTP 500, ``AttributeError``) runs the version's definition under the state machine's name, as AWS does:
``start_on_version``, called by ``sfn_executions``' StartExecution; the execution names its version
(``stateMachineVersionArn`` in DescribeExecution and ListExecutions) and is listed under both ARNs.
"""

from __future__ import annotations

import threading
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


VERSION_ATTR = "medscribe_version_arn"  # on an execution started on a version ARN (pickled with it)
_SWAP = threading.Lock()  # every StartExecution takes it: a definition is swapped in for a version's start


def start_lock() -> threading.Lock:
    return _SWAP


def start_on_version(backend: Any, arn: str, start: Any) -> Any | None:
    """``start(arn)`` (the backend's StartExecution) of a version ARN: the state machine itself is started with the
    version's definition swapped in for the moment moto copies it (under ``start_lock``, which every start
    holds); ``None`` when ``arn`` names no version."""
    from moto.stepfunctions.models import StateMachineVersion

    base_arn, hash_, case = arn.partition("#")
    version = backend.describe_state_machine(base_arn)
    if not isinstance(version, StateMachineVersion):
        return None
    machine = backend.describe_state_machine(version.source_arn)
    saved = machine.definition
    machine.definition = version.definition
    try:
        execution = start(machine.arn + hash_ + case)
    finally:
        machine.definition = saved
    setattr(execution, VERSION_ATTR, version.arn)
    return execution


def version_executions(backend: Any, arn: str, status: str | None) -> dict[str, Any] | None:
    """ListExecutions' answer for a version ARN (its executions, newest first; one page), else ``None``. (They
    stay in the state machine's own list only: a version's list is copied with every later start.)"""
    from moto.stepfunctions.models import StateMachineVersion

    version = backend.describe_state_machine(arn)
    if not isinstance(version, StateMachineVersion):
        return None
    machine = backend.describe_state_machine(version.source_arn)
    items = []
    for execution in sorted(machine.executions, key=lambda e: e.start_date, reverse=True):
        if getattr(execution, VERSION_ATTR, None) != arn or status not in (None, execution.status):
            continue
        item = {
            "executionArn": execution.execution_arn,
            "name": execution.name,
            "startDate": execution.start_date,
            "stateMachineArn": machine.arn,
            "status": execution.status,
        }
        if execution.status in ("SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"):
            item["stopDate"] = execution.stop_date
        items.append(item)
    return {"executions": items}


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
