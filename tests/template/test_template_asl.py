"""The state machine definition against template.yaml and the error contract (errors.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cfn_support import STEP_FUNCTIONS, asl, asl_text, functions, template

from medscribe import errors
from medscribe.models import PipelineSettings

LAMBDA_SERVICE_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
}
TUNABLES = {  # DefinitionSubstitution / template parameter -> PipelineSettings field
    "ConfidenceThreshold": "min_score",
    "PollIntervalSeconds": "poll_interval_seconds",
    "MaxPolls": "max_polls",
    "ReviewThreshold": "review_threshold",
    "AsrConfidenceBound": "asr_confidence_bound",
    "MaxTranscriptionAttempts": "max_transcription_attempts",
}


def _machine() -> dict[str, Any]:
    props: dict[str, Any] = template()["Resources"]["TranscribePipeline"]["Properties"]
    return props


def _tasks(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in definition["States"].items() if s["Type"] == "Task"}


def _all_tasks(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Task states at the top level and inside Parallel branches."""
    out = dict(_tasks(definition))
    for state in definition["States"].values():
        for branch in state.get("Branches", []):
            out |= _all_tasks(branch)
    return out


def _successors(state: dict[str, Any]) -> set[str]:
    nxt = {state["Next"]} if "Next" in state else set()
    nxt |= {c["Next"] for c in state.get("Catch", [])}
    nxt |= {c["Next"] for c in state.get("Choices", [])}
    if "Default" in state:
        nxt.add(state["Default"])
    return nxt


def _subclasses(cls: type) -> set[type]:
    """Subclasses declared in errors.py (the contract), whatever else happens to be imported."""
    out: set[type] = set()
    sub: type
    for sub in cls.__subclasses__():
        if sub.__module__ == errors.__name__:
            out |= {sub} | _subclasses(sub)
    return out


def test_given_the_asl_when_compared_with_definition_substitutions_then_both_sets_are_equal() -> None:
    # Given
    placeholders = set(re.findall(r"\$\{([^}]+)\}", asl_text()))
    # When
    substitutions = set(_machine()["DefinitionSubstitutions"])
    # Then
    assert placeholders - substitutions == set(), "placeholders without a substitution"
    assert substitutions - placeholders == set(), "substitutions the ASL never uses"


def test_given_function_placeholders_when_substituted_then_each_is_the_arn_of_the_matching_function() -> None:
    substitutions = _machine()["DefinitionSubstitutions"]
    function_ids = set(functions(template()))
    for name, value in substitutions.items():
        if name.endswith("FunctionArn"):
            logical = name.removesuffix("Arn")
            assert logical in function_ids, name
            assert value == {"Fn::GetAtt": [logical, "Arn"]}, name
    assert {n.removesuffix("Arn") for n in substitutions if n.endswith("FunctionArn")} == set(STEP_FUNCTIONS)


def test_given_tunables_when_substituted_then_they_come_from_parameters_matching_pipeline_settings() -> None:
    # Given
    tpl = template()
    substitutions = _machine()["DefinitionSubstitutions"]
    defaults = PipelineSettings()
    for parameter, field in TUNABLES.items():
        # When
        spec = tpl["Parameters"][parameter]
        # Then: same default as the model, and both bounds are values the model accepts
        assert substitutions[parameter] == {"Ref": parameter}
        assert spec["Type"] == "Number"
        assert float(spec["Default"]) == float(getattr(defaults, field)), parameter
        for bound in (spec["MinValue"], spec["MaxValue"]):
            PipelineSettings.model_validate({field: bound})


def test_given_a_task_but_record_failure_when_it_fails_then_all_errors_go_to_record_failure() -> None:
    for name, state in _tasks(asl()).items():
        if name == "RecordFailure":
            continue
        catchers = state.get("Catch", [])
        assert any(
            c["ErrorEquals"] == ["States.ALL"]
            and c["Next"] == "RecordFailure"
            and c.get("ResultPath") == "$.error"
            for c in catchers
        ), name


def test_given_record_failure_when_it_fails_too_then_the_execution_still_ends_in_a_fail_state() -> None:
    definition = asl()
    record = definition["States"]["RecordFailure"]
    targets = {record["Next"]} | {c["Next"] for c in record.get("Catch", [])}
    assert targets
    assert all(definition["States"][t]["Type"] == "Fail" for t in targets)
    # The branch results must not overwrite the original error the Fail state reports.
    assert record.get("ResultPath") not in (None, "$", "$.error")
    assert definition["States"]["Failed"]["ErrorPath"] == "$.error.Error"


def test_given_record_failure_when_a_sink_is_down_then_the_other_branches_still_finish() -> None:
    # Given the failure path
    record = asl()["States"]["RecordFailure"]
    # Then it is a Parallel state with one branch per sink
    assert record["Type"] == "Parallel"
    sinks = []
    for branch in record["Branches"]:
        tasks = _tasks(branch)
        assert len(tasks) == 1
        (task,) = tasks.values()
        assert task["Parameters"]["FunctionName"] == "${RecordFailureFunctionArn}"
        # its own bounded retry of what is transient for this sink
        assert any(r["ErrorEquals"] != list(LAMBDA_SERVICE_ERRORS) for r in task["Retry"])
        assert all(r["MaxAttempts"] <= 10 for r in task["Retry"])
        # and a Catch that ends the branch normally (a Pass), never failing the Parallel state
        (catch,) = task["Catch"]
        assert catch["ErrorEquals"] == ["States.ALL"]
        assert branch["States"][catch["Next"]]["Type"] == "Pass"
        assert branch["States"][catch["Next"]]["End"] is True
        sinks += [s["Result"] for s in branch["States"].values() if s.get("ResultPath") == "$.sink"]
    assert sorted(sinks) == ["dynamodb", "event", "postgresql"]


def test_given_every_task_when_lambda_itself_errs_then_the_lambda_service_errors_are_retried() -> None:
    for name, state in _all_tasks(asl()).items():
        retried = {e for r in state.get("Retry", []) for e in r["ErrorEquals"]}
        assert retried >= LAMBDA_SERVICE_ERRORS, name
        for retrier in state.get("Retry", []):
            assert isinstance(retrier.get("BackoffRate", 2.0), float), f"{name}: statelint wants a float"
            assert retrier.get("MaxAttempts", 3) <= 10, name


def test_given_the_error_contract_when_retries_are_declared_then_exactly_transient_errors_retry() -> None:
    # Given
    transient = {cls.__name__ for cls in _subclasses(errors.TransientError)}
    terminal = {cls.__name__ for cls in _subclasses(errors.MedscribeError)} - transient
    for name, state in _tasks(asl()).items():
        # When
        retried = {e for r in state.get("Retry", []) for e in r["ErrorEquals"]} - LAMBDA_SERVICE_ERRORS
        # Then
        assert retried == transient, name
        assert not retried & terminal, name
        assert "States.ALL" not in retried, name


def test_given_the_state_graph_when_it_loops_then_every_loop_is_bounded_by_max_polls() -> None:
    # Given
    states = asl()["States"]
    graph = {name: _successors(state) for name, state in states.items()}

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    # When: the states that lie on a cycle
    on_cycle = {name for name in states if name in reachable(name)}
    # Then: there is a loop (the poll), and each cyclic component has an exit on the max_polls bound,
    # and counts its iterations.
    assert on_cycle, "expected the bounded poll loop"
    components: list[set[str]] = []
    for name in on_cycle:
        component = {n for n in on_cycle if n in reachable(name) and name in reachable(n)}
        if component not in components:
            components.append(component)
    for component in components:
        exits = [
            rule
            for n in component
            if states[n]["Type"] == "Choice"
            for rule in states[n]["Choices"]
            if rule.get("NumericGreaterThanEqualsPath") == "$.settings.max_polls"
            and rule["Next"] not in component
        ]
        assert exits, f"unbounded loop through {sorted(component)}"
        assert any(
            "States.MathAdd($.poll.attempt, 1)" in str(states[n].get("Parameters", {})) for n in component
        ), f"loop {sorted(component)} never counts its polls"
        waits = [states[n] for n in component if states[n]["Type"] == "Wait"]
        assert waits
        assert all(w.get("SecondsPath") == "$.settings.poll_interval_seconds" for w in waits)


def test_given_the_poll_bound_when_reached_then_the_recording_fails_as_transcription_timed_out() -> None:
    states = asl()["States"]
    choice = next(
        s
        for s in states.values()
        if s["Type"] == "Choice"
        and any(r.get("NumericGreaterThanEqualsPath") == "$.settings.max_polls" for r in s["Choices"])
    )
    target = next(r["Next"] for r in choice["Choices"] if "NumericGreaterThanEqualsPath" in r)
    limit = states[target]
    assert limit["Parameters"]["Error"] == errors.TranscriptionTimedOut.__name__
    assert limit["ResultPath"] == "$.error"
    assert limit["Next"] == "RecordFailure"


def test_given_the_slowest_allowed_poll_settings_when_polling_then_the_loop_ends_before_the_execution() -> (
    None
):
    # Given: the largest interval and bound the template accepts
    parameters = template()["Parameters"]
    longest_poll = parameters["PollIntervalSeconds"]["MaxValue"] * parameters["MaxPolls"]["MaxValue"]
    default_poll = parameters["PollIntervalSeconds"]["Default"] * parameters["MaxPolls"]["Default"]
    # When
    execution_timeout = asl()["TimeoutSeconds"]
    # Then: at least an hour is left for the other steps, so the poll bound (-> RecordFailure) always wins
    assert longest_poll + 3600 <= execution_timeout
    assert default_poll == 3600


@pytest.mark.parametrize("logical_id", sorted(STEP_FUNCTIONS))
def test_given_a_task_when_its_lambda_hangs_then_lambda_times_out_first(logical_id: str) -> None:
    # Given
    tpl = template()
    placeholder = "${" + logical_id + "Arn}"
    task = next(
        s for s in _all_tasks(asl()).values() if s.get("Parameters", {}).get("FunctionName") == placeholder
    )
    # When
    timeout = tpl["Resources"][logical_id]["Properties"].get("Timeout", tpl["Globals"]["Function"]["Timeout"])
    # Then: the Lambda's own timeout fires first (a clear Sandbox.Timedout), the Task timeout is the backstop
    assert timeout < task["TimeoutSeconds"]
