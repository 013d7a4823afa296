"""``States.ALL`` does not catch ``States.Runtime`` (moto 5.2.6 matches every error).

AWS: "A Retry or Catch on States.ALL won't catch States.Runtime errors" (nor ``States.DataLimitExceeded``):
such an error (e.g. a JSONPath that finds nothing in a Task's ResultSelector) always fails the execution.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="A Retry or Catch on States.ALL does not match States.Runtime or States.DataLimitExceeded (Step Functions Developer Guide, 'Handling errors').",
    targets=(
        "moto.stepfunctions.parser.asl.component.common.error_name.error_equals_decl.ErrorEqualsDecl._eval_body",
    ),
    canary="tests/emulator/test_canary_sfn_interpreter.py::test_error_matching",
    private="_eval_body is the matcher of ErrorEquals (moto's components evaluate through it)",
)
TERMINAL = {"States.Runtime", "States.DataLimitExceeded"}


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.common.error_name.error_equals_decl import ErrorEqualsDecl

    original = ErrorEqualsDecl._eval_body

    def eval_body(decl: Any, env: Any) -> None:
        error_name = env.stack[-1]
        name = getattr(error_name, "error_name", None)
        if name in TERMINAL and all(getattr(e, "error_name", None) != name for e in decl.error_names):
            env.stack.pop()
            env.stack.append(False)
            return
        original(decl, env)

    stack.enter_context(mock.patch.object(ErrorEqualsDecl, "_eval_body", eval_body))
