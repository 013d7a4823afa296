"""Step Functions Local's MockConfigFile test cases in moto's interpreter (moto 5.2.6).

moto 5.2.6 ships LocalStack's mock support (``Environment.is_mocked_mode``, ``eval_mocked_response``, called
by every service integration and by Lambda tasks) but never wires it: ``load_mock_test_case_for`` returns None
and ``StepFunctionsParserBackend.start_execution`` neither accepts ``arn#TestCase`` nor hands a test case to
the worker. It also indexes responses by ``$$.State.RetryCount``, so a loop re-entering a state repeats
response 0 forever. This module:

- accepts ``StartExecution`` on ``arn#TestCase`` (the test case comes from ``medscribe.local.mocks.REGISTRY``);
- gives the execution's worker that test case (``ExecutionWorker.__init__``);
- counts invocations per state per execution (each attempt of a Task state: ``count_attempt``, called by the one
  wrapper of ``ExecutionState._evaluate_with_timeout``, which ``heartbeat`` owns) and answers ``is_mocked_mode`` / ``get_current_mocked_response`` from that index,
  failing the task (States.Runtime) when the index has no response, unless the config is hybrid.
"""

from __future__ import annotations

import contextvars
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.mocks import REGISTRY, MockConfigError, TestCaseRun
from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
_ENV = "moto.stepfunctions.parser.asl.eval.environment.Environment."
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores=(
        "Step Functions Local's MockConfigFile test cases (StartExecution on 'stateMachineArn#TestCase', "
        "'Testing with mocked service integrations'), responses indexed per invocation of a state."
    ),
    targets=(
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.start_execution",
        "moto.stepfunctions.parser.backend.execution_worker.ExecutionWorker.__init__",
        _ENV + "as_inner_frame_of",
        _ENV + "is_mocked_mode",
        _ENV + "get_current_mocked_response",
    ),
    extends=(
        "moto.stepfunctions.parser.asl.component.state.exec.execute_state.ExecutionState._evaluate_with_timeout",
    ),
    canary="tests/emulator/test_canary_sfn_features.py::test_mocking",
)


def count_attempt(state: Any, env: Any) -> None:
    """Before each attempt of a Task state under a test case: its invocation index (``heartbeat`` calls this)."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task import StateTask

    run = env.mock_test_case
    if isinstance(run, TestCaseRun) and isinstance(state, StateTask) and state.name in run.responses:
        setattr(env, _INDEX, run.next_index(state.name))


_INDEX = "_medscribe_mock_index"
_pending: contextvars.ContextVar[TestCaseRun | None] = contextvars.ContextVar("sfn_test_case", default=None)


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.eval.environment import Environment
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
    from moto.stepfunctions.parser.mocking.mock_config import (
        MockedResponse,
        MockedResponseReturn,
        MockedResponseThrow,
    )
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    original_start = StepFunctionsParserBackend.start_execution

    def start_execution(
        backend: Any, state_machine_arn: str, name: Any = None, execution_input: Any = None, **kw: Any
    ) -> Any:
        from moto.stepfunctions.exceptions import InvalidName

        base, _, case = state_machine_arn.partition("#")
        machine = backend.describe_state_machine(base)
        try:
            run = REGISTRY.run_for(machine.name, case or None)
        except MockConfigError as exc:
            raise InvalidName(f"Invalid mock test case: {exc}") from exc
        token = _pending.set(run)
        try:
            execution = original_start(backend, base, name, execution_input, **kw)
        finally:
            _pending.reset(token)
        if run is not None:
            REGISTRY.bind(execution.exec_arn, run)
        return execution

    original_worker_init = ExecutionWorker.__init__

    def worker_init(worker: Any, *args: Any, **kwargs: Any) -> None:
        original_worker_init(worker, *args, **kwargs)
        run = _pending.get()
        if run is not None and worker._mock_test_case is None:
            worker._mock_test_case = run

    original_inner_frame = Environment.as_inner_frame_of.__func__  # type: ignore[attr-defined]

    def as_inner_frame_of(cls: Any, env: Any, *args: Any, **kwargs: Any) -> Any:
        frame = original_inner_frame(cls, env, *args, **kwargs)
        if hasattr(env, _INDEX):
            setattr(frame, _INDEX, getattr(env, _INDEX))
        return frame

    original_is_mocked = Environment.is_mocked_mode
    original_current = Environment.get_current_mocked_response

    def is_mocked_mode(env: Any) -> bool:
        run = env.mock_test_case
        if not isinstance(run, TestCaseRun):
            return bool(original_is_mocked(env))
        state, index = env.next_state_name, getattr(env, _INDEX, None)
        if state not in run.responses or index is None:
            return False
        return run.response(state, index) is not None or not run.hybrid

    def get_current_mocked_response(env: Any) -> MockedResponse:
        run = env.mock_test_case
        if not isinstance(run, TestCaseRun):
            return original_current(env)
        state, index = env.next_state_name, getattr(env, _INDEX, None)
        response = run.response(state, index) if index is not None else None
        if response is None or index is None:
            raise RuntimeError(
                f"No mocked response for state '{state}' invocation {index} in test case '{run.name}'"
            )
        if "Throw" in response:
            throw = response["Throw"]
            return MockedResponseThrow(
                index, index, error=throw.get("Error", ""), cause=throw.get("Cause", "")
            )
        return MockedResponseReturn(index, index, payload=response["Return"])

    stack.enter_context(mock.patch.object(StepFunctionsParserBackend, "start_execution", start_execution))
    stack.enter_context(mock.patch.object(ExecutionWorker, "__init__", worker_init))
    stack.enter_context(mock.patch.object(Environment, "as_inner_frame_of", classmethod(as_inner_frame_of)))
    stack.enter_context(mock.patch.object(Environment, "is_mocked_mode", is_mocked_mode))
    stack.enter_context(
        mock.patch.object(Environment, "get_current_mocked_response", get_current_mocked_response)
    )
