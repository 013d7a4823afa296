"""The session 12 abnormal-value check set (corpus/drafts/check_vitals9.jsonl, PROCEDURE.md section "Session 12
abnormal-value check set, helper vitals9") is valid, never held out, outside every tuning split, and holds the
hazards it was written to check."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from heldout_support import draft_check_set

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus/drafts/check_vitals9.jsonl"


def test_the_check_set_is_valid_and_read_by_no_tuning_script() -> None:
    # Given the check set written before the session's abnormal-value change (scored, never tuned on)
    draft_check_set(NOTES.name, at_least=20)
    # Then its recogniser forms are derived from the text and it is split "tuning", in no tuning split


def test_the_check_set_holds_abnormal_normal_and_unclear_values() -> None:
    hazards = Counter(h for n in load_notes(NOTES) for h in n["hazards"])
    assert hazards["abnormal_value"] >= 10
    assert hazards["normal_value"] >= 4
    assert hazards["value_unclear"] >= 2
    assert hazards["child"] >= 2
