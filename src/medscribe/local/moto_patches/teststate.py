"""``TestState`` (moto 5.2.6 ships LocalStack's single-state program and parser but serves no such action).

As AWS documents it: the definition of one state (or a whole state machine plus ``stateName``), an optional
``roleArn``, ``input`` and ``variables``; the state runs once, on the same interpreter as executions (Lambda
tasks reach the local handlers, mocks do not apply) and is recorded nowhere (no execution, no history). The
answer carries ``status``:

- ``SUCCEEDED`` with ``output`` and ``nextState`` (absent after ``End``/Succeed);
- ``FAILED`` with ``error``/``cause`` (an unmatched error, a Fail state, States.Runtime);
- ``RETRIABLE`` with ``error``/``cause`` when a Retrier matches and has attempts left (the retry does not run;
  ``inspectionData.errorDetails`` names ``retryIndex`` and ``retryBackoffIntervalSeconds``);
- ``CAUGHT_ERROR`` with the catcher's ``output`` and ``nextState`` (``errorDetails.catchIndex``).

``inspectionLevel`` INFO returns no ``inspectionData``; DEBUG and TRACE return ``input``, ``afterInputPath``,
``afterParameters``, ``result``, ``afterResultSelector``, ``afterResultPath`` (as recorded by moto's
TestState preprocessor) and ``variables`` (those given plus those the state assigned). TRACE's HTTP
``request``/``response`` are absent (local mode has no HTTP Task endpoint). Not supported: the ``mock``,
``context`` and ``stateConfiguration`` fields; Map/Parallel/activity/``.sync``/``.waitForTaskToken`` states are
refused with InvalidDefinition, as AWS does without a mock. AWS serves TestState on a ``sync-`` host: clients of
the local endpoint use ``Config(inject_host_prefix=False)`` (or ``AWS_DISABLE_HOST_PREFIX_INJECTION=true``).

moto's own ``StepFunctionsProvider.test_state`` is not usable: it hands the input to ``Execution`` as a dict
(``TypeError``) and reports a state that has a ``Next`` as an unsupported program state.
"""

from __future__ import annotations

import datetime
import json
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.aws_error import AWSError
from medscribe.local.moto_patches.context_object import aws_time
from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores="TestState (Step Functions API Reference: TestState; 'Using TestState API to test a state'): one state run once, SUCCEEDED/FAILED/RETRIABLE/CAUGHT_ERROR with inspectionData.",
    targets=("moto.stepfunctions.responses.StepFunctionResponse.test_state",),
    canary="tests/emulator/test_canary_sfn_api.py::test_teststate",
)
NAME = "TestState"


class InvalidDefinition(AWSError):  # moto.stepfunctions.parser.api's has no TYPE: its responses lack a code
    TYPE = "InvalidDefinition"
    STATUS = 400


class _Retriable(Exception):
    def __init__(self, retry_index: int, backoff_seconds: float) -> None:
        super().__init__(retry_index)
        self.retry_index = retry_index
        self.backoff_seconds = backoff_seconds


def state_definition(definition: str, state_name: str | None) -> str:
    """The one state to test: ``definition`` itself, or the named state of a whole state machine."""
    if not state_name:
        return definition
    try:
        machine = json.loads(definition)
        state = dict(machine["States"][state_name])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidDefinition(f"No state '{state_name}' in the definition") from exc
    if "QueryLanguage" in machine and "QueryLanguage" not in state:
        state["QueryLanguage"] = machine["QueryLanguage"]
    return json.dumps(state)


def _state_type(definition: str) -> str | None:
    try:
        state = json.loads(definition)
    except ValueError:
        return None  # the parser reports it
    return state.get("Type") if isinstance(state, dict) else None


def _instrument(program: Any, outcome: dict[str, Any]) -> None:
    """Run the state once: a matching Retrier ends the run (RETRIABLE) instead of sleeping and retrying."""
    from moto.stepfunctions.parser.asl.component.common.catch.catch_outcome import CatchOutcome
    from moto.stepfunctions.parser.asl.component.common.catch.catcher_outcome import CatcherOutcomeCaught
    from moto.stepfunctions.parser.asl.component.common.retry.max_attempts_decl import MaxAttemptsOutcome
    from moto.stepfunctions.parser.asl.component.common.retry.retry_outcome import RetryOutcome

    state = program.test_state
    retry: Any = getattr(state, "retry", None)
    catch: Any = getattr(state, "catch", None)

    def retry_body(env: Any) -> None:
        error_name = env.stack.pop()
        for index, retrier in enumerate(retry.retriers):
            env.stack.append(error_name)
            retrier.error_equals.eval(env)
            if not env.stack.pop():
                continue
            retrier.max_attempts.eval(env=env)
            if env.stack.pop() == MaxAttemptsOutcome.EXHAUSTED:
                env.stack.append(RetryOutcome.CannotRetry)
                return
            for part in (
                retrier.interval_seconds,
                retrier.backoff_rate,
                retrier.max_delay_seconds,
                retrier.jitter_strategy,
            ):
                part.eval(env=env)
            raise _Retriable(index, float(env.stack.pop()))
        env.stack.append(RetryOutcome.NoRetrier)

    def catch_body(env: Any) -> None:
        outcome["error"] = env.states.get_error_output()
        for index, catcher in enumerate(catch.catchers):
            catcher.eval(env)
            if isinstance(env.stack.pop(), CatcherOutcomeCaught):
                outcome["catchIndex"] = index
                env.stack.append(CatchOutcome.Caught)
                return
        env.stack.append(CatchOutcome.NotCaught)

    if retry is not None:
        retry._eval_body = retry_body
    if catch is not None:
        catch._eval_body = catch_body

    def eval_body(env: Any) -> None:  # TestStateProgram._eval_body, letting _Retriable through
        from moto.stepfunctions.parser.api import ExecutionFailedEventDetails
        from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
            FailureEventException,
        )
        from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

        env.inspection_data["input"] = to_json_str(env.states.get_input())
        try:
            state.eval(env=env)
        except _Retriable as retriable:
            outcome["retriable"] = retriable
            error = env.states.get_error_output() or {}
            env.set_error(ExecutionFailedEventDetails(error=error.get("Error"), cause=error.get("Cause")))
        except FailureEventException as ex:
            env.set_error(error=ex.get_execution_failed_event_details())
        except Exception as ex:  # noqa: BLE001 - as moto's program: any other exception is States.Runtime
            env.set_error(
                ExecutionFailedEventDetails(error="States.Runtime", cause=f"{type(ex).__name__}({ex})")
            )
        if env.is_running():  # the state chose its Next (a Choice sets its own program state)
            env.set_choice_selected(env.next_state_name)

    program._eval_body = eval_body


def run_test_state(
    backend: Any, definition: str, role_arn: str, state_input: Any, variables: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """Evaluate ``definition`` (one state) on ``state_input``; returns the environment and the outcome flags."""
    from moto.stepfunctions.parser.api import StateMachineType
    from moto.stepfunctions.parser.asl.eval.evaluation_details import (
        AWSExecutionDetails,
        EvaluationDetails,
        ExecutionDetails,
        StateMachineDetails,
    )
    from moto.stepfunctions.parser.backend.execution_worker_comm import ExecutionWorkerCommunication
    from moto.stepfunctions.parser.backend.test_state.execution_worker import TestStateExecutionWorker

    outcome: dict[str, Any] = {}
    arn = f"arn:{backend.partition}:states:{backend.region_name}:{backend.account_id}"

    class Silent(ExecutionWorkerCommunication):
        def terminated(self) -> None:  # nothing is recorded: TestState creates no execution
            pass

    class Worker(TestStateExecutionWorker):
        def _get_evaluation_entrypoint(self) -> Any:
            program = super()._get_evaluation_entrypoint()
            _instrument(program, outcome)
            return program

        def _get_evaluation_environment(self) -> Any:
            env = super()._get_evaluation_environment()
            execution: Any = env.states.context_object.context_object_data["Execution"]
            if isinstance(execution.get("StartTime"), datetime.datetime):
                execution["StartTime"] = aws_time(execution["StartTime"])
            execution["RedriveCount"] = 0
            for key, value in variables.items():
                env.variable_store.set(key, value)
            env.variable_store.reset_tracing()
            return env

    now = datetime.datetime.now(tz=datetime.UTC)
    worker = Worker(
        evaluation_details=EvaluationDetails(
            aws_execution_details=AWSExecutionDetails(
                account=backend.account_id, region=backend.region_name, role_arn=role_arn
            ),
            execution_details=ExecutionDetails(
                arn=f"{arn}:execution:{NAME}:{NAME}",
                name=NAME,
                role_arn=role_arn,
                inpt=state_input,
                start_time=now,  # type: ignore[arg-type]
            ),
            state_machine_details=StateMachineDetails(
                arn=f"{arn}:stateMachine:{NAME}",
                name=NAME,
                typ=StateMachineType.STANDARD,
                definition=definition,
            ),
        ),
        exec_comm=Silent(),
        cloud_watch_logging_session=None,
        activity_store={},
    )
    worker.start()  # synchronous (SyncExecutionWorker)
    return worker.env, outcome


def response_of(env: Any, outcome: dict[str, Any], level: str) -> dict[str, Any]:
    """The TestState answer for a finished run."""
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramEnded, ProgramError
    from moto.stepfunctions.parser.asl.eval.test_state.program_state import ProgramChoiceSelected
    from moto.stepfunctions.parser.asl.utils.encoding import to_json_str

    state = env.program_state()
    result: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if isinstance(state, ProgramError):
        retriable = outcome.get("retriable")
        result["status"] = "RETRIABLE" if retriable is not None else "FAILED"
        details: Any = state.error or {}
        result["error"], result["cause"] = details.get("error") or "", details.get("cause") or ""
        if retriable is not None:
            errors = {
                "retryIndex": retriable.retry_index,
                "retryBackoffIntervalSeconds": round(retriable.backoff_seconds),
            }
    elif isinstance(state, ProgramEnded | ProgramChoiceSelected):
        result["output"] = to_json_str(env.states.get_input(), separators=(",", ":"))
        result["status"] = "SUCCEEDED"
        if isinstance(state, ProgramChoiceSelected):
            result["nextState"] = state.next_state_name
        if "catchIndex" in outcome:
            result["status"] = "CAUGHT_ERROR"
            errors = {"catchIndex": outcome["catchIndex"]}
            error = outcome.get("error") or {}
            result["error"], result["cause"] = error.get("Error", ""), error.get("Cause", "")
    else:  # timed out (five minutes, as on AWS)
        result.update(status="FAILED", error="States.Timeout", cause="TestState ran longer than 5 minutes")
    if level in ("DEBUG", "TRACE"):
        data: dict[str, Any] = {  # compact JSON text, as AWS returns it
            key: to_json_str(json.loads(value), separators=(",", ":")) if isinstance(value, str) else value
            for key, value in env.inspection_data.items()
        }
        variables = dict(getattr(env.variable_store, "_inner_scope", {}))  # given + assigned, as AWS shows
        if variables:
            data["variables"] = to_json_str(variables, separators=(",", ":"))
        if errors:
            data["errorDetails"] = errors
        result["inspectionData"] = data
    return result


def apply(stack: ExitStack) -> None:
    from moto.core.responses import ActionResult
    from moto.stepfunctions.exceptions import InvalidExecutionInput
    from moto.stepfunctions.parser.asl.static_analyser.test_state.test_state_analyser import (
        TestStateStaticAnalyser,
    )
    from moto.stepfunctions.responses import StepFunctionResponse

    def test_state(response: Any) -> ActionResult:
        definition = state_definition(response._get_param("definition"), response._get_param("stateName"))
        for field in ("mock", "context", "stateConfiguration"):
            if response._get_param(field) is not None:
                raise InvalidDefinition(f"TestState '{field}' is not supported by local mode")
        kind = _state_type(definition)
        if kind in ("Map", "Parallel"):
            raise InvalidDefinition(f"TestState does not support {kind} states without a mock")
        try:
            TestStateStaticAnalyser().analyse(definition)
        except Exception as exc:
            raise InvalidDefinition(f"{type(exc).__name__}: {exc}"[:2000]) from exc
        try:
            state_input = json.loads(response._get_param("input") or "{}")
            variables = json.loads(response._get_param("variables") or "{}")
        except ValueError as exc:
            raise InvalidExecutionInput(f"Invalid JSON: {exc}") from exc
        if not isinstance(variables, dict):
            raise InvalidExecutionInput("variables must be a JSON object")
        role_arn = response._get_param("roleArn") or ""
        env, outcome = run_test_state(
            response.stepfunction_backend, definition, role_arn, state_input, variables
        )
        return ActionResult(response_of(env, outcome, response._get_param("inspectionLevel") or "INFO"))

    stack.enter_context(mock.patch.object(StepFunctionResponse, "test_state", test_state, create=True))
