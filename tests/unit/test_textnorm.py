"""normalize_clinical_text: spoken numbers and units -> Transcribe Medical's written form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medscribe.textnorm import normalize_clinical_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("five hundred milligrams", "500 mg"),
        ("ten milligrams once daily", "10 mg once daily"),
        ("Continue metformin five hundred milligrams twice daily.", "Continue metformin 500 mg twice daily."),
        ("one hundred twenty over eighty", "120/80"),
        ("Blood pressure is one hundred thirty over eighty.", "Blood pressure is 130/80."),
        ("aspirin eighty one milligrams", "aspirin 81 mg"),
        ("tamsulosin zero point four milligrams", "tamsulosin 0.4 mg"),
        ("carvedilol twelve point five milligrams", "carvedilol 12.5 mg"),
        ("levothyroxine seventy five micrograms", "levothyroxine 75 mcg"),
        ("two milligrams as needed", "2 mg as needed"),
        ("two puffs every four hours", "2 puffs every 4 hours"),
        ("insulin twenty units at bedtime", "insulin 20 units at bedtime"),
        ("amoxicillin eight hundred seventy five milligrams", "amoxicillin 875 mg"),
        ("metformin one thousand milligrams", "metformin 1000 mg"),
        ("type two diabetes", "type 2 diabetes"),
        ("an A one C of seven point two percent", "an A1c of 7.2%"),
        ("fifteen milligrams per kilogram", "15 mg/kg"),
        ("5mg daily", "5 mg daily"),
        ("10 milligrams", "10 mg"),
    ],
)
def test_spoken_form_becomes_written_form(spoken: str, written: str) -> None:
    # Given a spoken-form phrase, when normalised, then it reads as Transcribe Medical writes it
    assert normalize_clinical_text(spoken) == written


@pytest.mark.parametrize(
    "text",
    [
        "one of the patients said two times daily",  # lone small numbers stay words, like Transcribe
        "the point one is moot",
        "She denies chest pain.",
        "continue 500 mg twice daily; BP 120/80",
        "",
    ],
)
def test_text_without_spoken_quantities_is_unchanged(text: str) -> None:
    assert normalize_clinical_text(text) == text


def test_unlikely_pressures_are_not_joined() -> None:
    # Given "over" between numbers that are not a blood pressure, then no slash is invented
    assert normalize_clinical_text("eighty over one hundred twenty") == "80 over 120"
    assert normalize_clinical_text("five over three") == "5 over 3"


def test_corpus_texts_normalise_idempotently() -> None:
    # Given every dictation of the evaluation corpus
    rows = [json.loads(line) for line in (ROOT / "corpus" / "dictations.jsonl").read_text().splitlines()]
    for row in rows:
        once = normalize_clinical_text(row["text"])
        # Then normalising twice changes nothing, and no spoken unit is left after a number
        assert normalize_clinical_text(once) == once
        assert " milligrams" not in once
        for med in row["gold"]["medications"]:
            if med["dose"] and "milligrams" in med["dose"]:
                assert normalize_clinical_text(med["dose"]).endswith(" mg")


@given(st.text(alphabet=st.sampled_from(list("abcdefmgo0123456789 ./%")), max_size=40))
def test_normalisation_is_idempotent_on_any_text(text: str) -> None:
    once = normalize_clinical_text(text)
    assert normalize_clinical_text(once) == once


@given(st.integers(min_value=4, max_value=999_999))
def test_any_spoken_milligram_amount_becomes_digits(n: int) -> None:
    # Given a number said in words (built with a tiny speller), then it comes back as digits + mg
    assert normalize_clinical_text(f"{_spell(n)} milligrams") == f"{n} mg"


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spell(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _spell(n % 100))
    return _spell(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + _spell(n % 1000))
