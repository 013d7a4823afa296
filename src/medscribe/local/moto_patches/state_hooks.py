"""Change hooks for the durable local state (``medscribe.local.state``): moto 5.2.6 has no listener for "a
request may have changed the emulator's state" nor for "an S3 object's body was set".

- ``on_request(stack, listener)``: ``listener()`` after every emulator request that may change state, in process
  (botocore's stubber, ``BotocoreStubber.__call__``) or through the AWS endpoint (moto's WSGI app,
  ``DomainDispatcherApplication.__call__``), also when the request failed. A read (by its action's verb: Get,
  List, Describe, ...; through the endpoint also GET, HEAD and OPTIONS) calls nothing.
- ``on_body_set(stack, listener)``: ``listener(key)`` after an S3 object's (``FakeKey``) body is set (moto sets it
  when an object is created and when one is rewritten in place; the body store forgets its digest).

Until a listener is plugged in, the wrappers only pass the call on. The local state plugs in
(``local/state/change_hooks.py``, ``local/state/bodies.py``) and patches nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores=(
        "State that survives a restart, as AWS's does: every state-changing request (in process or through the "
        "endpoint) and every S3 object body set is announced to the local state's snapshot (moto has no hook)."
    ),
    targets=(
        "moto.core.botocore_stubber.BotocoreStubber.__call__",
        "moto.moto_server.werkzeug_app.DomainDispatcherApplication.__call__",
        "moto.s3.models.FakeKey.value",
    ),
    canary="tests/emulator/test_canary_services.py::test_state_hooks",
)

_request_listeners: list[Callable[[], None]] = []
_body_listeners: list[Callable[[Any], None]] = []

_READS = ("Get", "List", "Describe", "Head", "Query", "Scan", "BatchGet", "Validate", "Test")
_READ_METHODS = ("GET", "HEAD", "OPTIONS")


def is_read(action: str) -> bool:
    """An AWS action that changes nothing (by its name's verb)."""
    return action.startswith(_READS) and not action.startswith("GetId")


def on_request(stack: ExitStack, listener: Callable[[], None]) -> None:
    """Call ``listener()`` after every request that may change state until ``stack`` closes."""
    _request_listeners.append(listener)
    stack.callback(_request_listeners.remove, listener)


def on_body_set(stack: ExitStack, listener: Callable[[Any], None]) -> None:
    """Call ``listener(key)`` after an S3 object's body is set until ``stack`` closes."""
    _body_listeners.append(listener)
    stack.callback(_body_listeners.remove, listener)


def _changed() -> None:
    for listener in list(_request_listeners):
        listener()


def apply(stack: ExitStack) -> None:
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.s3.models import FakeKey

    stubber_call = BotocoreStubber.__call__
    app_call = DomainDispatcherApplication.__call__
    value = FakeKey.__dict__["value"]

    def in_process(stubber: Any, event_name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return stubber_call(stubber, event_name, *args, **kwargs)
        finally:
            if _request_listeners and not is_read(event_name.rsplit(".", 1)[-1]):
                _changed()

    def through_endpoint(app: Any, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            return app_call(app, environ, start_response)
        finally:
            if _request_listeners:
                target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
                method = str(environ.get("REQUEST_METHOD", ""))
                if method not in _READ_METHODS and not is_read(target.rsplit(".", 1)[-1]):
                    _changed()

    def set_value(key: Any, new_value: bytes) -> None:
        value.fset(key, new_value)
        for listener in list(_body_listeners):
            listener(key)

    stack.enter_context(mock.patch.object(BotocoreStubber, "__call__", in_process))
    stack.enter_context(mock.patch.object(DomainDispatcherApplication, "__call__", through_endpoint))
    stack.enter_context(mock.patch.object(FakeKey, "value", property(value.fget, set_value)))
