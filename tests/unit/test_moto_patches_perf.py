"""moto_patches.perf against moto 5.2.5: same behaviour, less work (each patch checked for what it saves)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
import time
from contextlib import ExitStack

import moto

from medscribe.local.moto_patches import perf

DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def test_the_patches_name_the_moto_version_installed() -> None:
    assert moto.__version__ == perf.MOTO_VERSION


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
        a = lambda_utils.boto_client_for("us-east-1", "lambda")
        assert lambda_utils.boto_client_for("us-east-1", "lambda") is a
        assert lambda_utils.boto_client_for("us-east-1", "sqs") is not a
    # restored on close
    assert lambda_utils.boto_client_for("us-east-1", "lambda") is not lambda_utils.boto_client_for(
        "us-east-1", "lambda"
    )


def test_a_waiter_wakes_on_the_next_history_event_not_on_a_timer() -> None:
    from moto.stepfunctions.parser.api import HistoryEventType
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventHistoryContext, EventManager

    with ExitStack() as stack:
        perf.apply(stack)
        before = perf.event_count()
        manager = EventManager()
        threading.Timer(
            0.2,
            lambda: manager.add_event(
                context=EventHistoryContext.of_program_start(), event_type=HistoryEventType.ExecutionStarted
            ),
        ).start()
        started = time.monotonic()
        after = perf.wait_for_event(before, timeout=5)
        waited = time.monotonic() - started
    assert after == before + 1
    assert 0.15 < waited < 2


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
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    # Then EC2 was not imported for the parser, and Batch still loads on first use
    assert out == ["False", "BackendDict"]
