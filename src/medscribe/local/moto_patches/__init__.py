"""Every place where moto deviates from AWS, patched in one package: one module per concern.

Each module names the moto version its patch applies to (``MOTO_VERSION``) and exposes ``apply(stack)``, which
enters its patches on an ``ExitStack`` (so closing the stack undoes them). ``apply_all`` applies every module
listed in ``MODULES`` (deviations from AWS, plus ``perf``: needless slowness); a moto upgrade must re-check each module (``check_version`` refuses a different moto).
"""

from __future__ import annotations

import importlib
from contextlib import ExitStack
from importlib.metadata import version
from pathlib import Path

from medscribe.local.moto_patches import cognito_rules, s3_post_policy

MOTO_VERSION = "5.2.5"

# Applied in this order by apply_all.
MODULES: tuple[str, ...] = (
    "mocking",
    "jsonata",
    "outputs",
    "context_object",
    "heartbeat",
    "clock",
    "redrive",
    "error_matching",
    "extra_apis",
    "item_batcher",
    "s3_events",
    "s3_conditional_copy",
    "dynamodb_atomic",
    "callbacks",
    "perf",
    "json_copy",
    "startup",
    "dispatch",
    "teststate",
    "redrive_branches",
    "map_tolerance",
    "sfn_executions",
    "sfn_definitions",
    "lambda_api",
    "sfn_local_events",
    "backfill_map",
)


def check_version() -> None:
    installed = version("moto")
    if installed != MOTO_VERSION:
        raise RuntimeError(f"medscribe's moto patches target moto {MOTO_VERSION}, found {installed}")


def apply_all(stack: ExitStack) -> None:
    check_version()
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}").apply(stack)


def apply_front_door(stack: ExitStack, home: Path) -> None:
    """Patches ``medscribe serve`` needs (issues 7 and 16); undone when ``stack`` closes. ``home``: the data
    directory whose Cognito signing key the local pool uses."""
    s3_post_policy.apply(stack)
    cognito_rules.apply(stack, home)
