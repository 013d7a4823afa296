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
P = pytest.param


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
        P(
            "If his cholesterol is still above target in three months, we may add ezetimibe.",
            id="target in three",
        ),
        P("Her pressure is on target in clinic today, continue amlodipine 5 mg.", id="target in clinic"),
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
    ("text", "word"),
    [
        P(
            "A 16-year-old with avoidant restrictive food intake disorder since 2022.",
            "avoidant",
            id="avoidant",
        ),
        P("Tendon xanthomata over both Achilles tendons.", "xanthomata", id="xanthomata"),
    ],
)
def test_a_word_of_a_conditions_name_is_never_a_misheard_drug(
    detector: OfflineEntityDetector, text: str, word: str, form: str
) -> None:
    # the fuzzy matcher took these condition words for near-miss brands
    assert word not in _named(detector, text, form, "MEDICATION")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "word"),
    [
        P("He takes metfromin 500 mg twice daily.", "metfromin", id="metfromin"),
        P("She is on amlodipin 5 mg once daily.", "amlodipin", id="amlodipin"),
    ],
)
def test_a_misspelled_drug_is_still_found_by_the_fuzzy_matcher(
    detector: OfflineEntityDetector, text: str, word: str, form: str
) -> None:
    assert word in _named(detector, text, form, "MEDICATION")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "analyte"),
    [
        P(
            "His 9 am cortisol was 40 at admission, so he needs a synacthen test.",
            "cortisol",
            id="a hormone and its sampling time",
        ),
        P(
            "If his potassium drops below 3.5, add Sando-K two tablets twice a day.",
            "potassium",
            id="a mineral and a change verb",
        ),
        P(
            "Her vitamin D was 22, so start colecalciferol 800 units daily.",
            "vitamin d",
            id="a vitamin and its value",
        ),
        P(
            "Testosterone is low at 6, recheck with a morning sample.",
            "testosterone",
            id="a hormone, a result word and its value",
        ),
        P(
            "Her fasting insulin was high, in keeping with the diagnosis.",
            "insulin",
            id="a hormone and a result word",
        ),
        P("Calcium 2.7, so stop the Adcal.", "calcium", id="a mineral, its value right after"),
        # "<drug> and <analyte> levels" names two levels, as "<drug> level" names one
        P(
            "Lithium and thyroid levels in three months.",
            "lithium",
            id="two levels, a drug's and a hormone's",
        ),
        P(
            "Digoxin and potassium levels tomorrow morning.",
            "digoxin",
            id="two levels, a drug's and a mineral's",
        ),
    ],
)
def test_an_analyte_said_as_a_result_or_a_level_is_a_test_not_a_drug(
    detector: OfflineEntityDetector, text: str, analyte: str, form: str
) -> None:
    # Given a hormone, vitamin or mineral said with its value, a result word, a change verb or a sampling time, or
    # a drug whose level is checked
    # Then it is the test (AWS's TEST_NAME), never a medication the draft could list
    assert analyte not in _named(detector, text, form, "MEDICATION")
    assert analyte in _named(detector, text, form, "TEST_TREATMENT_PROCEDURE")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug"),
    [
        P("Vitamin D 800 units daily.", "vitamin d", id="a vitamin dosed in units"),
        P("Thyroxine 100 once daily.", "thyroxine", id="a hormone dosed without its unit"),
        P(
            "Vitamin D 50,000 units weekly for eight weeks.",
            "vitamin d",
            id="a vitamin dose with a thousands comma",
        ),
        P(
            "Take calcium and vitamin D tablets daily.",
            "calcium",
            id="a mineral in a list before a form word",
        ),
        P("Insulin 10 units at night.", "insulin", id="a hormone dosed in units"),
        P("Her insulin was increased last week.", "insulin", id="a change verb, no value"),
        P("Testosterone gel 50 mg daily.", "testosterone", id="a hormone before a form word"),
        P("Lithium is 800 mg at night.", "lithium", id="a mineral, is, a dose"),
        P("Her insulin was reduced to 10 units at night.", "insulin", id="a change verb to a dose"),
        P("Start lithium and check levels in a week.", "lithium", id="a drug given before a level check"),
        P(
            "Continue digoxin and potassium levels as before.",
            "digoxin",
            id="a drug continued before a list's levels",
        ),
    ],
)
def test_an_analyte_or_a_monitored_drug_said_as_a_medicine_stays_a_drug(
    detector: OfflineEntityDetector, text: str, drug: str, form: str
) -> None:
    # a dose with a drug unit, a dose dictated without its unit, a form word, a verb of taking or giving: the medicine
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
    ("text", "condition"),
    [
        P("A man with low testosterone and a varicocele; start clomifene 25 mg daily.", "low testosterone"),
        P("Low vitamin D on the last bloods, so start colecalciferol.", "low vitamin d"),
    ],
)
def test_an_analyte_after_a_result_adjective_is_an_abnormal_level_not_a_drug(
    detector: OfflineEntityDetector, form: str, text: str, condition: str
) -> None:
    # Given a hormone or mineral said after a result adjective ("low", "raised")
    # Then it names the abnormal level (a condition the draft lists as a problem), never a medication
    assert condition.split()[-1] not in _named(detector, text, form, "MEDICATION")
    assert condition in _named(detector, text, form, "MEDICAL_CONDITION")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "condition"),
    [
        P("He had growth hormone deficiency as a child.", "growth hormone deficiency", id="a hormone"),
        P("Her brother has factor VIII deficiency.", "factor viii deficiency", id="a clotting factor"),
        P(
            "A newborn with vitamin K deficiency bleeding.",
            "vitamin k deficiency",
            id="a vitamin no analyte list holds",
        ),
        P("A boy with 11-hydroxylase deficiency.", "hydroxylase deficiency", id="an enzyme the list holds"),
    ],
)
def test_any_substance_right_before_deficiency_is_the_condition_not_a_drug(
    detector: OfflineEntityDetector, form: str, text: str, condition: str
) -> None:
    # Given a medicine's name said right before "deficiency" (drug_modifiers; nutrients: not_drugs)
    # Then it names the condition with it, not a drug
    assert _named(detector, text, form, "MEDICATION") == []
    assert any(condition in c for c in _named(detector, text, form, "MEDICAL_CONDITION"))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drugs"),
    [
        P("Dihydropyrimidine dehydrogenase activity is normal.", [], id="an enzyme's activity"),
        P(
            "She has glucose-6-phosphate dehydrogenase deficiency.",
            [],
            id="a drug word as an enzyme's substrate",
        ),
        P(
            "She reacts to quinolone antibiotics.",
            ["quinolone antibiotics"],
            id="a class with its class noun",
        ),
        P("Avoid cephalosporin drugs.", ["cephalosporin drugs"], id="a class with drugs"),
        P("Glucose tablets for hypos.", ["glucose"], id="a product stays a drug"),
        P(
            "Trimethoprim antibiotic tablets.",
            ["trimethoprim", "antibiotic"],
            id="a singular noun stays apart",
        ),
    ],
)
def test_a_drug_word_modifying_another_name_is_read_as_that_name(
    detector: OfflineEntityDetector, form: str, text: str, drugs: list[str]
) -> None:
    assert _named(detector, text, form, "MEDICATION") == drugs


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        P("His 9 am cortisol was 40 at admission.", id="a hormone's result"),
        P("Her vitamin D was 22 last month.", id="a vitamin's result"),
        P("Lithium and thyroid levels in three months.", id="two levels"),
        P("Haematology letter: vitamin B12 deficiency after a gastric bypass.", id="a deficiency"),
    ],
)
def test_a_result_a_level_or_a_deficiency_is_never_a_prescription_row(text: str, form: str) -> None:
    from medscribe.textdraft import draft_sections

    said = text if form == "punctuated" else recogniser_form(text)
    draft = draft_sections(said)
    rows = [i for s in draft["sections"] if s["title"] == "Medications" for i in s["items"]]
    assert rows == [], rows
