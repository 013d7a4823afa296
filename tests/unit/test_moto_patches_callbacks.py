"""moto_patches.callbacks against moto 5.2.6's own classes: each patch fixes the deviation it names."""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import Any

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
