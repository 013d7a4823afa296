"""The docs run: every command block of README.md and docs/*.md is executed, as a reader would, against one
``medscribe serve`` started for this module (docs/testing.md, "Docs that run").

Given a document's runnable blocks (sh, bash, shell, console, python) and its docs-check annotations,
when its blocks run in order in one shell session in a temp mirror of the checkout,
then each exits 0 (or the exit code its annotation names), a block that is not annotated is never left out,
and the document leaves nothing in the checkout but ``out/``.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from docs_blocks import COMMAND_LIKE, DOCS, ROOT, all_blocks, blocks_of
from docs_report import REPORT
from docs_session import Serve, Session, start_serve
from pg_support import seed_pgdata

BLOCKS = all_blocks()
RUNNABLE_DOCS = [d for d in DOCS if any(b.runnable for b in blocks_of(d))]


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory, pgdata_template: Path) -> Iterator[Serve]:
    """The reader's `medscribe serve &`, in a home whose PostgreSQL is initialised, as a reader's is by then (the
    README's `make demo` runs first). The product's initdb in a new home runs in the reader's own home: `make
    demo` (the first block, reader_home below, never seeded)."""
    home = tmp_path_factory.mktemp("docs-serve-home")
    seed_pgdata(pgdata_template, home / "pgdata")
    server = start_serve(home)
    try:
        yield server
    finally:
        server.stop()


def git_status() -> set[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return set(done.stdout.splitlines()) if done.returncode == 0 else set()


@pytest.fixture(scope="module")
def checkout_before() -> set[str]:
    """The checkout's changed and untracked files before any block ran (the mirror links into it)."""
    return git_status()


@pytest.fixture(scope="module")
def reader_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One reader's MEDSCRIBE_HOME across the documents, read in order (a backfill re-run skips what ran)."""
    return tmp_path_factory.mktemp("docs-reader-home")


def test_every_block_that_shows_commands_says_its_language() -> None:
    """An unlabelled fence with commands in it would escape the check: it must say sh/console/..."""
    unlabelled = [
        f"{b.where}: {line}"
        for b in BLOCKS
        if not b.lang
        for line in b.body.splitlines()
        if COMMAND_LIKE.match(line)
    ]
    assert not unlabelled, "label these fences (```sh, ```console) or make them not look like commands"


@pytest.mark.parametrize("doc", RUNNABLE_DOCS, ids=[str(d.relative_to(ROOT)) for d in RUNNABLE_DOCS])
def test_the_document_runs_as_written(
    doc: Path, serve: Serve, reader_home: Path, checkout_before: set[str], tmp_path: Path
) -> None:
    REPORT.started(str(doc.relative_to(ROOT)))
    session = Session(tmp_path, serve, reader_home)
    try:
        for block in blocks_of(doc):
            if not block.runnable:
                continue
            if block.skipped is not None:
                REPORT.skipped(block, block.skipped.reason)
                continue
            outcome = session.run(block)
            REPORT.ran(outcome)
            assert outcome.returncode == 0, (
                f"{block.where} exited {outcome.returncode} after {outcome.seconds:.1f} s:\n{outcome.tail()}"
                f"\n--- serve's last lines:\n{''.join(serve.log[-15:])}"
            )
    finally:
        session.close()
    left = [name for name in session.created() if name != "out"]
    assert not left, f"{doc.name} wrote {left} into the checkout: only out/ or a temp dir"
    changed = git_status() - checkout_before
    assert not changed, f"{doc.name} changed the checkout through the mirror's links: {sorted(changed)}"


def test_every_recording_the_docs_sent_to_serve_completed(serve: Serve) -> None:
    """The walk-throughs wait for theirs; `aws s3 cp` (docs/local-mode.md) only says it "starts the real
    pipeline": every execution on the serve ends SUCCEEDED (bounded wait), none is left running."""
    if not {"README.md", "docs/local-mode.md"} <= REPORT.documents:
        pytest.skip("only some documents ran (-k): run the whole module")
    statuses = serve.executions(wait_seconds=180)
    assert len(statuses) >= 3, statuses  # the README's walk-through, local-mode's walk-through and its cp
    assert set(statuses.values()) == {"SUCCEEDED"}, statuses


def test_every_block_not_annotated_ran() -> None:
    """Last in this module: the documents above ran every runnable block their annotations do not skip."""
    if REPORT.documents != {str(d.relative_to(ROOT)) for d in RUNNABLE_DOCS}:
        pytest.skip("only some documents ran (-k): run the whole module")
    expected = {b.where for b in BLOCKS if b.runnable and b.skipped is None}
    assert expected, "no runnable block found"
    assert not expected - REPORT.ran_blocks, f"not run: {sorted(expected - REPORT.ran_blocks)}"
    reasons = [r for _, r in REPORT.skips]
    assert all(re.search(r"\w{3}", r) for r in reasons)
