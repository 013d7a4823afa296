"""The session 10 medication check set (corpus/drafts/check_ner6_med.jsonl, PROCEDURE.md section "Session 10
medication check set") is valid, entity-only, never held out, and holds what it was written to check.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_ner6_med.jsonl"


def test_the_check_set_holds_brands_combinations_salts_classes_and_not_levels() -> None:
    notes = load_notes(NOTES)
    refs = {r["Text"].lower() for n in notes for r in n["expect"]["entities"]}
    texts = " ".join(n["text"].lower() for n in notes)
    # brands, combination products, salts and class words said in passing are references
    assert {"entresto", "co-amoxiclav", "co-dydramol", "sodium valproate", "losartan potassium"} <= refs
    assert {"nsaids", "ssris", "calcium channel blocker", "steroids", "water tablets"} <= refs
    # a device after a brand is its form, a drug level a test, a lab value nothing
    assert "trelegy" in refs
    assert "trelegy ellipta" not in refs
    assert "paracetamol level" in texts
    assert "potassium 5.1" in texts
    assert "potassium" not in refs
