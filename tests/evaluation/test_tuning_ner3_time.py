"""The time / anatomy / condition tuning set (corpus/drafts/tuning_ner3_time.jsonl, PROCEDURE.md section 8, "Fourth
round") is valid, tuning only, scored in a column of its own, and holds what it was written to stress."""

from __future__ import annotations

from pathlib import Path

from heldout_support import assert_entity_tuning_split

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import TUNING_SPLITS, load_notes

ROOT = Path(__file__).resolve().parents[2]
SPLIT = "tuning_ner3_time"


def test_the_time_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    # Then it is a valid entity tuning split of its own, its specialties in turn
    assert_entity_tuning_split(notes, SPLIT)


def test_the_time_set_stresses_time_anatomy_and_conditions() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    refs = entity_set.counted(notes)
    # Then it holds enough references of the categories it was written for
    assert refs["TIME_EXPRESSION"] >= 60
    assert refs["ANATOMY"] >= 30
    assert refs["MEDICAL_CONDITION"] >= 100
    # And every time expression dates an entity of the note (an OVERLAP attribute), as AWS returns it
    times = [r for n in notes for r in n["expect"]["entities"] if r["Category"] == "TIME_EXPRESSION"]
    assert all(a["RelationshipType"] == "OVERLAP" for r in times for a in r["Attributes"])
    assert all(r["Attributes"] and r["Type"].startswith("TIME_TO_") for r in times)
