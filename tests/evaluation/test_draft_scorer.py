"""The held-out draft scorer (corpus/drafts, issue 15) can fail: each kind of silent error is counted.

Sections objects are built by hand in the draft contract's shape; the note is a small one written here, so the
tests do not depend on the corpus' expectations (beyond the corpus-shape tests at the end).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.drafts import check_notes, load_notes, names_category, score_sections, split_of
from medscribe.evaluation.report import entity_key, run
from medscribe.evaluation.sources import (
    DraftCommandFailed,
    command_source,
    parse_sections,
    sections_from_current_draft,
)

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "corpus" / "drafts" / "notes.jsonl"

NOTE: dict[str, Any] = {
    "id": "t01",
    "split": "dev",
    "hazards": ["family", "dose_change"],
    "text": "Increase atenolol from 25 mg to 50 mg daily. Her sister has lupus. Return if a rash develops.",
    "expect": {
        "medications": [{"name": "atenolol", "dose": "50 mg", "frequency": "daily"}],
        "problems": ["hypertension"],
        "allergies": [{"substance": "penicillin", "reaction": "rash"}],
        "family_history": ["lupus"],
        "conditional": ["rash"],
        "denied": ["cough"],
        "not_taking": [],
        "forbidden": [
            {"section": "Problems", "name": "lupus", "why": "family"},
            {"section": "Medications", "name": "atenolol", "dose": "25 mg", "why": "old dose"},
        ],
        "needs_review": False,
        "entities": [],
    },
}


def item(text: str, flags: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"text": text, "flags": flags or [], **extra}


def sections(
    problems: list[dict[str, Any]] | None = None,
    medications: list[dict[str, Any]] | None = None,
    review: list[dict[str, Any]] | None = None,
    **others: list[dict[str, Any]],
) -> dict[str, Any]:
    out = [
        {"title": "Needs review", "items": review or [item("Nothing flagged")]},
        {"title": "Problems", "items": problems if problems is not None else [item("hypertension")]},
        {
            "title": "Medications",
            "items": medications
            if medications is not None
            else [
                item("atenolol 50 mg once daily (was 25 mg: dose increased)", name="atenolol", dose="50 mg")
            ],
        },
        {"title": "Allergies", "items": [item("penicillin — rash", name="penicillin")]},
        {"title": "Family history", "items": [item("sister: lupus", name="lupus")]},
        {"title": "Plan and conditional", "items": [item("return if rash develops", name="rash")]},
    ]
    out += [{"title": title.replace("_", " "), "items": items} for title, items in others.items()]
    return {"sections": out}


def kinds(obj: dict[str, Any], note: dict[str, Any] = NOTE) -> list[str]:
    return sorted(f.kind for f in score_sections(note, obj))


def test_a_correct_draft_has_no_error() -> None:
    assert kinds(sections()) == []


def test_a_family_diagnosis_in_problems_is_a_silent_wrong_fact() -> None:
    obj = sections(problems=[item("hypertension"), item("lupus — diagnosis", name="lupus")])
    assert kinds(obj) == ["false_all_clear", "wrong_fact"]


def test_a_conditional_rash_stated_as_a_problem_is_a_wrong_fact_from_another_section() -> None:
    obj = sections(problems=[item("hypertension"), item("rash")], review=[item("x", ["HYPOTHETICAL"])])
    assert kinds(obj) == ["wrong_fact"]


def test_the_old_dose_on_an_unflagged_row_is_counted() -> None:
    obj = sections(medications=[item("atenolol 25 mg daily", name="atenolol", dose="25 mg")])
    assert kinds(obj) == ["false_all_clear", "wrong_fact"]


def test_a_range_printed_for_a_change_is_a_wrong_dose() -> None:
    obj = sections(medications=[item("atenolol 25-50 mg daily", name="atenolol")])
    assert kinds(obj) == ["false_all_clear", "wrong_dose"]


def test_a_spoken_new_dose_is_the_same_dose() -> None:
    obj = sections(medications=[item("atenolol fifty milligrams daily", name="atenolol")])
    assert kinds(obj) == []


def test_tall_man_lettering_is_the_same_drug() -> None:
    obj = sections(medications=[item("ATENolol 50 mg daily (was 25 mg)")])
    assert kinds(obj) == []


def test_an_omitted_medication_and_allergy_are_counted() -> None:
    obj = sections(medications=[])
    obj["sections"] = [s for s in obj["sections"] if s["title"] != "Allergies"]
    assert kinds(obj) == ["false_all_clear", "omission", "omission"]


def test_an_omission_named_by_a_flag_is_not_silent() -> None:
    review = [item("possible medication not captured: atenolol", ["POSSIBLE_MEDICATION_NOT_CAPTURED"])]
    assert kinds(sections(medications=[], review=review)) == []


def test_nothing_flagged_beside_a_flagged_item_is_a_false_all_clear() -> None:
    obj = sections(problems=[item("hypertension"), item("lupus", ["PERTAINS_TO_FAMILY"])])
    assert kinds(obj) == ["false_all_clear"]


def test_nothing_flagged_on_a_note_that_needs_review_is_a_false_all_clear() -> None:
    note = {**NOTE, "expect": {**NOTE["expect"], "needs_review": True}}
    assert kinds(sections(), note) == ["false_all_clear"]


def test_a_flag_that_does_not_name_the_real_problem_is_weak() -> None:
    weak = item("lupus", ["BLANK_CELL"], reasons=["no route stated"])
    named = item("lupus", ["PERTAINS_TO_FAMILY"])
    review = [item("flagged", ["BLANK_CELL"])]
    assert kinds(sections(problems=[item("hypertension"), weak], review=review)) == ["weak_flag"]
    assert kinds(sections(problems=[item("hypertension"), named], review=review)) == []


@pytest.mark.parametrize(
    ("flags", "reasons", "category", "names"),
    [
        # a category word inside another word names nothing: an overdose is no dose, a threshold no hold
        (
            ["NOT_VERIFIED_CURRENT"],
            ["said only as part of a condition (“tricyclic overdose”)"],
            "dose",
            False,
        ),
        (["ABNORMAL_VALUE"], ["above the threshold"], "stopped", False),
        (["REVIEW"], ["follow-up arranged"], "dose", False),
        # a scope kind's UNCLEAR is whose the item is or how far a negation reaches, no word said unclearly
        (["SUBJECT_UNCLEAR"], [], "unclear", False),
        (["NEGATION_SCOPE_UNCLEAR"], [], "sound-alike", False),
        # and the same words at a word's start, or the scope kinds' own categories, still name it
        (["DOSE_RANGE"], [], "dose", True),
        (["CONTRADICTION"], ["different dose mentioned (400 mg / 800 mg)"], "dose", True),
        (["NAME_UNCLEAR"], [], "unclear", True),
        (["SUBJECT_UNCLEAR"], [], "other person", True),
        (["NEGATION_SCOPE_UNCLEAR"], [], "denied", True),
        (["CONDITIONAL_HOLD"], [], "stopped", True),
        (
            ["NOT_VERIFIED_CURRENT"],
            ["its clause says it is stopped (“withheld”): STOPPED / NOT_TAKING"],
            "stopped",
            True,
        ),
    ],
)
def test_a_flag_names_a_category_by_a_word_of_its_own_not_a_word_inside_another(
    flags: list[str], reasons: list[str], category: str, names: bool
) -> None:
    assert names_category(item("x", flags, reasons=reasons), category) is names


def test_a_value_the_speaker_took_back_is_a_wrong_fact_unless_a_flag_names_the_correction() -> None:
    # "start amlodipine, no, I mean atenolol 50 mg" and "atenolol 25, sorry, 50 mg" (PROCEDURE.md section 22)
    retracted = [
        {"section": "Medications", "name": "amlodipine", "why": "retracted"},
        {"section": "Medications", "name": "atenolol", "dose": "25 mg", "why": "retracted"},
    ]
    note = {**NOTE, "expect": {**NOTE["expect"], "forbidden": retracted}}
    atenolol = item("atenolol 50 mg daily", name="atenolol", dose="50 mg")
    taken_back = item("amlodipine", name="amlodipine")
    old_dose = item("atenolol 25 mg daily", name="atenolol", dose="25 mg")
    assert kinds(sections(medications=[atenolol, taken_back]), note) == ["false_all_clear", "wrong_fact"]
    assert kinds(sections(medications=[old_dose]), note) == ["false_all_clear", "wrong_fact"]
    # a flag saying the value was corrected (or doubting the dose) names it; a family flag does not
    review = [item("flagged", ["SELF_CORRECTION"])]
    corrected = item("amlodipine", ["SELF_CORRECTION"], name="amlodipine")
    dose_doubt = item("atenolol 25 mg daily", ["DOSE_UNCERTAIN"], name="atenolol", dose="25 mg")
    wrong_name = item("amlodipine", ["PERTAINS_TO_FAMILY"], name="amlodipine")
    assert kinds(sections(medications=[atenolol, corrected], review=review), note) == []
    assert kinds(sections(medications=[dose_doubt], review=review), note) == []
    assert kinds(sections(medications=[atenolol, wrong_name], review=review), note) == ["weak_flag"]


def test_a_current_problem_only_under_denied_is_misplaced() -> None:
    obj = sections(problems=[], Denied=[item("hypertension")])
    assert kinds(obj) == ["false_all_clear", "misplaced"]


def test_a_problem_under_social_history_is_in_place_only_when_stated_as_current() -> None:
    smoking = {**NOTE, "expect": {**NOTE["expect"], "problems": ["hypertension", "smokes|smoking|smoker"]}}
    current = sections(Social_history=[item("Smoking (current): he smokes 20 a day", name="Smoking")])
    ex = sections(Social_history=[item("Smoking (ex): he smokes 20 a day", name="Smoking")])
    assert kinds(current, smoking) == []
    assert kinds(ex, smoking) == ["false_all_clear", "misplaced"]


def test_the_command_output_must_be_a_sections_object() -> None:
    assert parse_sections('{"sections": []}') == {"sections": []}
    with pytest.raises(RuntimeError):
        parse_sections('{"Entities": []}')


def test_the_recogniser_form_is_lower_case_unpunctuated_and_spoken() -> None:
    text = "Denies cough, wheeze. On exam: BP 140/90; take 1.5 tablets of 25 mg, 40-80 mg."
    assert recogniser_form(text) == (
        "denies cough wheeze on exam bp one hundred forty over ninety take one point five tablets of twenty five "
        "milligrams forty to eighty milligrams"
    )
    assert entity_key("for three days") == entity_key("for 3 days")


def test_the_split_is_by_order() -> None:
    assert [split_of(i, 6) for i in range(6)] == ["dev"] * 4 + ["final"] * 2
    assert [split_of(i, 42) for i in range(42)].count("final") == 14


def test_every_note_has_both_forms_the_split_by_order_and_every_hazard_in_the_final_third() -> None:
    notes = load_notes(NOTES)
    assert len(notes) >= 42
    assert check_notes(notes) == []  # split by position; asr_text == recogniser_form(text)
    assert len({n["id"] for n in notes}) == len(notes)
    assert all(n["text"].strip() and n["asr_text"].strip() for n in notes)
    hazards = {h for n in notes for h in n["hazards"]}
    for hazard in hazards:
        assert sum(hazard in n["hazards"] for n in notes) >= 3, hazard
        assert any(hazard in n["hazards"] for n in notes if n["split"] == "final"), hazard


def test_a_two_note_smoke_run_of_todays_draft() -> None:
    notes = [n for n in load_notes(NOTES) if n["split"] == "dev"][:2]
    result, _ = run(notes, "legacy", sections_from_current_draft, detector=None)
    dev = result["figures"]["dev"]
    assert dev["punctuated"]["notes"] == dev["recogniser"]["notes"] == 2
    for form in ("punctuated", "recogniser"):
        assert all(isinstance(dev[form][k], int) for k in ("wrong_fact", "omission", "weak_flags"))


def test_a_draft_command_is_read_from_its_last_stdout_line(tmp_path: Path) -> None:
    fake = tmp_path / "fake_draft.py"
    fake.write_text(
        "import json, sys\n"
        "text = sys.stdin.read()\n"
        "print('progress line')\n"
        "print(json.dumps({'sections': [{'title': 'Problems', 'items': [{'text': text, 'flags': []}]}]}))\n"
    )
    obj = command_source(f"{sys.executable} {fake}")("lupus")
    assert obj["sections"][0]["items"][0]["text"] == "lupus"
    with pytest.raises(DraftCommandFailed):
        command_source(f"{sys.executable} -c 'import sys; sys.exit(3)'")("x")


def test_a_tuning_set_is_its_own_split_beside_the_held_out_set() -> None:
    # Given the held-out notes and the tuning-only set dev2 (all of it tuning material, no final part)
    tuning = load_notes(ROOT / "corpus" / "drafts" / "dev2.jsonl")
    assert len(tuning) >= 15
    assert {n["split"] for n in tuning} == {"dev2"}
    # Then the order rule still holds for notes.jsonl and every recogniser form is derived from its text
    assert check_notes([*load_notes(NOTES), *tuning]) == []
    assert check_notes([{**tuning[0], "asr_text": tuning[0]["text"]}]) != []
    # And a run reports dev2 as a column of its own, beside dev and final
    result, _ = run(tuning[:1], "legacy", sections_from_current_draft, detector=None)
    assert result["figures"]["dev2"]["punctuated"]["notes"] == 1
    assert result["figures"]["final"]["punctuated"]["notes"] == 0
