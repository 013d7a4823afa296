"""moto_patches.json_copy: the interpreter's deep copies of state data, without copy.deepcopy's generality."""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import time
from contextlib import ExitStack
from typing import Any

import moto

from medscribe.local.moto_patches import json_copy


def test_a_copy_shares_nothing_mutable_with_the_original() -> None:
    # Given nested JSON data
    original: dict[str, Any] = {"a": [{"b": 1, "c": [1.5, "x", None, True]}], "d": {"e": {}}}
    # When it is copied and the copy is mutated at every depth
    copied = json_copy.json_deepcopy(original)
    assert copied == original
    copied["a"][0]["c"].append("new")
    copied["a"][0]["b"] = 2
    copied["d"]["e"]["f"] = 1
    # Then the original is untouched
    assert original == {"a": [{"b": 1, "c": [1.5, "x", None, True]}], "d": {"e": {}}}


def test_anything_that_is_not_json_goes_to_copy_deepcopy() -> None:
    # Given data holding a datetime, a tuple and a set
    stamp = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    original = {"when": stamp, "pair": ([1], 2), "tags": {"a"}}
    # When it is copied
    copied = json_copy.json_deepcopy(original)
    # Then those are deep copies as copy.deepcopy makes them (the tuple's list is not shared)
    assert copied == copy.deepcopy(original)
    assert copied["pair"][0] is not original["pair"][0]
    assert copied["tags"] is not original["tags"]


def test_every_parser_module_that_imports_copy_is_patched_and_restored() -> None:
    # Given the parser modules listed by the patch
    modules = [importlib.import_module(json_copy._PREFIX + name) for name in json_copy.MODULES]
    # When the patch is applied, then each module's copy.deepcopy is the JSON copy; closing restores copy
    with ExitStack() as stack:
        json_copy.apply(stack)
        assert all(m.copy.deepcopy is json_copy.json_deepcopy for m in modules)
    assert all(m.copy is copy for m in modules)


def _run(definition: dict[str, Any], payload: dict[str, Any]) -> tuple[str, Any]:
    import boto3

    sfn = boto3.client("stepfunctions", region_name="us-east-1")
    arn = sfn.create_state_machine(
        name="m", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"]
    deadline = time.monotonic() + 30
    while (d := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return d["status"], json.loads(d.get("output") or "null")


def test_an_execution_that_copies_state_everywhere_gives_the_same_output_with_the_patch() -> None:
    # Given a definition whose Map, Parallel, ResultPath merges and intrinsic JSON merge all copy state data
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "StartAt": "I",
                    "States": {"I": {"Type": "Pass", "Parameters": {"v.$": "$.v", "k": [1]}, "End": True}},
                },
                "ResultPath": "$.mapped",
                "Next": "P",
            },
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "ResultPath": "$.b1", "End": True}}},
                    {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "Result": {"x": 1}, "End": True}}},
                ],
                "ResultPath": "$.branches",
                "Next": "J",
            },
            "J": {
                "Type": "Pass",
                "Parameters": {"merged.$": "States.JsonMerge($.deep, $.other, false)", "items.$": "$.items"},
                "End": True,
            },
        },
    }
    payload = {"items": [{"v": {"n": [1, 2]}}, {"v": None}], "deep": {"a": {"b": 1}}, "other": {"c": 2}}
    config = {"stepfunctions": {"execute_state_machine": True}}
    # When it runs without, then with the patch
    with moto.mock_aws(config=config):
        without = _run(definition, payload)
    with moto.mock_aws(config=config), ExitStack() as stack:
        json_copy.apply(stack)
        with_patch = _run(definition, payload)
    # Then both succeed with the same output
    assert without[0] == "SUCCEEDED"
    assert with_patch == without
