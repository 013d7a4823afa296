"""The context object (``$$``) as AWS documents it (moto 5.2.6).

- ``$$.Execution.StartTime`` is an ISO-8601 string (moto puts a datetime there: any state reading ``$$`` dies
  with "datetime is not JSON serializable", and so does DescribeExecution of its output);
- ``$$.Execution.RedriveCount`` exists (0, or the number of redrives: ``medscribe.local.moto_patches.redrive``);
- ``$$.State`` always has ``RetryCount`` (moto adds it to Task/Map/Parallel states only) and an ``EnteredTime``
  in AWS's format (``2026-12-01T04:30:00.123Z``).
"""

from __future__ import annotations

import datetime
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="The context object ($$) as the Developer Guide's 'Accessing execution data from the Context object' documents it: StartTime/EnteredTime ISO text, Execution.RedriveCount, State.RetryCount.",
    targets=(
        "moto.stepfunctions.parser.backend.execution_worker.ExecutionWorker._get_evaluation_environment",
        "moto.stepfunctions.parser.asl.component.state.state.StateData",
    ),
    canary="tests/emulator/test_canary_sfn_interpreter.py::test_context_object",
    private="_get_evaluation_environment is where the worker builds the context object; no public hook",
)


def aws_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.state import state as state_module
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    original_environment = ExecutionWorker._get_evaluation_environment

    def evaluation_environment(worker: Any) -> Any:
        env = original_environment(worker)
        execution: Any = env.states.context_object.context_object_data["Execution"]
        start = execution.get("StartTime")
        if isinstance(start, datetime.datetime):
            execution["StartTime"] = aws_time(start)
        execution["RedriveCount"] = getattr(worker, "redrive_count", 0)
        if getattr(worker, "redrive_time", None) is not None:
            execution["RedriveTime"] = aws_time(worker.redrive_time)
        return env

    def state_data(EnteredTime: str, Name: str, RetryCount: int = 0) -> dict[str, Any]:
        entered = datetime.datetime.fromisoformat(EnteredTime)
        return {"EnteredTime": aws_time(entered), "Name": Name, "RetryCount": RetryCount}

    stack.enter_context(
        mock.patch.object(ExecutionWorker, "_get_evaluation_environment", evaluation_environment)
    )
    stack.enter_context(mock.patch.object(state_module, "StateData", state_data))
