"""The multi-word condition-name check set of session 14 (corpus/drafts/check_condname11.jsonl, PROCEDURE.md
section "condname11") holds mostly names of two or more words, with every trait (its validity, size, references and
one specialty a note: test_check_sets.py)."""

from __future__ import annotations

from heldout_support import draft_check_set


def test_the_set_holds_multi_word_condition_names_with_every_trait() -> None:
    # Given the stored set's references
    refs = [r for n in draft_check_set("check_condname11.jsonl") for r in n["expect"]["entities"]]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then they are mostly multi-word names, with negated, family, past and hypothetical mentions
    assert sum(" " in r["Text"] for r in refs) >= 60
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
