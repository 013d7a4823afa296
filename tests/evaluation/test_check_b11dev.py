"""The session 14 batch11-dev check set (corpus/drafts/check_b11dev.jsonl, PROCEDURE.md section "Session 14
batch11-dev silent-error check set, helper b11dev") is valid, never held out, outside every tuning split, and holds
the structures it was written to check."""

from __future__ import annotations

from collections import Counter

from heldout_support import draft_check_set

NAME = "check_b11dev.jsonl"
STRUCTURES = (
    "intro_with",
    "possessive_site",
    "family_after",
    "structure_state",
    "now_with",
    "outcome_then_drug",
)


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the round's draft changes (scored, never tuned on)
    notes = draft_check_set(NAME, at_least=14)
    # Then every note expects a current problem and a current medication (an omission of either is scored)
    for note in notes:
        expect = note["expect"]
        assert expect["problems"], note["id"]
        assert expect["medications"], note["id"]


def test_the_check_set_covers_each_structure_at_least_twice() -> None:
    hazards = Counter(h for n in draft_check_set(NAME) for h in n["hazards"])
    for hazard in STRUCTURES:
        assert hazards[hazard] >= 2, hazard
