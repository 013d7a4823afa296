"""The condition-name check set of session 13 (corpus/drafts/check_ner10_cond.jsonl, PROCEDURE.md section 41) is
valid: entity-only, split "tuning", condition references only, one specialty per note, compound names whole and
quality words outside."""

from __future__ import annotations

from heldout_support import draft_check_set

from medscribe.evaluation import entity_set


def test_the_set_is_valid_and_holds_condition_references_only() -> None:
    # Given the stored set (forms, split "tuning", in no tuning split)
    notes = draft_check_set("check_ner10_cond.jsonl", at_least=15)
    # Then its offsets give the texts and it holds condition references only, one specialty a note
    assert entity_set.check(notes) == []
    refs = [r for n in notes for r in n["expect"]["entities"]]
    assert len(refs) >= 80
    assert {r["Category"] for r in refs} == {"MEDICAL_CONDITION"}
    assert len({n["specialty"] for n in notes}) == len(notes)


def test_quality_words_are_outside_and_cause_words_inside() -> None:
    # Given the set's references and the word said right before each
    notes = draft_check_set("check_ner10_cond.jsonl")
    refs = [r for n in notes for r in n["expect"]["entities"]]
    before = {
        n["text"][: r["BeginOffset"]].split()[-1].lower().strip(",.")
        for n in notes
        for r in n["expect"]["entities"]
        if r["BeginOffset"] > 0
    }
    first = {r["Text"].split()[0].lower() for r in refs if " " in r["Text"]}
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then quality words are left out of the name (PROCEDURE.md section 4) and cause or kind words kept in it
    assert {"productive", "pitting", "watery", "throbbing", "colicky", "boggy"} <= before
    assert {"alcoholic", "autoimmune", "steroid-induced", "reactive", "rebound", "anca-associated"} <= first
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
