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
