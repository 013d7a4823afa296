"""The anatomy / time tuning set of session 8 (corpus/drafts/tuning_ner4_time.jsonl, PROCEDURE.md section 16) is
valid, tuning only, scored in a column of its own, and holds what it was written to stress."""

from __future__ import annotations

from pathlib import Path

from heldout_support import assert_entity_tuning_split

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import TUNING_SPLITS, load_notes

ROOT = Path(__file__).resolve().parents[2]
SPLIT = "tuning_ner4_time"


def test_the_anatomy_time_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    # Then it is a valid entity tuning split of its own, its specialties in turn
    assert_entity_tuning_split(notes, SPLIT)


def test_the_anatomy_time_set_stresses_sites_and_times() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    refs = entity_set.counted(notes)
    # Then it holds enough references of the categories it was written for
    assert refs["ANATOMY"] >= 60
    assert refs["TIME_EXPRESSION"] >= 60
    # And every time expression dates an entity of the note (an OVERLAP attribute), as AWS returns it
    times = [r for n in notes for r in n["expect"]["entities"] if r["Category"] == "TIME_EXPRESSION"]
    assert all(r["Attributes"] and r["Type"].startswith("TIME_TO_") for r in times)
    assert all(a["RelationshipType"] == "OVERLAP" for r in times for a in r["Attributes"])
    # And no reference is a drug's schedule or course said after its dose ("twice a day", "for 28 days")
    texts = {r["Text"].lower() for r in times}
    assert not texts & {"twice a day", "once daily", "at bedtime", "nightly", "weekly", "for 28 days"}
