"""moto 5.2.6 stores any browser POST upload; the patch checks the policy as S3 does."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config

from medscribe.local import moto_patches
from medscribe.local.moto_patches.s3_post_policy import MOTO_VERSION, PolicyViolation, check_post

SECRET = "local-secret"
NOW = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


def _post(key: str = "incoming/clinic-a/r.wav", expires_in: int = 300) -> dict[str, Any]:
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="AKIDLOCAL",
        aws_secret_access_key=SECRET,
        config=Config(signature_version="s3v4"),
    )
    post: dict[str, Any] = client.generate_presigned_post(
        Bucket="bucket",
        Key=key,
        Fields={"Content-Type": "audio/wav"},
        Conditions=[["content-length-range", 1, 100], ["starts-with", "$Content-Type", "audio/"]],
        ExpiresIn=expires_in,
    )
    return post


def test_patch_names_the_moto_version_it_targets() -> None:
    moto_patches.check_version()  # moto is the release the patches name (or an upgrade trial's)
    assert MOTO_VERSION == moto_patches.MOTO_VERSION


def test_a_signed_unexpired_upload_within_its_conditions_passes() -> None:
    fields = _post()["fields"]
    check_post("bucket", fields, 10, SECRET, datetime.now(UTC))


@pytest.mark.parametrize(
    ("change", "size", "reason"),
    [
        ({"key": "incoming/clinic-b/r.wav"}, 10, "condition failed"),
        ({"Content-Type": "text/html"}, 10, "condition failed"),
        ({"x-amz-meta-extra": "1"}, 10, "not in the policy"),
        ({}, 0, "content-length-range"),
        ({}, 101, "content-length-range"),
        ({"x-amz-signature": "0" * 64}, 10, "signature"),
        ({"policy": None}, 10, "anonymous"),
    ],
)
def test_uploads_outside_the_policy_are_refused(change: dict[str, Any], size: int, reason: str) -> None:
    fields = {**_post()["fields"], **change}
    fields = {k: v for k, v in fields.items() if v is not None}
    with pytest.raises(PolicyViolation, match=reason):
        check_post("bucket", fields, size, SECRET, datetime.now(UTC))


def test_an_expired_policy_or_another_bucket_is_refused() -> None:
    fields = _post(expires_in=60)["fields"]
    with pytest.raises(PolicyViolation, match="expired"):
        check_post("bucket", fields, 10, SECRET, datetime.now(UTC) + timedelta(minutes=2))
    with pytest.raises(PolicyViolation, match="bucket"):
        check_post("other-bucket", fields, 10, SECRET, datetime.now(UTC))
    with pytest.raises(PolicyViolation, match="signature"):
        check_post("bucket", fields, 10, "another-secret", NOW)


@pytest.mark.parametrize("patched", [False, True], ids=["moto", "patched"])
def test_canary_moto_stores_an_unsigned_post(monkeypatch: pytest.MonkeyPatch, patched: bool) -> None:
    """Canary: plain moto stores a browser POST without any policy (once it refuses it, the patch can go);
    with the patch it is 403 AccessDenied, as on S3."""
    import requests
    from moto import mock_aws

    from medscribe.local.moto_patches.s3_post_policy import enforced

    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws(), ExitStack() as stack:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bucket-1")
        if patched:
            stack.enter_context(enforced())
        answer = requests.post(
            "https://bucket-1.s3.amazonaws.com/", data={"key": "anonymous"}, files={"file": b"x"}, timeout=10
        )
        stored = s3.list_objects_v2(Bucket="bucket-1").get("KeyCount", 0)
    if patched:
        assert (answer.status_code, stored) == (403, 0)
    else:
        assert answer.status_code < 300
        assert stored == 1
