"""moto_patches.perf against moto 5.2.6: same behaviour, less work (each patch checked for what it saves)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from typing import Any

import moto
import pytest

from medscribe.local import moto_patches
from medscribe.local.moto_patches import execution_events, perf, sfn_executions

DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def test_the_patches_name_the_moto_version_installed() -> None:
    moto_patches.check_version()  # moto is the release the patches name (or an upgrade trial's)
    assert perf.MOTO_VERSION == moto_patches.MOTO_VERSION


def test_a_definition_is_parsed_once_while_patched_and_every_time_after() -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    with ExitStack() as stack:
        perf.apply(stack)
        first = AmazonStateLanguageParser.parse(DEFINITION)[0]
        assert AmazonStateLanguageParser.parse(DEFINITION)[0] is first
    assert (
        AmazonStateLanguageParser.parse(DEFINITION)[0] is not AmazonStateLanguageParser.parse(DEFINITION)[0]
    )


def test_the_interpreters_boto3_clients_are_built_once_per_service() -> None:
    with ExitStack() as stack:
        stack.enter_context(moto.mock_aws())
        perf.apply(stack)
        lambda_utils = importlib.import_module(
            "moto.stepfunctions.parser.asl.component.state.exec.state_task.lambda_eval_utils"
        )
        from moto.stepfunctions.parser.asl.component.state.exec.state_task.credentials import StateCredentials

        a = lambda_utils.boto_client_for("us-east-1", "lambda")
        assert lambda_utils.boto_client_for("us-east-1", "lambda") is a
        assert lambda_utils.boto_client_for("us-east-1", "sqs") is not a
        # every Lambda task passes the execution role: same client (moto signs with fixed dummy keys anyway)
        role = StateCredentials(role_arn="arn:aws:iam::123456789012:role/pipeline")
        assert lambda_utils.boto_client_for(region="us-east-1", service="lambda", state_credentials=role) is a
    # restored on close
    assert lambda_utils.boto_client_for("us-east-1", "lambda") is not lambda_utils.boto_client_for(
        "us-east-1", "lambda"
    )


def test_a_waiter_wakes_on_the_next_history_event_not_on_a_timer() -> None:
    from moto.stepfunctions.parser.api import HistoryEventType
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventHistoryContext, EventManager

    with ExitStack() as stack:
        execution_events.apply(stack)
        before = execution_events.event_count()
        manager = EventManager()
        threading.Timer(
            0.2,
            lambda: manager.add_event(
                context=EventHistoryContext.of_program_start(), event_type=HistoryEventType.ExecutionStarted
            ),
        ).start()
        after = execution_events.wait_for_event(before, timeout=5)
    # Then it returned because the event arrived (a timeout returns the old count), not before it (event order)
    assert after == before + 1


def _in_fresh_python(code: str) -> list[str]:
    """What ``code`` prints, word by word, run by a new interpreter (imports are process-wide state)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()


def test_moto_batch_loads_lazily_and_still_works() -> None:
    # Given a fresh interpreter (what is imported is process-wide state)
    code = (
        "import sys\n"
        "from medscribe.local.moto_patches.perf import lazy_moto_batch\n"
        "lazy_moto_batch()\n"
        "import moto.stepfunctions.parser.asl.parse.asl_parser\n"
        "print('moto.ec2.models' in sys.modules)\n"
        "from moto.batch import batch_backends\n"
        "print(type(batch_backends).__name__)\n"
    )
    # When the interpreter's parser is imported, then Batch's backends asked for
    out = _in_fresh_python(code)
    # Then EC2 was not imported for the parser, and Batch still loads on first use
    assert out == ["False", "BackendDict"]


def _run_to_end(definition: dict[str, object], name: str) -> tuple[object, str]:
    import boto3

    sfn = boto3.client("stepfunctions", region_name="us-east-1")
    machine = sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, name="e1", input='{"a": {"b": [1, 2]}}')[
        "executionArn"
    ]
    deadline = time.monotonic() + 30
    while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.02)
    return sfn, arn


def test_an_execution_history_reads_the_same_as_through_motos_serializer() -> None:
    # Given finished executions whose histories hold Pass, Choice, Wait, Map and Fail events (with details)
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Pass", "Parameters": {"x.$": "$.a.b"}, "ResultPath": "$.p", "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.p.x[0]", "NumericEquals": 1, "Next": "W"}]},
            "W": {"Type": "Wait", "Seconds": 0, "Next": "M"},
            "M": {
                "Type": "Map",
                "ItemsPath": "$.a.b",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                "ResultPath": "$.m",
                "Next": "F",
            },
            "F": {"Type": "Fail", "Error": "SomethingFailed", "Cause": "a cause"},
        },
    }
    config = {"stepfunctions": {"execute_state_machine": True}}
    with moto.mock_aws(config=config):
        sfn, arn = _run_to_end(definition, "m1")
        through_serializer = sfn.get_execution_history(executionArn=arn)["events"]
        # When the history is read with the patch
        from moto.stepfunctions.responses import StepFunctionResponse

        original = StepFunctionResponse.get_execution_history
        with ExitStack() as stack:
            sfn_executions.apply(
                stack
            )  # owns GetExecutionHistory: writes execution_events.plain's JSON directly
            assert StepFunctionResponse.get_execution_history is not original  # the fast path answers
            bodies: list[bytes] = []
            sfn.meta.events.register(
                "after-call.sfn.GetExecutionHistory",
                lambda http_response, **_: bodies.append(http_response.content),
            )
            direct = sfn.get_execution_history(executionArn=arn)["events"]
            in_process = execution_events.read_history(arn)
            # (an unknown execution still answers ExecutionDoesNotExist)
            try:
                sfn.get_execution_history(executionArn=arn.replace(":e1", ":nope"))
                missing = ""
            except sfn.exceptions.ExecutionDoesNotExist as exc:
                missing = type(exc).__name__
    # Then boto3 parses both to the same events (types, ids, timestamps, details)
    assert len(through_serializer) > 10
    assert direct == through_serializer
    # And reading it in process gives the very same events (tz-aware timestamps, as botocore parses them)
    assert in_process == direct
    assert {type(e["type"]) for e in in_process} == {str}  # plain strings, as parsed from JSON (no enums)
    assert all(
        type(v) in {str, int, float, bool, dict, list}
        for e in in_process
        for k, v in e.items()
        if k != "timestamp"
    )
    assert [e["timestamp"].tzinfo for e in in_process] == [e["timestamp"].tzinfo for e in direct]
    assert missing == "ExecutionDoesNotExist"
    # And the wire carries epoch seconds with milliseconds, as AWS's JSON protocol does (not ISO text)
    stamps = [event["timestamp"] for event in json.loads(bodies[0])["events"]]
    assert all(isinstance(stamp, float | int) for stamp in stamps)
    assert [round(s * 1000) for s in stamps] == [round(e["timestamp"].timestamp() * 1000) for e in direct]


def test_a_json_path_is_parsed_once_while_patched() -> None:
    from moto.stepfunctions.parser.asl.utils import json_path

    with ExitStack() as stack:
        perf.apply(stack)
        # When the same path is extracted twice (as a loop evaluates one state many times)
        assert json_path.extract_json("$.a.b[1]", {"a": {"b": [1, 2]}}) == 2
        assert json_path.extract_json("$.a.b[1]", {"a": {"b": [3, 4]}}) == 4
        # Then the second lookup reused the parsed path (and gave the other document's value above)
        info = json_path.parse.cache_info()  # type: ignore[attr-defined]
    assert (info.hits, info.misses) == (1, 1)


def test_eventbridge_input_paths_are_parsed_once_while_patched() -> None:
    from jsonpath_ng import ext
    from moto.events.utils import EventTemplateParser

    def event(detail: dict[str, int]) -> dict[str, Any]:
        return {
            "version": "0",
            "id": "i",
            "detail-type": "t",
            "source": "s",
            "account": "1",
            "time": 1796601600,  # moto's template writes it unquoted
            "region": "us-east-1",
            "resources": ["r"],
            "detail": detail,
            "ingestion-time": "2026-12-06T00:00:00Z",
        }

    unpatched = EventTemplateParser.parse(None, {}, event({"n": 1}))  # type: ignore[arg-type]
    with ExitStack() as stack:
        perf.apply(stack)
        # When two events go to a queue target (moto reads the eight default input paths of each)
        first = EventTemplateParser.parse(None, {}, event({"n": 1}))  # type: ignore[arg-type]
        second = EventTemplateParser.parse(None, {}, event({"n": 2}))  # type: ignore[arg-type]
        info = ext.parse.cache_info()  # type: ignore[attr-defined]
    # Then the second reused every parsed path, and each message is what moto builds without the cache
    assert info.misses == info.hits == 8
    assert first == unpatched
    assert second["detail"] == {"n": 2}


def test_botocore_sessions_share_one_data_loader_while_patched() -> None:
    import botocore.session

    with ExitStack() as stack:
        perf.share_botocore_loader(stack)
        a, b = botocore.session.Session(), botocore.session.Session()
        # Then endpoints.json and the service models are parsed once for both sessions
        assert a.get_component("data_loader") is b.get_component("data_loader")
    c, d = botocore.session.Session(), botocore.session.Session()
    assert c.get_component("data_loader") is not d.get_component("data_loader")


def test_a_waiter_wakes_for_its_own_execution_ending_not_for_another() -> None:
    # Given two executions running in one stack
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
    config = {"stepfunctions": {"execute_state_machine": True}}
    with moto.mock_aws(config=config), ExitStack() as stack:
        execution_events.apply(stack)
        import boto3

        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        machine = sfn.create_state_machine(
            name="w", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
        )["stateMachineArn"]
        mine = machine.replace(":stateMachine:", ":execution:") + ":mine"
        before_start, before_end = execution_events.start_count(mine), execution_events.end_count(mine)
        sfn.start_execution(stateMachineArn=machine, name="other")
        # When only the other one starts, mine has not started
        assert not execution_events.wait_for_start(mine, before_start, timeout=0.3)
        sfn.start_execution(stateMachineArn=machine, name="mine")
        # Then mine's start and end are each seen once
        assert execution_events.wait_for_start(mine, before_start, timeout=10)
        assert execution_events.wait_for_end(mine, before_end, timeout=30)
        assert execution_events.end_count(mine) == before_end + 1
        assert sfn.describe_execution(executionArn=mine)["status"] == "SUCCEEDED"


def test_the_local_stack_applies_its_patches_without_importing_moto_ec2() -> None:
    # Given a fresh interpreter (what is imported is process-wide state)
    code = (
        "import sys\n"
        "from contextlib import ExitStack\n"
        "from medscribe.local.engine import LocalPipeline\n"
        "pipeline = LocalPipeline.__new__(LocalPipeline)\n"
        "pipeline._exit = ExitStack()\n"
        "with pipeline._exit:\n"
        "    pipeline._apply_moto_patches()\n"
        "print('moto.ec2.models' in sys.modules, 'moto.stepfunctions.parser.asl.parse.asl_parser' in sys.modules)\n"
    )
    # When the local stack applies every moto patch (which import the interpreter)
    out = _in_fresh_python(code)
    # Then the interpreter is loaded and EC2 (~0.7 s of imports, via moto.batch) is not
    assert out == ["False", "True"]


def test_a_waiter_for_one_execution_sleeps_through_every_other_executions_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a thread waiting for one execution's end (as LocalPipeline.wait does, one thread per recording),
    # with the end counts it re-reads whenever it wakes counted
    waiter: list[int] = []
    reads: list[str] = []

    class CountingEnds(dict[str, int]):
        def get(self, key: str, default: Any = None) -> Any:
            if threading.get_ident() in waiter:
                reads.append(key)
            return super().get(key, default)

    monkeypatch.setattr(execution_events, "_ends", CountingEnds())
    mine = "arn:aws:states:us-east-1:123456789012:execution:w:mine"

    def wait() -> None:
        waiter.append(threading.get_ident())
        execution_events.wait_for_end(mine, 0, 60)

    thread = threading.Thread(target=wait)
    thread.start()
    for _ in range(500):
        if reads:  # it checked its execution once and went to sleep
            break
        time.sleep(0.01)
    time.sleep(0.05)
    settled = len(reads)
    # When 100 other executions record events and end (what the interpreter notifies)
    for i in range(100):
        execution_events._notify()
        execution_events._notify(terminated=True, ended_arn=f"{mine}-other-{i}")
    time.sleep(0.2)  # room for a woken waiter to run (it must not have been woken)
    # Then the waiter never woke to re-check; its own end wakes it at once, and nobody waits on that ARN after
    assert len(reads) == settled, len(reads) - settled
    execution_events._notify(terminated=True, ended_arn=mine)
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert mine not in execution_events._arn_waiters
