"""The test modules' assertion-rewritten bytecode, written once by the xdist controller before its workers start.

pytest rewrites the ``assert`` statements of every test module and conftest it imports, then caches the result
beside the source (``__pycache__/<name>.<tag>-pytest-<version>.pyc``) unless ``sys.dont_write_bytecode``
(``PYTHONDONTWRITEBYTECODE``, set on this machine and many CI images) is set; it reads that cache whatever the
variable says. So on such a host, and on any fresh checkout, each xdist worker rewrote every test module again:
about 4.6 s of a worker's 12 s of collection CPU (docs/test-speed.md, "Session 15, speed15b"). The controller
now writes the missing or stale ones first, with pytest's own rewriter, and the workers read them.

It uses pytest's rewriting functions (``_pytest.assertion.rewrite``; pytest is pinned in constraints.txt): the
code written is what the worker's own rewrite would produce, and a cached file pytest finds stale (its source's
hash differs) is rewritten: here before the next run, and by pytest when it reads it."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from _pytest.assertion import rewrite as _rewrite
from _pytest.assertion.rewrite import assertstate_key


def rewritten_pyc(source: Path) -> Path:
    """Where pytest keeps ``source``'s rewritten bytecode (``AssertionRewritingHook.exec_module``)."""
    return _rewrite.get_cache_dir(source) / (source.name[:-3] + _rewrite.PYC_TAIL)


def rewritten_modules(config: pytest.Config, args: Iterable[str]) -> Iterator[Path]:
    """The files pytest rewrites under the given paths (directories, files or node ids): the test modules
    (``python_files``) and the conftests."""
    patterns = [*config.getini("python_files"), "conftest.py"]
    for arg in args:
        path = Path(config.invocation_params.dir, arg.split("::", 1)[0])
        candidates = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        yield from (
            p
            for p in candidates
            if p.suffix == ".py" and any(fnmatch.fnmatch(p.name, pat) for pat in patterns)
        )


def write_rewritten(config: pytest.Config, sources: Iterable[Path]) -> list[Path]:
    """Write the rewritten bytecode of each source whose cached copy is missing or stale; returns those written.
    Nothing is written where pytest would not write (a read-only directory) or without assertion rewriting."""
    if assertstate_key not in config.stash or config.getoption("assertmode") != "rewrite":
        return []
    state = config.stash[assertstate_key]
    written = []
    for source in sources:
        pyc = rewritten_pyc(source)
        if _rewrite._read_pyc(source, pyc, state.trace) is not None:
            continue
        if not _rewrite.try_makedirs(pyc.parent):
            continue
        source_hash, code = _rewrite._rewrite_test(source, config)
        _rewrite._write_pyc(state, code, source_hash, pyc)
        written.append(pyc)
    return written
