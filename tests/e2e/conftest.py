"""A module-wide ``medscribe endpoint`` with seeded recordings (see ops_support); one initialised PostgreSQL data
directory per worker (``pgdata_template``, tests/conftest.py) for the tests that start ``medscribe run`` / ``serve``
or a PostgreSQL holder in a new home (see pg_support.seed_pgdata)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ops_support import LocalEndpoint, seed, start_endpoint


@pytest.fixture(scope="module")
def local_endpoint(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalEndpoint]:
    import psycopg
    from psycopg.conninfo import make_conninfo

    name = f"ops_{tmp_path_factory.getbasetemp().name}".replace("-", "_")[:40]
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    home: Path = tmp_path_factory.mktemp("ops-home")
    endpoint = start_endpoint(make_conninfo(database_url, dbname=name), home)
    try:
        seed(endpoint)
        yield endpoint
    finally:
        endpoint.stop()
