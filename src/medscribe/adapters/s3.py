"""S3 ``ObjectStore``: every put is SSE-KMS encrypted.

Puts send ``ServerSideEncryption="aws:kms"`` always, plus ``SSEKMSKeyId`` when a key is configured (else S3
uses the account's ``aws/s3`` key) and ``BucketKeyEnabled=True`` (one data key per bucket and period instead
of a KMS call per object). Every read (``head``, ``download``, ``get_bytes``, ``get_json``) of a missing object
raises ``AudioNotFound`` (404 / ``NoSuchKey``); the logic layer re-raises it under its own name where the
object is not audio (e.g. ``TranscriptNotFound``).

Presigned URLs are SigV4 (required for SSE-KMS objects): the store presigns with a twin of its client that
sets ``signature_version="s3v4"`` explicitly (made on first use; presigning is local, no request is sent).

Note: S3 answers 403, not 404, for a missing key when the caller lacks ``s3:ListBucket`` on the bucket, so the
functions that call ``head`` need ``s3:ListBucket`` for ``AudioNotFound`` to be reported as such.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from medscribe.errors import AudioNotFound, ObjectExists
from medscribe.ports import ObjectHead

DEFAULT_PRESIGN_SECONDS = 3600
_MISSING = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchVersion"})
# A conditional write that found the key taken (412), or lost to a concurrent one (409).
_EXISTS = frozenset({"PreconditionFailed", "ConditionalRequestConflict"})


def _real_version(version: str | None) -> str | None:
    """S3 names the version of an object in an unversioned bucket "null": no version to pin."""
    return version if version not in (None, "", "null") else None


def _versioned(args: dict[str, Any], version: str | None) -> dict[str, Any]:
    if _real_version(version):
        args["VersionId"] = version
    return args


def _is_missing(exc: ClientError) -> bool:
    err = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return err.get("Code") in _MISSING or status == 404


class S3ObjectStore:
    def __init__(
        self, client: Any, kms_key_id: str | None = None, presign_endpoint_url: str | None = None
    ) -> None:
        self._client = client
        self._kms_key_id = kms_key_id
        # Locally (``medscribe serve``) links must point at the AWS-compatible endpoint a client can reach.
        self._presign_endpoint_url = presign_endpoint_url
        self._presign_client: Any = None

    def _encryption(self) -> dict[str, Any]:
        args: dict[str, Any] = {"ServerSideEncryption": "aws:kms", "BucketKeyEnabled": True}
        if self._kms_key_id:
            args["SSEKMSKeyId"] = self._kms_key_id
        return args

    def head(self, bucket: str, key: str, *, version: str | None = None) -> ObjectHead:
        """The object's size, ETag, version and user metadata: exactly ``version`` when given (a pinned read:
        ``s3:GetObjectVersion``), else the current one."""
        args = _versioned({"Bucket": bucket, "Key": key}, version)
        try:
            r = self._client.head_object(**args)
        except ClientError as exc:
            if _is_missing(exc):
                raise AudioNotFound(f"s3://{bucket}/{key} does not exist") from exc
            raise
        return ObjectHead(
            size_bytes=int(r["ContentLength"]),
            etag=r["ETag"],
            content_type=r.get("ContentType"),
            version_id=_real_version(r.get("VersionId")),
            metadata=dict(r.get("Metadata") or {}),
        )

    def download(self, bucket: str, key: str, path: Path, *, version: str | None = None) -> None:
        extra = {"VersionId": version} if _real_version(version) else None
        try:
            self._client.download_file(bucket, key, str(path), ExtraArgs=extra)
        except ClientError as exc:
            if _is_missing(exc):
                raise AudioNotFound(f"s3://{bucket}/{key} does not exist") from exc
            raise

    def get_bytes(self, bucket: str, key: str) -> bytes:
        try:
            body = self._client.get_object(Bucket=bucket, Key=key)["Body"]
        except ClientError as exc:
            if _is_missing(exc):
                raise AudioNotFound(f"s3://{bucket}/{key} does not exist") from exc
            raise
        with body:
            data: bytes = body.read()
        return data

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        self._client.put_object(
            Bucket=bucket, Key=key, Body=data, ContentType=content_type, **self._encryption()
        )

    def get_json(self, bucket: str, key: str) -> Any:
        return json.loads(self.get_bytes(bucket, key))

    def copy(
        self,
        bucket: str,
        source_key: str,
        target_key: str,
        *,
        source_version: str | None,
        metadata: Mapping[str, str] | None = None,
        if_absent: bool = False,
    ) -> str | None:
        """Server-side copy (one CopyObject: audio is at most 2 GB, CopyObject goes to 5 GB) of one version of
        ``source_key`` (the current one when ``source_version`` is None) to ``target_key``, SSE-KMS, carrying
        none of the source's user metadata, tags or headers (an uploader's tool may put the file name there),
        only ``metadata``. ``if_absent``: a conditional write (``If-None-Match: *``): a target that exists is
        never replaced, ``ObjectExists`` is raised instead. Returns the new object's version id. A missing
        source raises ``AudioNotFound`` naming no key: the source key is an uploader's file name."""
        source = _versioned({"Bucket": bucket, "Key": source_key}, source_version)
        args: dict[str, Any] = {
            "Bucket": bucket,
            "Key": target_key,
            "CopySource": source,
            "MetadataDirective": "REPLACE",
            "TaggingDirective": "REPLACE",
            "ContentType": "application/octet-stream",
            "Metadata": dict(metadata or {}),
            **self._encryption(),
        }
        if if_absent:
            args["IfNoneMatch"] = "*"
        try:
            response = self._client.copy_object(**args)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in _EXISTS or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 412:
                raise ObjectExists("the target object exists: not replaced") from None
            if _is_missing(exc):
                raise AudioNotFound("the object to copy does not exist") from None
            raise
        return _real_version(response.get("VersionId"))

    def delete(self, bucket: str, key: str, *, version: str | None) -> None:
        """Delete ``key``: exactly ``version`` (permanently, no noncurrent copy left) when given, else the
        current object. An object already gone is no error (S3's DeleteObject is idempotent)."""
        args = {"Bucket": bucket, "Key": key}
        if version:
            args["VersionId"] = version
        try:
            self._client.delete_object(**args)
        except ClientError as exc:
            if not _is_missing(exc):
                raise

    def put_json(self, bucket: str, key: str, value: Any) -> None:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.put_bytes(bucket, key, data, "application/json")

    def _presigner(self) -> Any:
        """A client that signs with SigV4: S3 rejects other signatures on SSE-KMS objects."""
        # botocore still presigns with SigV2 in us-east-1 unless SigV4 is set explicitly, and the effective
        # config cannot tell whether it was: so always presign with a twin client that sets it.
        if self._presign_client is None:
            config = Config(signature_version="s3v4")
            if self._presign_endpoint_url:
                config = config.merge(Config(s3={"addressing_style": "path"}))
            self._presign_client = boto3.client(
                "s3",
                region_name=self._client.meta.region_name,
                endpoint_url=self._presign_endpoint_url,
                config=self._client.meta.config.merge(config),
            )
        return self._presign_client

    def presigned_get(self, bucket: str, key: str, expires_in: int = DEFAULT_PRESIGN_SECONDS) -> str:
        url: str = self._presigner().generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires_in
        )
        return url

    def presigned_post(
        self,
        bucket: str,
        key: str,
        *,
        content_type: str,
        max_bytes: int,
        expires_in: int,
    ) -> dict[str, Any]:
        """A browser-usable upload of exactly ``key``: a SigV4 POST policy that pins the key, the content type
        (which must be ``audio/*``), SSE-KMS with this store's key, and 1..``max_bytes`` bytes, valid
        ``expires_in`` seconds. Returns ``{"url", "fields"}``."""
        if not content_type.startswith("audio/"):
            raise ValueError("content type must be audio/*")
        fields: dict[str, str] = {"Content-Type": content_type, "x-amz-server-side-encryption": "aws:kms"}
        conditions: list[Any] = [
            {"bucket": bucket},
            ["eq", "$key", key],
            ["content-length-range", 1, max_bytes],
            ["eq", "$Content-Type", content_type],
            ["starts-with", "$Content-Type", "audio/"],
            {"x-amz-server-side-encryption": "aws:kms"},
        ]
        if self._kms_key_id:
            fields["x-amz-server-side-encryption-aws-kms-key-id"] = self._kms_key_id
            conditions.append({"x-amz-server-side-encryption-aws-kms-key-id": self._kms_key_id})
        post: dict[str, Any] = self._presigner().generate_presigned_post(
            Bucket=bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in
        )
        return post
