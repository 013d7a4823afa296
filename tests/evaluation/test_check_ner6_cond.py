"""The condition check set of session 10 (corpus/drafts/check_ner6_cond.jsonl, PROCEDURE.md section 24) is valid:
entity-only, split "tuning" (never held out by a scorer), condition references only, across specialties.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_ner6_cond.jsonl"


def test_the_check_set_holds_every_trait_and_letter_abbreviations() -> None:
    # Given the stored check set's references
    refs = [r for n in load_notes(NOTES) for r in n["expect"]["entities"]]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then conditions appear in every role and some are said as letters
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
    assert {"AMD", "ITP", "HIV", "TIA", "UTI", "ADHD"} <= {r["Text"] for r in refs}
