"""The xdist controller writes the test modules' assertion-rewritten bytecode before its workers start
(tests/rewrite_support.py, called from tests/conftest.py): what it writes is pytest's own rewrite, which pytest's
loader reads back, and a changed module is written again."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from _pytest.assertion import rewrite
from rewrite_support import rewritten_modules, rewritten_pyc, write_rewritten

TEST_MODULE = """
def test_sum():
    total = sum([1, 2])
    assert total == 4
"""


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(
        sys, "dont_write_bytecode", True
    )  # as PYTHONDONTWRITEBYTECODE sets it (this machine, CI)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "test_one.py").write_text(TEST_MODULE)
    (tmp_path / "sub" / "conftest.py").write_text("X = 1\n")
    (tmp_path / "sub" / "helpers.py").write_text("assert True\n")
    return tmp_path


def test_the_modules_pytest_rewrites_are_the_test_files_and_conftests(
    suite: Path, pytestconfig: pytest.Config
) -> None:
    # Given a directory and a node id under it
    found = list(rewritten_modules(pytestconfig, [str(suite), f"{suite}/sub/test_one.py::test_sum"]))
    # Then its test modules and conftests are listed, not other modules
    assert [p.relative_to(suite).as_posix() for p in found] == [
        "sub/conftest.py",
        "sub/test_one.py",
        "sub/test_one.py",
    ]


def test_the_written_bytecode_is_pytests_rewrite_and_pytest_reads_it(
    suite: Path, pytestconfig: pytest.Config
) -> None:
    source = suite / "sub" / "test_one.py"
    # When the controller writes the rewritten modules (with bytecode writing off, as on this machine)
    written = write_rewritten(pytestconfig, [source])
    # Then the file is where pytest's loader looks, and pytest reads it back as current
    assert written == [rewritten_pyc(source)]
    code = rewrite._read_pyc(source, written[0])
    assert code is not None
    # And it is the rewritten module: a failing assert explains its operands (a plain compile would not)
    module = types.ModuleType("test_one")
    exec(code, module.__dict__)
    with pytest.raises(AssertionError) as failed:
        module.test_sum()
    assert "assert 3 == 4" in str(failed.value)
    # And a second call writes nothing: the cached copy is current
    assert write_rewritten(pytestconfig, [source]) == []


def test_a_changed_module_is_written_again(suite: Path, pytestconfig: pytest.Config) -> None:
    source = suite / "sub" / "test_one.py"
    write_rewritten(pytestconfig, [source])
    # When the module changes after its bytecode was written
    source.write_text(TEST_MODULE.replace("== 4", "== 5"))
    # Then it is written again, from the new source
    assert write_rewritten(pytestconfig, [source]) == [rewritten_pyc(source)]
    code = rewrite._read_pyc(source, rewritten_pyc(source))
    assert code is not None
    module = types.ModuleType("test_one")
    exec(code, module.__dict__)
    with pytest.raises(AssertionError, match="assert 3 == 5"):
        module.test_sum()
