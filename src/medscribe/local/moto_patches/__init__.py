"""The emulator layer: every place where moto deviates from AWS, patched in one package, one module per concern.

Each module declares ``PATCH`` (``inventory.PatchInfo``: kind fix / feature / speedup, the moto version, the AWS
behaviour it restores, the names it patches, its canary test) and exposes ``apply(stack)``, which enters its
patches on an ``ExitStack`` (closing the stack undoes them). ``apply_all`` applies every module of
``inventory.APPLIED`` in that order; ``apply_front_door`` the two ``medscribe serve`` adds. Each target is
patched by one module only. A moto upgrade: docs/emulator.md (``check_version`` refuses another moto unless
``MEDSCRIBE_MOTO_TRIAL`` names the installed version).
"""

from __future__ import annotations

import importlib
import logging
import os
from contextlib import ExitStack
from importlib.metadata import version
from pathlib import Path

from medscribe.local.moto_patches import cognito_rules, s3_post_policy
from medscribe.local.moto_patches.inventory import APPLIED

MOTO_VERSION = "5.2.6"
TRIAL_ENV = "MEDSCRIBE_MOTO_TRIAL"  # an upgrade trial: the other moto version to accept (docs/emulator.md)

# Applied in this order by apply_all.
MODULES: tuple[str, ...] = APPLIED


def check_version() -> None:
    installed = version("moto")
    if installed == MOTO_VERSION:
        return
    if installed != os.environ.get(TRIAL_ENV):
        raise RuntimeError(
            f"medscribe's moto patches target moto {MOTO_VERSION}, found {installed} "
            f"(an upgrade trial: {TRIAL_ENV}={installed}, see docs/emulator.md)"
        )
    logging.getLogger(__name__).warning(
        "moto %s installed, patches target %s: applying them anyway (%s, upgrade trial)",
        installed,
        MOTO_VERSION,
        TRIAL_ENV,
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
