"""The self-correction tuning set (corpus/drafts/tuning_selfcorr.jsonl, PROCEDURE.md section 23) is valid, tuning
only, scored in a column of its own, covers its hazards and every retraction cue of its list; a retracted drug name
is a wrong fact of its own category."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes, score_sections
from medscribe.evaluation.report import splits_of

ROOT = Path(__file__).resolve().parents[2]
SPLIT = "tuning_selfcorr"
OWN_HAZARDS = {
    "sc_dose", "sc_name", "sc_frequency", "sc_route", "sc_side", "sc_unclear_scope", "filler", "cue_distractor",
}  # fmt: skip
# PROCEDURE.md section 23's closed list, as the recogniser writes each cue
CUES = (
    "sorry", "i'm sorry", "i mean", "no", "scratch that", "strike that", "correction", "rather", "or rather",
    "i should say", "make that", "er", "um",
)  # fmt: skip


def test_the_self_correction_set_is_a_valid_tuning_split_of_its_own() -> None:
    # Given the stored set
    notes = load_notes(ROOT / TUNING_SPLITS[SPLIT])
    # Then its recogniser forms are derived from its texts, every note is tuning material, and it is its own column
    assert check_notes(notes) == []
    assert len(notes) >= 24
    assert {n["split"] for n in notes} == {SPLIT}
    assert splits_of(notes) == ("dev", "final", SPLIT)
    # And each of its own hazards is in at least three notes, every specialty is there, every cue is used
    counts = Counter(h for n in notes for h in n["hazards"])
    assert set(counts) >= OWN_HAZARDS
    assert min(counts[h] for h in OWN_HAZARDS) >= 3
    assert len({n["specialty"] for n in notes}) == 7
    spoken = " ".join(f" {n['asr_text']} " for n in notes)
    assert [c for c in CUES if f" {c} " not in spoken] == []
    # And every note with a correction or an unclear cue needs review
    corrected = [n for n in notes if (OWN_HAZARDS - {"filler", "cue_distractor"}) & set(n["hazards"])]
    assert corrected
    assert all(n["expect"]["needs_review"] for n in corrected)


NOTE: dict[str, Any] = {
    "id": "t01",
    "split": SPLIT,
    "hazards": ["sc_name"],
    "text": "Start amlodipine, no, I mean amitriptyline 10 mg at night.",
    "expect": {
        "medications": [{"name": "amitriptyline", "dose": "10 mg"}],
        "problems": [],
        "allergies": [],
        "family_history": [],
        "conditional": [],
        "denied": [],
        "not_taking": [],
        "forbidden": [{"section": "Medications", "name": "amlodipine", "why": "retracted"}],
        "needs_review": True,
        "entities": [],
    },
}


def _kinds(medications: list[dict[str, Any]]) -> list[str]:
    review = [{"text": "corrected while dictating", "flags": ["DOSE_CORRECTED"]}]
    obj = {
        "sections": [
            {"title": "Needs review", "items": review},
            {"title": "Medications", "items": medications},
        ]
    }
    return sorted(f.kind for f in score_sections(NOTE, obj))


def test_a_retracted_drug_drafted_as_a_prescription_is_a_wrong_fact_unless_its_flag_names_the_correction() -> (
    None
):
    right = {"text": "amitriptyline 10 mg at night", "flags": []}
    # a retracted drug unflagged is a silent wrong fact
    assert _kinds([right, {"text": "amlodipine", "flags": []}]) == ["wrong_fact"]
    # flagged for something else it is a weak flag
    assert _kinds([right, {"text": "amlodipine", "flags": ["BLANK_CELL"]}]) == ["weak_flag"]
    # flagged as corrected it is neither
    assert _kinds([right, {"text": "amlodipine", "flags": ["NAME_CORRECTED"]}]) == []
