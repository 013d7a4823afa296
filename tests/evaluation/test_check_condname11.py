"""The multi-word condition-name check set of session 14 (corpus/drafts/check_condname11.jsonl, PROCEDURE.md
section "condname11") is valid: entity-only, split "tuning", condition references only, one specialty per note,
and mostly names of two or more words."""

from __future__ import annotations

from heldout_support import draft_check_set

from medscribe.evaluation import entity_set


def test_the_set_is_valid_and_holds_multi_word_condition_names() -> None:
    # Given the stored set (forms, split "tuning", in no tuning split)
    notes = draft_check_set("check_condname11.jsonl", at_least=12)
    refs = [r for n in notes for r in n["expect"]["entities"]]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then its offsets give the texts, it holds condition references only, one specialty a note, mostly
    # multi-word names, with negated, family, past and hypothetical mentions
    assert entity_set.check(notes) == []
    assert len(refs) >= 70
    assert {r["Category"] for r in refs} == {"MEDICAL_CONDITION"}
    assert len({n["specialty"] for n in notes}) == len(notes)
    assert sum(" " in r["Text"] for r in refs) >= 60
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
