"""A Distributed Map fails when its failed child executions exceed the tolerated threshold (moto 5.2.6).

moto counts failed, timed-out and aborted child executions of a Map Run but never compares them with
``ToleratedFailureCount`` / ``ToleratedFailurePercentage`` (parsed, then unused): a failed child's result is
``null`` and the Map succeeds. AWS fails the Map Run, and the Map state, with
``States.ExceedToleratedFailureThreshold`` (catchable). Both thresholds default to 0 (any failure fails the Map
Run); a threshold set above 0 is exceeded when the failed count (or percentage of all children) is greater than
it, and with both set either one fails the run. (With an ItemBatcher, a child is one batch.)
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="A Distributed Map fails with States.ExceedToleratedFailureThreshold past ToleratedFailureCount/Percentage (Developer Guide, 'Setting failure thresholds for Distributed Map states').",
    targets=(
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component.DistributedIterationComponent._map_run",
    ),
    canary="tests/emulator/test_canary_sfn_interpreter.py::test_map_tolerance",
    private="_map_run is where a Map Run ends and its failure counts are known; no public hook",
)
CAUSE = "The specified tolerated failure threshold for the Map Run has been exceeded"


def exceeded(failed: int, total: int, count: float, percentage: float) -> bool:
    if failed == 0:
        return False
    if not count and not percentage:
        return True
    over_count = bool(count) and failed > count
    over_percentage = bool(percentage) and total > 0 and failed * 100.0 / total > percentage
    return over_count or over_percentage


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.api import HistoryEventType
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
        StatesErrorNameType,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (
        DistributedIterationComponent,
    )

    original_map_run = DistributedIterationComponent._map_run

    def map_run(component: Any, env: Any, eval_input: Any) -> None:
        original_map_run(component, env, eval_input)
        items = eval_input.map_run_record.item_counter
        failed = items.failed.get() + items.timed_out.get() + items.aborted.get()
        count = eval_input.tolerated_failure_count or 0
        percentage = eval_input.tolerated_failure_percentage or 0
        if not exceeded(failed, items.total.get(), count, percentage):
            return
        env.stack.pop()  # the Map Run's results
        error = StatesErrorNameType.StatesExceedToleratedFailureThreshold.to_name()
        details: Any = {
            "executionFailedEventDetails": {"error": error, "cause": CAUSE}
        }  # moto's EventDetails
        raise FailureEventException(
            failure_event=FailureEvent(
                env=env,
                error_name=StatesErrorName(typ=StatesErrorNameType.StatesExceedToleratedFailureThreshold),
                event_type=HistoryEventType.ExecutionFailed,
                event_details=details,
            )
        )

    stack.enter_context(mock.patch.object(DistributedIterationComponent, "_map_run", map_run))
