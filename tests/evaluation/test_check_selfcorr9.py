"""The session 12 cross-sentence self-correction check set (corpus/drafts/check_selfcorr9.jsonl, PROCEDURE.md section
"Session 12 cross-sentence self-correction check set, helper selfcorr9") is valid, outside every tuning split, and
holds the shapes it was written to check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from heldout_support import draft_check_set

from medscribe.evaluation.drafts import WHY_CATEGORY, load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_selfcorr9.jsonl"
SHAPES = ("xs_name", "xs_dose", "xs_condition", "xs_side", "xs_frequency", "retract_only")


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the session's correction changes (scored, never tuned on)
    notes = draft_check_set(NOTES.name)
    # Then its recogniser forms are derived from the text, it is held out of no scorer and in no tuning split
    # every forbidden fact has a category the scorer knows, and every correction note needs review
    for note in notes:
        expect = note["expect"]
        assert all(f["why"] in WHY_CATEGORY for f in expect["forbidden"]), note["id"]
        assert expect["needs_review"] == ("distractor" not in note["hazards"]), note["id"]


def test_the_check_set_holds_forty_corrections_across_its_shapes() -> None:
    notes = load_notes(NOTES)
    hazards = Counter(h for n in notes for h in n["hazards"])
    assert sum(1 for n in notes if "distractor" not in n["hazards"]) >= 40
    for shape in SHAPES:
        assert hazards[shape] >= 3, shape
    assert hazards["unclear_two"] + hazards["unclear_type"] >= 4
    assert hazards["across"] > hazards["within"]
