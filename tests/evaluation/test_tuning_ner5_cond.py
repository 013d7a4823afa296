"""The condition-entity sets of session 9 (corpus/drafts/tuning_ner5_cond.jsonl and check_ner5_cond.jsonl, PROCEDURE.md
section 20) are valid: the tuning set a split of its own, the check set entity-only and never held out.
Its check set's validity, size and references: a row of heldout_support.CHECK_SETS (test_check_sets.py)."""

from __future__ import annotations

from pathlib import Path

from heldout_support import assert_entity_tuning_split

from medscribe.evaluation.drafts import TUNING_SPLITS, load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / TUNING_SPLITS["tuning_ner5_cond"]


def test_the_condition_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(NOTES)
    # Then it is a valid entity tuning split (recogniser forms, offsets, its own column, specialties in turn) whose
    # references are all MEDICAL_CONDITION, every note with a full draft expectation
    assert_entity_tuning_split(notes, "tuning_ner5_cond")
    assert {r["Category"] for n in notes for r in n["expect"]["entities"]} == {"MEDICAL_CONDITION"}
    assert all(n["expect"]["problems"] for n in notes)


def test_the_set_holds_letter_abbreviations_eponyms_and_lay_names() -> None:
    # Given the stored set's references
    refs = {r["Text"].lower() for n in load_notes(NOTES) for r in n["expect"]["entities"]}
    # Then the kinds of mention the procedure names are there
    assert {"af", "t2dm", "osa", "gord", "bph", "pmr", "hfpef"} <= refs  # abbreviations said as letters
    assert {"charcot foot", "colles fracture", "meniere's disease", "bell's palsy"} <= refs  # eponyms
    assert {"waterworks trouble", "sugars have been high", "piles", "the runs"} <= refs  # lay phrasings
    assert "heart failure with reduced ejection fraction" in refs  # a multiword qualified name
