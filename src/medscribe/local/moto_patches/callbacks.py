"""moto 5.2.6: two deviations of ``.waitForTaskToken`` from AWS.

1. ``SendTaskFailure`` drops ``cause``: ``StepFunctionResponse.send_task_failure`` passes only ``error`` to the
   backend, so a callback failure reaches the Catch with no Cause (AWS keeps it; the recording's failure
   message would be empty). Patched to pass ``cause`` on, as the parser backend already accepts it.
2. A token answered *during* the task's own invocation is lost when the state has ``HeartbeatSeconds``: the
   outcome is stored before the heartbeat endpoint exists, and ``_wait_for_task_token_heartbeat`` only waits
   for the next heartbeat, so the task times out although it succeeded (AWS completes it). Patched to look at
   the stored outcome before waiting. (A job that is done before its wait starts answers its own token.)
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
    restores="SendTaskFailure keeps cause, and a task token answered during the task's own invocation completes a .waitForTaskToken task with HeartbeatSeconds (Step Functions API Reference: SendTaskFailure; 'Wait for a Callback with Task Token').",
    targets=(
        "moto.stepfunctions.responses.StepFunctionResponse.send_task_failure",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback.StateTaskServiceCallback._wait_for_task_token_heartbeat",
    ),
    canary="tests/unit/test_moto_patches_callbacks.py::test_a_token_answered_before_the_heartbeat_wait_starts_is_not_lost",
    private="_wait_for_task_token_heartbeat is the heartbeat wait itself; no public hook",
)


def send_task_failure(self: Any) -> Any:
    from moto.core.responses import EmptyResult

    self.stepfunction_backend.send_task_failure(
        self._get_param("taskToken"), error=self._get_param("error"), cause=self._get_param("cause")
    )
    return EmptyResult()


def wait_for_task_token_heartbeat(
    self: Any, env: Any, callback_endpoint: Any, heartbeat_endpoint: Any
) -> Any:
    from moto.stepfunctions.parser.asl.eval.callback.callback import HeartbeatTimedOut

    outcome = callback_endpoint.get_outcome()  # answered while the task's invocation was still running
    while env.is_running() and outcome is None:
        received = heartbeat_endpoint.clear_and_wait()
        if not received and env.is_running():
            outcome = HeartbeatTimedOut()
        else:
            outcome = callback_endpoint.get_outcome()
    return outcome


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
        StateTaskServiceCallback,
    )
    from moto.stepfunctions.responses import StepFunctionResponse

    stack.enter_context(mock.patch.object(StepFunctionResponse, "send_task_failure", send_task_failure))
    stack.enter_context(
        mock.patch.object(
            StateTaskServiceCallback, "_wait_for_task_token_heartbeat", wait_for_task_token_heartbeat
        )
    )
