"""The allergy / hold context of one medication mention (:func:`mention_context`), read from its sentence's words:
an allergy list and its glue, a denied allergy, a hold with or without a condition, the drug after "recorded as an
allergy"; and no context where the words give none."""

from __future__ import annotations

import re

import pytest

from medscribe.logic.document.evidence import sentence_of, sentences
from medscribe.logic.document.mention_context import mention_context


@pytest.mark.parametrize(
    ("text", "drug", "kind", "phrase"),
    [
        (
            "Allergies: penicillin, codeine (rash) and sulfa drugs.",
            "codeine",
            "allergy",
            "Allergies: penicillin, codeine",
        ),
        (
            "Allergies include penicillin and codeine.",
            "codeine",
            "allergy",
            "Allergies include penicillin and codeine",
        ),
        (
            "No penicillin or codeine allergy.",
            "codeine",
            "allergy_denied",
            "No penicillin or codeine allergy",
        ),
        ("Denies any allergy to codeine.", "codeine", "allergy_denied", "Denies any allergy to codeine"),
        ("Severe reaction to morphine.", "morphine", "allergy", "Severe reaction to morphine"),
        ("Allergic to penicillin, continue amoxicillin.", "amoxicillin", None, ""),
        ("No chest pain, allergic to penicillin.", "penicillin", "allergy", "allergic to penicillin"),
        ("Takes lisinopril daily, no allergies.", "lisinopril", None, ""),
        (
            "Hold metformin 500 mg if eGFR below 30.",
            "metformin",
            "conditional_hold",
            "Hold metformin 500 mg if eGFR below 30",
        ),
        (
            "Hold the lisinopril until potassium is rechecked.",  # held now, until then
            "lisinopril",
            "hold",
            "Hold the lisinopril until potassium is rechecked",
        ),
        ("Hold lisinopril for now.", "lisinopril", "hold", "Hold lisinopril"),
        ("Continue metformin 500 mg twice daily.", "metformin", None, ""),
        (
            "No known drug allergies except penicillin.",
            "penicillin",
            "allergy",
            "No known drug allergies except penicillin",
        ),
        ("Allergic to penicillin, but amoxicillin is fine.", "amoxicillin", None, ""),
        ("Hold metformin, take codeine for pain.", "metformin", "hold", "Hold metformin"),
        ("Hold metformin, take codeine for pain.", "codeine", None, ""),
        (
            "Rash and itch, so codeine is recorded as an allergy.",  # the drug, then "recorded as an allergy"
            "codeine",
            "allergy",
            "codeine is recorded as an allergy",
        ),
        (
            "Her morphine was listed as an allergy.",
            "morphine",
            "allergy",
            "morphine was listed as an allergy",
        ),
    ],
)
def test_mention_context(text: str, drug: str, kind: str | None, phrase: str) -> None:
    # Given a sentence, the drugs named in it and one mention
    drugs = ("penicillin", "codeine", "morphine", "amoxicillin", "lisinopril", "metformin")
    spans = [(m.start(), m.end()) for d in drugs for m in re.finditer(d, text)]
    begin = text.index(drug)
    sentence = sentence_of(sentences(text), begin)
    assert sentence is not None
    # When its context is read
    found = mention_context(text, sentence, (begin, begin + len(drug)), spans)
    # Then it is the expected kind, quoting the words that decide it
    expected = (kind, phrase) if kind else None
    assert ((found.kind, found.phrase) if found else None) == expected
