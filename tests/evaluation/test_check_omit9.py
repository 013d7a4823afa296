"""The session 12 omissions check set (corpus/drafts/check_omit9.jsonl, PROCEDURE.md section "Session 12 omissions
check set, helper omit9") is valid, never held out and outside every tuning split."""

from __future__ import annotations

from pathlib import Path

from heldout_support import draft_check_set

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_omit9.jsonl"


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the session's coverage-guard changes (scored, never tuned on)
    notes = draft_check_set(NOTES.name, at_least=20)
    # Then its recogniser forms are derived from the text, its split is "tuning" and it is in no tuning split
    # every note expects at least one problem (an omission is a problem, drug or allergy in no section)
    assert all(n["expect"]["problems"] for n in notes)
