"""The session 11 silent-errors tuning set (corpus/drafts/tuning_silent4.jsonl, PROCEDURE.md section 29) is valid,
tuning only and scored in a column of its own; its check set (check_silent4.jsonl) is valid and never a column."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes
from medscribe.evaluation.report import splits_of

ROOT = Path(__file__).resolve().parents[2]
SPLIT = "tuning_silent4"
OWN_HAZARDS = {"spouse", "pronoun_stop_certain", "pronoun_stop_unclear", "subject_repeat", "built_flag"}
SHAPES = {"other_people", "not_taking", "kept", "one_flag", "scored_flags"}


def test_the_tuning_set_is_a_valid_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    # Then its recogniser forms are derived from its texts, every note is tuning material, and it is its own column
    assert check_notes(notes) == []
    assert len(notes) >= 20
    assert {n["split"] for n in notes} == {SPLIT}
    assert splits_of(notes) == ("dev", "final", SPLIT)
    # And each of its own hazards is in at least three notes, and every note says the shape it measures
    counts = Counter(h for n in notes for h in n["hazards"])
    assert min(counts[h] for h in OWN_HAZARDS) >= 3
    assert all(n["shape"] and set(n["shape"]) <= SHAPES for n in notes)
    # And a drug a pronoun may mean of two is expected flagged: the note needs review
    assert all(n["expect"]["needs_review"] for n in notes if "pronoun_stop_unclear" in n["hazards"])


def test_the_check_set_is_valid_and_no_scored_column() -> None:
    # Given the check set (never tuned on)
    notes = load_notes(ROOT / "corpus" / "drafts" / "check_silent4.jsonl")
    # Then its recogniser forms are derived from its texts, and it is neither a tuning split nor a held-out batch
    assert all(n["split"] == "check_silent4" for n in notes)
    assert "check_silent4" not in TUNING_SPLITS
    assert check_notes([{**n, "split": SPLIT} for n in notes]) == []
    assert {h for n in notes for h in n["hazards"]} >= OWN_HAZARDS
