"""Execution results as AWS reports them (moto 5.2.5).

- ``DescribeExecution.output`` is JSON text; moto returns a string result unquoted (``hello`` for ``"hello"``),
  so clients' ``json.loads`` fails. The worker now stores the JSON encoding of every result.
- A ``Fail`` state may name a ``States.*`` error (e.g. ``States.TaskFailed``); moto's ``CustomErrorName``
  refuses the prefix and the execution dies with States.Runtime instead.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any
from unittest import mock

MOTO_VERSION = "5.2.6"


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
