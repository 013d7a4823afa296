"""The durable local state keeps S3 object bodies content-addressed (``state/bodies/<sha256>``): each body is
written once, not with every snapshot; a restart reads them back; a deleted object's body goes away."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from medscribe.local.engine import LocalPipeline, project_root

pytestmark = pytest.mark.e2e


def _stack(home: Path) -> LocalPipeline:
    # No SQL step runs here: a DATABASE_URL that is never connected spares starting PostgreSQL.
    return LocalPipeline(
        project_root(), home=home, persist=True, database_url="postgresql://unused@127.0.0.1:1/unused"
    )


def test_object_bodies_are_written_once_and_survive_a_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, second, third = os.urandom(200_000), os.urandom(150_000), os.urandom(100_000)
    bodies = home / "state" / "bodies"
    # Given a persistent stack in which two objects are stored
    with _stack(home) as stack:
        s3 = stack.client("s3")
        s3.put_object(Bucket=stack.bucket, Key="outputs/first", Body=first)
        s3.put_object(Bucket=stack.bucket, Key="outputs/second", Body=second)
        stack.state.save()
        stack.state.save()  # a second save with nothing new
        written_first_run = stack.state.bodies.written
    # Then each body is one file named after its digest, and the snapshot does not carry the bodies
    names = {p.name for p in bodies.iterdir()}
    assert {hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()} <= names
    snapshot = (home / "state" / "moto.pickle").read_bytes()
    assert first[:4096] not in snapshot
    assert second[:4096] not in snapshot
    assert written_first_run == len(names)  # every body once, however many saves
    # When the stack starts again on the same home, stores a third object and deletes the second (every
    # version of it: the bucket is versioned)
    with _stack(home) as stack:
        s3 = stack.client("s3")
        assert s3.get_object(Bucket=stack.bucket, Key="outputs/first")["Body"].read() == first
        s3.put_object(Bucket=stack.bucket, Key="outputs/third", Body=third)
        versions = s3.list_object_versions(Bucket=stack.bucket, Prefix="outputs/second")["Versions"]
        for version in versions:
            s3.delete_object(Bucket=stack.bucket, Key="outputs/second", VersionId=version["VersionId"])
        stack.state.save()
        # Then only the new body was written (the restored objects kept their digests)
        assert stack.state.bodies.written == 1
    # And the deleted object's body is gone once a snapshot without it is in place; the others remain
    names = {p.name for p in bodies.iterdir()}
    assert hashlib.sha256(third).hexdigest() in names
    assert hashlib.sha256(first).hexdigest() in names
    assert hashlib.sha256(second).hexdigest() not in names
    with _stack(home) as stack:
        s3 = stack.client("s3")
        assert s3.get_object(Bucket=stack.bucket, Key="outputs/third")["Body"].read() == third
