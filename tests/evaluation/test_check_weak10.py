"""The session 13 weak-flag check set (corpus/drafts/check_weak10.jsonl, PROCEDURE.md section "Session 13
weak-flag check set, helper weak10") is valid, never held out, outside every tuning split, and holds the
structures it was written to check."""

from __future__ import annotations

from collections import Counter

from heldout_support import draft_check_set

NAME = "check_weak10.jsonl"


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the round's draft changes (scored, never tuned on)
    notes = draft_check_set(NAME, at_least=16)
    # Then every note expects a current item, and a wrong one or a dose to read
    for note in notes:
        expect = note["expect"]
        assert expect["problems"], note["id"]
        assert expect["medications"] or expect["forbidden"], note["id"]


def test_the_check_set_covers_each_structure_at_least_twice() -> None:
    hazards = Counter(h for n in draft_check_set(NAME) for h in n["hazards"])
    for hazard in (
        "loading_dose",
        "past_reaction",
        "percent_strength",
        "fraction_said",
        "allergy_class",
        "hypothetical_blank",
        "two_cues",
    ):
        assert hazards[hazard] >= 2, hazard
