"""Every place local mode patches moto (5.2.5) where it deviates from AWS or is needlessly slow.

One module per concern; each exposes ``apply(stack: ExitStack) -> None`` (patches undone when the stack
closes) and names the moto version it was written against. ``apply_all`` applies them all; the local engine
calls it once per ``LocalPipeline``.
"""

from __future__ import annotations

from contextlib import ExitStack

from medscribe.local.moto_patches import callbacks, perf

MOTO_VERSION = "5.2.5"
MODULES = (callbacks, perf)


def apply_all(stack: ExitStack) -> None:
    for module in MODULES:
        module.apply(stack)
