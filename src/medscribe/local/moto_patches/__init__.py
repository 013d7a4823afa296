"""Every place moto 5.2.5 deviates from AWS in a way medscribe's local mode depends on, patched in one
package: one module per concern, each naming the moto version it applies to, each with a test."""

from __future__ import annotations

from contextlib import ExitStack

from medscribe.local.moto_patches import s3_post_policy


def apply_front_door(stack: ExitStack) -> None:
    """Patches ``medscribe serve`` needs (issue 7); undone when ``stack`` closes."""
    stack.enter_context(s3_post_policy.enforced())
