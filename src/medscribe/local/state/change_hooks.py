"""What marks the local state dirty (a snapshot is due): every emulator request that may change state, in process
(botocore's stubber) or through the AWS endpoint (moto's WSGI app), and every execution history event. A read (by
its action's verb) changes nothing and marks nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any
from unittest import mock


def patch_change_hooks(exit_stack: ExitStack, mark_dirty: Callable[[], None]) -> None:
    """Every emulator request that may change state (in process: botocore's stubber; through the AWS
    endpoint: moto's WSGI app) and every execution history event marks the state dirty."""
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    from medscribe.local.moto_patches import perf

    stubber_call = BotocoreStubber.__call__
    app_call = DomainDispatcherApplication.__call__

    def in_process(stubber: Any, event_name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return stubber_call(stubber, event_name, *args, **kwargs)
        finally:
            if not _is_read(event_name.rsplit(".", 1)[-1]):
                mark_dirty()

    def through_endpoint(app: Any, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            return app_call(app, environ, start_response)
        finally:
            target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
            method = str(environ.get("REQUEST_METHOD", ""))
            if method not in ("GET", "HEAD", "OPTIONS") and not _is_read(target.rsplit(".", 1)[-1]):
                mark_dirty()

    exit_stack.enter_context(mock.patch.object(BotocoreStubber, "__call__", in_process))
    exit_stack.enter_context(mock.patch.object(DomainDispatcherApplication, "__call__", through_endpoint))
    perf.on_event(exit_stack, mark_dirty)  # every history event (moto_patches.perf owns add_event)


_READS = ("Get", "List", "Describe", "Head", "Query", "Scan", "BatchGet", "Validate", "Test")


def _is_read(action: str) -> bool:
    """An AWS action that changes nothing (by its name's verb)."""
    return action.startswith(_READS) and not action.startswith("GetId")
