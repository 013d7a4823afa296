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


# ---- copy and delete: a direct upload's adoption (logic/intake.start_upload) ---------------------------------
PHI_KEY = "incoming/clinic-a/Jane_Doe_MRN_448812.wav"


def test_copy_is_sse_kms_and_carries_no_metadata_tags_or_headers_of_the_upload(
    s3: object, key_id: str
) -> None:
    # Given an upload whose tool put the file name into its metadata, tags and headers
    s3.put_object(  # type: ignore[attr-defined]
        Bucket=BUCKET,
        Key=PHI_KEY,
        Body=b"RIFF-audio",
        ContentType="audio/wav",
        ContentDisposition='attachment; filename="Jane_Doe_MRN_448812.wav"',
        Metadata={"filename": "Jane_Doe_MRN_448812.wav"},
        Tagging="patient=Jane_Doe",
    )
    store = S3ObjectStore(s3, kms_key_id=key_id)
    # When it is copied to its processing key
    store.copy(BUCKET, PHI_KEY, "clinic-a/u1/audio", source_version=None)
    # Then the copy has the bytes, SSE-KMS under the key, and nothing that could name the file
    head = s3.head_object(Bucket=BUCKET, Key="clinic-a/u1/audio")  # type: ignore[attr-defined]
    assert store.get_bytes(BUCKET, "clinic-a/u1/audio") == b"RIFF-audio"
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == key_id
    assert head["Metadata"] == {}
    assert "ContentDisposition" not in head
    assert "Jane" not in str(head)
    tags = s3.get_object_tagging(Bucket=BUCKET, Key="clinic-a/u1/audio")  # type: ignore[attr-defined]
    assert tags["TagSet"] == []


def test_copy_of_a_missing_upload_raises_audio_not_found_naming_no_key(s3: object) -> None:
    store = S3ObjectStore(s3)
    with pytest.raises(AudioNotFound) as raised:
        store.copy(BUCKET, PHI_KEY, "clinic-a/u1/audio", source_version=None)
    assert "Jane" not in str(raised.value)
    assert raised.value.__cause__ is None


def test_copy_and_delete_of_one_version_leave_newer_uploads_and_no_trace_of_the_old(s3: object) -> None:
    # Given a versioned bucket (the template's) with two uploads under one name
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})  # type: ignore[attr-defined]
    first = s3.put_object(Bucket=BUCKET, Key=PHI_KEY, Body=b"first")["VersionId"]  # type: ignore[attr-defined]
    s3.put_object(Bucket=BUCKET, Key=PHI_KEY, Body=b"second")  # type: ignore[attr-defined]
    store = S3ObjectStore(s3)
    # When the first version is copied, then deleted (twice: a re-delivered event)
    store.copy(BUCKET, PHI_KEY, "clinic-a/u1/audio", source_version=first)
    store.delete(BUCKET, PHI_KEY, version=first)
    store.delete(BUCKET, PHI_KEY, version=first)
    # Then the copy holds the first bytes, the second upload is untouched, the first is gone for good
    assert store.get_bytes(BUCKET, "clinic-a/u1/audio") == b"first"
    assert store.get_bytes(BUCKET, PHI_KEY) == b"second"
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix=PHI_KEY)  # type: ignore[attr-defined]
    assert first not in [v["VersionId"] for v in versions.get("Versions", [])]
    assert len(versions["Versions"]) == 1
    assert not versions.get("DeleteMarkers")


def test_a_conditional_copy_writes_a_key_once_and_pinned_reads_get_exactly_their_version(
    s3: object, tmp_path: Path
) -> None:
    from contextlib import ExitStack

    from medscribe.errors import ObjectExists
    from medscribe.local.moto_patches import s3_conditional_copy

    # Given a versioned bucket with two uploads under one key, and moto's CopyObject made to honour
    # If-None-Match as AWS does
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})  # type: ignore[attr-defined]
    first = s3.put_object(Bucket=BUCKET, Key="incoming/a/x.wav", Body=b"first")["VersionId"]  # type: ignore[attr-defined]
    second = s3.put_object(Bucket=BUCKET, Key="incoming/a/x.wav", Body=b"second")["VersionId"]  # type: ignore[attr-defined]
    store = S3ObjectStore(s3)
    with ExitStack() as stack:
        s3_conditional_copy.apply(stack)
        # When the first version is copied once, with its identity, and the second is then tried
        version = store.copy(
            BUCKET,
            "incoming/a/x.wav",
            "a/r/audio",
            source_version=first,
            metadata={"k": "v1"},
            if_absent=True,
        )
        with pytest.raises(ObjectExists):
            store.copy(BUCKET, "incoming/a/x.wav", "a/r/audio", source_version=second, if_absent=True)
    # Then the key holds one version, the first bytes, with the identity; its version id is what came back
    head = store.head(BUCKET, "a/r/audio")
    assert version is not None
    assert (head.version_id, head.metadata) == (version, {"k": "v1"})
    assert store.get_bytes(BUCKET, "a/r/audio") == b"first"
    # And a pinned head/download of an upload's older version reads that version, not the current one
    assert store.head(BUCKET, "incoming/a/x.wav", version=first).size_bytes == len(b"first")
    store.download(BUCKET, "incoming/a/x.wav", tmp_path / "old", version=first)
    assert (tmp_path / "old").read_bytes() == b"first"
    store.download(BUCKET, "incoming/a/x.wav", tmp_path / "new")
    assert (tmp_path / "new").read_bytes() == b"second"
