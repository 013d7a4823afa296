"""The omissions tuning sets (corpus/drafts/tuning_omit.jsonl, PROCEDURE.md section 10; tuning_omit2.jsonl,
section 19) are valid, tuning only, and scored in columns of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes
from medscribe.evaluation.report import splits_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("split", ["omit", "omit2"])
def test_the_omissions_set_is_a_valid_tuning_split_of_its_own(split: str) -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[split])
    # Then its recogniser forms are derived from its texts, every note is tuning material, and it is its own column
    assert check_notes(notes) == []
    assert {n["split"] for n in notes} == {split}
    assert splits_of(notes) == ("dev", "final", split)
    # And every note exercises words no list holds, in every specialty of the procedure
    assert all("unlisted_words" in n["hazards"] for n in notes)
    specialties = {"cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"}
    assert {n["specialty"] for n in notes} == specialties
