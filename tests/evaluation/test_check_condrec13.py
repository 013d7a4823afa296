"""The condition-recall check set of session 16 (corpus/drafts/check_condrec13.jsonl, PROCEDURE.md section
"condrec13") is valid: entity-only, split "tuning", condition references only, one specialty per note, and it holds
the shapes it measures (finding nouns said alone, examination signs by their clinical names)."""

from __future__ import annotations

from heldout_support import draft_check_set

from medscribe.evaluation import entity_set

FINDING_NOUNS = {
    "occlusion",
    "stenosis",
    "aneurysm",
    "infarct",
    "dissection",
    "thrombus",
    "embolus",
    "stricture",
}


def test_the_set_is_valid_and_holds_the_shapes_it_measures() -> None:
    # Given the stored set (forms, split "tuning", in no tuning split)
    notes = draft_check_set("check_condrec13.jsonl", at_least=12)
    refs = [r for n in notes for r in n["expect"]["entities"]]
    texts = [r["Text"] for r in refs]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then its offsets give the texts, it holds condition references only, one specialty a note, every finding noun
    # said alone and every trait
    assert entity_set.check(notes) == []
    assert len(refs) >= 90
    assert {r["Category"] for r in refs} == {"MEDICAL_CONDITION"}
    assert len({n["specialty"] for n in notes}) == len(notes)
    assert set(texts) >= FINDING_NOUNS
    assert "scleral icterus" not in texts
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
