"""The condition-name check set of session 13 (corpus/drafts/check_ner10_cond.jsonl, PROCEDURE.md section 41) is
valid: entity-only, split "tuning", condition references only, one specialty per note, compound names whole and
quality words outside.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from heldout_support import draft_check_set


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
