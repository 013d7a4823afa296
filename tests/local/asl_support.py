"""Helpers for the ASL-coverage tests: run a definition to its end on the bare interpreter."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

Run = Callable[..., dict[str, Any]]

# A Distributed Map's child that reports its batch's size and its BatchInput's ``run``.
BATCH_COUNTER: dict[str, Any] = {
    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    "StartAt": "Count",
    "States": {
        "Count": {
            "Type": "Pass",
            "Parameters": {"n.$": "States.ArrayLength($.Items)", "run.$": "$.BatchInput.run"},
            "End": True,
        }
    },
}


def wait(sfn: Any, arn: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (description := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution still running"
        time.sleep(0.02)
    description["events"] = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return dict(description)


def map_machine(**fields: Any) -> dict[str, Any]:
    """A definition whose one state is the Map ``Each`` (``End``), with ``fields`` (ItemsPath, ItemReader,
    ItemBatcher, ItemProcessor, tolerances...) as its body."""
    return {"StartAt": "Each", "States": {"Each": {"Type": "Map", **fields, "End": True}}}
