"""``moto_patches/backfill_map.py``: a Distributed Map over an S3 listing with a ResultWriter, as AWS runs it;
and a canary that fails once moto 5.2.5's behaviour is gone (then the patch can go)."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
from asl_support import Run, failing_child, map_machine, wait
from moto_support import ROLE, dummy_aws_environment, start_moto

CHILD = failing_child(
    {"Variable": "$.Key", "StringMatches": "*bad*"},
    {"Error": "BadItem", "Cause": "named"},
    {"Parameters": {"key.$": "$.Key"}},
)


def _definition() -> dict[str, Any]:
    return map_machine(
        ItemReader={
            "Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket": "archive", "Prefix.$": "$.prefix"},
        },
        ItemProcessor=CHILD,
        ToleratedFailurePercentage=100.0,
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "archive", "Prefix": "out"},
        },
    )


def _files(s3: Any, output: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    manifest = json.loads(
        s3.get_object(Bucket="archive", Key=output["ResultWriterDetails"]["Key"])["Body"].read()
    )
    return {
        status: [
            e
            for ref in refs
            for e in json.loads(s3.get_object(Bucket="archive", Key=ref["Key"])["Body"].read())
        ]
        for status, refs in manifest["ResultFiles"].items()
    }


def test_given_an_s3_listing_when_mapped_then_result_files_name_each_outcome(run: Run) -> None:
    # Given
    s3: Any = boto3.client("s3")
    s3.create_bucket(Bucket="archive")
    for key in ("in/a.wav", "in/bad.wav", "in/c.wav"):
        s3.put_object(Bucket="archive", Key=key, Body=b"x")
    # When
    done = run(_definition(), {"prefix": "in/"})
    empty = run(_definition(), {"prefix": "nothing/"})
    # Then: AWS's result files, each child's output or error; an empty prefix is a Map Run of 0 items
    assert done["status"] == "SUCCEEDED", done.get("cause")
    files = _files(s3, json.loads(done["output"]))
    assert sorted(json.loads(e["Output"])["key"] for e in files["SUCCEEDED"]) == ["in/a.wav", "in/c.wav"]
    assert [(e["Error"], json.loads(e["Input"])["Key"]) for e in files["FAILED"]] == [
        ("BadItem", "in/bad.wav")
    ]
    assert empty["status"] == "SUCCEEDED", empty.get("cause")
    assert _files(s3, json.loads(empty["output"])) == {"FAILED": [], "PENDING": [], "SUCCEEDED": []}


def test_canary_moto_5_2_5_still_needs_the_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails when moto lists an empty prefix and writes result files by itself: then drop backfill_map.py."""
    dummy_aws_environment(monkeypatch)
    with ExitStack() as stack:
        start_moto(stack, patched=False)
        s3: Any = boto3.client("s3")
        s3.create_bucket(Bucket="archive")
        s3.put_object(Bucket="archive", Key="in/a.wav", Body=b"x")
        sfn: Any = boto3.client("stepfunctions")
        machine = sfn.create_state_machine(name="canary", definition=json.dumps(_definition()), roleArn=ROLE)[
            "stateMachineArn"
        ]
        outcomes = []
        for n, prefix in enumerate(("in/", "nothing/")):
            arn = sfn.start_execution(
                stateMachineArn=machine, name=f"c{n}", input=json.dumps({"prefix": prefix})
            )
            outcomes.append(wait(sfn, arn["executionArn"]))
        listed, empty = outcomes
        files: list[Any] = []
        if listed["status"] == "SUCCEEDED":
            key = json.loads(listed["output"])["ResultWriterDetails"]["Key"]
            manifest = json.loads(s3.get_object(Bucket="archive", Key=key)["Body"].read())
            files = [f for refs in manifest["ResultFiles"].values() for f in refs]
    assert empty["status"] == "FAILED"  # KeyError 'Contents' (AWS: a Map Run of 0 items)
    assert files == []  # a manifest without result files (AWS: SUCCEEDED_0.json)
