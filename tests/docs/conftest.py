"""Prints what the docs check executed and what its annotations skipped, with their reasons."""

from __future__ import annotations

import pytest
from docs_report import REPORT


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = REPORT.lines()
    if lines:
        terminalreporter.section("docs check")
        for line in lines:
            terminalreporter.write_line(line)
