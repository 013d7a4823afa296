"""The test run's decode memo (``medscribe.offline.decode_memo``) for the ``medscribe`` subprocesses of the e2e and
docs tests: ``env | memo_env()`` makes a subprocess decode each distinct audio once per test run (the first job
on it decodes for real; later jobs on the same bytes get that output). These tests run the shipped dictation
through the CLI, ``serve`` and ``endpoint`` dozens of times to test them, not the decode; the ASR is tested in
tests/offline, and the runs listed in docs/testing.md ("Speed and isolation") still decode for real.

The directory is made once per test run by tests/conftest.py (the xdist controller, or the only process) and
reaches the workers in the environment; it is removed when the run ends."""

from __future__ import annotations

import os

import pytest

from medscribe.offline.decode_memo import MEMO_ENV

RUN_MEMO_ENV = "MEDSCRIBE_TESTS_DECODE_MEMO"  # the run's memo directory; the harness's, not medscribe's


def memo_env() -> dict[str, str]:
    """The variable that turns the memo on in a subprocess (none when the run has no memo directory)."""
    memo = os.environ.get(RUN_MEMO_ENV)
    return {MEMO_ENV: memo} if memo else {}


def memo_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo on in this process until the test ends: an in-process ``LocalPipeline`` whose test is not about
    the decode (its jobs' ``workers.transcribe`` reads the variable at each call; the workers inherit it)."""
    for name, value in memo_env().items():
        monkeypatch.setenv(name, value)
