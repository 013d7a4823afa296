"""``States.HeartbeatTimeout`` (moto 5.2.6).

A task whose ``HeartbeatSeconds`` expires fails on AWS with ``States.HeartbeatTimeout`` (which ``States.Timeout``
does not match in Retry/Catch). moto raises ``HeartbeatTimeoutError`` (a ``TimeoutError``) and every Task's
``_from_error`` turns any TimeoutError into States.Timeout; the attempt's exception is renamed here before
that happens. The same wrapper (the only one of that method) first lets ``mocking`` count the attempt, and
ends quietly an attempt that StopExecution woke (``sfn_stop``): on AWS a stopped execution's history ends
with ``ExecutionAborted``, no ``TaskTimedOut`` / ``TaskFailed`` of the interrupted task before it.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, cast
from unittest import mock

from medscribe.local.moto_patches import mocking
from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores=(
        "A Task whose HeartbeatSeconds expires fails with States.HeartbeatTimeout (Step Functions Developer "
        "Guide, 'Error names'), which Retry/Catch on States.Timeout do not match."
    ),
    targets=(
        "moto.stepfunctions.parser.asl.component.state.exec.execute_state.ExecutionState._evaluate_with_timeout",
    ),
    canary="tests/emulator/test_canary_sfn_interpreter.py::test_heartbeat",
    private="the attempt of one state (ExecutionState._evaluate_with_timeout) is the only place between moto "
    "raising HeartbeatTimeoutError and every Task's _from_error mapping it to States.Timeout",
)


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.api import HistoryEventType, TaskTimedOutEventDetails
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
        StatesErrorNameType,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.execute_state import ExecutionState
    from moto.stepfunctions.parser.asl.eval.callback.callback import HeartbeatTimeoutError
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped

    original_attempt = ExecutionState._evaluate_with_timeout

    def evaluate_with_timeout(state: Any, env: Any) -> None:
        mocking.count_attempt(state, env)
        try:
            original_attempt(state, env)
        except Exception as exc:
            if isinstance(env.program_state(), ProgramStopped):
                return  # StopExecution woke the attempt: the state ends, the execution is ABORTED
            if not isinstance(exc, HeartbeatTimeoutError):
                raise
            name = StatesErrorNameType.StatesHeartbeatTimeout
            event = FailureEvent(
                env=env,
                error_name=StatesErrorName(typ=name),
                event_type=HistoryEventType.TaskTimedOut,
                event_details=cast(
                    "EventDetails",
                    {"taskTimedOutEventDetails": TaskTimedOutEventDetails(error=name.to_name(), cause="")},
                ),
            )
            raise FailureEventException(failure_event=event) from exc

    stack.enter_context(mock.patch.object(ExecutionState, "_evaluate_with_timeout", evaluate_with_timeout))
