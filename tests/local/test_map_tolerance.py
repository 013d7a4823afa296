"""A Distributed Map fails when failed children exceed its tolerated threshold (map_tolerance.py)."""

from __future__ import annotations

import json
from typing import Any

from asl_support import Run, failing_child, map_machine


def distributed_map(**tolerance: Any) -> dict[str, Any]:
    """Three children; the one on item 1 fails."""
    child = failing_child(
        {"Variable": "$.k", "NumericEquals": 1}, {"Error": "ItemBroken", "Cause": "item 1"}, {}
    )
    return map_machine(ItemsPath="$.items", ItemProcessor=child, **tolerance)


ITEMS = {"items": [{"k": 0}, {"k": 1}, {"k": 2}]}


def test_a_failed_child_fails_the_map_run_by_default(run: Run) -> None:
    # Given a Distributed Map with no tolerated failures, one of whose three children fails
    # When it runs
    result = run(distributed_map(), ITEMS)
    # Then the Map (and the execution) fails with States.ExceedToleratedFailureThreshold after a MapRunFailed
    assert (result["status"], result["error"]) == ("FAILED", "States.ExceedToleratedFailureThreshold")
    assert "MapRunFailed" in [e["type"] for e in result["events"]]


def test_failures_within_the_tolerated_count_or_percentage_succeed(run: Run) -> None:
    # Given the same Map tolerating one failure, or 50 % of the children, or only 10 %
    by_count = run(distributed_map(ToleratedFailureCount=1), ITEMS)
    by_percentage = run(distributed_map(ToleratedFailurePercentage=50.0), ITEMS)
    too_few = run(distributed_map(ToleratedFailurePercentage=10.0), ITEMS)
    # Then the first two succeed (the failed child's result is null) and the third fails (33 % > 10 %)
    assert by_count["status"] == "SUCCEEDED", by_count.get("cause")
    assert json.loads(by_count["output"]) == [{"k": 0}, None, {"k": 2}]
    assert by_percentage["status"] == "SUCCEEDED"
    assert (too_few["status"], too_few["error"]) == ("FAILED", "States.ExceedToleratedFailureThreshold")
