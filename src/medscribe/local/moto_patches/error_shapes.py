"""moto 5.2.6: the error table of a service built once, not for every error answer (no behaviour change).

``moto.core.errors.get_error_model`` (every error answer of a service on moto's new serializer, such as Step
Functions' ExecutionDoesNotExist while a caller waits for an execution to start) builds a new
``ErrorLookupFactory`` per error, so its per-instance cache never hits: each error answer walked the service
model's every error shape again (~4% of the local stack's GIL time with 100 recordings). ``for_service`` here keeps the table per service model
for the process (the table depends on the model alone; moto's ``get_service_model`` returns one model per
service), as moto's own per-instance cache meant to, keyed as moto keys it (``serviceId``) plus the model.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="speedup",
    moto_version=MOTO_VERSION,
    restores=(
        "No AWS behaviour: moto's error-code table of a service built once per process instead of for every "
        "error answer."
    ),
    targets=("moto.core.errors.ErrorLookupFactory.for_service",),
    canary="tests/emulator/test_canary_speedups.py::test_error_shapes",
)
# (serviceId, id(model)) -> (model, its table); the model is held so that its id is not reused. A handful of
# services answer errors locally: bounded by the number of service models.
_tables: dict[tuple[Any, int], tuple[Any, Any]] = {}
_lock = threading.Lock()


def apply(stack: ExitStack) -> None:
    from moto.core.errors import ErrorLookupFactory

    original = ErrorLookupFactory.for_service

    def for_service(self: Any, service_model: Any) -> Any:
        service_id = service_model.metadata.get("serviceId")
        if service_id is None:  # moto does not keep these either
            return original(self, service_model)
        key = (service_id, id(service_model))
        entry = _tables.get(key)
        if entry is None or entry[0] is not service_model:
            table = original(self, service_model)
            with _lock:
                entry = _tables[key] = (service_model, table)
        return entry[1]

    stack.enter_context(mock.patch.object(ErrorLookupFactory, "for_service", for_service))
