"""The session 11 run-on check set (corpus/drafts/check_runon8.jsonl, PROCEDURE.md section "Session 11 run-on check
set, helper runon8") is valid, never held out, outside every tuning split, and holds the structures it was written
to check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from heldout_support import draft_check_set

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_runon8.jsonl"


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the session's scope changes (scored, never tuned on)
    notes = draft_check_set(NOTES.name, at_least=20)
    # Then its recogniser forms are derived from the text, its split is "tuning" (no scorer treats it as held out)
    # and it is in no tuning split, so scripts/form_differences.py never itemises it
    # every note has an expectation of a current item and one of another section beside it
    for note in notes:
        expect = note["expect"]
        assert expect["problems"] or expect["medications"], note["id"]
        others = ("denied", "family_history", "conditional", "not_taking", "allergies", "forbidden")
        assert any(expect[k] for k in others) or len(expect["medications"]) > 1, note["id"]


def test_the_check_set_covers_each_scope_structure_at_least_three_times() -> None:
    notes = load_notes(NOTES)
    hazards = Counter(h for n in notes for h in n["hazards"])
    for hazard in ("negation_unpunctuated", "family", "hypothetical", "stopped"):
        assert hazards[hazard] >= 3, hazard
