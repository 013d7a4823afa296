"""Offline NER errors found by the draft work (session 7, second round): prescribing abbreviations are never
drugs, weight loss is a symptom, a form word opening a test name is no form, cue-less problem statements."""

from __future__ import annotations

from typing import Any

import pytest
from ner_support import attrs, entities

from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner.prescribing import abbreviations


def _texts(resp: dict[str, Any], category: str) -> list[str]:
    return [e["Text"].lower() for e in entities(resp, category)]


def test_the_abbreviation_list_holds_the_common_timing_and_frequency_words() -> None:
    assert {
        "nocte",
        "mane",
        "od",
        "bd",
        "tds",
        "qds",
        "prn",
        "stat",
        "om",
        "on",
        "qhs",
        "hs",
        "ac",
        "pc",
    } <= (abbreviations())


@pytest.mark.parametrize("abbr", sorted(abbreviations()))
def test_no_prescribing_abbreviation_is_ever_a_drug(detector: OfflineEntityDetector, abbr: str) -> None:
    # after a dose, before a dose, alone: the shapes in which the fuzzy and unknown-name matchers fire
    text = f"Mirtazapine 15 mg {abbr} for two weeks then {abbr} 7.5 mg. {abbr.capitalize()}."
    resp = detector.detect_entities(text)
    assert _texts(resp, "MEDICATION") == ["mirtazapine"], resp["Entities"]


def test_uk_frequency_abbreviations_are_the_drugs_frequency(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Mirtazapine 15 mg nocte for two weeks then 7.5 mg nocte then stop.")
    (drug,) = entities(resp, "MEDICATION")
    freqs = [a["Text"] for a in drug["Attributes"] if a["Type"] == "FREQUENCY"]
    assert freqs == ["nocte", "nocte"]
    assert [a["Text"] for a in drug["Attributes"] if a["Type"] == "DOSAGE"] == ["15 mg", "7.5 mg"]
    resp = detector.detect_entities("Ramipril 5 mg bd and amoxicillin 500 mg tds, sertraline 50 mg mane.")
    assert [attrs(e).get("FREQUENCY") for e in entities(resp, "MEDICATION")] == ["bd", "tds", "mane"]


def _conditions(resp: dict[str, Any]) -> list[str]:
    return _texts(resp, "MEDICAL_CONDITION")


@pytest.mark.parametrize(
    ("text", "finding", "trait"),
    [
        ("She has lost weight since the summer.", "lost weight", "SYMPTOM"),
        ("He has lost a lot of weight.", "lost a lot of weight", "SYMPTOM"),
        ("She has put on weight.", "put on weight", "SIGN"),
    ],
)
def test_a_change_in_weight_is_a_finding_not_a_test(
    detector: OfflineEntityDetector, text: str, finding: str, trait: str
) -> None:
    resp = detector.detect_entities(text)
    assert _texts(resp, "TEST_TREATMENT_PROCEDURE") == []
    (cond,) = entities(resp, "MEDICAL_CONDITION")
    assert cond["Text"] == finding
    assert [t["Name"] for t in cond["Traits"]] == [trait]


@pytest.mark.parametrize("text", ["Weight 82 kg.", "Her weight is 82 kg.", "Advised to lose weight."])
def test_a_measured_weight_stays_a_test(detector: OfflineEntityDetector, text: str) -> None:
    resp = detector.detect_entities(text)
    assert _texts(resp, "TEST_TREATMENT_PROCEDURE") == ["weight"]
    assert _conditions(resp) == []


def test_a_form_word_opening_a_test_name_is_not_a_form(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Use emollient cream and refer for patch testing.")
    (drug,) = entities(resp, "MEDICATION")
    assert "FORM" not in attrs(drug)
    assert _texts(resp, "TEST_TREATMENT_PROCEDURE") == ["patch testing"]
    # an unknown "<form> test" is no form either
    resp = detector.detect_entities("Sertraline 50 mg. Tablet test next week.")
    assert "FORM" not in attrs(entities(resp, "MEDICATION")[0])


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Depression review. Mood still low with early morning waking.", "mood still low"),
        ("She feels tired all the time and her periods are irregular.", "periods are irregular"),
        ("His sleep has been poor lately.", "sleep has been poor"),
        ("Reduced sensation to monofilament in the left foot.", "reduced sensation"),
        ("The daughter says she has been off her food.", "off her food"),
        ("The carer says she is not eating much.", "not eating much"),
        ("The carer says she is wandering at night.", "wandering at night"),
    ],
)
def test_cue_less_problem_statements_are_conditions(
    detector: OfflineEntityDetector, text: str, finding: str
) -> None:
    assert finding in _conditions(detector.detect_entities(text))


@pytest.mark.parametrize(
    "text",
    [
        "Her mood is good and sleep is fine.",
        "Periods are regular.",
        "Low dose aspirin.",
        "She is eating much better and walking off the weight.",
    ],
)
def test_normal_statements_are_no_findings(detector: OfflineEntityDetector, text: str) -> None:
    assert _conditions(detector.detect_entities(text)) == []


def test_polymyalgia_alone_is_the_condition(detector: OfflineEntityDetector) -> None:
    # the usual short name; in recogniser form the drug follows with no stop ("for polymyalgia prednisolone")
    resp = detector.detect_entities("during treatment for polymyalgia prednisolone 15 mg a day")
    assert _conditions(resp) == ["polymyalgia"]


def _negated(resp: dict[str, Any]) -> list[str]:
    return [
        e["Text"].lower()
        for e in entities(resp, "MEDICAL_CONDITION")
        if any(t["Name"] == "NEGATION" for t in e["Traits"])
    ]


@pytest.mark.parametrize(
    "text",
    [
        "No loss of consciousness, no head injury, shortening and external rotation of the right leg.",
        "no loss of consciousness no head injury shortening and external rotation of the right leg",
    ],
)
def test_an_item_after_a_list_that_restates_its_trigger_is_not_negated(
    detector: OfflineEntityDetector, text: str
) -> None:
    resp = detector.detect_entities(text)
    assert _negated(resp) == ["loss of consciousness", "head injury"]
    assert "shortening" in _conditions(resp)


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("No fever, no cough or wheeze.", ["fever", "cough", "wheeze"]),
        ("She denies fever, chills, nausea or vomiting.", ["fever", "chills", "nausea", "vomiting"]),
        ("no fever no apnoeas", ["fever", "apnoeas"]),
    ],
)
def test_lists_of_negated_items_stay_negated(
    detector: OfflineEntityDetector, text: str, negated: list[str]
) -> None:
    assert _negated(detector.detect_entities(text)) == negated


@pytest.mark.parametrize(
    "text", ["She was unable to weight bear.", "unable to weight bear no loss of consciousness"]
)
def test_weight_bearing_is_no_weight_test(detector: OfflineEntityDetector, text: str) -> None:
    assert _texts(detector.detect_entities(text), "TEST_TREATMENT_PROCEDURE") == []
