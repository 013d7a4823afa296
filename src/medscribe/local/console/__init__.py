"""The ops console served by ``medscribe serve`` at ``/console`` (see ``app``)."""

from __future__ import annotations

from typing import Any

from medscribe.local.console.app import ConsoleApp, Viewer, viewer_from


def make_app(server: Any) -> ConsoleApp:
    """The console for a running ``LocalServer`` (its AWS endpoint: ``server.aws_url``)."""
    from medscribe import wiring
    from medscribe.ops import Ops

    return ConsoleApp(lambda: Ops(endpoint_url=server.aws_url), lambda: wiring.get_services().audit)


__all__ = ["ConsoleApp", "Viewer", "make_app", "viewer_from"]
