"""A module-wide ``medscribe endpoint`` with seeded recordings (see ops_support); one initialised PostgreSQL data
directory per worker (``pgdata_template``, tests/conftest.py) for the tests that start ``medscribe run`` / ``serve``
or a PostgreSQL holder in a new home (see pg_support.seed_pgdata)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ops_support import LocalEndpoint, seed, start_endpoint
from pg_support import own_database


@pytest.fixture(scope="module")
def local_endpoint(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalEndpoint]:
    name = f"ops_{tmp_path_factory.getbasetemp().name}".replace("-", "_")[:40]
    with own_database(database_url, name) as url:
        home: Path = tmp_path_factory.mktemp("ops-home")
        endpoint = start_endpoint(url, home)
        try:
            seed(endpoint)
            yield endpoint
        finally:
            endpoint.stop()
