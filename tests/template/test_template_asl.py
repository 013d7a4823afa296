"""The state machine definition against template.yaml and the error contract (errors.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cfn_support import STEP_FUNCTIONS, asl, asl_text, functions, template

from medscribe import errors
from medscribe.logic.waits import wait_bounds
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
    "CallbackBaseSeconds": "callback_base_seconds",
}
# A callback wait's heartbeat/timeout expiry is retried: the retried start is the job's fallback check.
CALLBACK_EXPIRY = {"States.HeartbeatTimeout", "States.Timeout"}


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
    fns = functions(template())
    for name, value in substitutions.items():
        if name.endswith("FunctionArn"):
            logical = name.removesuffix("Arn")
            assert logical in fns, name
            if "AutoPublishAlias" in fns[logical]["Properties"]:
                # a SnapStart function runs restored only as a published version: invoke its alias
                assert value == {"Ref": f"{logical}.Alias"}, name
            else:
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
        if state["Resource"].endswith(".waitForTaskToken"):
            assert retried >= CALLBACK_EXPIRY, name
            retried -= CALLBACK_EXPIRY
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
    tasks = [
        s for s in _all_tasks(asl()).values() if s.get("Parameters", {}).get("FunctionName") == placeholder
    ]
    assert tasks
    # When
    timeout = tpl["Resources"][logical_id]["Properties"].get("Timeout", tpl["Globals"]["Function"]["Timeout"])
    # Then: the Lambda's own timeout fires first (a clear Sandbox.Timedout), the Task timeout is the backstop
    for task in tasks:
        if "TimeoutSecondsPath" in task:  # callback wait: at least 2 x the smallest heartbeat base allowed
            shortest = wait_bounds(0.5, tpl["Parameters"]["CallbackBaseSeconds"]["MinValue"]).timeout_seconds
            assert timeout < shortest
        else:
            assert timeout < task["TimeoutSeconds"]


def _callback_state() -> dict[str, Any]:
    tasks = [s for s in _tasks(asl()).values() if s["Resource"].endswith(".waitForTaskToken")]
    assert len(tasks) == 1
    return tasks[0]


def test_given_the_wait_mode_parameter_when_chosen_then_a_choice_routes_to_callback_or_poll() -> None:
    # Given
    from typing import get_args

    from medscribe.models import WaitMode

    spec = template()["Parameters"]["TranscriptionWaitMode"]
    states = asl()["States"]
    # Then: the parameter's values are the model's; a Choice on settings.wait_mode selects the start state
    assert set(spec["AllowedValues"]) == set(get_args(WaitMode))
    assert spec["Default"] == "callback"
    assert states["InitSettings"]["Parameters"]["settings"]["wait_mode"] == "${TranscriptionWaitMode}"
    choice = states[states["ValidateAudio"]["Next"]]
    assert choice["Type"] == "Choice"
    rule = choice["Choices"][0]
    assert rule["Variable"] == "$.settings.wait_mode"
    assert rule["StringEquals"] == "callback"
    assert states[rule["Next"]]["Resource"].endswith(".waitForTaskToken")
    assert choice["Default"] == "StartTranscription"


def test_given_the_callback_wait_when_bounded_then_by_the_validated_audio_and_a_named_timeout() -> None:
    from medscribe.logic import waits
    from medscribe.models import ValidatedRecording, WaitBounds

    # Given
    state = _callback_state()
    states = asl()["States"]
    # Then: heartbeat and timeout come from the WaitBounds ValidateAudio adds to the state
    assert "wait" in ValidatedRecording.model_fields
    assert state["HeartbeatSecondsPath"] == "$.wait.heartbeat_seconds"
    assert state["TimeoutSecondsPath"] == "$.wait.timeout_seconds"
    assert {"heartbeat_seconds", "timeout_seconds"} <= set(WaitBounds.model_fields)
    # the task token reaches the function, and only the job lands in the state
    assert state["Parameters"]["Payload"]["task_token.$"] == "$$.Task.Token"
    assert state["ResultPath"] == "$.transcription"
    # expiry is retried exactly CALLBACK_RETRIES times, then named TranscriptionTimedOut -> RecordFailure
    expiry_retry = next(r for r in state["Retry"] if set(r["ErrorEquals"]) == CALLBACK_EXPIRY)
    assert expiry_retry["MaxAttempts"] == waits.CALLBACK_RETRIES
    catcher = next(c for c in state["Catch"] if set(c["ErrorEquals"]) == CALLBACK_EXPIRY)
    limit = states[catcher["Next"]]
    assert limit["Parameters"]["Error"] == errors.TranscriptionTimedOut.__name__
    assert limit["Next"] == "RecordFailure"
    assert state["Catch"][-1]["ErrorEquals"] == ["States.ALL"]


def test_given_the_longest_audio_when_waiting_by_callback_then_the_bound_ends_before_the_execution() -> None:
    from medscribe.logic import waits

    # Given: 4 hours of audio (Transcribe Medical's maximum) and the largest base the template accepts
    base = template()["Parameters"]["CallbackBaseSeconds"]["MaxValue"]
    bounds = waits.wait_bounds(4 * 3600, base)
    # When: every wait runs to its hard timeout
    worst = (1 + waits.CALLBACK_RETRIES) * bounds.timeout_seconds
    # Then: an hour is left for the other steps, so TranscriptionTimedOut (-> RecordFailure) always wins
    assert bounds.heartbeat_seconds < bounds.timeout_seconds
    assert worst + 3600 <= asl()["TimeoutSeconds"] == waits.EXECUTION_TIMEOUT


def test_given_callback_mode_when_a_recording_succeeds_then_its_path_has_at_most_14_transitions() -> None:
    # Given the states on the success path in callback mode (static walk: Next, callback Choice rule)
    states = asl()["States"]
    path, name = [], asl()["StartAt"]
    while True:
        path.append(name)
        state = states[name]
        if state.get("End"):
            break
        if state["Type"] == "Choice":
            name = next(r["Next"] for r in state["Choices"] if r.get("StringEquals") == "callback")
        else:
            name = state["Next"]
        assert len(path) < 50
    # Then: no loop on it, whatever the audio's length
    assert len(path) == len(set(path))
    assert len(path) <= 14, path
    assert "WaitForTranscription" not in path


def test_given_the_render_step_when_deployed_then_snapstart_restores_its_published_alias() -> None:
    # Given the PDF step, whose cold start imports fpdf2, fontTools and the fonts
    props = functions(template())["RenderPdfFunction"]["Properties"]
    # Then SnapStart is on for published versions, an alias is published, and the state machine calls the alias
    assert props["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert props["AutoPublishAlias"]
    assert _machine()["DefinitionSubstitutions"]["RenderPdfFunctionArn"] == {"Ref": "RenderPdfFunction.Alias"}
