"""The session 13 medication precision check set (corpus/drafts/check_medprec10.jsonl, PROCEDURE.md section "Session
13 medication precision check set") is valid, entity-only, never held out, and holds what it was written to check.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from heldout_support import draft_check_set


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
