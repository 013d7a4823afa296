"""The condition-recall check set of session 13 (corpus/drafts/check_condrec10.jsonl, PROCEDURE.md section
"condrec10") is valid: entity-only, split "tuning", condition references only, one specialty per note, and it
holds both classical one-word names and the other shapes it measures.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from heldout_support import draft_check_set


def test_it_holds_one_word_names_and_multi_word_shapes_with_every_trait() -> None:
    # Given the set's references
    refs = [r for n in draft_check_set("check_condrec10.jsonl") for r in n["expect"]["entities"]]
    one_word = [r for r in refs if " " not in r["Text"]]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then both kinds are measured, with negated, family, past and hypothetical mentions
    assert len(one_word) >= 25
    assert len(refs) - len(one_word) >= 20
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
