"""The condition span check set of session 12 (corpus/drafts/check_ner9_cond.jsonl, PROCEDURE.md section 36) is
valid: entity-only, split "tuning", condition references only, one specialty per note, modifiers left out.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_ner9_cond.jsonl"


def test_modifiers_said_before_a_reference_are_outside_it() -> None:
    # Given the set's references and the word said right before each
    notes = load_notes(CHECK)
    before = {
        n["text"][: r["BeginOffset"]].split()[-1].lower().strip(",.")
        for n in notes
        for r in n["expect"]["entities"]
        if r["BeginOffset"] > 0
    }
    traits = {t["Name"] for n in notes for r in n["expect"]["entities"] for t in r["Traits"]}
    # Then quality, acuity and direction words said before a condition are left out of it (section 36)
    assert {"pitting", "barking", "burning", "resting", "longstanding", "distal", "suprapubic"} <= before
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits
