"""The session 12 batch9-dev check set (corpus/drafts/check_b9dev.jsonl, PROCEDURE.md section "Session 12
batch9-dev silent-error check set, helper b9dev") is valid, never held out, outside every tuning split, and holds
the structures it was written to check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from heldout_support import draft_check_set

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_b9dev.jsonl"


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the round's draft changes (scored, never tuned on)
    notes = draft_check_set(NOTES.name)
    # Then its recogniser forms are derived from the text, its split is "tuning" and it is in no tuning split
    # and every note expects a current item beside a wrong one (a forbidden fact or a denied item)
    for note in notes:
        expect = note["expect"]
        assert expect["problems"] or expect["medications"], note["id"]
        assert expect["forbidden"] or expect["denied"], note["id"]


def test_the_check_set_covers_each_structure_at_least_twice() -> None:
    hazards = Counter(h for n in load_notes(NOTES) for h in n["hazards"])
    for hazard in (
        "unclear_alternative",
        "unclear_whether",
        "other_person_noun",
        "negation_then_clause",
        "record_contrast_after",
    ):
        assert hazards[hazard] >= 2, hazard
