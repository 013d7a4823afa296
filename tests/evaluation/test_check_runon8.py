"""The session 11 run-on check set (corpus/drafts/check_runon8.jsonl, PROCEDURE.md section "Session 11 run-on check
set, helper runon8"): every note says a current item beside one of another section (its validity, size and
structures: test_check_sets.py)."""

from __future__ import annotations

from heldout_support import draft_check_set

OTHERS = ("denied", "family_history", "conditional", "not_taking", "allergies", "forbidden")


def test_every_note_says_a_current_item_beside_one_of_another_section() -> None:
    for note in draft_check_set("check_runon8.jsonl"):
        expect = note["expect"]
        assert any(expect[k] for k in OTHERS) or len(expect["medications"]) > 1, note["id"]
