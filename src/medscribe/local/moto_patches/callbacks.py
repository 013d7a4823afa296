"""moto 5.2.6: three deviations of ``.waitForTaskToken`` from AWS.

1. ``SendTaskFailure`` drops ``cause``: ``StepFunctionResponse.send_task_failure`` passes only ``error`` to the
   backend, so a callback failure reaches the Catch with no Cause (AWS keeps it; the recording's failure
   message would be empty). Patched to pass ``cause`` on, as the parser backend already accepts it.
2. A token answered *during* the task's own invocation is lost when the state has ``HeartbeatSeconds``: the
   outcome is stored before the heartbeat endpoint exists, and ``_wait_for_task_token_heartbeat`` only waits
   for the next heartbeat, so the task times out although it succeeded (AWS completes it). Patched to look at
   the stored outcome before waiting. (A job that is done before its wait starts answers its own token.)
3. ``SendTaskSuccess`` / ``SendTaskFailure`` / ``SendTaskHeartbeat`` look for the token in every execution's
   callback pool, reading ``execution.exec_worker.env``, which is ``None`` from the moment an execution is
   RUNNING until its worker thread has parsed the definition and built its environment. Any execution starting
   at that moment made the call fail with ``AttributeError`` (AWS answers it): with 100 recordings uploaded at
   once, a transcript landing while later uploads were still starting lost its completion signal (the
   TranscriptionDone delivery failed three times and went to the DLQ), and its recording waited for the
   heartbeat's expiry (124 s in ``make soak``) before the retried start answered its own token. An execution
   without an environment holds no token yet (tokens are made in the environment), so it is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="SendTaskFailure keeps cause, a task token answered during the task's own invocation completes a .waitForTaskToken task with HeartbeatSeconds, and SendTaskSuccess/Failure/Heartbeat answer while another execution is starting (Step Functions API Reference: SendTaskFailure, SendTaskSuccess; 'Wait for a Callback with Task Token').",
    targets=(
        "moto.stepfunctions.responses.StepFunctionResponse.send_task_failure",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.send_task_success",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.send_task_failure",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.send_task_heartbeat",
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


def _token_pools(backend: Any, running_only: bool) -> Iterator[Any]:
    """The callback pools of the executions moto searches for a token (RUNNING ones, or all for a failure), without
    those whose worker has not built its environment yet: they hold no token."""
    from moto.stepfunctions.parser.api import ExecutionStatus

    for execution in backend._get_executions(ExecutionStatus.RUNNING if running_only else None):
        env = getattr(execution.exec_worker, "env", None)
        if env is not None:
            yield env.callback_pool_manager


def _answer(backend: Any, running_only: bool, answered: Callable[[Any], bool]) -> None:
    """moto's search for the token's execution: the first pool that knows the token takes the answer."""
    from moto.stepfunctions.parser.api import InvalidToken, TaskDoesNotExist, TaskTimedOut
    from moto.stepfunctions.parser.asl.eval.callback.callback import (
        CallbackConsumerTimeout,
        CallbackNotifyConsumerError,
    )

    for callback_pool in _token_pools(backend, running_only):
        try:
            if answered(callback_pool):
                return
        except CallbackNotifyConsumerError as consumer_error:
            if isinstance(consumer_error.callback_consumer_error, CallbackConsumerTimeout):
                raise TaskTimedOut() from None
            raise TaskDoesNotExist() from None
    raise InvalidToken()


def send_task_success(self: Any, task_token: str, outcome: str) -> None:
    from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackOutcomeSuccess

    success = CallbackOutcomeSuccess(callback_id=task_token, output=outcome)
    _answer(self, True, lambda callback_pool: callback_pool.notify(callback_id=task_token, outcome=success))


def send_task_failure_backend(
    self: Any, task_token: str, error: str | None = None, cause: str | None = None
) -> Any:
    from moto.stepfunctions.parser.api import SendTaskFailureOutput
    from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackOutcomeFailure

    failure = CallbackOutcomeFailure(callback_id=task_token, error=error, cause=cause)
    _answer(self, False, lambda callback_pool: callback_pool.notify(callback_id=task_token, outcome=failure))
    return SendTaskFailureOutput()


def send_task_heartbeat(self: Any, task_token: str) -> None:
    _answer(self, True, lambda callback_pool: callback_pool.heartbeat(callback_id=task_token))


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
        StateTaskServiceCallback,
    )
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import StepFunctionResponse

    stack.enter_context(mock.patch.object(StepFunctionResponse, "send_task_failure", send_task_failure))
    for name, method in (
        ("send_task_success", send_task_success),
        ("send_task_failure", send_task_failure_backend),
        ("send_task_heartbeat", send_task_heartbeat),
    ):
        stack.enter_context(mock.patch.object(StepFunctionsParserBackend, name, method))
    stack.enter_context(
        mock.patch.object(
            StateTaskServiceCallback, "_wait_for_task_token_heartbeat", wait_for_task_token_heartbeat
        )
    )
