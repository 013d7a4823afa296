"""Offline detector, session 9 (anatomy recall, time expressions, medication precision): organ sites from the
ICD-10-CM neoplasm chapter, a locative route that names a place when no drug is put there, a form word inside a
site's name, "inner / outer" as part of a site, 24-hour clock times, times counted from an event, recurrence said
as "several times", a follow-up clinic's time, and a drug brand naming an appliance. Each case runs on the
punctuated text and on its recogniser form, through the pipeline's normalisation, and reads the DetectEntitiesV2
shape (Category, Type, Text, offsets, Attributes with RelationshipType)."""

from __future__ import annotations

from typing import Any

import pytest
from ner_support import check_offsets_and_ids

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline import ner_icd10_sites
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.textnorm import normalize_clinical_text

FORMS = [pytest.param(lambda t: t, id="punctuated"), pytest.param(recogniser_form, id="recogniser")]


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


def _resp(detector: OfflineEntityDetector, text: str) -> tuple[str, dict[str, Any]]:
    said = normalize_clinical_text(text)
    resp = detector.detect_entities(said)
    check_offsets_and_ids(resp, said)
    return said, resp


def _key(words: str) -> str:
    """Words as the scorer compares them: spoken, then normalised ("at 13:45" and "at 13 45" are one)."""
    return normalize_clinical_text(recogniser_form(words)).lower()


def _of(resp: dict[str, Any], category: str) -> list[dict[str, Any]]:
    return [e for e in resp["Entities"] if e["Category"] == category]


def test_the_neoplasm_chapter_names_organ_sites() -> None:
    # Given ICD-10-CM neoplasm descriptions
    # Then the site after "of" is kept, laterality dropped, and a word naming a condition or a product is not
    assert ner_icd10_sites._site("Malignant neoplasm of left parotid gland") == "parotid gland"
    assert ner_icd10_sites._site("Benign neoplasm of buccal mucosa") == "buccal mucosa"
    assert ner_icd10_sites._site("Malignant neoplasm of undescended testis") is None
    assert ner_icd10_sites._site("Carcinoma in situ of other parts of stomach") is None


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("A lump in the left submandibular gland.", "submandibular gland"),
        ("An ulcer on the buccal mucosa.", "buccal mucosa"),
        ("Lacunar infarct in the right internal capsule.", "internal capsule"),
        ("Effusion in the pleural space.", "pleural space"),
        ("Hard skin over the forefoot.", "forefoot"),
        ("Bruises on her inner arms.", "inner arms"),
        ("Cataracts in both eyes.", "eyes"),
    ],
)
def test_a_site_is_a_top_level_anatomy_entity(
    detector: OfflineEntityDetector, form: Any, text: str, site: str
) -> None:
    # Given a site said in a finding
    _, resp = _resp(detector, form(text))
    # Then it is a top-level ANATOMY / SYSTEM_ORGAN_SITE entity, the side (if any) its DIRECTION
    hits = [e for e in _of(resp, "ANATOMY") if e["Text"].lower() == site]
    assert len(hits) == 1, [(e["Category"], e["Text"]) for e in resp["Entities"]]
    assert hits[0]["Type"] == "SYSTEM_ORGAN_SITE"
    assert all(a["Type"] == "DIRECTION" for a in hits[0]["Attributes"])


@pytest.mark.parametrize("form", FORMS)
def test_a_locative_route_without_a_drug_is_the_finding_site(
    detector: OfflineEntityDetector, form: Any
) -> None:
    # Given a condition "in both eyes" and, elsewhere, drops put in both eyes
    _, resp = _resp(detector, form("Cataracts in both eyes."))
    _, drops = _resp(detector, form("Chloramphenicol drops in both eyes."))
    # Then the eyes are the cataracts' SYSTEM_ORGAN_SITE, and with the drug the phrase stays the drug's route
    cataracts = next(e for e in _of(resp, "MEDICAL_CONDITION") if e["Text"].lower() == "cataracts")
    assert [(a["Type"], a["Text"]) for a in cataracts["Attributes"]] == [("SYSTEM_ORGAN_SITE", "eyes")]
    drug = next(e for e in _of(drops, "MEDICATION"))
    assert ("ROUTE_OR_MODE", "in both eyes") in [(a["Type"], a["Text"]) for a in drug["Attributes"]]
    assert _of(drops, "ANATOMY") == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated", "type_"),
    [
        (
            "Paracetamol 1 g IV given at 13:45 in the ambulance.",
            "at 13:45",
            "paracetamol",
            "TIME_TO_MEDICATION_NAME",
        ),
        (
            "Salbutamol nebuliser given, repeated ten minutes later.",
            "ten minutes later",
            "salbutamol",
            "TIME_TO_MEDICATION_NAME",
        ),
        (
            "Her father gave ibuprofen two hours before arrival.",
            "two hours before arrival",
            "ibuprofen",
            "TIME_TO_MEDICATION_NAME",
        ),
        ("Nosebleeds several times a week.", "several times a week", "nosebleeds", "TIME_TO_DX_NAME"),
        (
            "Neck pain since the motorbike accident.",
            "since the motorbike accident",
            "neck pain",
            "TIME_TO_DX_NAME",
        ),
    ],
)
def test_time_expressions_said_in_new_ways_date_their_entity(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, dated: str, type_: str
) -> None:
    # Given a clock time, a time counted from an event, or a recurrence said as "several times"
    said, resp = _resp(detector, form(text))
    # Then it is one top-level TIME_EXPRESSION dating the entity (OVERLAP), at its offsets
    found = [e for e in _of(resp, "TIME_EXPRESSION") if _key(e["Text"]) == _key(time)]
    assert len(found) == 1, [(e["Category"], e["Text"]) for e in resp["Entities"]]
    entity = found[0]
    assert entity["Type"] == type_
    assert [(a["Text"].lower(), a["RelationshipType"]) for a in entity["Attributes"]] == [(dated, "OVERLAP")]
    assert said[entity["BeginOffset"] : entity["EndOffset"]] == entity["Text"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "Levothyroxine 50 mcg at 06:00 daily.",  # a drug's schedule, its FREQUENCY's business
        "Her TSH is raised at 8.2.",  # a test value
        "Migraine. Headache clinic in three months.",  # a visit's time dates no entity
    ],
)
def test_a_schedule_a_value_or_a_clinic_visit_is_no_time_expression(
    detector: OfflineEntityDetector, form: Any, text: str
) -> None:
    # Given a clock time in a drug's schedule, a decimal test value, or a clinic's follow-up time
    _, resp = _resp(detector, form(text))
    # Then no time expression is returned
    assert _of(resp, "TIME_EXPRESSION") == []


@pytest.mark.parametrize("form", FORMS)
def test_a_drug_brand_before_an_appliance_is_no_medication(
    detector: OfflineEntityDetector, form: Any
) -> None:
    # Given a drug brand naming a household appliance, and the same brand's medicine
    _, appliance = _resp(detector, form("Run the Vicks humidifier in her room."))
    _, medicine = _resp(detector, form("Vicks rubbed on his chest at night."))
    # Then the appliance's maker is no MEDICATION; the medicine still is
    assert _of(appliance, "MEDICATION") == []
    assert [e["Text"].lower() for e in _of(medicine, "MEDICATION")] == ["vicks"]


@pytest.mark.parametrize("form", FORMS)
def test_a_site_reached_up_to_is_the_conditions_site(detector: OfflineEntityDetector, form: Any) -> None:
    # Given a sign that reaches "up to" a site
    _, resp = _resp(detector, form("Pitting oedema up to the knees."))
    # Then the site is the sign's SYSTEM_ORGAN_SITE and a top-level ANATOMY entity
    oedema = next(e for e in _of(resp, "MEDICAL_CONDITION") if "oedema" in e["Text"].lower())
    assert ("SYSTEM_ORGAN_SITE", "knees") in [(a["Type"], a["Text"]) for a in oedema["Attributes"]]
    assert [e["Text"] for e in _of(resp, "ANATOMY")] == ["knees"]


@pytest.mark.parametrize("form", FORMS)
def test_a_route_opening_a_product_name_is_the_drugs_route(
    detector: OfflineEntityDetector, form: Any
) -> None:
    # Given a product string of the drug dictionary that opens with its route
    said, resp = _resp(detector, form("If the weakness spreads, give intravenous immunoglobulin."))
    # Then the MEDICATION is the drug's name alone and the route is its ROUTE_OR_MODE attribute
    drugs = _of(resp, "MEDICATION")
    assert [e["Text"].lower() for e in drugs] == ["immunoglobulin"]
    assert [(a["Type"], a["Text"].lower()) for a in drugs[0]["Attributes"]] == [
        ("ROUTE_OR_MODE", "intravenous")
    ]
    assert said[drugs[0]["BeginOffset"] : drugs[0]["EndOffset"]] == drugs[0]["Text"]


@pytest.mark.parametrize("form", FORMS)
def test_sites_said_between_a_condition_and_its_time_are_no_distance(
    detector: OfflineEntityDetector, form: Any
) -> None:
    # Given a condition, a long description of where it is, then when it occurs
    _, resp = _resp(
        detector, form("Psoriasis on the backs of the elbows and over both shins, worse every winter.")
    )
    # Then the time expression still dates the condition (TIME_TO_DX_NAME, OVERLAP)
    found = [e for e in _of(resp, "TIME_EXPRESSION") if e["Text"].lower() == "every winter"]
    assert len(found) == 1, [(e["Category"], e["Text"]) for e in resp["Entities"]]
    assert found[0]["Type"] == "TIME_TO_DX_NAME"
    assert [(a["Text"].lower(), a["RelationshipType"]) for a in found[0]["Attributes"]] == [
        ("psoriasis", "OVERLAP")
    ]
