"""Medication names as a recogniser and a UK clinic say them (session 8): person words are never drugs, a name split
in two is one drug, a salt belongs to its drug, nutrients / fluids / herbs are drugs as products, kinds and classes
of drugs are drugs, near-miss words of other kinds are not. Each rule is checked in both forms of a note: the
punctuated text and its recogniser form, each through the pipeline's normalisation, as the draft path runs them."""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline.ner import OfflineEntityDetector, people
from medscribe.textnorm import normalize_clinical_text

FORMS = ("punctuated", "recogniser")


def _drugs(detector: OfflineEntityDetector, text: str, form: str) -> list[str]:
    said = text if form == "punctuated" else recogniser_form(text)
    resp: dict[str, Any] = detector.detect_entities(normalize_clinical_text(said))
    return [
        e["Text"].lower() for e in resp["Entities"] if e["Category"] == "MEDICATION" and e["Score"] >= 0.5
    ]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "She lives with her flatmate, who reminds her to take her sertraline.",
        "The quetiapine belongs to her flatmate and is not for her.",
    ],
)
def test_a_person_word_is_never_a_drug(detector: OfflineEntityDetector, text: str, form: str) -> None:
    # "flatmate" was fuzzy-matched to felbamate and "godson" to Geodon: only the real drug is left
    assert not {"flatmate", "flatmates", "godson", "housemates"} & set(_drugs(detector, text, form))


def test_every_listed_person_word_is_never_a_drug(detector: OfflineEntityDetector) -> None:
    # Given each listed word, alone and in a compound with an English word, where a drug name could stand
    for word in sorted(people.person_words()):
        for said in (word, f"flat{word}" if len(word) >= 3 else word):
            # Then it is no medication, not even before a dose
            assert _drugs(detector, f"Her {said} 10 mg daily.", "punctuated") == [], said


def test_a_dictionary_brand_that_ends_like_a_person_word_stays_a_drug(
    detector: OfflineEntityDetector,
) -> None:
    assert _drugs(detector, "Zonegran 100 mg daily.", "punctuated") == ["zonegran"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Medications read out: metformin, sita gliptin and ramipril.", "sita gliptin"),
        ("El vanse 30 mg each morning.", "el vanse"),
        ("She takes flu oxetine 20 mg daily.", "flu oxetine"),
    ],
)
def test_a_name_said_in_two_tokens_is_one_drug(
    detector: OfflineEntityDetector, text: str, drug: str, form: str
) -> None:
    # the two tokens spell a common drug exactly: one name, not the class "gliptin" or a near-miss "vanse"
    found = _drugs(detector, text, form)
    assert drug in found
    assert not {"gliptin", "vanse", "oxetine"} & set(found)


def test_two_english_words_are_not_joined_into_a_drug(detector: OfflineEntityDetector) -> None:
    # "cal pol" spells Calpol, but both halves are ordinary words
    assert _drugs(detector, "The cal pol was given.", "punctuated") == []


SALTED = {
    "closed list": (
        "Amlodipine besilate 10mg once daily. Quetiapine fumarate 25 mg at night.",
        ["amlodipine besilate", "quetiapine fumarate"],
    ),
    # a salt the dictionary writes after several drugs; an organic salt no dictionary holds; an ester the
    # dictionary names with this drug
    "dictionary class": ("Oxybutynin chloride 5 mg three times a day.", ["oxybutynin chloride"]),
    "organic salt shape": ("Methenamine hippurate 1 g twice daily.", ["methenamine hippurate"]),
    "ester": ("Methylprednisolone aceponate cream once daily.", ["methylprednisolone aceponate"]),
    # a drug name after a drug in a run-on list is the next drug, not a salt
    "two drugs": (
        "She takes lamotrigine valproate and levetiracetam.",
        ["lamotrigine", "valproate", "levetiracetam"],
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "drugs"), SALTED.values(), ids=SALTED)
def test_a_salt_after_a_drug_is_part_of_its_name(
    detector: OfflineEntityDetector, form: str, text: str, drugs: list[str]
) -> None:
    assert _drugs(detector, text, form) == drugs


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("salt", ["besilate", "chloride", "nitrate"])
def test_a_salt_alone_is_no_drug(detector: OfflineEntityDetector, form: str, salt: str) -> None:
    assert _drugs(detector, f"The {salt} 10 mg was dispensed.", form) == []


@pytest.mark.parametrize("form", FORMS)
def test_a_co_name_written_as_one_word_is_a_drug(detector: OfflineEntityDetector, form: str) -> None:
    assert _drugs(detector, "Cocodamol 30/500 two tablets as needed.", form) == ["cocodamol"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hypo corrected with 150 ml of 10% glucose IV.", ["glucose"]),
        ("Given IM glucagon and a dextrose infusion. Blood glucose now 7.2.", ["glucagon", "dextrose"]),
        ("Carry glucose tablets. Saline nose drops at night.", ["glucose", "saline"]),
        ("B12 injections every three months.", ["b12"]),
        ("Capillary glucose 2.4 on arrival.", []),
        # any analyte the dictionary blocks is a drug before a percentage strength and a form, never as a value
        ("Apply urea 10% cream to the heels twice daily.", ["urea"]),
        ("Urea 7.2 and creatinine 131 today.", []),
    ],
)
def test_glucose_dextrose_and_saline_are_drugs_only_as_products(
    detector: OfflineEntityDetector, text: str, expected: list[str], form: str
) -> None:
    # a recogniser says "b twelve", normalised back to "b 12"
    assert [d.replace("b 12", "b12") for d in _drugs(detector, text, form)] == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She takes garlic capsules and turmeric.", ["garlic", "turmeric"]),
        ("Cranberry juice and garlic bread for lunch.", []),
    ],
)
def test_a_herb_is_a_drug_as_a_product_or_listed_with_one(
    detector: OfflineEntityDetector, text: str, expected: list[str], form: str
) -> None:
    assert _drugs(detector, text, form) == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("She is on long acting insulin at night.", "long acting insulin"),
        ("He takes a loop diuretic.", "loop diuretic"),
        ("Previously on an SNRI.", "snri"),
        ("Tricyclics are not suitable.", "tricyclics"),
        ("Alpha blockers made him dizzy.", "alpha blockers"),
    ],
)
def test_kinds_and_classes_of_drugs_are_drugs(
    detector: OfflineEntityDetector, text: str, drug: str, form: str
) -> None:
    assert _drugs(detector, text, form) == [drug]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "Anticoagulation was discussed and he is anticoagulated.",
        "Acticoat dressing to the burn.",
        "He reacts to Micropore tape with blisters.",
    ],
)
def test_near_miss_words_of_other_kinds_are_not_drugs(
    detector: OfflineEntityDetector, text: str, form: str
) -> None:
    # a -tion / -ated word is the treatment or state, a word before "dressing" or "tape" names that product
    assert _drugs(detector, text, form) == []


@pytest.mark.parametrize("form", FORMS)
def test_modulite_is_the_inhaler_device(detector: OfflineEntityDetector, form: str) -> None:
    assert _drugs(detector, "Clenil Modulite 100 micrograms two puffs twice daily.", form) == ["clenil"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hylo-Tear drops four times a day and Lacri-Lube at night.", ["hylo-tear", "lacri-lube"]),
        ("She is on Dianette and takes echinacea and glucosamine.", ["dianette", "echinacea", "glucosamine"]),
        ("Otrivine nasal spray and Cerumol ear drops.", ["otrivine", "cerumol"]),
        ("Clopixol depot every two weeks; Ferinject infusion next week.", ["clopixol", "ferinject"]),
        ("She buys Nurofen Plus and Anadin Extra.", ["nurofen plus", "anadin extra"]),
        ("Hartmann's solution 500 ml and Parvolex.", ["hartmann's", "parvolex"]),
    ],
)
def test_uk_otc_eye_ear_nose_depot_and_supplement_names(
    detector: OfflineEntityDetector, text: str, expected: list[str], form: str
) -> None:
    found = _drugs(detector, text, form)
    if form == "recogniser":
        expected = [e.replace("-", " ") for e in expected]
    assert found == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He uses heroin and cocaine at weekends, and ecstasy. Methadone 60 ml daily.", ["methadone"]),
        ("Watercress soup with horseradish and gelatine.", []),
    ],
)
def test_recreational_drugs_and_foods_are_no_medication(
    detector: OfflineEntityDetector, text: str, expected: list[str], form: str
) -> None:
    # AWS files recreational use under BEHAVIORAL_ENVIRONMENTAL_SOCIAL (REC_DRUG_USE); methadone stays a drug
    assert _drugs(detector, text, form) == expected
