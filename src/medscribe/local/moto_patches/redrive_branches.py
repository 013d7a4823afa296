"""Redrive of a Parallel or inline Map state runs only its unsuccessful branches / iterations (moto 5.2.6).

AWS: "For workflows that include an Inline Map or Parallel state, RedriveExecution reschedules and redrives only
the iterations and branches that failed or aborted" (successful ones keep their results and do not run again).
``redrive.py`` resumes a redriven execution at its unsuccessful top-level state; without this module that state
re-ran every branch and every iteration.

How: when a Parallel (``BranchesDecl``) or an inline Map (``InlineIterationComponent``) fails, the outputs of its
branches / iterations that had succeeded are kept per execution, keyed by the state's name and its input (the
branches' input, or the item list). When a *redriven* attempt evaluates the same state on the same input, those
outputs are reused and only the other branches / iterations run; the result list is in the original order. The
key on the input makes this work at any depth (a Map inside a re-run Parallel branch, ...). Kept results are
used by the next redrive only (a Retry within one attempt still re-runs everything, as AWS retries do).

Limits: a re-run branch or iteration starts from its own StartAt (not from the failed state inside it); a
Distributed Map re-runs its whole Map Run; a branch still running when a sibling failed counts as aborted.
"""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores="RedriveExecution re-runs only the failed or aborted branches of a Parallel and iterations of an inline Map (Developer Guide, 'Redriving executions').",
    targets=(
        "moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl.BranchesDecl._eval_body",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.inline_iteration_component.InlineIterationComponent._eval_body",
    ),
    canary="tests/emulator/test_canary_sfn_features.py::test_redrive_branches",
    private="_eval_body is the body of a Parallel's branches / an inline Map's iterations; moto has no hook between them",
)
MAX_EXECUTIONS = 256  # kept results of at most this many failed executions (oldest dropped first)

_lock = threading.Lock()
# execution ARN -> key -> (redrive count when kept, {index: output})
_kept: OrderedDict[str, dict[str, tuple[int, dict[int, Any]]]] = OrderedDict()


def _attempt(env: Any) -> tuple[str, int]:
    execution = env.states.context_object.context_object_data["Execution"]
    return str(execution["Id"]), int(execution.get("RedriveCount") or 0)


def _key(kind: str, env: Any, value: Any) -> str:
    name = env.states.context_object.context_object_data.get("State", {}).get("Name", "")
    return f"{kind}:{name}:{json.dumps(value, sort_keys=True, default=str)}"


def keep(kind: str, env: Any, value: Any, outputs: dict[int, Any]) -> None:
    """Remember the successful outputs of a state that failed, for the next redrive."""
    arn, attempt = _attempt(env)
    with _lock:
        _kept.setdefault(arn, {})[_key(kind, env, value)] = (attempt, copy.deepcopy(outputs))
        _kept.move_to_end(arn)
        while len(_kept) > MAX_EXECUTIONS:
            _kept.popitem(last=False)


def take(kind: str, env: Any, value: Any) -> dict[int, Any]:
    """Outputs kept by an earlier attempt of this redriven execution (consumed once)."""
    arn, attempt = _attempt(env)
    if attempt == 0:
        return {}
    key = _key(kind, env, value)
    with _lock:
        entry = _kept.get(arn, {}).get(key)
        if entry is None or entry[0] >= attempt:
            return {}
        del _kept[arn][key]
        return entry[1]


def _branches_body(decl: Any, env: Any) -> None:
    """``BranchesDecl._eval_body`` of moto 5.2.6, running only branches without a kept output."""
    import datetime

    from moto.stepfunctions.parser.api import HistoryEventType
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branch_worker import BranchWorker
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl import (
        BranchWorkerPool,
    )
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramEnded

    input_val = env.stack.pop()
    done = take("Parallel", env, input_val)
    todo = [index for index in range(len(decl.programs)) if index not in done]
    pool = BranchWorkerPool(workers_num=len(todo))
    workers: dict[int, Any] = {}
    for index in todo:
        frame = env.open_inner_frame()
        frame.states.reset(input_value=input_val)
        workers[index] = BranchWorker(branch_worker_comm=pool, program=decl.programs[index], env=frame)
        workers[index].start()
    if todo:
        pool.wait()

    details = pool.get_exit_event_details()
    if details is not None:
        succeeded = dict(done)
        for index, worker in workers.items():
            if isinstance(worker.env.program_state(), ProgramEnded):
                succeeded[index] = worker.env.states.get_input()
        keep("Parallel", env, input_val, succeeded)
        for worker in workers.values():
            worker.stop(stop_date=datetime.datetime.now(), cause=None, error=None)
            env.close_frame(worker.env)
        event_details: Any = {"executionFailedEventDetails": details}  # moto's EventDetails: one key of many
        raise FailureEventException(
            failure_event=FailureEvent(
                env=env,
                error_name=CustomErrorName(error_name=details.get("error")),
                event_type=HistoryEventType.ExecutionFailed,
                event_details=event_details,
            )
        )

    results = []
    for index in range(len(decl.programs)):
        if index in done:
            results.append(done[index])
        else:
            results.append(workers[index].env.states.get_input())
            env.close_frame(workers[index].env)
    env.stack.append(results)


def _inline_map_body(component: Any, env: Any) -> None:
    """``InlineIterationComponent._eval_body`` of moto 5.2.6, running only iterations without a kept output."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.job import JobPool
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.max_concurrency import (
        DEFAULT_MAX_CONCURRENCY_VALUE,
    )

    eval_input = env.stack.pop()
    items = list(eval_input.input_items)
    done = take("Map", env, items)
    pool = JobPool(job_program=component._get_iteration_program(), job_inputs=items)
    if done:
        pool._open_jobs[:] = [job for job in pool._open_jobs if job.job_index not in done]
        pool._jobs_number = len(pool._open_jobs)  # type: ignore[misc]
    todo = len(pool._open_jobs)
    limit = eval_input.max_concurrency
    for _ in range(todo if limit == DEFAULT_MAX_CONCURRENCY_VALUE else min(limit, todo)):
        component._launch_worker(env=env, eval_input=eval_input, job_pool=pool)
    pool.await_jobs()

    closed = {job.job_index: job.job_output for job in pool.get_closed_jobs()}
    exception = pool.get_worker_exception()
    if exception is not None:
        keep("Map", env, items, {**done, **closed})
        raise exception
    env.stack.append([done[index] if index in done else closed[index] for index in range(len(items))])


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.inline_iteration_component import (
        InlineIterationComponent,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl import BranchesDecl

    stack.enter_context(mock.patch.object(BranchesDecl, "_eval_body", _branches_body))
    stack.enter_context(mock.patch.object(InlineIterationComponent, "_eval_body", _inline_map_body))
