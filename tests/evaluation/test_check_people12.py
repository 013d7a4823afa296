"""The session 15 subject / question-answer / retracted-allergen check set (corpus/drafts/check_people12.jsonl,
PROCEDURE.md section "Session 15 subject, question-answer and retracted-allergen check set, helper people12") is
valid, never held out, outside every tuning split, and holds the structures it was written to check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from heldout_support import draft_check_set

from medscribe.evaluation.drafts import WHY_CATEGORY, load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_people12.jsonl"


def test_the_check_set_is_valid_and_every_note_expects_a_current_medication() -> None:
    notes = draft_check_set(NOTES.name, at_least=16)
    for note in notes:
        assert note["expect"]["medications"], note["id"]
        assert all(f["why"] in WHY_CATEGORY for f in note["expect"]["forbidden"]), note["id"]


def test_the_check_set_covers_each_structure() -> None:
    hazards = Counter(h for n in load_notes(NOTES) for h in n["hazards"])
    assert hazards["coordinated_subject"] >= 5
    assert hazards["question_answer"] >= 6
    assert hazards["retracted_allergen"] >= 2
    assert hazards["allergy_other_speaker"] + hazards["allergy_other_person"] >= 2
