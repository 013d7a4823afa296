"""S3ObjectStore against moto S3 (and KMS for the key)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from adapter_support import REGION

from medscribe.adapters.s3 import S3ObjectStore
from medscribe.errors import AudioNotFound

BUCKET = "medscribe-audio-test"


@pytest.fixture
def s3(aws: None) -> object:
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def key_id(aws: None) -> str:
    kid: str = boto3.client("kms", region_name=REGION).create_key(Description="medscribe")["KeyMetadata"][
        "Arn"
    ]
    return kid


def test_every_put_is_sse_kms_with_the_configured_key(s3: object, key_id: str) -> None:
    # Given a store configured with a KMS key
    store = S3ObjectStore(s3, kms_key_id=key_id)
    # When bytes and JSON are put
    store.put_bytes(BUCKET, "t/r/doc.pdf", b"%PDF-1.7", "application/pdf")
    store.put_json(BUCKET, "t/r/entities.json", {"Entities": [], "note": "é"})
    # Then both objects are encrypted with aws:kms under that key
    for key in ("t/r/doc.pdf", "t/r/entities.json"):
        head = s3.head_object(Bucket=BUCKET, Key=key)  # type: ignore[attr-defined]
        assert head["ServerSideEncryption"] == "aws:kms"
        assert head["SSEKMSKeyId"] == key_id
    assert store.get_json(BUCKET, "t/r/entities.json") == {"Entities": [], "note": "é"}
    assert store.head(BUCKET, "t/r/doc.pdf").content_type == "application/pdf"


def test_without_a_key_puts_still_use_aws_kms(s3: object) -> None:
    store = S3ObjectStore(s3)
    store.put_bytes(BUCKET, "k", b"x", "text/plain")
    assert s3.head_object(Bucket=BUCKET, Key="k")["ServerSideEncryption"] == "aws:kms"  # type: ignore[attr-defined]


def test_head_of_a_missing_object_raises_audio_not_found(s3: object) -> None:
    store = S3ObjectStore(s3)
    with pytest.raises(AudioNotFound):
        store.head(BUCKET, "incoming/missing.wav")


def test_head_reports_size_and_etag(s3: object) -> None:
    store = S3ObjectStore(s3)
    store.put_bytes(BUCKET, "incoming/a.wav", b"RIFF" + b"\0" * 96, "audio/wav")
    head = store.head(BUCKET, "incoming/a.wav")
    assert head.size_bytes == 100
    assert head.etag.strip('"')


def test_download_and_get_bytes_round_trip(s3: object, tmp_path: Path) -> None:
    store = S3ObjectStore(s3)
    payload = bytes(range(256)) * 50
    store.put_bytes(BUCKET, "incoming/b.bin", payload, "application/octet-stream")
    target = tmp_path / "b.bin"
    store.download(BUCKET, "incoming/b.bin", target)
    assert target.read_bytes() == payload
    assert store.get_bytes(BUCKET, "incoming/b.bin") == payload


def test_every_read_of_a_missing_object_raises_audio_not_found(s3: object, tmp_path: Path) -> None:
    store = S3ObjectStore(s3)
    with pytest.raises(AudioNotFound):
        store.get_json(BUCKET, "nope.json")
    with pytest.raises(AudioNotFound):
        store.get_bytes(BUCKET, "nope.txt")
    with pytest.raises(AudioNotFound):
        store.download(BUCKET, "nope.wav", tmp_path / "x")


def test_presigned_get_defaults_to_one_hour(s3: object) -> None:
    store = S3ObjectStore(s3)
    url = store.presigned_get(BUCKET, "t/r/documents/summary.pdf")
    query = parse_qs(urlparse(url).query)
    assert query["X-Amz-Expires"] == ["3600"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]  # SigV4: required for SSE-KMS objects
    assert urlparse(url).path.endswith("/t/r/documents/summary.pdf")
    assert parse_qs(urlparse(store.presigned_get(BUCKET, "k", expires_in=60)).query)["X-Amz-Expires"] == [
        "60"
    ]
