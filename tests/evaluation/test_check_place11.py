"""The session 14 placement check set (corpus/drafts/check_place11.jsonl, PROCEDURE.md section "Session 14 omission
and placement check set, helper place11") is valid, never held out, outside every tuning split, and holds the
structures it was written to check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from heldout_support import draft_check_set

from medscribe.evaluation.drafts import WHY_CATEGORY, load_notes, names_category

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_place11.jsonl"


def test_the_check_set_is_valid_and_every_note_expects_a_current_medication() -> None:
    notes = draft_check_set(NOTES.name, at_least=16)
    for note in notes:
        assert note["expect"]["medications"], note["id"]
        assert all(f["why"] in WHY_CATEGORY for f in note["expect"]["forbidden"]), note["id"]


def test_the_check_set_covers_each_structure() -> None:
    hazards = Counter(h for n in load_notes(NOTES) for h in n["hazards"])
    for hazard in ("past_cue_after", "now_after_past", "resolved_after", "ing_form"):
        assert hazards[hazard] >= 3, hazard


def test_a_resolved_condition_shown_as_current_is_named_only_by_a_flag_saying_it_may_be_past() -> None:
    # Given the category of a condition said as over ("a rash which has resolved")
    category = WHY_CATEGORY["resolved"]
    # Then a history flag names it, and a flag about something else does not
    assert names_category({"flags": ["HISTORY_SCOPE_UNCLEAR"]}, category)
    assert not names_category({"flags": ["BLANK_CELL"]}, category)
