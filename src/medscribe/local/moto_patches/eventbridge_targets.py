"""EventBridge rules that target a Lambda function deliver to it (moto 5.2.6 delivers to SQS, Logs and other
buses only: a Lambda target raises NotImplementedError, swallowed on the S3 notification path).

As EventBridge does, delivery is asynchronous: the local stack plugs in its deliverer with ``install`` (retries
and the on-failure destination: ``medscribe.local.async_invoke``); rules' other targets go to moto. This module's
wrapper is the only one of ``Rule.send_to_targets``: it first hands S3 events to ``s3_events.normalise`` (AWS's
event shape), then routes the targets. moto's own targets go through a shallow copy of the rule holding only
them: the rule is shared by every thread that sends an event, and removing its Lambda targets from the rule
itself for the time of the call (as this wrapper once did) made a concurrent event see none, so it was never
delivered (an upload that never started, or a transcript whose completion signal never came; and a thread
that saved the shortened list could restore it for good).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches import s3_events
from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores=(
        "An EventBridge rule with a Lambda function target invokes it asynchronously with the event "
        "(EventBridge User Guide, 'Targets'; PutTargets)."
    ),
    targets=("moto.events.models.Rule.send_to_targets",),
    canary="tests/emulator/test_canary_services.py::test_eventbridge_targets",
)
Deliver = Callable[[str, dict[str, Any]], None]  # (Lambda ARN, event): must not block
# installed deliverers with their "paused" test, the latest in use
_DELIVERERS: list[tuple[Deliver, Callable[[], bool]]] = []


def install(stack: ExitStack, deliver: Deliver, paused: Callable[[], bool]) -> None:
    """Until ``stack`` closes, Lambda targets of matching rules get ``deliver(arn, event)`` unless ``paused()``."""
    entry = (deliver, paused)
    _DELIVERERS.append(entry)
    stack.callback(_DELIVERERS.remove, entry)


def apply(stack: ExitStack) -> None:
    from moto.events.models import Rule

    original = Rule.send_to_targets

    def send_to_targets(rule: Any, event: Any, transform_input: bool = True) -> None:
        event = s3_events.normalise(event)
        lambdas = [t for t in rule.targets if ":lambda:" in t["Arn"]] if _DELIVERERS else []
        if not lambdas:
            original(rule, event, transform_input)
            return
        deliver, paused = _DELIVERERS[-1]
        if not paused() and rule.event_pattern.matches_event(event):
            for target in lambdas:
                deliver(target["Arn"], dict(event))
        others = [t for t in rule.targets if t not in lambdas]
        if others:  # moto's own targets, through a copy: every thread sending events shares the rule
            view = copy.copy(rule)
            view.targets = others
            original(view, event, transform_input)

    stack.enter_context(mock.patch.object(Rule, "send_to_targets", send_to_targets))
