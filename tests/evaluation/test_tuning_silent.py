"""The silent-errors tuning sets (corpus/drafts/tuning_silent.jsonl, PROCEDURE.md section 12; tuning_silent2.jsonl,
section 15; tuning_silent3.jsonl, section 21) are valid, tuning only, scored in columns of their own, and cover
every hazard of the procedure and of their own section."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from heldout_support import HAZARDS

from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes
from medscribe.evaluation.report import splits_of

ROOT = Path(__file__).resolve().parents[2]
# each set's own hazards, beside the procedure's (sections 12, 15 and 21)
EXTRA_HAZARDS = {
    "tuning_silent": {"restart", "speaker", "no_cue"},
    "tuning_silent2": {"speaker", "no_cue", "second_subject", "header", "list", "unlisted_words"},
    "tuning_silent3": {"given_once", "own_subject", "past_header", "run_on_other", "self_correction"},
}


@pytest.mark.parametrize("split", list(EXTRA_HAZARDS))
def test_the_silent_errors_set_is_a_valid_tuning_split_of_its_own(split: str) -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[split])
    # Then its recogniser forms are derived from its texts, every note is tuning material, and it is its own column
    assert check_notes(notes) == []
    assert len(notes) >= 24
    assert {n["split"] for n in notes} == {split}
    assert splits_of(notes) == ("dev", "final", split)
    # And every hazard of the procedure (and of the set's own section) is in at least three notes, in every specialty
    counts = Counter(h for n in notes for h in n["hazards"])
    assert set(counts) == HAZARDS | EXTRA_HAZARDS[split]
    assert min(counts.values()) >= 3
    specialties = {"cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"}
    assert {n["specialty"] for n in notes} == specialties
