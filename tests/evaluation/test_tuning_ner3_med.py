"""The medication-entity tuning set (corpus/drafts/tuning_ner3_med.jsonl, PROCEDURE.md section 8, "Session 7") is
valid, tuning only, scored in a column of its own, and its entity misses are itemised by ``--details``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from heldout_support import assert_entity_tuning_split

from medscribe.evaluation.drafts import TUNING_SPLITS, load_notes
from medscribe.evaluation.report import details, run

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / TUNING_SPLITS["tuning_ner3_med"]


def _empty_draft(_: str) -> dict[str, Any]:
    return {"sections": []}


def test_the_medication_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(NOTES)
    # Then it is a valid entity tuning split of its own (recogniser forms, offsets, its own column, the specialties
    # in turn), and every reference is a MEDICATION
    assert_entity_tuning_split(notes, "tuning_ner3_med")
    assert {r["Category"] for n in notes for r in n["expect"]["entities"]} == {"MEDICATION"}


def test_details_itemise_the_entity_misses_of_a_tuning_split() -> None:
    # Given the set's first note and a detector that finds one drug of it and one word that is not a drug
    note = load_notes(NOTES)[0]
    first = note["expect"]["entities"][0]["Text"]

    def detector(_: str) -> dict[str, Any]:
        return {
            "Entities": [
                {"Category": "MEDICATION", "Text": first, "Score": 0.9},
                {"Category": "MEDICATION", "Text": "dosette", "Score": 0.9},
            ]
        }

    # When it is scored and itemised
    _, cells = run([note], "empty", _empty_draft, detector)
    listed = details(cells)
    # Then the missed references and the extra prediction are listed under the split, the found drug is not
    assert f"tuning_ner3_med/punct entity {note['id']} MEDICATION EXTRA dosette" in listed
    second = note["expect"]["entities"][1]["Text"].lower()
    assert f"{note['id']} MEDICATION MISSED {second}" in listed
    assert f"MISSED {first.lower()}" not in listed
