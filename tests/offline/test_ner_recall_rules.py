"""General recall rules of the offline detector (issue 15): time grammar, sites, long names, ICD-10-CM names."""

from __future__ import annotations

import pytest
from ner_support import dated, texts

from medscribe.offline.ner import OfflineEntityDetector


@pytest.mark.parametrize(
    ("text", "time", "what"),
    [
        ("Panic attacks since the weekend.", "since the weekend", "Panic attacks"),
        ("Short of breath over the last fortnight.", "over the last fortnight", "Short of breath"),
        ("Pain in the toe since yesterday morning.", "since yesterday morning", "Pain"),
        ("Constipation for several months.", "for several months", "Constipation"),
        ("Fever and rigors for 48 hours.", "for 48 hours", "rigors"),
        ("She has headaches every morning.", "every morning", "headaches"),
    ],
)
def test_time_expressions_of_a_condition(
    detector: OfflineEntityDetector, text: str, time: str, what: str
) -> None:
    assert what in dated(detector.detect_entities(text), time)


def test_a_duration_right_after_a_condition_is_its_time_not_the_earlier_drugs(
    detector: OfflineEntityDetector,
):
    # Given an unpunctuated run: a stopped drug, then a symptom with its duration
    resp = detector.detect_entities("stop doxazosin sore throat x five days as well")
    # Then the duration dates the sore throat, and is not the drug's DURATION
    assert "sore throat" in dated(resp, "x five days")
    drug = next(e for e in resp["Entities"] if e["Text"] == "doxazosin")
    assert all(a["Type"] != "DURATION" for a in drug.get("Attributes", []))


def test_a_site_before_a_sign_is_anatomy_but_pain_keeps_its_usual_name(detector: OfflineEntityDetector):
    resp = detector.detect_entities("He denies leg swelling. Knee pain for a week.")
    assert "swelling" in texts(resp, "MEDICAL_CONDITION", 0.5)
    assert "leg" in texts(resp, "ANATOMY", 0.5)
    assert "Knee pain" in texts(resp, "MEDICAL_CONDITION", 0.5)
    swelling = next(e for e in resp["Entities"] if e["Text"] == "swelling")
    assert [a["Text"] for a in swelling["Attributes"] if a["Type"] == "SYSTEM_ORGAN_SITE"] == ["leg"]


def test_names_from_the_icd10cm_lexicon_and_long_names_with_commas(detector: OfflineEntityDetector):
    resp = detector.detect_entities(
        "Diagnosis is croup. Her sister had hand, foot and mouth disease. Bronchiolitis."
    )
    conditions = texts(resp, "MEDICAL_CONDITION", 0.5)
    assert "hand, foot and mouth disease" in conditions
    assert "Bronchiolitis" in conditions
    assert texts(resp, "ANATOMY", 0.5) == []  # no "hand" / "foot" / "mouth" sites inside the disease's name


def test_an_organ_before_cancer_is_part_of_its_name(detector: OfflineEntityDetector):
    resp = detector.detect_entities("Her mother had endometrial cancer and her aunt breast cancer.")
    assert {"endometrial cancer", "breast cancer"} <= set(texts(resp, "MEDICAL_CONDITION", 0.5))


def test_a_test_reaches_over_its_value_to_its_time_in_unpunctuated_text(detector: OfflineEntityDetector):
    # Given recogniser text where a sign follows the time expression with no sentence break
    resp = detector.detect_entities("temperature of thirty eight point two this morning mild stridor at rest")
    # Then the time dates the test whose value it follows, not the later sign
    assert dated(resp, "this morning") == ["temperature"]


def test_each_morning_is_a_drug_schedule_and_never_a_conditions_time_after_a_dose(
    detector: OfflineEntityDetector,
):
    resp = detector.detect_entities("Metformin 500 mg each morning.")
    drug = next(e for e in resp["Entities"] if e["Text"] == "Metformin")
    assert ("FREQUENCY", "each morning") in [(a["Type"], a["Text"]) for a in drug["Attributes"]]
    # an out-of-reach dose schedule next to a symptom stays a schedule (unmapped), not the symptom's time
    resp = detector.detect_entities("dose was increased to 27 mg each morning headaches are better")
    assert texts(resp, "TIME_EXPRESSION", 0.5) == []
