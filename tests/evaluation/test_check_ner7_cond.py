"""The condition sets of session 11 (corpus/drafts/check_ner7_cond.jsonl and tuning_ner7_cond.jsonl, PROCEDURE.md
section 28) are valid: entity-only, split "tuning", condition references only, one specialty per note.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_ner7_cond.jsonl"
TUNING = ROOT / "corpus/drafts/tuning_ner7_cond.jsonl"


def test_the_check_set_holds_every_trait_derived_forms_and_history_heads() -> None:
    # Given the check set
    notes = load_notes(CHECK)
    refs = [r for n in notes for r in n["expect"]["entities"]]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    texts = {r["Text"] for r in refs}
    # Then conditions appear in every role, as derived adjectives, and after the history heads of section 28
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
    assert {"hypothyroid", "Cirrhotic", "Neutropenic", "uraemic", "hypoxemic"} <= texts
    heads = ("Status post ", "Known ", "Background of ", "History of ")
    assert all(any(h in n["text"] for n in notes) for h in heads)


def test_the_tuning_set_shares_no_reference_with_the_check_set() -> None:
    # Given both sets
    def names(path: Path) -> set[str]:
        return {r["Text"].lower() for n in load_notes(path) for r in n["expect"]["entities"]}

    # Then words tuned on are not the words measured (the shapes are shared, the words mostly not)
    shared = names(CHECK) & names(TUNING)
    assert len(shared) <= 8, shared
