"""``RedriveExecution`` (moto 5.2.6 has none).

Redrive as AWS documents it: a FAILED, TIMED_OUT or ABORTED standard execution continues from its unsuccessful
top-level state, with that state's original input, under the same execution ARN; the history of the first
attempt is kept and continues with an ``ExecutionRedriven`` event; ``$$.Execution.RedriveCount`` counts the
redrives. A Step Functions Local test case bound to the execution keeps its invocation counters, so a mocked
state's next response answers the redriven attempt. Only the failed/aborted branches of a Parallel and
iterations of an inline Map run again: ``redrive_branches.py``.

DescribeExecution / ListExecutions report the redrive fields (``sfn_executions.redrive_fields``).
"""

from __future__ import annotations

import datetime
import json
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.aws_error import AWSError
from medscribe.local.moto_patches.inventory import PatchInfo
from medscribe.local.moto_patches.sfn_executions import REDRIVABLE

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores=(
        "RedriveExecution (Step Functions API Reference; 'Redriving executions' in the Developer Guide): a "
        "FAILED, TIMED_OUT or ABORTED standard execution continues from its unsuccessful state under the same ARN."
    ),
    targets=(
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.redrive_execution",
        "moto.stepfunctions.responses.StepFunctionResponse.redrive_execution",
    ),
    canary="tests/emulator/test_canary_sfn_api.py::test_redrive",
)


class ExecutionNotRedrivable(AWSError):
    TYPE = "ExecutionNotRedrivable"
    STATUS = 400


def unsuccessful_state(
    definition: dict[str, Any], events: list[dict[str, Any]], execution_input: Any = None
) -> tuple[str, Any]:
    """The last top-level state entered and not exited, with the input it was entered with. An execution
    aborted between two states (the local stack killed after one state exited, before the next was entered)
    continues where AWS would have been: the exited state's ``Next`` with its output, or, after a Choice, the
    Choice itself again with its input (it only routes). One aborted before its first state was recorded (the
    local stack's last snapshot held the started execution, not yet its history) starts at ``StartAt`` with the
    execution's input."""
    top = definition["States"]
    current: tuple[str, Any] | None = None
    exited: tuple[str, Any, Any] | None = None  # name, entered input, output of the last top-level exit
    for event in events:
        if event["type"].endswith("StateEntered"):
            details = event["stateEnteredEventDetails"]
            if details["name"] in top:
                current = (details["name"], json.loads(details.get("input") or "{}"))
        elif (
            event["type"].endswith("StateExited")
            and current is not None
            and event["stateExitedEventDetails"]["name"] == current[0]
        ):
            output = json.loads(event["stateExitedEventDetails"].get("output") or "{}")
            exited = (current[0], current[1], output)
            current = None
    if current is not None:
        return current
    aborted = bool(events) and events[-1]["type"] == "ExecutionAborted"
    if aborted and exited is None:
        return definition["StartAt"], execution_input if execution_input is not None else {}
    if exited is not None and aborted:
        name, entered_input, output = exited
        following = top[name].get("Next")
        if following in top:
            return following, output
        if top[name].get("Type") == "Choice":
            return name, entered_input
    raise ExecutionNotRedrivable("Execution has no unsuccessful state to redrive")


def apply(stack: ExitStack) -> None:
    from moto.core.responses import ActionResult
    from moto.stepfunctions.parser.api import HistoryEventType
    from moto.stepfunctions.parser.asl.eval.evaluation_details import (
        EvaluationDetails,
        ExecutionDetails,
        StateMachineDetails,
    )
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, ExecutionStatus
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import StepFunctionResponse

    from medscribe.local.mocks import REGISTRY

    class RedriveWorker(ExecutionWorker):
        def __init__(self, *args: Any, previous: Any, redrive_count: int, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.previous = previous  # the first attempt's environment: its event manager continues
            self.redrive_count = redrive_count
            self.redrive_time = datetime.datetime.now(tz=datetime.UTC)

        def _get_evaluation_environment(self) -> Any:
            env = super()._get_evaluation_environment()
            env.event_manager = self.previous.event_manager
            env.event_history_context.source_event_id = len(env.event_manager.get_event_history())
            env.event_history_context.last_published_event_id = env.event_history_context.source_event_id
            return env

        def _execution_logic(self) -> None:
            program = self._get_evaluation_entrypoint()
            self.env = self._get_evaluation_environment()
            details: Any = {"executionRedrivenEventDetails": {"redriveCount": self.redrive_count}}
            self.env.event_manager.add_event(
                context=self.env.event_history_context,
                event_type=HistoryEventType.ExecutionRedriven,
                event_details=details,
            )
            program.eval(self.env)
            self._execution_communication.terminated()

    def redrive_execution(backend: Any, execution_arn: str) -> datetime.datetime:
        execution = backend.describe_execution(execution_arn)
        if execution.status not in REDRIVABLE:
            raise ExecutionNotRedrivable(f"Execution is {execution.status} and cannot be redriven")
        previous = execution.exec_worker.env
        definition = json.loads(execution.state_machine.definition)
        state, state_input = unsuccessful_state(
            definition, previous.event_manager.get_event_history(), execution.input_data
        )
        definition["StartAt"] = state
        worker = RedriveWorker(
            evaluation_details=EvaluationDetails(
                aws_execution_details=execution._get_start_aws_execution_details(),
                execution_details=ExecutionDetails(
                    arn=execution.exec_arn,
                    name=execution.name,
                    role_arn=execution.role_arn,
                    inpt=state_input,
                    start_time=execution.start_date,
                ),
                state_machine_details=StateMachineDetails(
                    arn=execution.state_machine.arn,
                    name=execution.state_machine.name,
                    typ=execution.state_machine.sm_type,
                    definition=json.dumps(definition),
                ),
            ),
            exec_comm=BaseExecutionWorkerCommunication(execution),
            cloud_watch_logging_session=None,
            activity_store=execution._activity_store,
            mock_test_case=REGISTRY.runs.get(execution.exec_arn),
            previous=previous,
            redrive_count=getattr(execution, "redrive_count", 0) + 1,
        )
        execution.redrive_count = worker.redrive_count
        execution.redrive_date = worker.redrive_time
        execution.exec_worker = worker
        execution.exec_status = ExecutionStatus.RUNNING
        execution.error = execution.cause = execution.stop_date = None
        execution.output = None
        worker.start()
        return worker.redrive_time

    def redrive_response(response: Any) -> ActionResult:
        date = response.stepfunction_backend.redrive_execution(response._get_param("executionArn"))
        return ActionResult({"redriveDate": date})

    stack.enter_context(
        mock.patch.object(StepFunctionsParserBackend, "redrive_execution", redrive_execution, create=True)
    )
    stack.enter_context(
        mock.patch.object(StepFunctionResponse, "redrive_execution", redrive_response, create=True)
    )
