"""The session 16 medication precision check set (corpus/drafts/check_medprec13.jsonl, PROCEDURE.md section "Session
16 medication precision check set, helper medprec13") is valid, never held out, outside every tuning split, and holds
the structures it was written to check."""

from __future__ import annotations

from collections import Counter

from heldout_support import draft_check_set

NAME = "check_medprec13.jsonl"
STRUCTURES = (
    "susceptibility",
    "test_kind",
    "allergy_guard",
    "swap",
    "no_effect",
    "cannot_tolerate",
    "gave_up",
    "condition_word",
)


def test_the_check_set_is_valid_and_every_note_expects_a_current_drug() -> None:
    # Given the check set written before the round's code changes (scored, never tuned on)
    notes = draft_check_set(NAME, at_least=24)
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


def test_a_susceptibility_drug_is_forbidden_as_current_and_never_an_expected_allergy() -> None:
    for note in draft_check_set(NAME):
        if "susceptibility" not in note["hazards"]:
            continue
        expect = note["expect"]
        forbidden = {f["name"] for f in expect["forbidden"] if f["why"] == "not taking"}
        allergies = {a["substance"] for a in expect["allergies"]}
        assert forbidden, note["id"]
        assert not forbidden & allergies, note["id"]
