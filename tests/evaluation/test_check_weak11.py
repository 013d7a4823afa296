"""The session 14 weak-flag check set (corpus/drafts/check_weak11.jsonl, PROCEDURE.md section "Session 14
weak-flag check set, helper weak11") is valid, never held out, outside every tuning split, and holds the
structures it was written to check."""

from __future__ import annotations

from collections import Counter

from heldout_support import draft_check_set

NAME = "check_weak11.jsonl"


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the round's draft changes (scored, never tuned on)
    notes = draft_check_set(NAME, at_least=16)
    # Then every note expects a current problem and a wrong row to be named
    for note in notes:
        expect = note["expect"]
        assert expect["problems"], note["id"]
        assert expect["forbidden"], note["id"]


def test_the_check_set_covers_each_structure_at_least_twice() -> None:
    hazards = Counter(h for n in draft_check_set(NAME) for h in n["hazards"])
    for hazard in (
        "given_procedure",
        "doses_from_crew",
        "allergy_contraindication",
        "allergen_as_row",
        "restart_later",
        "last_mention_stop",
    ):
        assert hazards[hazard] >= 2, hazard
