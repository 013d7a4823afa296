"""The second silent-errors tuning set (corpus/drafts/tuning_silent2.jsonl, PROCEDURE.md section 15) is valid, tuning
only, scored in a column of its own, and covers every hazard of the procedure."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes
from medscribe.evaluation.report import splits_of

ROOT = Path(__file__).resolve().parents[2]
PROCEDURE_HAZARDS = {
    "family", "other_person", "hypothetical", "dose_change", "range", "taper", "negation",
    "negation_unpunctuated", "allergy", "stopped", "look_alike", "sound_alike", "fraction", "unclear",
}  # fmt: skip
EXTRA_HAZARDS = {"speaker", "no_cue", "second_subject", "header", "list", "unlisted_words"}  # section 15


def test_the_second_silent_errors_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS["tuning_silent2"])
    # Then its recogniser forms are derived from its texts, every note is tuning material, and it is its own column
    assert check_notes(notes) == []
    assert len(notes) >= 24
    assert {n["split"] for n in notes} == {"tuning_silent2"}
    assert splits_of(notes) == ("dev", "final", "tuning_silent2")
    # And every hazard of the procedure (and of section 15) is in at least three notes, in every specialty
    counts = Counter(h for n in notes for h in n["hazards"])
    assert set(counts) == PROCEDURE_HAZARDS | EXTRA_HAZARDS
    assert min(counts.values()) >= 3
    specialties = {"cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"}
    assert {n["specialty"] for n in notes} == specialties
