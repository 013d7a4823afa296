"""The session 15 medication precision check set (corpus/drafts/check_medprec12.jsonl, PROCEDURE.md section "Session
15 medication precision check set, helper medprec12") is valid, never held out, outside every tuning split, and holds
the structures it was written to check.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from heldout_support import draft_check_set

NAME = "check_medprec12.jsonl"


def test_drug_words_inside_a_test_or_enzyme_name_are_traps_not_references() -> None:
    notes = draft_check_set(NAME)
    refs = {e["text"].lower() for n in notes for e in n["expect"]["entities"]}
    texts = " ".join(n["text"].lower() for n in notes)
    for trap in (
        "lithium level",
        "glucose-6-phosphate",
        "thiopurine methyltransferase",
        "insulin resistance",
    ):
        assert trap in texts
    assert not {"lithium", "glucose", "thiopurine", "insulin"} & refs
