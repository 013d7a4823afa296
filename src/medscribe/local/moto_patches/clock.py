"""Instant waits on a virtual clock (moto 5.2.6).

Local runs and tests skip the time a ``Wait`` state or a ``Retry`` backoff asks for (recording it). Skipping must
not make timeouts vanish: a state machine's top-level ``TimeoutSeconds`` must still fire when its waits add up past
it. Each execution keeps a virtual clock: real elapsed time plus every second skipped; moto's ``Program.eval``
(which joins the worker thread with the real timeout) is replaced by a wait that times the execution out on the
virtual clock: until the real time left of its budget, woken early when the program ends or when a skip spends the
budget. It names the first state and runs the program's body through ``sfn_stop`` (``start``, ``run``: a stop that
came before the program began still ends it, with its event). (Until session 8 it re-checked every 20 ms: with 100
executions in flight, 5,000 wake-ups a second, each taking the GIL; the executions' own threads then cost 0.05 s of
CPU per recording at 100 concurrent against 0.01 s sequentially, and woke the pipeline's process on the decoding
workers' cores: docs/throughput.md.) Without ``TimeoutSeconds`` it simply joins the program's thread, as moto does.

``apply`` patches nothing by itself (moto really waits, as AWS does); ``apply_instant_waits`` switches
instant waits on. The skipped seconds of one execution live on its event manager (shared by all its frames).
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="speedup",
    moto_version=MOTO_VERSION,
    restores="No AWS behaviour: Wait states and Retry backoffs skip their time on a per-execution virtual clock that still fires the machine's TimeoutSeconds (apply_instant_waits, local runs and tests).",
    targets=(
        "moto.stepfunctions.parser.asl.component.program.program.Program.eval",
        "moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function.WaitFunction._wait_interval",
        "moto.stepfunctions.parser.asl.component.common.retry.retrier_decl.RetrierDecl._eval_body",
        "moto.stepfunctions.parser.asl.component.common.retry.retrier_decl.time",
    ),
    canary="tests/emulator/test_canary_speedups.py::test_clock",
    private="_wait_interval and RetrierDecl._eval_body are where moto sleeps; it has no clock to inject",
)
_SKIPPED = "_medscribe_skipped_seconds"
_current = threading.local()  # the env whose Retry is sleeping (the retrier's sleep has no env)


def skipped_seconds(env: Any) -> float:
    return float(getattr(env.event_manager, _SKIPPED, 0.0))


_BUDGET = "_medscribe_budget"  # (monotonic start, TimeoutSeconds) of the execution
_WAKE = "_medscribe_wake"  # the execution's program_eval waits on it (set when a skip exhausts the budget)


def _skip(env: Any, seconds: float) -> None:
    """Advance the execution's virtual clock; past its TimeoutSeconds, block until the program times out."""
    if env is None:
        return
    manager = env.event_manager
    setattr(manager, _SKIPPED, getattr(manager, _SKIPPED, 0.0) + seconds)
    budget = getattr(manager, _BUDGET, None)
    if budget is not None and time.monotonic() - budget[0] + skipped_seconds(env) >= budget[1]:
        wake = getattr(manager, _WAKE, None)
        if wake is not None:
            wake.set()  # program_eval times the execution out now, not at its real deadline
        env.program_state_event.wait(1.0)


def _time_out(env: Any) -> None:
    """Time the program out, unless it ended meanwhile (moto's set_timed_out overwrites any state). Its event
    stays set: moto sets and clears it at once, and a state that begins to sleep on it after that (a Wait, a
    skip past the budget) would sleep its whole time before the body could write ExecutionTimedOut."""
    with env._state_mutex:
        if env.is_running():
            env.set_timed_out()
            env.program_state_event.set()


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.program.program import Program

    from medscribe.local.moto_patches import sfn_stop

    def program_eval(program: Any, env: Any) -> None:
        timeout = program.timeout_seconds.timeout_seconds if program.timeout_seconds else None
        sfn_stop.start(env, program.start_at.start_at_name)  # a stop that came before this is applied now
        started = time.monotonic()
        wake = threading.Event()  # set when the program ends, or when a skip takes the clock past its budget
        if timeout is not None:
            setattr(env.event_manager, _BUDGET, (started, float(timeout)))
            setattr(env.event_manager, _WAKE, wake)

        # The program's end is its own event, never cleared: `wake` is cleared after each wake-up, and a thread
        # still reports alive for a moment after its target returned (longer on Python 3.13, and under load), so
        # looping on is_alive() could clear the end's wake-up and sleep until TimeoutSeconds (a finished
        # execution reported TIMED_OUT, or a backfill hung for its whole budget).
        done = threading.Event()

        def run() -> None:
            try:
                sfn_stop.run(program, env)  # the body also when stopped before it began (ExecutionAborted)
            finally:
                done.set()
                wake.set()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        if timeout is None:
            worker.join()
            return
        while not done.is_set():
            remaining = timeout - (time.monotonic() - started + skipped_seconds(env))
            if remaining <= 0:
                _time_out(env)
                # The body wakes on the state change and writes ExecutionTimedOut: let it, so the history is
                # complete when the execution is reported TIMED_OUT (bounded, 2 s: a Task in flight, which AWS
                # does not wait for, ends in its own time; a Wait or a skip returns at once).
                worker.join(timeout=2.0)
                return
            wake.wait(remaining)
            wake.clear()  # the loop re-reads the clock: a skip counted before it set the event is not lost
        worker.join()  # the body has returned: the thread is ending

    stack.enter_context(mock.patch.object(Program, "eval", program_eval))


def apply_instant_waits(stack: ExitStack, record: list[float], yield_seconds: float) -> None:
    """Waits and Retry backoffs return at once (still yielding ``yield_seconds`` of real time to background
    work), appending what was asked to ``record`` and advancing the execution's virtual clock."""
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

    def wait_interval(_self: Any, env: Any, wait_seconds: int) -> None:
        record.append(float(wait_seconds))
        if wait_seconds > 0:
            real = min(float(wait_seconds), yield_seconds)
            _skip(env, float(wait_seconds) - real)
            if env.is_running():
                env.program_state_event.wait(real)

    original_retrier = retrier_decl.RetrierDecl._eval_body

    def retrier_body(retrier: Any, env: Any) -> None:
        _current.env = env
        try:
            original_retrier(retrier, env)
        finally:
            _current.env = None

    class _Clock:
        @staticmethod
        def sleep(seconds: float) -> None:
            record.append(float(seconds))
            _skip(getattr(_current, "env", None), float(seconds))

        time = staticmethod(time.time)

    stack.enter_context(mock.patch.object(WaitFunction, "_wait_interval", wait_interval))
    stack.enter_context(mock.patch.object(retrier_decl.RetrierDecl, "_eval_body", retrier_body))
    stack.enter_context(mock.patch.object(retrier_decl, "time", _Clock))
