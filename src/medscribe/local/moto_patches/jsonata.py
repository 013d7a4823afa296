"""JSONata states and variables (moto 5.2.5).

moto's interpreter parses ``QueryLanguage: JSONata``, ``Assign`` and ``$variable`` references, then hands every
expression to ``moto.stepfunctions.parser.asl.jsonata.jsonata._eval_jsonata``, which LocalStack backs with a
JVM and moto leaves as None (TypeError on the first expression). jsonata-python (pure Python, pinned) fills it.
"""

from __future__ import annotations

import functools
from contextlib import ExitStack
from typing import Any
from unittest import mock

MOTO_VERSION = "5.2.6"


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
