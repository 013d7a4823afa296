"""What marks the local state dirty (a snapshot is due): every emulator request that may change state, in process
(botocore's stubber) or through the AWS endpoint (moto's WSGI app), and every execution history event. A read (by
its action's verb) changes nothing and marks nothing. The emulator layer owns the wrappers
(``moto_patches.state_hooks``, ``moto_patches.execution_events``); this module only plugs into their hooks."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack


def patch_change_hooks(exit_stack: ExitStack, mark_dirty: Callable[[], None]) -> None:
    """Until ``exit_stack`` closes, every emulator request that may change state (``state_hooks.on_request``) and
    every execution history event (``execution_events.on_event``) calls ``mark_dirty()``."""
    from medscribe.local.moto_patches import execution_events, state_hooks

    state_hooks.on_request(exit_stack, mark_dirty)
    execution_events.on_event(exit_stack, mark_dirty)
