"""Direct (IAM) uploads to ``incoming/{tenant}/<the uploader's file name>`` through ``serve``'s AWS endpoint:
the file name (PHI) is in no id, execution name, input or history, job name, S3 key, DynamoDB item, event or
log line; PostgreSQL alone keeps it, and the uploaded object is gone once its execution has started."""

from __future__ import annotations

from pathlib import Path

import boto3
from api_support import Api, wait_for_status
from hypothesis import HealthCheck, given, settings
from phi_support import JsonLines, assert_no_token, everything_visible, phi_file_names

from medscribe import wiring
from medscribe.keys import RecordingKeys, execution_name, job_name, recording_id_for_object

SHORT = Path(__file__).resolve().parents[2] / "corpus" / "audio" / "d20.wav"  # 6 s of dictation


def _uploader(api: Api) -> object:
    """An IAM uploader's S3 client (what `aws s3 cp --endpoint-url` uses)."""
    return boto3.client(
        "s3",
        endpoint_url=api.server.aws_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def test_a_direct_uploads_file_name_appears_nowhere_but_in_postgresql(api: Api) -> None:
    pipeline = api.server.pipeline
    s3 = _uploader(api)
    audio = SHORT.read_bytes()
    uploaded: list[tuple[str, str, list[str]]] = []  # (recording id, file name, its tokens)
    errors_before = len(pipeline.async_errors)

    # Given file names named after patients, drawn before any upload (Hypothesis draws while no pipeline thread runs:
    # the threads use the global `random`, which Hypothesis warns about inside a strategy)
    cases: list[tuple[str, list[str]]] = []

    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
    @given(phi_file_names())
    def draw(case: tuple[str, list[str]]) -> None:
        cases.append(case)

    draw()

    # When each is uploaded through IAM (the tool also puts the name into the object's metadata) and processed
    # (S3 -> EventBridge -> StartRecording -> the pipeline) to its end
    with JsonLines(sdk_debug=False) as sink:
        for name, tokens in cases:
            key = f"incoming/clinic-a/{name}"
            put = s3.put_object(  # type: ignore[attr-defined]
                Bucket=pipeline.bucket,
                Key=key,
                Body=audio,
                ContentType="audio/wav",
                Metadata={"filename": name},
            )
            uploaded.append((recording_id_for_object(pipeline.bucket, key, put["ETag"]), name, tokens))
        for rid, _, _ in uploaded:
            done = wait_for_status(api, "alice", rid, {"COMPLETED", "FAILED"}, started_async=True)
            assert done.json()["status"] == "COMPLETED", done.text
    assert pipeline.async_errors[errors_before:] == []
    rids = [rid for rid, _, _ in uploaded]
    logs = sink.text
    assert all(rid in logs for rid in rids), logs[-2000:]  # the handlers' JSON lines were captured

    # Then the pipeline named only the opaque copy {tenant}/{id}/audio, and the uploaded objects are gone
    services = wiring.get_services()
    for rid, name, _ in uploaded:
        item = services.table.get(rid)
        assert item is not None
        assert item["audio_key"] == RecordingKeys("clinic-a", rid).audio
        # And PostgreSQL alone keeps the file name, for that tenant
        details = services.repository.get_details(rid)
        assert details is not None
        assert (details.original_filename, details.tenant) == (name, "clinic-a")
    # And no token of any name is in ids, execution names/inputs/histories, job names, S3 keys (every bucket,
    # every version: the uploaded version was deleted for good), DynamoDB items, events or log lines
    visible = "\n".join([*rids, *(execution_name(r) for r in rids), *(job_name(r) for r in rids)])
    visible += everything_visible(api) + logs
    assert all(f"clinic-a/{rid}/audio" in visible for rid in rids)
    for _, _, tokens in uploaded:
        assert_no_token(tokens, visible)
