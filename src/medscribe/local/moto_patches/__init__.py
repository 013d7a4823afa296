"""Every place where moto deviates from AWS, patched in one package: one module per concern.

Each module names the moto version its patch applies to (``MOTO_VERSION``) and exposes ``apply(stack)``, which
enters its patches on an ``ExitStack`` (so closing the stack undoes them). ``apply_all`` applies every module
listed in ``MODULES`` (deviations from AWS, plus ``perf``: needless slowness); a moto upgrade must re-check each module (``check_version`` refuses a different moto).

Upgrade trials: ``MEDSCRIBE_MOTO_TRIAL=1`` applies the patches to another moto anyway, with a warning, so the
suite can be run against a new release before the pin moves (docs/emulator.md, upgrade checklist).
"""

from __future__ import annotations

import importlib
import logging
import os
from contextlib import ExitStack
from importlib.metadata import version
from pathlib import Path

from medscribe.local.moto_patches import cognito_rules, s3_post_policy

MOTO_VERSION = "5.2.6"
TRIAL_ENV_VAR = (
    "MEDSCRIBE_MOTO_TRIAL"  # "1": apply the patches to another moto (an upgrade trial), with a warning
)

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
    if installed == MOTO_VERSION:
        return
    if os.environ.get(TRIAL_ENV_VAR) == "1":
        logging.getLogger(__name__).warning(
            "moto %s installed, patches target %s: applying them anyway (%s=1, upgrade trial)",
            installed,
            MOTO_VERSION,
            TRIAL_ENV_VAR,
        )
        return
    raise RuntimeError(
        f"medscribe's moto patches target moto {MOTO_VERSION}, found {installed}"
        f" (set {TRIAL_ENV_VAR}=1 to try them on it anyway)"
    )


def apply_all(stack: ExitStack) -> None:
    check_version()
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}").apply(stack)


def apply_front_door(stack: ExitStack, home: Path) -> None:
    """Patches ``medscribe serve`` needs (issues 7 and 16); undone when ``stack`` closes. ``home``: the data
    directory whose Cognito signing key the local pool uses."""
    s3_post_policy.apply(stack)
    cognito_rules.apply(stack, home)
