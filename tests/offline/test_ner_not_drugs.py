"""Words no drug matcher may take for a drug, and medicines said as lab results (``medscribe.offline.ner.not_drugs``,
session 13): a route of administration, a function word joined to its neighbour, a hormone, vitamin or mineral said
as a result. Each rule in both forms of a note, through the pipeline's normalisation, as the draft path runs them."""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline.ner import OfflineEntityDetector, not_drugs
from medscribe.textnorm import normalize_clinical_text

FORMS = ("punctuated", "recogniser")


def _named(detector: OfflineEntityDetector, text: str, form: str, category: str) -> list[str]:
    said = text if form == "punctuated" else recogniser_form(text)
    resp: dict[str, Any] = detector.detect_entities(normalize_clinical_text(said))
    return [e["Text"].lower() for e in resp["Entities"] if e["Category"] == category and e["Score"] >= 0.5]


def test_no_route_of_administration_is_a_drug_before_a_dose_form(detector: OfflineEntityDetector) -> None:
    # Given every listed route said where an unknown drug name stands: before a dose-form noun and after a dose
    for route in sorted(not_drugs.route_words()):
        for text in (
            f"Aflibercept 2 mg {route} injections every eight weeks.",
            f"Start {route} 10 mg daily.",
        ):
            # Then the route is no medication ("intravitreal" was a LOW_CONFIDENCE drug)
            drugs = _named(detector, text, "punctuated", "MEDICATION")
            assert route not in " ".join(drugs), (route, drugs)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "If his cholesterol is still above target in three months, we may add ezetimibe.",
        "Her pressure is on target in clinic today, continue amlodipine 5 mg.",
    ],
)
def test_a_function_word_is_never_joined_into_a_drug_name(
    detector: OfflineEntityDetector, text: str, form: str
) -> None:
    # "target in" was joined into one near-miss brand by the fuzzy matcher
    drugs = _named(detector, text, form, "MEDICATION")
    assert not [d for d in drugs if "target" in d], drugs


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "analyte"),
    [
        ("His 9 am cortisol was 40 at admission, so he needs a synacthen test.", "cortisol"),
        ("If his potassium drops below 3.5, add Sando-K two tablets twice a day.", "potassium"),
        ("Her vitamin D was 22, so start colecalciferol 800 units daily.", "vitamin d"),
        ("Testosterone is low at 6, recheck with a morning sample.", "testosterone"),
        ("Her fasting insulin was high, in keeping with the diagnosis.", "insulin"),
        ("Calcium 2.7, so stop the Adcal.", "calcium"),
    ],
)
def test_an_analyte_said_as_a_result_is_a_test_not_a_drug(
    detector: OfflineEntityDetector, text: str, analyte: str, form: str
) -> None:
    # Given a hormone, vitamin or mineral said with its value, a result word, a change verb or a sampling time
    # Then it is the test (AWS's TEST_NAME), never a medication the draft could list
    assert analyte not in _named(detector, text, form, "MEDICATION")
    assert analyte in _named(detector, text, form, "TEST_TREATMENT_PROCEDURE")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Vitamin D 800 units daily.", "vitamin d"),
        ("Thyroxine 100 once daily.", "thyroxine"),
        ("Vitamin D 50,000 units weekly for eight weeks.", "vitamin d"),
        ("Take calcium and vitamin D tablets daily.", "calcium"),
        ("Insulin 10 units at night.", "insulin"),
        ("Her insulin was increased last week.", "insulin"),
        ("Testosterone gel 50 mg daily.", "testosterone"),
        ("Lithium is 800 mg at night.", "lithium"),
        ("Her insulin was reduced to 10 units at night.", "insulin"),
    ],
)
def test_an_analyte_said_as_a_medicine_stays_a_drug(
    detector: OfflineEntityDetector, text: str, drug: str, form: str
) -> None:
    # a dose with a drug unit, a dose dictated without its unit, a form word, a verb of taking: the medicine
    assert drug in _named(detector, text, form, "MEDICATION")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Lithium and thyroid levels in three months.", "lithium"),
        ("Digoxin and potassium levels tomorrow morning.", "digoxin"),
    ],
)
def test_a_drug_sharing_a_lists_level_word_is_a_level_test(
    detector: OfflineEntityDetector, text: str, drug: str, form: str
) -> None:
    # "<drug> and <analyte> levels" names two levels, as "<drug> level" names one: no medication to list
    assert drug not in _named(detector, text, form, "MEDICATION")
    assert drug in _named(detector, text, form, "TEST_TREATMENT_PROCEDURE")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Start lithium and check levels in a week.", "lithium"),
        ("Continue digoxin and potassium levels as before.", "digoxin"),
    ],
)
def test_a_drug_given_before_a_level_check_stays_a_drug(
    detector: OfflineEntityDetector, text: str, drug: str, form: str
) -> None:
    assert drug in _named(detector, text, form, "MEDICATION")


@pytest.mark.parametrize("form", FORMS)
def test_a_nutrients_deficiency_is_one_condition_in_both_forms(
    detector: OfflineEntityDetector, form: str
) -> None:
    # the recogniser's "vitamin b twelve deficiency" read "vitamin b 12" as a drug and no condition
    text = "Haematology letter: vitamin B12 deficiency after a gastric bypass, with tingling in both feet."
    assert _named(detector, text, form, "MEDICATION") == []
    assert any("deficiency" in c for c in _named(detector, text, form, "MEDICAL_CONDITION"))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "His 9 am cortisol was 40 at admission.",
        "Her vitamin D was 22 last month.",
        "Lithium and thyroid levels in three months.",
        "Haematology letter: vitamin B12 deficiency after a gastric bypass.",
    ],
)
def test_a_result_a_level_or_a_deficiency_is_never_a_prescription_row(text: str, form: str) -> None:
    from medscribe.textdraft import draft_sections

    said = text if form == "punctuated" else recogniser_form(text)
    draft = draft_sections(said)
    rows = [i for s in draft["sections"] if s["title"] == "Medications" for i in s["items"]]
    assert rows == [], rows
