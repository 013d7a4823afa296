"""README.md is a front page and the docs stand alone (issue 19, item 5): the README stays within 150 lines, and
neither it nor docs/ sends a reader to an issue tracker or notes that are not in the repository ("(issue 18)",
"(FINDINGS)")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docs_blocks import DOCS, ROOT

TRACKER = re.compile(r"\bissues? ?#?\d+|/issues/\d+", re.I)
# Notes of the developers' machine that a clone does not have (/work/shared/FINDINGS.md and its like)
OUTSIDE = re.compile(r"\bFINDINGS\b|/work/|\bshared/(?:FINDINGS|DESIGN)")


def test_the_readme_is_a_front_page_of_at_most_150_lines() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, len(lines)


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_no_reference_to_a_tracker_outside_the_repo(doc: Path) -> None:
    lines = doc.read_text(encoding="utf-8").splitlines()
    found = [
        f"{doc.name}:{n}: {m.group(0)!r}" for n, line in enumerate(lines, 1) for m in TRACKER.finditer(line)
    ]
    assert not found, found


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_no_reference_to_notes_outside_the_repo(doc: Path) -> None:
    lines = doc.read_text(encoding="utf-8").splitlines()
    found = [
        f"{doc.name}:{n}: {m.group(0)!r}" for n, line in enumerate(lines, 1) for m in OUTSIDE.finditer(line)
    ]
    assert not found, found


def test_the_tracker_pattern_finds_what_it_must_and_spares_the_rest() -> None:
    shown = ["Backfill (issue 18)", "Issue 16 (items 1 and 6)", "see issue #12", "github.com/o/r/issues/3"]
    spared = ["UAX #9 shaping", "issues of dosing", "item 7", "the tissue 3 cm"]
    assert all(TRACKER.search(s) for s in shown)
    assert not any(TRACKER.search(s) for s in spared)
