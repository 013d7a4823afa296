"""Task history events as Step Functions Local writes them (moto 5.2.6 deviations).

- A mocked ``Throw`` (MockConfigFile test case) fails the task with a ``TaskFailed`` event whose details hold
  only ``error``/``cause``; Step Functions Local (and AWS, for every service integration) also writes
  ``resourceType`` and ``resource``. moto 5.2.6's ``mock_eval_utils._eval_mocked_response_throw`` leaves them out.
- ``aws-sdk`` integrations: Step Functions Local names them ``resourceType: "aws-sdk"``,
  ``resource: "comprehend:detectSentiment"``; moto 5.2.6 writes ``aws-sdk:comprehend`` / ``detectSentiment``
  (in TaskScheduled, TaskStarted, TaskSucceeded, TaskFailed and TaskTimedOut alike).
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="TaskFailed events of mocked and aws-sdk tasks carry resourceType/resource as Step Functions Local and AWS write them (GetExecutionHistory: TaskFailedEventDetails).",
    targets=(
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service.StateTaskService._eval_execution",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk._get_sfn_resource_type",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk._get_sfn_resource",
    ),
    canary="tests/emulator/test_canary_sfn_interpreter.py::test_sfn_local_events",
    private="the task's resource names and its evaluation are private methods of moto's task services",
)


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEventException
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (
        StateTaskService,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
        StateTaskServiceAwsSdk,
    )

    original_eval = StateTaskService._eval_execution

    def eval_execution(task: Any, env: Any) -> None:
        try:
            original_eval(task, env)
        except FailureEventException as exc:
            event_details: Any = exc.failure_event.event_details or {}
            details = event_details.get("taskFailedEventDetails")
            if details is not None and "resourceType" not in details:
                details["resourceType"] = task._get_sfn_resource_type()
                details["resource"] = task._get_sfn_resource()
            raise

    def sdk_resource_type(task: Any) -> str:
        return str(task.resource.service_name)  # "aws-sdk"

    def sdk_resource(task: Any) -> str:
        return f"{task.resource.api_name}:{task.resource.api_action}"  # "comprehend:detectSentiment"

    stack.enter_context(mock.patch.object(StateTaskService, "_eval_execution", eval_execution))
    stack.enter_context(
        mock.patch.object(StateTaskServiceAwsSdk, "_get_sfn_resource_type", sdk_resource_type)
    )
    stack.enter_context(mock.patch.object(StateTaskServiceAwsSdk, "_get_sfn_resource", sdk_resource))
