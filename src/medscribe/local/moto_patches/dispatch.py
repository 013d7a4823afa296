"""moto 5.2.6: per-request cost of moto's response dispatch (no behaviour change), paid by every emulated call.

- ``BaseResponse.call_action`` asks ``method_names_from_class(cls)`` (``inspect.getmembers``: every attribute
  of the response class and its bases, sorted) for each request, only to test ``action in method_names``.
  Here that test asks the class for the one name instead (``inspect.isfunction(getattr(cls, action))``, the
  predicate getmembers applies), so a method a patch adds or replaces later is still seen.
- ``BaseResponse._enrich_response`` runs a look-around regex over every response body to put the request id
  into an XML ``<RequestId>`` element: on a JSON body, or an S3 object's bytes, it scans the whole body for
  nothing. The regex now runs only on bodies that hold ``<RequestId>``; the others are returned as they are,
  which is what the regex did to them.
"""

from __future__ import annotations

import inspect
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="speedup",
    moto_version=MOTO_VERSION,
    restores="No AWS behaviour: moto's per-request action lookup and RequestId rewrite without scanning every class member and every body.",
    targets=(
        "moto.core.responses.method_names_from_class",
        "moto.core.responses.BaseResponse._enrich_response",
    ),
    canary="tests/emulator/test_canary_speedups.py::test_dispatch",
    private="_enrich_response is what every response passes through; no public hook",
)


class MethodNames:
    """``name in MethodNames(cls)`` is ``name in method_names_from_class(cls)``, for one name."""

    def __init__(self, clazz: type) -> None:
        self._clazz = clazz

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and inspect.isfunction(getattr(self._clazz, name, None))


def apply(stack: ExitStack) -> None:
    from moto.core import responses

    stack.enter_context(mock.patch.object(responses, "method_names_from_class", MethodNames))
    original = responses.BaseResponse._enrich_response

    def enrich_response(headers: dict[str, str], body: Any) -> tuple[dict[str, str], Any]:
        if isinstance(body, str) and "<RequestId>" in body:
            return original(headers, body)
        if "status" in headers:
            headers["status"] = str(headers["status"])
        responses.gen_amzn_requestid_long(headers)  # as the original: sets the request id headers
        return headers, body

    stack.enter_context(
        mock.patch.object(responses.BaseResponse, "_enrich_response", staticmethod(enrich_response))
    )
