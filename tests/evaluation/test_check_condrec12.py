"""The condition-recall check set of session 15 (corpus/drafts/check_condrec12.jsonl, PROCEDURE.md section
"condrec12") is valid: entity-only, split "tuning", condition references only, one specialty per note, and it holds
the word shapes it measures (Latin plurals, deficiency names, eponymous signs, past-tense symptom verbs)."""

from __future__ import annotations

from heldout_support import draft_check_set

from medscribe.evaluation import entity_set


def test_the_set_is_valid_and_holds_the_shapes_it_measures() -> None:
    # Given the stored set (forms, split "tuning", in no tuning split)
    notes = draft_check_set("check_condrec12.jsonl", at_least=12)
    refs = [r for n in notes for r in n["expect"]["entities"]]
    texts = [r["Text"] for r in refs]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then its offsets give the texts, it holds condition references only, one specialty a note, with each shape
    # and every trait
    assert entity_set.check(notes) == []
    assert len(refs) >= 70
    assert {r["Category"] for r in refs} == {"MEDICAL_CONDITION"}
    assert len({n["specialty"] for n in notes}) == len(notes)
    assert sum(t.endswith(" deficiency") for t in texts) >= 4
    assert sum(t.split()[-1] in {"sign", "nodes", "spots"} for t in texts) >= 5
    assert sum(t.endswith("ed") and " " not in t for t in texts) >= 5
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
