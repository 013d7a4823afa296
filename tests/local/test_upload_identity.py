"""Which id a direct upload of a recording over 8 MB gets, by the way its bytes arrive (docs/api.md, "Which ETag a
direct upload's id hashes"). The id hashes bucket, key and the ETag S3 gives that upload
(``keys.recording_id_for_object``), which its event carries. ``LocalPipeline.upload`` (``medscribe run``) and a
presigned PUT send one PUT whatever the size (ETag: the bytes' MD5): the same bytes to the same key are the same
recording, the later upload refused. ``aws s3 cp`` and boto3's ``upload_file`` send a file over 8 MB in 8 MB parts
(ETag: the MD5 of the parts' MD5s, "-N"): another ETag, a new recording."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

import pytest
import requests
from boto3.s3.transfer import TransferConfig

from medscribe.keys import INCOMING_PREFIX, execution_name, recording_id_for_object
from medscribe.local.engine import LocalPipeline
from medscribe.local.waiting import wait_for_start
from medscribe.models import DEFAULT_TENANT

MB = 1024 * 1024
PART = 8 * MB  # the AWS CLI's and boto3's multipart threshold and part size
SIZE = 9 * MB  # over the threshold: two parts (8 MB + 1 MB)


def _bytes() -> bytes:
    block = hashlib.sha256(b"not audio").digest()
    return block * (SIZE // len(block))


def _single_etag(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def _multipart_etag(data: bytes) -> str:
    parts = [data[i : i + PART] for i in range(0, len(data), PART)]
    return f"{hashlib.md5(b''.join(hashlib.md5(p).digest() for p in parts)).hexdigest()}-{len(parts)}"


class Trigger:
    """The upload trigger's deliveries as they end (they run on a delivery thread, after the uploader's answer)."""

    def __init__(self, pipeline: LocalPipeline, monkeypatch: pytest.MonkeyPatch) -> None:
        self.results: list[dict[str, Any]] = []
        self.ended = threading.Condition()
        call = pipeline.dispatcher.call

        def delivery(function: str, event: Any) -> Any:
            result: Any = {"error": "raised"}  # what a delivery that raised leaves
            try:
                result = call(function, event)
                return result
            finally:
                if pipeline.stack.function_for_arn(function).logical_id == "StartRecordingFunction":
                    with self.ended:
                        self.results.append(result)
                        self.ended.notify_all()

        monkeypatch.setattr(pipeline.dispatcher, "call", delivery)

    def after(self, count: int) -> list[dict[str, Any]]:
        with self.ended:
            assert self.ended.wait_for(lambda: len(self.results) >= count, timeout=60), self.results
            return self.results[:count]


def _started(pipeline: LocalPipeline, key: str, etag: str) -> str:
    """The execution the upload's own event started, found by the id its ETag gives (it must exist)."""
    recording_id = recording_id_for_object(pipeline.bucket, key, etag)
    arn = (
        pipeline.state_machine_arn.replace(":stateMachine:", ":execution:")
        + f":{execution_name(recording_id)}"
    )
    wait_for_start(pipeline.client("stepfunctions"), arn, timeout=60, failure=lambda: None, what=key)
    pipeline.wait(arn, timeout=120)
    return recording_id


def test_a_recording_over_8_mb_gets_the_id_of_its_etag_by_each_way_it_arrives(
    pipeline: LocalPipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trigger = Trigger(pipeline, monkeypatch)
    data = _bytes()
    audio = tmp_path / "visit.wav"
    audio.write_bytes(data)
    key = f"{INCOMING_PREFIX}{DEFAULT_TENANT}/visit.wav"
    s3 = pipeline.client("s3")
    # Given 9 MB run by medscribe run (LocalPipeline.upload; it fails fast: not audio)
    run_id, run_arn = pipeline.start_from_upload(audio, tenant=DEFAULT_TENANT)
    pipeline.wait(run_arn, timeout=120)
    # Then it was one PUT: its id is that of the bytes' MD5, as the upload's own event gave it
    assert run_id == recording_id_for_object(pipeline.bucket, key, _single_etag(data))
    # When the same bytes are PUT again to the same key by a presigned URL
    url = s3.generate_presigned_url("put_object", Params={"Bucket": pipeline.bucket, "Key": key})
    put = requests.put(url, data=data, timeout=60)
    # Then its ETag is the same: the same recording, whose trigger refuses the later upload
    assert put.status_code == 200
    assert put.headers["ETag"].strip('"') == _single_etag(data)
    starts = trigger.after(2)
    assert starts[-1]["recording_id"] == run_id
    assert starts[-1]["rejected"] is True
    # When the same bytes are uploaded to the same key in 8 MB parts, as aws s3 cp uploads them
    s3.upload_file(str(audio), pipeline.bucket, key, Config=TransferConfig(multipart_threshold=PART))
    # Then its event gives the parts' ETag ("-2"): another id, a new recording started under it
    assert _multipart_etag(data).endswith("-2")
    assert _started(pipeline, key, _multipart_etag(data)) != run_id
    assert trigger.after(3)[-1]["rejected"] is False
    assert pipeline.async_errors == []
