"""Execution results as AWS reports them (moto 5.2.6).

- ``DescribeExecution.output`` is JSON text; moto returns a string result unquoted (``hello`` for ``"hello"``),
  so clients' ``json.loads`` fails. The worker now stores the JSON encoding of every result.
- A ``Fail`` state may name a ``States.*`` error (e.g. ``States.TaskFailed``); moto's ``CustomErrorName``
  refuses the prefix and the execution dies with States.Runtime instead.
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
    restores="DescribeExecution.output is JSON text for a string result, and a Fail state may name a States.* error (States Language spec, 'Fail State'; DescribeExecution).",
    targets=(
        "moto.stepfunctions.parser.backend.execution.BaseExecutionWorkerCommunication._reflect_execution_status",
        "moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name.CustomErrorName.__init__",
    ),
    canary="tests/emulator/test_canary_sfn_interpreter.py::test_outputs",
    private="_reflect_execution_status is where the worker writes an execution's result; moto has no output hook",
)


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.error_name import ErrorName
    from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication

    original_reflect = BaseExecutionWorkerCommunication._reflect_execution_status

    def reflect(comm: Any) -> None:
        original_reflect(comm)
        execution = comm.execution
        if execution.exec_status is not None and execution.exec_status.value == "SUCCEEDED":
            execution.output = to_json_str(execution.output, separators=(",", ":"))

    def custom_error_name_init(self: Any, error_name: str | None) -> None:
        ErrorName.__init__(self, error_name=error_name)

    stack.enter_context(
        mock.patch.object(BaseExecutionWorkerCommunication, "_reflect_execution_status", reflect)
    )
    stack.enter_context(mock.patch.object(CustomErrorName, "__init__", custom_error_name_init))
