"""The session 13 batch10-dev check set (corpus/drafts/check_b10dev.jsonl, PROCEDURE.md section "Session 13
batch10-dev silent-error check set, helper b10dev") is valid, never held out, outside every tuning split, and holds
the structures it was written to check."""

from __future__ import annotations

from collections import Counter

from heldout_support import draft_check_set

NAME = "check_b10dev.jsonl"


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the round's draft changes (scored, never tuned on)
    notes = draft_check_set(NAME, at_least=10)
    # Then every note expects a current problem and a current medication (an omission of either is scored)
    for note in notes:
        expect = note["expect"]
        assert expect["problems"], note["id"]
        assert expect["medications"], note["id"]


def test_the_check_set_covers_each_structure_at_least_three_times() -> None:
    hazards = Counter(h for n in draft_check_set(NAME) for h in n["hazards"])
    for hazard in ("site_condition", "unknown_brand_count", "lay_after_condition"):
        assert hazards[hazard] >= 3, hazard
