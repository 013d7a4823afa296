"""moto_patches.callbacks against moto 5.2.6's own classes: each patch fixes the deviation it names."""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import Any

import pytest

from medscribe.local import moto_patches
from medscribe.local.moto_patches import callbacks


class _Env:
    def is_running(self) -> bool:
        return True


def test_the_patches_name_the_moto_version_installed() -> None:
    moto_patches.check_version()  # moto is the release the patches name (or an upgrade trial's)
    assert callbacks.MOTO_VERSION == moto_patches.MOTO_VERSION


def test_a_token_answered_before_the_heartbeat_wait_starts_is_not_lost() -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
        StateTaskServiceCallback,
    )
    from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackEndpoint, CallbackOutcomeSuccess

    # Given a token answered during the task's invocation, before its heartbeat endpoint exists
    endpoint = CallbackEndpoint(callback_id="token")
    endpoint.notify(CallbackOutcomeSuccess(callback_id="token", output="{}"))
    heartbeat = endpoint.setup_heartbeat_endpoint(heartbeat_seconds=1)
    # When the task waits (unpatched moto waits for the heartbeat and reports a timeout)
    with ExitStack() as stack:
        callbacks.apply(stack)
        started = time.monotonic()
        outcome = StateTaskServiceCallback._wait_for_task_token_heartbeat(None, _Env(), endpoint, heartbeat)  # type: ignore[arg-type]
        patched_took = time.monotonic() - started
    # Then it returns the stored success, in a fraction of the heartbeat the unpatched wait sits out (a ratio)
    assert isinstance(outcome, CallbackOutcomeSuccess)
    started = time.monotonic()
    unpatched: Any = StateTaskServiceCallback._wait_for_task_token_heartbeat(
        None, _Env(), endpoint, heartbeat
    )  # type: ignore[arg-type]
    unpatched_took = time.monotonic() - started
    assert not isinstance(unpatched, CallbackOutcomeSuccess)
    assert patched_took < unpatched_took / 2


class _Worker:
    def __init__(self, env: Any) -> None:
        self.env = env


class _Execution:
    def __init__(self, env: Any) -> None:
        self.exec_worker = _Worker(env)


class _TokenEnv:
    def __init__(self) -> None:
        from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackPoolManager

        self.callback_pool_manager = CallbackPoolManager(activity_store={})


class _Backend:
    """moto's token search reads only ``_get_executions`` (RUNNING ones for success and heartbeat)."""

    def __init__(self, executions: list[Any]) -> None:
        self.executions = executions

    def _get_executions(self, execution_status: Any = None) -> list[Any]:
        return self.executions


def test_a_token_is_answered_while_another_execution_is_still_starting() -> None:
    from moto.stepfunctions.parser.asl.eval.callback.callback import (
        CallbackOutcomeFailure,
        CallbackOutcomeSuccess,
    )
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    # Given an execution RUNNING whose worker has not built its environment yet (moto sets the status first), and
    # an execution waiting on a token
    waiting = _TokenEnv()
    success = waiting.callback_pool_manager.add("token-a")
    failure = waiting.callback_pool_manager.add("token-b")
    heartbeat = waiting.callback_pool_manager.add("token-c").setup_heartbeat_endpoint(heartbeat_seconds=60)
    backend = _Backend([_Execution(None), _Execution(waiting)])
    # When the tokens are answered (unpatched moto fails every one of these calls with AttributeError)
    with pytest.raises(AttributeError):  # once moto answers here, the patch can go
        StepFunctionsParserBackend.send_task_success(backend, "token-a", "{}")  # type: ignore[arg-type]
    with ExitStack() as stack:
        callbacks.apply(stack)
        StepFunctionsParserBackend.send_task_success(backend, "token-a", '{"ok": true}')  # type: ignore[arg-type]
        StepFunctionsParserBackend.send_task_failure(backend, "token-b", error="E", cause="C")  # type: ignore[arg-type]
        StepFunctionsParserBackend.send_task_heartbeat(backend, "token-c")  # type: ignore[arg-type]
    # Then each reaches the waiting execution's endpoint
    outcome = success.get_outcome()
    assert isinstance(outcome, CallbackOutcomeSuccess)
    assert outcome.output == '{"ok": true}'
    failed = failure.get_outcome()
    assert isinstance(failed, CallbackOutcomeFailure)
    assert (failed.error, failed.cause) == ("E", "C")
    assert heartbeat.clear_and_wait()  # the heartbeat was received: no wait


def test_an_unknown_token_is_still_an_invalid_token() -> None:
    from moto.stepfunctions.parser.api import InvalidToken
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    backend = _Backend([_Execution(None), _Execution(_TokenEnv())])
    with ExitStack() as stack:
        callbacks.apply(stack)
        with pytest.raises(InvalidToken):
            StepFunctionsParserBackend.send_task_success(backend, "nope", "{}")  # type: ignore[arg-type]
        with pytest.raises(InvalidToken):
            StepFunctionsParserBackend.send_task_heartbeat(backend, "nope")  # type: ignore[arg-type]
