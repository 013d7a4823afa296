"""The omissions tuning set (corpus/drafts/tuning_omit.jsonl, PROCEDURE.md section 10) is valid, tuning only, and
scored in a column of its own."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes
from medscribe.evaluation.report import splits_of

ROOT = Path(__file__).resolve().parents[2]


def test_the_omissions_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS["omit"])
    # Then its recogniser forms are derived from its texts, every note is tuning material, and it is its own column
    assert check_notes(notes) == []
    assert {n["split"] for n in notes} == {"omit"}
    assert splits_of(notes) == ("dev", "final", "omit")
    # And every note exercises words no list holds, in every specialty of the procedure
    assert all("unlisted_words" in n["hazards"] for n in notes)
    specialties = {"cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"}
    assert {n["specialty"] for n in notes} == specialties
