"""The offline detector: negation and its scope, condition traits, test values, PHI, time expressions and
anatomy (split from test_ner.py)."""

from __future__ import annotations

import pytest
from ner_support import attrs, entities, one, trait

from medscribe.offline.ner import OfflineEntityDetector


# ---- negation -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "negated", "affirmed"),
    [
        ("He denies chest pain or shortness of breath.", ["chest pain", "shortness of breath"], []),
        ("No fever. Reports cough.", ["fever"], ["cough"]),
        ("Negative for fever, chills, or night sweats.", ["fever", "chills", "night sweats"], []),
        ("Rule out pneumonia.", ["pneumonia"], []),
        ("Denies fever but has a headache.", ["fever"], ["headache"]),
        ("He denies chest pain, but reports fatigue.", ["chest pain"], ["fatigue"]),
        ("no nausea no vomiting she has diarrhea", ["nausea", "vomiting"], ["diarrhea"]),
        ("Without fever, she has a rash.", ["fever"], ["rash"]),
    ],
)
def test_condition_negation_and_scope(
    detector: OfflineEntityDetector, text: str, negated: list[str], affirmed: list[str]
) -> None:
    resp = detector.detect_entities(text)
    for name in negated:
        score = trait(one(resp, name), "NEGATION")
        assert score is not None, name
        assert 0.5 < score <= 1.0, name
    for name in affirmed:
        assert trait(one(resp, name), "NEGATION") is None, name


def test_negation_scope_ends_after_its_window(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities(
        "no fever today and after the long visit the family later mentioned cough"
    )
    assert trait(one(resp, "fever"), "NEGATION") is not None
    assert trait(one(resp, "cough"), "NEGATION") is None


def test_medication_negation(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities(
        "She is not taking aspirin. Discontinue metformin and start glipizide. Lisinopril was stopped."
    )
    assert trait(one(resp, "aspirin"), "NEGATION") is not None
    assert trait(one(resp, "metformin"), "NEGATION") is not None
    assert trait(one(resp, "Lisinopril"), "NEGATION") is not None
    assert trait(one(resp, "glipizide"), "NEGATION") is None


def test_condition_traits_and_acuity(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Chronic back pain and hypertension. Edema on exam.")
    assert trait(one(resp, "back pain"), "SYMPTOM") is not None
    assert trait(one(resp, "hypertension"), "DIAGNOSIS") is not None
    assert trait(one(resp, "Edema"), "SIGN") is not None
    assert attrs(one(resp, "back pain")) == {"ACUITY": "Chronic"}


# ---- tests, PHI, time -----------------------------------------------------------------------------------
def test_test_values_and_units(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities(
        "A1c of 7.2 percent. Blood pressure today is one hundred forty over ninety."
    )
    assert attrs(one(resp, "A1c")) == {"TEST_VALUE": "7.2", "TEST_UNIT": "percent"}
    assert attrs(one(resp, "Blood pressure")) == {"TEST_VALUE": "one hundred forty over ninety"}
    assert one(resp, "A1c")["Type"] == "TEST_NAME"
    # the time expression is a top-level entity dating the test (AWS's structure)
    today = one(resp, "today")
    assert (today["Category"], today["Type"]) == ("TIME_EXPRESSION", "TIME_TO_TEST_NAME")
    assert [(a["Text"], a["Type"], a["RelationshipType"]) for a in today["Attributes"]] == [
        ("Blood pressure", "TEST_NAME", "OVERLAP")
    ]


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("The patient is a 54 year old man.", "54"),
        ("A 54-year-old woman.", "54"),
        ("the patient is a fifty four year old female", "fifty four"),
        ("Patient aged 71 presents.", "71"),
    ],
)
def test_phi_age(detector: OfflineEntityDetector, text: str, age: str) -> None:
    resp = detector.detect_entities(text)
    ages = [e for e in entities(resp, "PROTECTED_HEALTH_INFORMATION") if e["Type"] == "AGE"]
    assert [e["Text"] for e in ages] == [age]
    assert ages[0]["Score"] >= 0.5


def test_phi_name_phone_email_id_date(detector: OfflineEntityDetector) -> None:
    text = (
        "Seen by Dr. Anna Patel on March 3rd, 2024 for Mrs. Jones, a patient named Maria Lopez. Call "
        "555-123-4567 or jane.doe@example.com. MRN 12345678."
    )
    phi = {
        (e["Type"], e["Text"])
        for e in entities(detector.detect_entities(text), "PROTECTED_HEALTH_INFORMATION")
    }
    assert phi == {
        ("NAME", "Anna Patel"),
        ("DATE", "March 3rd, 2024"),
        ("NAME", "Jones"),
        ("NAME", "Maria Lopez"),
        ("PHONE_OR_FAX", "555-123-4567"),
        ("EMAIL", "jane.doe@example.com"),
        ("ID", "12345678"),
    }


def test_time_expression_is_a_top_level_entity_dating_the_condition(detector: OfflineEntityDetector) -> None:
    # Given a symptom with a time / When detecting
    resp = detector.detect_entities("She had knee pain three days ago.")
    # Then (AWS's structure) the time expression is an entity whose attribute is the condition, same Id
    time = one(resp, "three days ago")
    assert (time["Category"], time["Type"]) == ("TIME_EXPRESSION", "TIME_TO_DX_NAME")
    [a] = time["Attributes"]
    pain = one(resp, "knee pain")
    assert (a["Type"], a["Text"], a["Category"], a["RelationshipType"], a["Id"]) == (
        "DX_NAME",
        "knee pain",
        "MEDICAL_CONDITION",
        "OVERLAP",
        pain["Id"],
    )
    assert pain["Attributes"] == []


def test_anatomy_alone_and_as_site_of_a_condition(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Lungs are clear. She has pain in the left knee.")
    assert one(resp, "Lungs")["Category"] == "ANATOMY"
    # direction is its own attribute (AWS: DIRECTION), carried by the condition with the site
    assert attrs(one(resp, "pain")) == {"SYSTEM_ORGAN_SITE": "knee", "DIRECTION": "left"}
    # and, as AWS returns it, the site is also a top-level ANATOMY entity: the same mention, the same Id
    site = next(a for a in one(resp, "pain")["Attributes"] if a["Type"] == "SYSTEM_ORGAN_SITE")
    knee = one(resp, "knee")
    assert (knee["Category"], knee["Type"], knee["Id"]) == ("ANATOMY", "SYSTEM_ORGAN_SITE", site["Id"])
