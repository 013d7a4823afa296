"""Medication entities, session 10 (medb7): a body-part word is never a misheard drug, a dosage form ("linctus") and
a brand's product line ("Chrono") after a drug are no second drug, and UK brands of immunosuppressants, fumarates and
valproate from the BNF. Each rule is checked in both forms of a note (the punctuated text and its recogniser form,
each through the pipeline's normalisation), as the draft path runs them."""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.textnorm import normalize_clinical_text

FORMS = ("punctuated", "recogniser")


def _meds(detector: OfflineEntityDetector, text: str, form: str) -> list[dict[str, Any]]:
    said = normalize_clinical_text(text if form == "punctuated" else recogniser_form(text))
    resp: dict[str, Any] = detector.detect_entities(said)
    return [e for e in resp["Entities"] if e["Category"] == "MEDICATION" and e["Score"] >= 0.5]


def _drugs(detector: OfflineEntityDetector, text: str, form: str) -> list[str]:
    return [e["Text"].lower() for e in _meds(detector, text, form)]


def _attributes(entity: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["Type"], a["Text"].lower()) for a in entity.get("Attributes", [])]


@pytest.mark.parametrize("form", FORMS)
def test_a_body_part_word_is_never_a_misheard_drug(detector: OfflineEntityDetector, form: str) -> None:
    # "parathyroid" (of the anatomy lexicon's "parathyroid gland") was a fuzzy match of "parathyrin"
    assert _drugs(detector, "She is on the list for parathyroid surgery in the spring.", form) == []
    # the hormone, a dictionary name, is still a drug
    assert _drugs(detector, "Teriparatide is a parathyroid hormone analogue.", form) == [
        "teriparatide",
        "parathyroid hormone",
    ]


@pytest.mark.parametrize("form", FORMS)
def test_a_linctus_is_the_form_of_the_drug_before_it(detector: OfflineEntityDetector, form: str) -> None:
    meds = _meds(detector, "Pholcodine linctus 10 mL at night for the cough.", form)
    assert [e["Text"].lower() for e in meds] == ["pholcodine"]
    assert ("FORM", "linctus") in _attributes(meds[0])
    assert ("DOSAGE", "10 ml") in _attributes(meds[0])


@pytest.mark.parametrize("form", FORMS)
def test_a_brands_product_line_is_no_second_drug(detector: OfflineEntityDetector, form: str) -> None:
    # "Chrono" (Epilim's controlled-release line) before the dose was an unknown drug that took the dose
    meds = _meds(detector, "Increase Epilim Chrono 300 mg twice daily.", form)
    assert [e["Text"].lower() for e in meds] == ["epilim"]
    assert ("DOSAGE", "300 mg") in _attributes(meds[0])
    # an unknown name before a dose with no brand before it is still kept for review
    assert _drugs(detector, "Start Zyntrava 10 mg daily.", form) == ["zyntrava"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Tacrolimus as Adoport 1 mg twice daily.", "adoport"),
        ("Converted to Envarsus once daily last year.", "envarsus"),
        ("Ciclosporin as Capimune 100 mg twice daily.", "capimune"),
        ("He takes Skilarence for plaque psoriasis.", "skilarence"),
        ("Valproate as Episenta 500 mg at night.", "episenta"),
    ],
)
def test_uk_brands_of_the_bnf_are_drugs(
    detector: OfflineEntityDetector, form: str, text: str, name: str
) -> None:
    meds = _meds(detector, text, form)
    assert name in [e["Text"].lower() for e in meds]
    assert next(e for e in meds if e["Text"].lower() == name)["Type"] == "BRAND_NAME"
