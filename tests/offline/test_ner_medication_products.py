"""Medicinal products as dictated (session 7): the MEDICATION entity is the drug name, its form and device are FORM
attributes, devices are never drugs, a drug level is a test, UK names / brands / vaccines are drugs."""

from __future__ import annotations

from typing import Any

import pytest
from ner_support import attrs, entities, one, trait

from medscribe.offline.ner import OfflineEntityDetector


def _drugs(resp: dict[str, Any]) -> list[str]:
    return [e["Text"] for e in entities(resp, "MEDICATION") if e["Score"] >= 0.5]


@pytest.mark.parametrize(
    ("text", "drug", "form"),
    [
        ("Her old Lantus SoloStar pen is in the fridge.", "Lantus", "SoloStar"),
        ("Rivastigmine patch 4.6 mg every 24 hours.", "Rivastigmine", "patch"),
        ("Start nicotine patches 21 mg every 24 hours.", "nicotine", "patches"),
        ("She uses a NovoRapid FlexPen with meals.", "NovoRapid", "FlexPen"),
        ("Seretide 250 Evohaler two puffs twice daily.", "Seretide", "Evohaler"),
        ("Spiriva Respimat two puffs once daily.", "Spiriva", "Respimat"),
    ],
)
def test_the_drug_name_is_the_entity_and_its_form_or_device_an_attribute(
    detector: OfflineEntityDetector, text: str, drug: str, form: str
) -> None:
    resp = detector.detect_entities(text)
    # Then the drug is the only medication, named without its form or device, which is its FORM attribute
    assert _drugs(resp) == [drug]
    assert form in [a["Text"] for a in one(resp, drug)["Attributes"] if a["Type"] == "FORM"]


def test_a_product_name_of_our_own_lists_keeps_its_form_word(detector: OfflineEntityDetector) -> None:
    # "emollient cream" and "blue inhaler" are names as said (the held-out references write them whole)
    resp = detector.detect_entities("Emollient cream twice daily. Give his blue inhaler ten puffs.")
    assert _drugs(resp) == ["Emollient cream", "blue inhaler"]


@pytest.mark.parametrize(
    "text",
    ["Her daughter uses an Omnipod pump.", "Continue the Libre sensor.", "Use the AeroChamber spacer."],
)
def test_a_device_alone_is_not_a_drug(detector: OfflineEntityDetector, text: str) -> None:
    assert _drugs(detector.detect_entities(text)) == []


def test_a_drug_before_level_is_a_test_and_the_drug_elsewhere_stays_a_drug(
    detector: OfflineEntityDetector,
) -> None:
    resp = detector.detect_entities(
        "Digoxin 125 micrograms once daily; digoxin level next week. Lithium levels 0.6."
    )
    assert _drugs(resp) == ["Digoxin"]
    tests = [e["Text"] for e in entities(resp, "TEST_TREATMENT_PROCEDURE")]
    assert tests == ["digoxin level", "Lithium levels"]


@pytest.mark.parametrize(
    ("text", "drug", "type_"),
    [
        ("Given adrenaline 0.5 mg IM.", "adrenaline", "GENERIC_NAME"),  # British Approved Name
        ("Thyroxine 100 micrograms each morning.", "Thyroxine", "GENERIC_NAME"),
        ("Stop her Microgynon.", "Microgynon", "BRAND_NAME"),  # UK brands the dictionary lacks
        ("Her old Madopar capsules.", "Madopar", "BRAND_NAME"),
        (
            "Fostair 100/6 two puffs twice daily.",
            "Fostair",
            "BRAND_NAME",
        ),  # a brand the dictionary did not flag
        ("Janumet 50/1000 one tablet twice daily.", "Janumet", "BRAND_NAME"),  # a US combination brand
        ("Start Evorel Conti patches.", "Evorel Conti", "BRAND_NAME"),  # a product line
        (
            "She had her flu vaccine in October.",
            "flu vaccine",
            "GENERIC_NAME",
        ),  # a vaccine by what it prevents
    ],
)
def test_uk_names_brands_and_vaccines_are_medications(
    detector: OfflineEntityDetector, text: str, drug: str, type_: str
) -> None:
    assert one(detector.detect_entities(text), drug)["Type"] == type_


def test_vaccination_is_a_treatment_and_a_vaccine_a_medication(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Pneumococcal vaccine given today; her vaccination record is up to date.")
    assert _drugs(resp) == ["Pneumococcal vaccine"]
    assert one(resp, "vaccination")["Type"] == "TREATMENT_NAME"


def test_a_letter_and_number_name_is_found_as_a_recogniser_writes_it(detector: OfflineEntityDetector) -> None:
    # "Adcal-D3" in recogniser form is "adcal d three", normalised back to "adcal d 3"; "vitamin b 12 level" is a
    # test, not the drug "vitamin b"
    resp = detector.detect_entities("start adcal d 3 one tablet twice daily vitamin b 12 level was normal")
    assert _drugs(resp) == ["adcal d 3"]
    assert [e["Text"] for e in entities(resp, "TEST_TREATMENT_PROCEDURE")] == ["vitamin b 12 level"]


def test_nicotine_is_a_drug_only_as_a_product(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("He has nicotine dependence. Start a nicotine inhalator as needed.")
    assert _drugs(resp) == ["nicotine"]
    assert attrs(one(resp, "nicotine"))["FORM"] == "inhalator"


def test_a_class_word_is_a_medication_with_its_context_trait(detector: OfflineEntityDetector) -> None:
    # AWS's GENERIC_NAME covers a therapeutic agent; the conformance set counts "NSAIDs" (f03-gout)
    resp = detector.detect_entities("Avoid NSAIDs. He cannot take beta blockers. No antibiotics needed.")
    assert _drugs(resp) == ["NSAIDs", "beta blockers", "antibiotics"]
    assert trait(one(resp, "NSAIDs"), "NEGATION") is not None
    assert trait(one(resp, "antibiotics"), "NEGATION") is not None


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("She takes painkillers for her back.", "painkillers"),
        ("She uses sleeping tablets.", "sleeping tablets"),
        ("On an ACE inhibitor.", "ACE inhibitor"),  # the dictionary scored it as ordinary words (0.45)
        ("Morning after pill yesterday.", "Morning after pill"),
    ],
)
def test_lay_and_class_names_are_medications(detector: OfflineEntityDetector, text: str, drug: str) -> None:
    assert _drugs(detector.detect_entities(text)) == [drug]


def test_an_unknown_name_before_a_dose_form_is_a_low_confidence_medication(
    detector: OfflineEntityDetector,
) -> None:
    resp = detector.detect_entities("Start Brandex cream twice daily. Take two blood tablets.")
    # Then the unknown non-English name before "cream" is kept for review; an English word before "tablets" is not
    brandex = one(resp, "Brandex")
    assert 0.5 <= brandex["Score"] < 0.6
    assert trait(brandex, "LOW_CONFIDENCE") is not None
    assert _drugs(resp) == ["Brandex"]


def test_a_uk_release_suffix_is_a_form_not_part_of_the_name(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Isosorbide mononitrate MR 60 mg each morning. Mr Smith takes aspirin.")
    assert attrs(one(resp, "Isosorbide mononitrate"))["FORM"] == "MR"
    assert attrs(one(resp, "aspirin")) == {}  # "Mr" of a name is no form


def test_a_drug_name_in_british_spelling_is_found_whole(detector: OfflineEntityDetector) -> None:
    # the package holds "morphine sulfate" only: the salt is part of the generic name, in either spelling
    resp = detector.detect_entities("Morphine sulphate 10 mg twice daily.")
    assert _drugs(resp) == ["Morphine sulphate"]


def test_a_common_drug_the_package_names_only_canonically_is_found(detector: OfflineEntityDetector) -> None:
    # "thiamine", "testosterone" and "oxytocin" are canonical names of the package with no variant of their own
    resp = detector.detect_entities(
        "Thiamine 100 mg three times a day. Testosterone gel daily. Oxytocin infusion."
    )
    assert _drugs(resp) == ["Thiamine", "Testosterone", "Oxytocin"]
    assert all(e["Score"] >= 0.9 for e in entities(resp, "MEDICATION"))  # not the unknown-name guess (0.55)


def test_a_code_name_of_the_package_is_not_split_into_ordinary_words(detector: OfflineEntityDetector) -> None:
    # the package holds code names such as "AT10"; only our product names and vitamins are also matched split
    resp = detector.detect_entities("She was seen at 10 and given vitamin d 3 drops.")
    assert _drugs(resp) == ["vitamin d 3"]
