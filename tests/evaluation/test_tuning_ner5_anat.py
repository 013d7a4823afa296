"""The anatomy / time / medication-precision sets of session 9 (corpus/drafts/tuning_ner5_anat.jsonl and
check_ner5_anat.jsonl, PROCEDURE.md section 18) are valid, the tuning set in a column of its own, the check set never
scored as held out, and both hold what they were written to stress.
Its check set's validity, size and references: a row of heldout_support.CHECK_SETS (test_check_sets.py)."""

from __future__ import annotations

from pathlib import Path

from heldout_support import assert_entity_tuning_split

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import TUNING_SPLITS, load_notes

ROOT = Path(__file__).resolve().parents[2]
SPLIT = "tuning_ner5_anat"


def test_the_session9_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    # Then it is a valid entity tuning split of its own, its specialties in turn, with references of its three
    # categories only
    assert_entity_tuning_split(notes, SPLIT)
    refs = entity_set.counted(notes)
    assert set(refs) == {"ANATOMY", "TIME_EXPRESSION", "MEDICATION"}
    assert refs["ANATOMY"] >= 100
    assert refs["TIME_EXPRESSION"] >= 50
    assert refs["MEDICATION"] >= 50


def test_every_time_reference_dates_an_entity_and_no_drug_schedule_is_one() -> None:
    # Given the set's time references
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    times = [r for n in notes for r in n["expect"]["entities"] if r["Category"] == "TIME_EXPRESSION"]
    # Then each dates an entity (OVERLAP), as AWS returns a time expression only with another entity
    assert all(r["Attributes"] and r["Type"].startswith("TIME_TO_") for r in times)
    assert all(a["RelationshipType"] == "OVERLAP" for r in times for a in r["Attributes"])
    # And no drug frequency or course said after a dose is one (PROCEDURE.md section 4)
    texts = {r["Text"].lower() for r in times}
    assert not texts & {"twice a day", "once daily", "for ten days", "for 14 days", "overnight"}


def test_words_beside_drugs_that_name_no_drug_are_in_the_texts_and_never_references() -> None:
    # Given the set
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    drugs = {
        r["Text"].lower() for n in notes for r in n["expect"]["entities"] if r["Category"] == "MEDICATION"
    }
    texts = " ".join(n["text"] for n in notes)
    # Then people, places and other brands stand beside the drugs and none is a reference
    for word in (
        "Lyra",
        "Boots",
        "Epsom",
        "Dex",
        "Valerie",
        "Red Bull",
        "Freestyle Libre",
        "Head and Shoulders",
    ):
        assert word in texts
        assert word.lower() not in drugs
