"""The session 15 medication precision check set (corpus/drafts/check_medprec12.jsonl, PROCEDURE.md section "Session
15 medication precision check set, helper medprec12") is valid, never held out, outside every tuning split, and holds
the structures it was written to check."""

from __future__ import annotations

from collections import Counter

from heldout_support import draft_check_set

NAME = "check_medprec12.jsonl"
STRUCTURES = (
    "drug_in_name",
    "class_in_passing",
    "given_once",
    "stopped",
    "other_person",
    "allergy",
    "not_started",
)


def test_the_check_set_is_valid_and_every_note_expects_a_current_drug() -> None:
    # Given the check set written before the round's code changes (scored, never tuned on)
    notes = draft_check_set(NAME, at_least=14)
    # Then every note expects a current medication, forbids a drug as current, and references MEDICATION only
    for note in notes:
        expect = note["expect"]
        assert expect["medications"], note["id"]
        assert expect["forbidden"], note["id"]
        assert {e["category"] for e in expect["entities"]} == {"MEDICATION"}, note["id"]


def test_the_check_set_covers_each_structure_at_least_twice() -> None:
    hazards = Counter(h for n in draft_check_set(NAME) for h in n["hazards"])
    for hazard in STRUCTURES:
        assert hazards[hazard] >= 2, hazard


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
