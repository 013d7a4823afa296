"""Helpers for the ASL-coverage tests: run a definition to its end on the bare interpreter."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

Run = Callable[..., dict[str, Any]]


def wait(sfn: Any, arn: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (description := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution still running"
        time.sleep(0.02)
    description["events"] = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return dict(description)
