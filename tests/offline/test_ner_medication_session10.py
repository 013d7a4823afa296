"""Medication entities, session 10: a brand's category word is no second drug, "<drug> injection" names the drug,
an eponymous operation is no fluid, British spellings and agent nouns are never drugs, class names with a number
said as a recogniser says them, and UK brands the package lacks. Each rule is checked in both forms of a note (the
punctuated text and its recogniser form, each through the pipeline's normalisation), as the draft path runs them."""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner.english import is_english
from medscribe.textnorm import normalize_clinical_text

FORMS = ("punctuated", "recogniser")


def _said(text: str, form: str) -> str:
    return normalize_clinical_text(text if form == "punctuated" else recogniser_form(text))


def _found(detector: OfflineEntityDetector, text: str, form: str, category: str) -> list[str]:
    resp: dict[str, Any] = detector.detect_entities(_said(text, form))
    return [e["Text"].lower() for e in resp["Entities"] if e["Category"] == category and e["Score"] >= 0.5]


def _drugs(detector: OfflineEntityDetector, text: str, form: str) -> list[str]:
    return _found(detector, text, form, "MEDICATION")


@pytest.mark.parametrize("form", FORMS)
def test_a_category_word_after_its_category_brand_is_no_second_drug(
    detector: OfflineEntityDetector, form: str
) -> None:
    # "emollient" after Diprobase (filed under Emollient) is the product's kind, not another drug
    assert _drugs(detector, "Hydrocortisone 1% cream and Diprobase emollient liberally.", form) == [
        "hydrocortisone",
        "diprobase",
    ]
    # an emollient said on its own, or after a brand of an ingredient, is still one
    assert _drugs(detector, "Use Diprobase, and an emollient at night.", form) == ["diprobase", "emollient"]
    assert _drugs(detector, "Calpol paracetamol 5 ml.", form) == ["calpol", "paracetamol"]


@pytest.mark.parametrize("form", FORMS)
def test_a_steroid_injection_names_the_steroid(detector: OfflineEntityDetector, form: str) -> None:
    # PROCEDURE.md section 14: "steroid injection" -> the drug said; a joint injection stays a procedure
    assert _drugs(detector, "She asked about a steroid injection into the knee.", form) == ["steroid"]
    procedures = _found(
        detector, "Booked for a joint injection next month.", form, "TEST_TREATMENT_PROCEDURE"
    )
    assert procedures == ["joint injection"]


@pytest.mark.parametrize("form", FORMS)
def test_an_eponymous_operation_is_no_fluid(detector: OfflineEntityDetector, form: str) -> None:
    text = "Hartmann's procedure the same night. Reversal of Hartmann's planned next year."
    assert _drugs(detector, text, form) == []
    assert _found(detector, text, form, "TEST_TREATMENT_PROCEDURE") == [
        "hartmann's procedure",
        "reversal of hartmann's",
    ]
    # the fluid is still a drug, and its volume unit no brand
    assert _drugs(detector, "Given 1 litre of Hartmann's over an hour.", form) == ["hartmann's"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "If the headaches continue, consider pizotifen as a preventer.",
        "Strawberry flavoured 5 ml twice daily.",
        "Two litres 10 mg of fluid.",
        "Paediatrician 10 mg review.",
    ],
)
def test_british_spellings_and_agent_nouns_are_never_drugs(
    detector: OfflineEntityDetector, text: str, form: str
) -> None:
    # the fuzzy matcher took "preventer" for a brand; the unknown-name rule took British spellings before a dose
    assert not {"preventer", "flavoured", "litres", "paediatrician"} & set(_drugs(detector, text, form))


def test_is_english_knows_british_spellings_but_no_drug_name() -> None:
    for word in ("litre", "centres", "paediatrician", "oesophagus", "flavoured", "organise", "immunisation",
                 "analyse", "counselling", "manoeuvre", "preventer", "reliever"):  # fmt: skip
        assert is_english(word), word
    # Given the package's drug names that are no CMU word
    english = lex.english_words()
    names = [
        k for k, d in lex.drug_lexicon().names.items() if k.isalpha() and d.tier >= 1 and k not in english
    ]
    # Then almost none reads as an English word by the British spellings or the agent suffix
    assert len(names) > 1000
    assert sum(is_english(k) for k in names) <= 5


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Her GP started SGLT2 inhibitors last year.", "sglt2 inhibitors"),
        ("Previously on GLP-1 agonists.", "glp-1 agonists"),
        ("Vitamin B1 was started for his drinking.", "vitamin b1"),
        ("Intolerant of angiotensin receptor blockers.", "angiotensin receptor blockers"),
    ],
)
def test_class_names_with_a_number_are_found_as_said(
    detector: OfflineEntityDetector, text: str, name: str, form: str
) -> None:
    # the normalisation leaves "one" and "two" words ("sglt two inhibitors", "vitamin b one")
    expected = name if form == "punctuated" else normalize_clinical_text(recogniser_form(name))
    assert _drugs(detector, text, form) == [expected]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "brand",
    [
        "Night Nurse",
        "Coversyl",
        "Tazocin",
        "Adenuric",
        "Hedrin",
        "Sytron",
        "Spiolto",
        "Fultium-D3",
        "Lyclear",
    ],
)
def test_uk_brands_the_package_lacks_are_drugs(
    detector: OfflineEntityDetector, brand: str, form: str
) -> None:
    expected = brand.lower() if form == "punctuated" else normalize_clinical_text(recogniser_form(brand))
    assert _drugs(detector, f"She also takes {brand} as before.", form) == [expected]


@pytest.mark.parametrize("form", FORMS)
def test_the_words_of_night_nurse_alone_are_no_drug(detector: OfflineEntityDetector, form: str) -> None:
    # the product is said without an article; the nurse on duty with one
    assert _drugs(detector, "She takes Lemsip and Night Nurse for her cold.", form) == [
        "lemsip",
        "night nurse",
    ]
    text = "The night nurse found her confused, and a day nurse saw her in the morning."
    assert _drugs(detector, text, form) == []
    assert _drugs(detector, "The practice nurse and the midwife reviewed her overnight.", form) == []
    assert _drugs(detector, "Night nurse reports she slept well.", form) == []


@pytest.mark.parametrize("form", FORMS)
def test_a_name_split_before_a_person_word_still_joins(detector: OfflineEntityDetector, form: str) -> None:
    # "topira mate": a fragment before "mate" spells the drug; "her nan", "flat mate" stay people
    assert _drugs(detector, "She takes topira mate 50 mg twice daily.", form) == ["topira mate"]
    assert _drugs(detector, "Her flat mate and her nan take nothing.", form) == []
