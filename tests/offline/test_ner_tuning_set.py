"""The NER tuning set (corpus/drafts/tuning_ner.jsonl) is well formed, and its scorer counts what it should."""

from __future__ import annotations

from pathlib import Path

import pytest

from medscribe.evaluation import entity_set

ROOT = Path(__file__).resolve().parents[2]


def test_tuning_set_offsets_and_recogniser_form_agree():
    # Given the stored set / When checked / Then every offset gives its text and asr_text is derived
    notes = entity_set.load(ROOT / entity_set.TUNING_FILE)
    assert len(notes) >= 20
    assert entity_set.check(notes) == []
    refs = entity_set.counted(notes)
    assert min(refs[c] for c in ("MEDICATION", "MEDICAL_CONDITION", "ANATOMY", "TIME_EXPRESSION")) >= 30


@pytest.mark.parametrize(
    ("name", "size"), [("check_ner.jsonl", 8), ("check_ner2.jsonl", 12), ("tuning_ner2.jsonl", 16)]
)
def test_check_and_later_sets_are_well_formed(name: str, size: int) -> None:
    notes = entity_set.load(ROOT / "corpus" / "drafts" / name)
    assert len(notes) >= size
    assert entity_set.check(notes) == []


def test_check_finds_a_wrong_offset():
    # Given a note whose reference offsets are off by one / Then the check names it
    note = {"id": "x", "text": "Cough.", "asr_text": "cough", "expect": {"entities": [
        {"Category": "MEDICAL_CONDITION", "Text": "Cough", "BeginOffset": 1, "EndOffset": 6},
    ]}}  # fmt: skip
    assert entity_set.check([note]) == ["x: offsets of 'Cough' do not give its text"]


def test_time_link_needs_the_dated_entity():
    # Given one reference time expression dating "cough"
    note = {
        "id": "x",
        "text": "Cough for three days.",
        "asr_text": "cough for three days",
        "expect": {
            "entities": [
                {"Category": "MEDICAL_CONDITION", "Type": "DX_NAME", "Text": "Cough", "BeginOffset": 0,
                 "EndOffset": 5, "Traits": [], "Attributes": []},
                {"Category": "TIME_EXPRESSION", "Type": "TIME_TO_DX_NAME", "Text": "for three days",
                 "BeginOffset": 6, "EndOffset": 20, "Traits": [],
                 "Attributes": [{"Type": "DX_NAME", "Text": "Cough", "RelationshipType": "OVERLAP"}]},
            ]
        },
    }  # fmt: skip

    def dates(owner: str):
        def detector(text: str):
            time = {
                "Category": "TIME_EXPRESSION",
                "Type": "TIME_TO_DX_NAME",
                "Text": "for 3 days",
                "Score": 0.9,
            }
            time["Attributes"] = [{"Text": owner}]
            return {"Entities": [time]}

        return detector

    # When the detector dates the right entity / another one / Then only the first is a TIME_LINK hit
    right = entity_set.report(entity_set.evaluate([note], dates("cough")))
    wrong = entity_set.report(entity_set.evaluate([note], dates("fever")))
    assert right["punctuated"]["TIME_LINK"]["tp"] == 1
    assert wrong["punctuated"]["TIME_LINK"]["tp"] == 0
    assert wrong["punctuated"]["TIME_LINK"]["fn"] == 1
    assert right["punctuated"]["TIME_EXPRESSION"]["tp"] == 1  # "for 3 days" == "for three days" in one form
