"""The session 16 batch13-dev check set (corpus/drafts/check_b13dev.jsonl, PROCEDURE.md section "Session 16
batch13-dev silent-error check set, helper b13dev") is valid, never held out, outside every tuning split, and holds
the structures it was written to check."""

from __future__ import annotations

from collections import Counter

from heldout_support import draft_check_set

NAME = "check_b13dev.jsonl"
STRUCTURES = ("resolved_after_date", "state_before_test", "filler_list", "answer_then_question")


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the round's draft changes (scored, never tuned on)
    notes = draft_check_set(NAME, at_least=13)
    # Then every note expects a current problem and a current medication (an omission of either is scored)
    for note in notes:
        expect = note["expect"]
        assert expect["problems"], note["id"]
        assert expect["medications"], note["id"]
        # and references every drug it names (only MEDICATION P / R is read on this set)
        assert {e["category"] for e in expect["entities"]} == {"MEDICATION"}, note["id"]


def test_the_check_set_covers_each_structure_at_least_three_times() -> None:
    hazards = Counter(h for n in draft_check_set(NAME) for h in n["hazards"])
    for hazard in STRUCTURES:
        assert hazards[hazard] >= 3, hazard
