"""Canaries of the interpreter features moto lacks: plain moto still lacks them (else the canary fails: the
feature may come from moto now), patched moto behaves as AWS documents."""

from __future__ import annotations

import hashlib
import inspect
import json

import pytest
from botocore.exceptions import ClientError
from emulator_support import ROLE, Emulator, execute

BOTH = pytest.mark.parametrize("patched", [False, True], ids=["moto", "patched"])


@BOTH
def test_mocking(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    arn = sfn.create_state_machine(
        name="m", definition=json.dumps({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}), roleArn=ROLE
    )["stateMachineArn"]
    # When an execution is started on a test case ("<arn>#<case>") no MockConfigFile defines
    with pytest.raises(ClientError) as raised:
        sfn.start_execution(stateMachineArn=f"{arn}#NoSuchCase", name="e")
    if patched:  # as Step Functions Local: the test case is looked up (and here refused by name)
        assert "mock test case" in str(raised.value)
    else:  # moto does not know test cases at all: the ARN names no state machine
        assert "mock test case" not in str(raised.value)


@BOTH
def test_jsonata(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    state = {"Type": "Pass", "Output": "{% 1 + 2 %}", "End": True}
    described = execute(sfn, {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": state}})
    if patched:  # AWS evaluates JSONata
        assert json.loads(described["output"]) == 3
    else:  # moto's evaluator is None
        assert described["status"] == "FAILED"


@BOTH
def test_item_batcher(emulator: Emulator, patched: bool) -> None:
    sfn = emulator(patched)("stepfunctions")
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I",
        "States": {"I": {"Type": "Pass", "End": True}},
    }
    batching = {
        "Type": "Map",
        "ItemProcessor": processor,
        "ItemBatcher": {"MaxItemsPerBatch": 2},
        "End": True,
    }
    definition = {"StartAt": "M", "States": {"M": batching}}
    if not patched:  # moto's ASL grammar rejects the field
        with pytest.raises(ClientError):
            execute(sfn, definition, [1, 2, 3])
        return
    described = execute(sfn, definition, [1, 2, 3])
    assert json.loads(described["output"]) == [{"Items": [1, 2]}, {"Items": [3]}]


def test_redrive_branches() -> None:
    """The module runs its own copies of moto 5.2.5's Parallel-branches and inline-Map bodies (only unsuccessful
    branches / iterations on a redrive; plain moto has no redrive: ``test_redrive``). The canary: moto's bodies
    are still the ones copied; if moto changed them, rewrite the copies from the new source."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.inline_iteration_component import (
        InlineIterationComponent,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl import BranchesDecl

    def digest(function: object) -> str:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]  # type: ignore[arg-type]

    assert digest(BranchesDecl._eval_body) == "eec2efa5fe001389"
    assert digest(InlineIterationComponent._eval_body) == "1a65306eb3ca3961"
