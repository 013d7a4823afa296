"""moto 5.2.6: speed of the Step Functions interpreter's copies of state data (no behaviour change).

The interpreter deep-copies a state's input, its result and each task frame's stack with ``copy.deepcopy``
(25 call sites in 17 modules), about a quarter of an execution thread's time. What it copies is JSON data
(dicts, lists, strings, numbers, booleans, ``None``), for which ``copy.deepcopy``'s generality (memo dict,
``__deepcopy__`` lookups, reductions) costs ~3x a plain recursive copy. ``json_deepcopy`` copies dicts and lists
itself, returns the immutable scalars as they are, and hands anything else (and anything reached through it)
to ``copy.deepcopy``. The one difference, a value reached twice through one structure becomes two equal
copies, cannot be seen in JSON data (which holds no shared or cyclic references once parsed).
"""

from __future__ import annotations

import copy as _copy
import importlib
import types
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
_PREFIX = "moto.stepfunctions.parser."
# The parser modules that ``import copy`` (each uses only ``copy.deepcopy``).
MODULES = (
    "asl.component.common.string.string_expression",
    "asl.component.common.path.result_path",
    "asl.component.intrinsic.function.statesfunction.json_manipulation.json_merge",
    "asl.component.state.exec.state_map.state_map",
    "asl.component.state.exec.state_map.result_writer.result_writer_decl",
    "asl.component.state.exec.state_map.item_reader.item_reader_decl",
    "asl.component.state.exec.state_map.iteration.job",
    "asl.component.state.exec.state_task.service.state_task_service",
    "asl.component.state.exec.state_task.mock_eval_utils",
    "asl.component.state.exec.state_parallel.state_parallel",
    "asl.component.state.exec.execute_state",
    "asl.eval.states",
    "asl.eval.event.event_manager",
    "asl.eval.environment",
)
PATCH = PatchInfo(
    kind="speedup",
    moto_version=MOTO_VERSION,
    restores="No AWS behaviour: the interpreter's deep copies of JSON state data done by a plain recursive copy (~3x faster than copy.deepcopy).",
    targets=tuple(f"{_PREFIX}{name}.copy" for name in MODULES),
    canary="tests/emulator/test_canary_speedups.py::test_json_copy",
)
_SCALARS = frozenset({str, int, float, bool, type(None)})


def json_deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A deep copy of ``value``: dicts and lists rebuilt, scalars shared, anything else ``copy.deepcopy``."""
    kind = type(value)
    if kind is dict:
        return {key: json_deepcopy(item) for key, item in value.items()}
    if kind is list:
        return [json_deepcopy(item) for item in value]
    if kind in _SCALARS:
        return value
    return _copy.deepcopy(value, memo)


# Stands in for the ``copy`` module inside the parser modules.
_COPY = types.SimpleNamespace(deepcopy=json_deepcopy, copy=_copy.copy)


def apply(stack: ExitStack) -> None:
    for name in MODULES:
        module = importlib.import_module(_PREFIX + name)
        stack.enter_context(mock.patch.object(module, "copy", _COPY))
