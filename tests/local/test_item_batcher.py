"""ItemBatcher beyond a static item list (item_batcher.py): items an ItemReader streams from S3, and the
``MaxItemsPerBatchPath`` / ``MaxInputBytesPerBatchPath`` / BatchInput-template variants (AWS's documented fields)."""

from __future__ import annotations

import json
from typing import Any

import boto3
from asl_support import BATCH_COUNTER as DISTRIBUTED
from asl_support import Run, map_machine


def test_item_batcher_batches_what_an_item_reader_reads_from_s3(
    run: Run, interpreter: dict[str, Any]
) -> None:
    # Given five items in an S3 JSON file, and a Distributed Map reading it, batch size taken from the input
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="batches")
    s3.put_object(Bucket="batches", Key="items.json", Body=json.dumps([{"k": i} for i in range(5)]).encode())
    definition = map_machine(
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON"},
            "Parameters": {"Bucket": "batches", "Key": "items.json"},
        },
        ItemBatcher={"MaxItemsPerBatchPath": "$.size", "BatchInput": {"run.$": "$.run"}},
        ItemProcessor=DISTRIBUTED,
    )
    # When it runs with size 2
    result = run(definition, {"size": 2, "run": "r9"})
    # Then three children ran on 2 + 2 + 1 of the items read from S3, each with the templated BatchInput
    assert result["status"] == "SUCCEEDED", result.get("cause")
    assert json.loads(result["output"]) == [
        {"n": 2, "run": "r9"},
        {"n": 2, "run": "r9"},
        {"n": 1, "run": "r9"},
    ]


def test_max_input_bytes_per_batch_path_limits_each_batch(run: Run) -> None:
    # Given items of 6 bytes of JSON each ("aaaa") and a byte limit of 13 read from the input
    definition = map_machine(
        ItemsPath="$.items",
        ItemBatcher={"MaxInputBytesPerBatchPath": "$.limits.bytes", "BatchInput": {"run": "fixed"}},
        ItemProcessor=DISTRIBUTED,
    )
    # When it runs
    result = run(definition, {"items": ["aaaa"] * 5, "limits": {"bytes": 13}})
    # Then no batch holds more than two items (3 x 6 bytes > 13)
    assert result["status"] == "SUCCEEDED", result.get("cause")
    assert [child["n"] for child in json.loads(result["output"])] == [2, 2, 1]
    # And a path that selects no positive integer fails the state (States.Runtime), as on AWS
    bad = run(definition, {"items": ["aaaa"], "limits": {"bytes": "lots"}})
    assert (bad["status"], bad["error"]) == ("FAILED", "States.Runtime")
