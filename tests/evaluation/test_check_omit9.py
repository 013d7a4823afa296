"""The session 12 omissions check set (corpus/drafts/check_omit9.jsonl, PROCEDURE.md section "Session 12 omissions
check set, helper omit9") is valid, never held out and outside every tuning split."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_omit9.jsonl"


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the session's coverage-guard changes (scored, never tuned on)
    notes = load_notes(NOTES)
    # Then its recogniser forms are derived from the text, its split is "tuning" and it is in no tuning split
    assert check_notes(notes) == []
    assert {n["split"] for n in notes} == {"tuning"}
    assert len(notes) >= 20
    assert all(Path(p).name != NOTES.name for p in TUNING_SPLITS.values())
    # every note expects at least one problem (an omission is a problem, drug or allergy in no section)
    assert all(n["expect"]["problems"] for n in notes)
