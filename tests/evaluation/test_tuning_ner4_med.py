"""The second medication-entity tuning set (corpus/drafts/tuning_ner4_med.jsonl, PROCEDURE.md section 8, "Session 8")
is valid, tuning only, in a column of its own, and holds the recogniser wordings it was written for.
Its check set's validity, size and references: a row of heldout_support.CHECK_SETS (test_check_sets.py)."""

from __future__ import annotations

from pathlib import Path

from heldout_support import assert_entity_tuning_split

from medscribe.evaluation.drafts import TUNING_SPLITS, load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / TUNING_SPLITS["tuning_ner4_med"]


def test_the_second_medication_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(NOTES)
    # Then it is a valid entity tuning split of its own (recogniser forms, offsets, its own column, the specialties
    # in turn), and every reference is a MEDICATION
    assert_entity_tuning_split(notes, "tuning_ner4_med")
    assert {r["Category"] for n in notes for r in n["expect"]["entities"]} == {"MEDICATION"}


def test_the_set_holds_split_names_and_drug_words_in_other_phrases() -> None:
    # Given the stored set's references and texts
    notes = load_notes(NOTES)
    refs = {r["Text"].lower() for n in notes for r in n["expect"]["entities"]}
    texts = " ".join(n["text"].lower() for n in notes)
    # Then names split as a recogniser splits them are references, and drug words inside other phrases are there
    assert {"zoe ladex", "met formin", "sita gliptin"} <= refs
    for phrase in (
        "warfarin clinic",
        "insulin pump",
        "statin intolerance",
        "aspirin allergy",
        "steroid card",
    ):
        assert phrase in texts
