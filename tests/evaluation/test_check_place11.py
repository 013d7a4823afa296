"""The session 14 placement check set (corpus/drafts/check_place11.jsonl, PROCEDURE.md section "Session 14 omission
and placement check set, helper place11") is valid, never held out, outside every tuning split, and holds the
structures it was written to check.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from medscribe.evaluation.drafts import WHY_CATEGORY, names_category


def test_a_resolved_condition_shown_as_current_is_named_only_by_a_flag_saying_it_may_be_past() -> None:
    # Given the category of a condition said as over ("a rash which has resolved")
    category = WHY_CATEGORY["resolved"]
    # Then a history flag names it, and a flag about something else does not
    assert names_category({"flags": ["HISTORY_SCOPE_UNCLEAR"]}, category)
    assert not names_category({"flags": ["BLANK_CELL"]}, category)
