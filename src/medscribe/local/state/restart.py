"""Executions that were running when the local stack stopped (crash, kill -9, restart): ABORTED at load, with
error ``LocalStackRestarted`` and an ``ExecutionAborted`` history event, as StopExecution would leave them on AWS,
redrivable from their unfinished state (``medscribe redrive``). docs/local-state.md."""

from __future__ import annotations

import datetime
from contextlib import suppress

from medscribe.local.state.pickling import FrozenWorker

RESTART_ERROR = "LocalStackRestarted"
# A stack that closes (Ctrl-C, SIGTERM, the end of `run`) stops what still runs with this error: as a crash,
# an interruption of the local stack, not of the recording, so `medscribe run` of the same audio redrives it.
STOP_ERROR = "LocalStackStopped"
STOP_CAUSE = "local pipeline closed while this execution was running; redrive it to continue"
INTERRUPTED_ERRORS = (RESTART_ERROR, STOP_ERROR)
RESTART_CAUSE = (
    "the local stack stopped while this execution was running (crash, kill or restart); "
    "redrive it to continue from its unfinished state"
)


def abort_running_executions() -> int:
    """Executions that were RUNNING when the snapshot was taken: ABORTED now, with a history event."""
    from moto.stepfunctions.parser.api import ExecutionStatus, HistoryEventType
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventHistoryContext, EventManager
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    now = datetime.datetime.now(tz=datetime.UTC)
    count = 0
    for _account, _region, backend in stepfunctions_parser_backends.iter_backends():
        for machine in list(getattr(backend, "state_machines", [])):
            for execution in getattr(machine, "executions", []):
                if execution.exec_status != ExecutionStatus.RUNNING:
                    continue
                worker = execution.exec_worker
                if worker is None or getattr(worker, "env", None) is None:
                    execution.exec_worker = worker = FrozenWorker(EventManager())
                manager = worker.env.event_manager
                with suppress(AttributeError, TypeError, IndexError):
                    history = manager.get_event_history()
                    context = EventHistoryContext(previous_event_id=history[-1]["id"] if history else 0)
                    manager.add_event(
                        context=context,
                        event_type=HistoryEventType.ExecutionAborted,
                        event_details={
                            "executionAbortedEventDetails": {"error": RESTART_ERROR, "cause": RESTART_CAUSE}
                        },
                    )
                execution.exec_status = ExecutionStatus.ABORTED
                execution.error = RESTART_ERROR
                execution.cause = RESTART_CAUSE
                execution.stop_date = now
                count += 1
    return count
