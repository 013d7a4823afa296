"""A tuning batch of draft notes (corpus/drafts/tuning_rows.jsonl) is its own column, never mixed with held-out
notes, and its stored recogniser forms are derived from its texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medscribe.evaluation.drafts import TUNING, check_notes, load_notes
from medscribe.evaluation.report import run, splits_of

ROOT = Path(__file__).resolve().parents[2]
TUNING_NOTES = ROOT / "corpus" / "drafts" / "tuning_rows.jsonl"


def test_the_stored_tuning_batch_is_valid_and_covers_both_forms_of_its_hazards() -> None:
    notes = load_notes(TUNING_NOTES)
    assert check_notes(notes) == []
    assert splits_of(notes) == ("dev", "final", TUNING)
    assert {"fraction", "dose_change", "negation_unpunctuated", "stopped"} <= {
        h for n in notes for h in n["hazards"]
    }


def test_tuning_notes_do_not_hide_a_held_out_note_out_of_order() -> None:
    # Given a held-out note marked final where its position (1 of 1 held out) makes it dev, among tuning notes
    notes = load_notes(TUNING_NOTES)[:3]
    mixed = [notes[0], {**notes[1], "split": "final"}, notes[2]]
    # Then the order check still sees it
    assert any("position 1 of 1" in p for p in check_notes(mixed))


def test_a_tuning_batch_is_scored_in_its_own_column() -> None:
    notes = load_notes(TUNING_NOTES)[:2]

    def nothing(_: str) -> dict[str, Any]:  # a draft with nothing: every expected item is an omission
        return {"sections": [{"title": "Needs review", "items": [{"text": "Nothing flagged", "flags": []}]}]}

    result, _ = run(notes, "empty", nothing, None)
    assert [s for s, f in result["figures"].items() if f["punctuated"]["notes"]] == [TUNING]
    assert result["figures"][TUNING]["punctuated"]["omission"] > 0
