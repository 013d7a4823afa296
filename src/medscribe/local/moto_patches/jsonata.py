"""JSONata states and variables (moto 5.2.6).

moto's interpreter parses ``QueryLanguage: JSONata``, ``Assign`` and ``$variable`` references, then hands every
expression to ``moto.stepfunctions.parser.asl.jsonata.jsonata._eval_jsonata``, which LocalStack backs with a
JVM and moto leaves as None (TypeError on the first expression). jsonata-python (pure Python, pinned) fills it.
"""

from __future__ import annotations

import functools
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores="JSONata states, Assign and $variables (Step Functions Developer Guide, 'Transforming data with JSONata'): moto leaves the evaluator None.",
    targets=("moto.stepfunctions.parser.asl.jsonata.jsonata._eval_jsonata",),
    canary="tests/emulator/test_canary_sfn_features.py::test_jsonata",
    private="_eval_jsonata is the evaluator hook moto leaves empty for an engine to be plugged in (its only hook)",
)


@functools.lru_cache(maxsize=512)
def _compiled(expression: str) -> Any:
    import jsonata

    return jsonata.Jsonata(expression)


def eval_jsonata(expression: str) -> Any:
    from moto.stepfunctions.parser.asl.jsonata.jsonata import JSONataException

    try:
        return _compiled(expression).evaluate(None)
    except Exception as exc:  # jsonata.JException and friends: the interpreter reports them as a state error
        raise JSONataException("States.QueryEvaluationError", str(exc)) from exc


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.jsonata import jsonata as module

    stack.enter_context(mock.patch.object(module, "_eval_jsonata", eval_jsonata))
