"""StopExecution always ends the execution (moto 5.2.6 loses a stop that comes at the wrong moment).

AWS: a stopped execution is ABORTED with an ``ExecutionAborted`` event (StopExecution, API Reference). moto
runs an execution on a worker thread and stops it through ``ExecutionWorker.stop`` ->
``Environment.set_stop``. It loses the stop, or its event, in four windows of that thread (each forced by a test
in ``tests/endpoint/test_sfn_stop_races.py``):

1. before the worker has built its environment (``worker.env`` is ``None``): moto raises ``AttributeError``;
2. after the environment exists but before ``Program.eval`` names the first state (the program state is still
   ``None``, and ``set_stop`` changes only a running program): the stop is dropped, the execution runs on;
3. after the first state is named but before the program's own thread begins (``EvalComponent.eval`` prunes a
   program that is no longer running): the execution is reported ABORTED with no ``ExecutionAborted`` event
   (the CI failure of session 10);
4. as a state begins to sleep on ``program_state_event`` (a ``Wait``): ``set_stop`` sets the event and clears it
   at once, so a thread that begins to sleep after that sleeps its whole time (an hour's Wait stays RUNNING);
5. while a Task waits for its task token (``.waitForTaskToken``, with or without ``HeartbeatSeconds``): moto's
   callback waits do not watch the program's state, so the execution stayed RUNNING until the heartbeat or
   timeout, which then *failed* it (``set_error`` replaced the stop).

Here a stop is never dropped and never waited for. A stop in windows 1 and 2 is kept for its execution (by
ARN, under one lock) and applied by the worker itself as its program starts (``start``, which
``clock``'s ``Program.eval`` calls to name the first state). The program's body always runs (``run``, which that
``Program.eval`` runs on the program's thread): it writes the event of whatever state the program ended in,
also one stopped before its first state. A stopped environment's event stays set (a stop is final), so a sleep
that begins after the stop returns at once. The stop wakes the execution's callback waits, a stopped program
stays stopped (``Environment.set_error``), and the woken attempt records no failure (``heartbeat.py``, the
attempt's one wrapper). (Until session 11 the stop waited up to 5 s for window 1 and then gave up.)
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores=(
        "StopExecution ends a running execution ABORTED with an ExecutionAborted event (Step Functions API "
        "Reference: StopExecution) whenever it comes, also before the execution's first state, as a Wait "
        "begins or while a Task waits for its token."
    ),
    targets=(
        "moto.stepfunctions.parser.backend.execution_worker.ExecutionWorker.stop",
        "moto.stepfunctions.parser.asl.eval.environment.Environment.set_stop",
        "moto.stepfunctions.parser.asl.eval.environment.Environment.set_error",
    ),
    extends=("moto.stepfunctions.parser.asl.component.program.program.Program.eval",),
    canary="tests/emulator/test_canary_sfn_api.py::test_sfn_stop",
)

# Stops that came before their execution's program was running: execution ARN -> (stop_date, error, cause).
# One lock orders a stop's "not running yet, keep it" against the worker's "running now, take it".
_LOCK = threading.Lock()
_pending: dict[str, tuple[Any, Any, Any]] = {}


def _arn(env: Any) -> str:
    return str(env.states.context_object.context_object_data["Execution"]["Id"])


def pending_stops() -> int:
    """How many stops wait for their execution's program to start (0 once every started program has run)."""
    with _LOCK:
        return len(_pending)


def start(env: Any, first_state: str) -> None:
    """Name the program's first state (``Program.eval``'s first step), and apply a stop that came before."""
    with _LOCK:
        env.next_state_name = first_state
        stop = _pending.pop(_arn(env), None)
    if stop is not None:
        stop_date, error, cause = stop
        env.set_stop(stop_date=stop_date, cause=cause, error=error)


def run(program: Any, env: Any) -> None:
    """The program's body on its thread, whatever its state: ``EvalComponent.eval`` would skip the body of a
    program stopped before this thread began, and with it the ``ExecutionAborted`` event (the body catches every
    error of the states itself, and writes the event of the state the program ended in)."""
    program._eval_body(env)


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.eval.environment import Environment
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    original_set_stop = Environment.set_stop
    original_set_error = Environment.set_error

    def worker_stop(worker: Any, stop_date: Any, error: Any, cause: Any) -> None:
        with _LOCK:
            env = worker.env
            if env is None or env._program_state is None:  # windows 1 and 2: the worker takes it in start()
                _pending[worker._evaluation_details.execution_details.arn] = (stop_date, error, cause)
                return
        env.set_stop(stop_date=stop_date, cause=cause, error=error)
        # (CallbackPoolManager._pool, private: the only list of an execution's open callback waits)
        for endpoint in list(getattr(env.callback_pool_manager, "_pool", {}).values()):
            endpoint.interrupt_all()  # window 5: a task waiting for its token ends now, as on AWS

    def set_error(env: Any, error: Any) -> None:
        if isinstance(env.program_state(), ProgramStopped):
            return  # a stop is final: a task it woke must not turn the execution into a failure
        original_set_error(env, error)

    def set_stop(env: Any, stop_date: Any, cause: Any, error: Any) -> None:
        original_set_stop(env, stop_date=stop_date, cause=cause, error=error)
        with env._state_mutex:
            if isinstance(env._program_state, ProgramStopped):
                env.program_state_event.set()  # window 4: moto cleared it; a stop is final, so it stays set

    stack.enter_context(mock.patch.object(ExecutionWorker, "stop", worker_stop))
    stack.enter_context(mock.patch.object(Environment, "set_stop", set_stop))
    stack.enter_context(mock.patch.object(Environment, "set_error", set_error))
