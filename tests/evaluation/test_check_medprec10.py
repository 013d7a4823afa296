"""The session 13 medication precision check set (corpus/drafts/check_medprec10.jsonl, PROCEDURE.md section "Session
13 medication precision check set") is valid, entity-only, never held out, and holds what it was written to check."""

from __future__ import annotations

from heldout_support import draft_check_set

from medscribe.evaluation import entity_set

SPECIALTIES = ["cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"]


def test_the_check_set_is_valid_and_holds_medication_references_only() -> None:
    # Given the check set written before the session's detector changes (scored, never tuned on)
    notes = draft_check_set("check_medprec10.jsonl", at_least=14)
    # Then its offsets are right, the specialties come in turn, and every reference is a MEDICATION
    assert entity_set.check(notes) == []
    assert [n["specialty"] for n in notes] == SPECIALTIES * 2
    refs = [r for n in notes for r in n["expect"]["entities"]]
    assert len(refs) >= 40
    assert {r["Category"] for r in refs} == {"MEDICATION"}


def test_analytes_levels_routes_and_foods_are_traps_not_references() -> None:
    notes = draft_check_set("check_medprec10.jsonl")
    refs = {r["Text"].lower() for n in notes for r in n["expect"]["entities"]}
    texts = " ".join(n["text"].lower() for n in notes)
    traps = [
        "potassium",
        "sodium",
        "calcium",
        "magnesium",
        "vitamin d",
        "b12",
        "testosterone",
        "thyroxine",
        "insulin",
    ]
    traps += ["intramuscular", "subcutaneous", "nebulised", "intrathecal", "transdermal", "grapefruit juice"]
    for trap in traps:
        assert trap in texts
        assert trap not in refs
    assert {"sando-k", "vitamin k", "folic acid", "levothyroxine", "paracetamol"} <= refs
