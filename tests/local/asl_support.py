"""Helpers for the ASL-coverage tests: run a definition to its end on the bare interpreter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto_support import finished_with_history

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


# An execution run to its end, with its history as ``events`` (bounded: ``timeout`` seconds).
wait = finished_with_history


def failing_child(when: dict[str, Any], fail: dict[str, Any], passed: dict[str, Any]) -> dict[str, Any]:
    """A Distributed Map's child (standard executions): an item matching the Choice rule ``when`` reaches the
    Fail state ``fail`` (its Error and Cause), any other the Pass state ``passed``."""
    return {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice", "Choices": [{**when, "Next": "Failed"}], "Default": "Passed"},
            "Failed": {"Type": "Fail", **fail},
            "Passed": {"Type": "Pass", **passed, "End": True},
        },
    }


def map_machine(**fields: Any) -> dict[str, Any]:
    """A definition whose one state is the Map ``Each`` (``End``), with ``fields`` (ItemsPath, ItemReader,
    ItemBatcher, ItemProcessor, tolerances...) as its body."""
    return {"StartAt": "Each", "States": {"Each": {"Type": "Map", **fields, "End": True}}}
