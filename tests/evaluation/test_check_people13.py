"""The session 16 planned / declined / corrected-allergy check set (corpus/drafts/check_people13.jsonl, PROCEDURE.md
section "Session 16 planned, declined and corrected-allergy check set, helper people13") is valid, never held out,
outside every tuning split, and holds the structures it was written to check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from heldout_support import draft_check_set

from medscribe.evaluation.drafts import WHY_CATEGORY, load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_people13.jsonl"


def test_the_check_set_is_valid_and_every_note_expects_a_current_medication() -> None:
    notes = draft_check_set(NOTES.name, at_least=16)
    for note in notes:
        assert note["expect"]["medications"], note["id"]
        assert all(f["why"] in WHY_CATEGORY for f in note["expect"]["forbidden"]), note["id"]


def test_the_check_set_covers_each_structure() -> None:
    hazards = Counter(h for n in load_notes(NOTES) for h in n["hazards"])
    assert hazards["planned_drug"] >= 6
    assert hazards["declined_drug"] >= 3
    assert hazards["corrected_allergy_list"] + hazards["retracted_nkda"] >= 4
    assert hazards["current_with_future_review"] >= 2
