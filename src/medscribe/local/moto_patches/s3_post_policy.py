"""S3 browser uploads (POST Object with a policy) — moto 5.2.6 stores the file without checking anything.

AWS checks, and so does this patch (``S3Response._bucket_response_post``): the policy document and its SigV4
signature (``x-amz-signature`` over the base64 policy, with the signing key of the credential's date, region
and service, and the secret of the local credentials), its expiration, every condition (exact matches,
``eq``, ``starts-with``, ``content-length-range``), and that every form field is covered by a condition (except
``policy``, ``x-amz-signature``, ``file`` and ``x-ignore-*``). A refused upload is 403 ``AccessDenied``, as on
AWS; without a policy the POST is refused too (the bucket is never public-write).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="S3 POST Object (browser upload) checks the policy's SigV4 signature, expiration and conditions, 403 AccessDenied otherwise (S3 API Reference: 'Browser-based uploads using POST').",
    targets=("moto.s3.responses.S3Response._bucket_response_post",),
    canary="tests/local/test_moto_patch_s3_post_policy.py::test_canary_moto_stores_an_unsigned_post",
    private="_bucket_response_post is where moto handles a POST to a bucket; no public hook",
)
_UNSIGNED_FIELDS = {"policy", "x-amz-signature", "file"}


class PolicyViolation(Exception):
    pass


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def check_post(bucket: str, form: dict[str, str], size: int, secret: str, now: datetime) -> None:
    """Raise ``PolicyViolation`` unless the form is a valid, unexpired, signed POST policy upload."""
    fields = {k.lower(): v for k, v in form.items()}
    policy_b64 = fields.get("policy")
    if not policy_b64 or "x-amz-signature" not in fields or "x-amz-credential" not in fields:
        raise PolicyViolation("anonymous POST: a signed policy is required")
    try:
        _akid, date, region, service, _ = fields["x-amz-credential"].split("/")
    except ValueError as exc:
        raise PolicyViolation("malformed credential") from exc
    expected = hmac.new(
        _signing_key(secret, date, region, service), policy_b64.encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, fields["x-amz-signature"]):
        raise PolicyViolation("signature does not match")
    policy = json.loads(base64.b64decode(policy_b64))
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    if expires <= now:
        raise PolicyViolation("policy expired")
    covered = set()
    values = {**fields, "bucket": bucket}
    for condition in policy.get("conditions", []):
        if isinstance(condition, dict):
            for name, value in condition.items():
                covered.add(name.lower())
                if values.get(name.lower()) != value:
                    raise PolicyViolation(f"condition failed: {name}")
        elif condition[0] == "content-length-range":
            if not int(condition[1]) <= size <= int(condition[2]):
                raise PolicyViolation("content-length-range")
        else:
            op, name, value = condition
            field = name.lstrip("$").lower()
            covered.add(field)
            actual = values.get(field)
            if (
                actual is None
                or (op == "eq" and actual != value)
                or (op == "starts-with" and not actual.startswith(value))
            ):
                raise PolicyViolation(f"condition failed: {op} {field}")
    extra = {
        f for f in fields if f not in covered and f not in _UNSIGNED_FIELDS and not f.startswith("x-ignore-")
    }
    if extra:
        raise PolicyViolation(f"fields not in the policy: {sorted(extra)}")


@contextmanager
def enforced() -> Iterator[None]:
    from moto.s3.responses import S3Response

    original = S3Response._bucket_response_post

    def bucket_response_post(self: Any, request: Any, bucket_name: str) -> Any:
        if "delete" in self.querystring:  # DeleteObjects is a POST too: not an upload
            return original(self, request, bucket_name)
        form = {k: v for k, v in self.form_data.items()}
        body = self.body if isinstance(self.body, bytes | bytearray) else str(self.body).encode()
        try:
            check_post(
                bucket_name,
                form,
                len(body),
                os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
                datetime.now(UTC),
            )
        except (PolicyViolation, ValueError, KeyError, TypeError) as exc:
            message = f"Invalid according to Policy: {exc}"
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>'
                f"<Message>{message}</Message></Error>"
            )
            return 403, {"Content-Type": "application/xml"}, xml
        return original(self, request, bucket_name)

    with mock.patch.object(S3Response, "_bucket_response_post", bucket_response_post):
        yield


def apply(stack: Any) -> None:
    """The package's convention (``ExitStack``); ``medscribe serve`` applies it via ``apply_front_door``."""
    stack.enter_context(enforced())
