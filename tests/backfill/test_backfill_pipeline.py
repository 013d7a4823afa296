"""BackfillPipeline through the local engine: a prefix with a bad file, a re-run, an empty prefix, a manifest
with garbage lines; the dry run and the maximum (logic/backfill.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from decode_memo_support import memo_in_process

from medscribe import errors
from medscribe.logic import backfill

if TYPE_CHECKING:
    from medscribe.local.engine import LocalPipeline

ROOT = Path(__file__).resolve().parents[2]
WAV = (ROOT / "samples" / "dictation.wav").read_bytes()
OTHER_WAV = (ROOT / "corpus" / "audio" / "d20.wav").read_bytes()  # a second recording: 6 s of dictation


@pytest.fixture(autouse=True)
def _decode_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backfill's items, skips and failures are under test, not the decode: each distinct audio is decoded
    once per test run (decode_memo_support)."""
    memo_in_process(monkeypatch)


def _run(pipeline: LocalPipeline, name: str, source: dict[str, Any]) -> backfill.Summary:
    sfn = pipeline.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=pipeline.stack.state_machines["BackfillPipeline"],
        name=name,
        input=json.dumps({"backfill_id": name, "tenant": "demo", "bucket": pipeline.bucket, **source}),
    )["executionArn"]
    result = pipeline.wait(arn, timeout=600)
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert result.output is not None
    details = result.output["map_run"]["ResultWriterDetails"]
    s3 = pipeline.client("s3")
    manifest = json.loads(s3.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    files = {
        status: [
            e
            for f in entries
            for e in json.loads(s3.get_object(Bucket=details["Bucket"], Key=f["Key"])["Body"].read())
        ]
        for status, entries in manifest["ResultFiles"].items()
    }
    return backfill.summarise(files)


def test_given_a_prefix_with_a_bad_file_when_backfilled_twice_then_completed_ones_are_skipped(
    pipeline: LocalPipeline,
) -> None:
    # Given: two recordings and a file that is not audio under the tenant's archive folder
    s3 = pipeline.client("s3")
    s3.put_object(Bucket=pipeline.bucket, Key="backfill/demo/2024/one.wav", Body=WAV)
    s3.put_object(Bucket=pipeline.bucket, Key="backfill/demo/2024/two.wav", Body=OTHER_WAV)
    s3.put_object(Bucket=pipeline.bucket, Key="backfill/demo/2024/bad.wav", Body=b"not audio at all")
    # When
    first = _run(pipeline, "b1", {"prefix": "backfill/demo/2024/"})
    second = _run(pipeline, "b2", {"prefix": "backfill/demo/2024/"})
    # Then: the bad file fails by its error name; a re-run skips what COMPLETED
    assert first.failures == {"UnsupportedAudioFormat": 1}
    assert (first.items, first.succeeded, first.failed) == (3, 2, 1)
    assert first.failures == {"UnsupportedAudioFormat": 1}
    assert (second.items, second.skipped) == (3, 2)


def test_given_an_empty_prefix_when_backfilled_then_it_completes_with_no_items(
    pipeline: LocalPipeline,
) -> None:
    summary = _run(pipeline, "empty", {"prefix": "backfill/demo/nothing-here/"})
    assert summary == backfill.Summary()


def test_given_a_manifest_with_garbage_and_duplicates_when_backfilled_then_those_fail_by_name(
    pipeline: LocalPipeline,
) -> None:
    # Given
    s3 = pipeline.client("s3")
    s3.put_object(Bucket=pipeline.bucket, Key="backfill/demo/m/one.wav", Body=WAV)
    text = "key,clinician\nm/one.wav,Dr A\n!!garbage line with, too, many, fields\nm/one.wav,Dr A\nm/missing.wav,\n"
    items = backfill.normalise_manifest(text, bucket=pipeline.bucket, tenant="demo")
    s3.put_object(Bucket=pipeline.bucket, Key="backfills/demo/m1/manifest.json", Body=json.dumps(items))
    # When
    summary = _run(pipeline, "m1", {"manifest_key": "backfills/demo/m1/manifest.json"})
    # Then
    assert (summary.items, summary.succeeded) == (4, 1)
    assert summary.failures == {"AudioNotFound": 1, "DuplicateManifestItem": 1, "ManifestLineInvalid": 1}


def test_given_sizes_when_dry_run_then_counts_minutes_and_cost_without_starting() -> None:
    plan = backfill.dry_run(
        [("backfill/demo/a.wav", 32_000 * 60), ("backfill/demo/b.mp3", 8_000 * 120), ("x.txt", 5)]
    )
    assert (plan.items, plan.audio_items, plan.audio_minutes) == (3, 2, 3.0)
    assert plan.estimated_cost > 0.075 * 3  # Transcribe Medical alone is $0.075 a minute


def test_given_more_items_than_the_maximum_then_refused_and_other_tenants_prefix_refused() -> None:
    with pytest.raises(errors.BackfillTooLarge):
        backfill.check_item_count(11, 10)
    with pytest.raises(errors.BackfillOutsideTenant):
        backfill.check_prefix("demo", "backfill/clinic-a/")
    assert backfill.check_prefix("demo", "backfill/demo/2024") == "backfill/demo/2024"
