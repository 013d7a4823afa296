"""A vital sign or lab result said as a number outside its published range (:mod:`medscribe.logic.document.abnormal`,
``data/reference_ranges.json``): flagged ABNORMAL_VALUE on its Tests row with "abnormal: above/below <range>
(<source>)", and the finding it implies under Problems, flagged and said to be inferred, never a diagnosis; a value
whose unit the words do not say is VALUE_UNCLEAR; a normal value, a target or a threshold is left as it is."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items
from hypothesis import given, settings
from hypothesis import strategies as st

from medscribe.logic.document.abnormal import assess, quantities, quantity_of
from medscribe.logic.document.value_reader import SaidValue, child_age, read_value
from medscribe.textdraft import draft_sections

VALUE_FLAGS = {"ABNORMAL_VALUE", "VALUE_UNCLEAR"}


def _flagged(d: dict[str, Any], title: str, kind: str = "ABNORMAL_VALUE") -> list[dict[str, Any]]:
    return [i for i in items(d, title) if kind in i["flags"]]


def _value_flags(d: dict[str, Any]) -> list[str]:
    return [i["text"] for i in items(d, "Needs review") if VALUE_FLAGS & set(i["flags"])]


# --- the reader: the value and unit as said, both forms ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "second", "unit"),
    [
        ("temperature 38.9 on arrival", 38.9, None, "on arrival"),
        ("temperature of thirty eight point nine", 38.9, None, ""),
        ("blood pressure 182/104", 182, 104, ""),
        ("blood pressure one hundred and eighty two over one hundred and four", 182, 104, ""),
        ("bp 182 over 104 mmHg", 182, 104, "mmhg"),
        ("sats of 88 percent on air", 88, None, "percent on"),
        ("sats of eighty eight percent", 88, None, "%"),
        ("potassium was 6.3 today", 6.3, None, "today"),
    ],
)
def test_the_value_is_read_as_said_in_digits_or_words(
    text: str, first: float, second: float | None, unit: str
) -> None:
    name_end = text.index(" ")
    if text.startswith("blood pressure"):
        name_end = len("blood pressure")
    said = read_value(text, name_end)
    assert said is not None
    assert (said.first, said.second) == (first, second)
    assert said.unit.startswith(unit)


@pytest.mark.parametrize(
    "text",
    [
        "blood pressure below 140/90",  # a target
        "temperature above 38",  # a threshold
        "sats 88 to 92%",  # a range: a target, not one reading
        "temperature not taken",
        "potassium in 1 week",  # a time, not a value of the test
    ],
)
def test_a_target_a_threshold_or_a_range_is_no_reading(text: str) -> None:
    name_end = len("blood pressure") if text.startswith("blood") else text.index(" ")
    said = read_value(text, name_end)
    assert said is None or text.startswith("potassium in")
    if text.startswith("potassium in"):  # "1" after "in" is never read: "in" is no link word
        assert said is None


def test_a_childs_age_is_read() -> None:
    assert child_age("Ten-month-old with earache")
    assert child_age("three year old with a cough")
    assert child_age("aged 4, temperature 38.2")
    assert child_age("a toddler with croup")
    assert not child_age("84-year-old woman admitted")
    assert not child_age("sixty six year old woman")


# --- the ranges: data with its source, and every value placed by its band ------------------------------------


def test_every_range_names_its_source_and_the_file_its_date() -> None:
    raw = json.loads(
        resources.files("medscribe.logic.document")
        .joinpath("data", "reference_ranges.json")
        .read_text("utf-8")
    )
    assert raw["written"]
    for key, q in raw["quantities"].items():
        for band in (q["adult"], *([q["child"]] if "child" in q else [])):
            cited = [band[k] for k in ("source", "low_source", "high_source") if k in band]
            assert cited, key
            assert all(c in raw["sources"] for c in cited), key
        assert {"above", "below"} & set(q), key


def _bands() -> list[tuple[str, float | None, float | None]]:
    seen = {q.key: q for q in quantities().values()}
    return [(k, q.adult.low, q.adult.high) for k, q in sorted(seen.items()) if k != "diastolic"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_bands()), st.floats(min_value=0, max_value=1))
def test_a_value_inside_its_band_is_normal_and_one_outside_is_flagged(band: Any, where: float) -> None:
    key, low, high = band
    quantity = quantities()[key]
    lo = low if low is not None else quantity.plausible[0]
    hi = high if high is not None else quantity.plausible[1]
    inside = round(lo + (hi - lo) * where, 1)
    second = 70.0 if key == "systolic" else None
    [reading, *_] = assess(quantity, SaidValue(inside, second, "", str(inside)), child=False)
    assert reading.direction == ""
    assert not reading.unclear
    if high is not None and high + 1 <= quantity.plausible[1]:
        [above, *_] = assess(quantity, SaidValue(high + 1, second, "", ""), child=False)
        assert above.direction == "above"
    if low is not None and low - 1 >= quantity.plausible[0]:
        [below, *_] = assess(quantity, SaidValue(low - 1, second, "", ""), child=False)
        assert below.direction == "below"


@pytest.mark.parametrize(
    ("key", "said", "direction", "value"),
    [
        (
            "temperature",
            SaidValue(101.5, None, "degrees fahrenheit", "101.5"),
            "above",
            38.6,
        ),  # °F said: converted
        ("temperature", SaidValue(101.5, None, "f", "101.5"), "above", 38.6),
        ("haemoglobin", SaidValue(8.5, None, "g/dl", "8.5"), "below", 85),  # g/dL said: read in g/L
        ("haemoglobin", SaidValue(135, None, "", "135"), "", 135),
        ("temperature", SaidValue(38.9, None, "a few hours", "38.9"), "above", 38.9),  # words after: no unit
        ("temperature", SaidValue(38.9, None, "per her mum", "38.9"), "above", 38.9),
    ],
)
def test_a_unit_said_is_converted_to_the_usual_one(
    key: str, said: SaidValue, direction: str, value: float
) -> None:
    [reading] = assess(quantities()[key], said, child=False)
    assert (reading.direction, reading.value) == (direction, value)


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("temperature", SaidValue(101, None, "", "101")),  # no unit: °F? never guessed
        ("haemoglobin", SaidValue(8.5, None, "", "8.5")),  # no unit: g/dL? never guessed
        ("glucose", SaidValue(240, None, "", "240")),  # mg/dL?
        ("glucose", SaidValue(5, None, "mg", "5")),  # another quantity's unit
        ("temperature", SaidValue(101, None, "degrees", "101")),  # a unit said, no such value in it
        ("systolic", SaidValue(150, None, "", "150")),  # one number for a blood pressure
    ],
)
def test_a_unit_or_quantity_the_words_do_not_say_is_unclear(key: str, said: SaidValue) -> None:
    [reading] = assess(quantities()[key], said, child=False)
    assert reading.unclear
    assert reading.direction == ""


def test_a_test_name_is_matched_by_its_last_words() -> None:
    assert quantity_of("capillary blood glucose").key == "glucose"  # type: ignore[union-attr]
    assert quantity_of("BP").key == "systolic"  # type: ignore[union-attr]
    assert quantity_of("O2 sats").key == "oxygen saturation"  # type: ignore[union-attr]
    assert quantity_of("HbA1c") is None  # another test: no range here
    assert quantity_of("chest x ray") is None


# --- the draft, both backends and both forms ------------------------------------------------------------------


def _temperature(note: AwsNote) -> None:
    note.condition("Productive cough", traits={"SYMPTOM": 0.9}).test("Temperature")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", FORMS)
def test_an_abnormal_value_is_flagged_on_its_row_and_its_finding_shown_as_inferred(
    backend: str, form: str
) -> None:
    # Given a temperature above the NEWS2 band said as a number (main: only a Tests row, unflagged)
    d = drafted("Productive cough for three days. Temperature 38.9 on arrival.", _temperature, backend, form)
    # Then its Tests row carries the flag and says the range and its source
    [row] = _flagged(d, "Tests and procedures")
    assert "abnormal: above 36.1\u201338.0 °C (NEWS2)" in row["text"]
    # and the finding is under Problems, flagged, said to be inferred from the value and not a diagnosis
    [finding] = _flagged(d, "Problems")
    assert finding["text"].startswith("raised temperature")
    assert "inferred from" in finding["text"]
    assert "not a stated diagnosis" in finding["text"]
    assert any("NEWS2" in r for r in finding["reasons"])


@pytest.mark.parametrize(
    "said",
    [
        "Blood pressure 182/104. Sats of 88% on air.",
        "blood pressure one hundred and eighty two over one hundred and four sats of eighty eight percent on air",
    ],
)
def test_spoken_values_are_read_by_the_aws_shaped_path_too(said: str) -> None:
    # Given AWS-shaped entities on a transcript whose numbers may still be words (no normaliser before it)
    note = AwsNote(said)
    note.test(said.split(" ")[0] + " pressure").test(said[said.index("ats") - 1 : said.index("ats") + 3])
    from medscribe.logic.document import build_draft
    from medscribe.logic.document.sections import build_sections

    d = build_sections(build_draft(note.response, said)).as_json()
    problems = " | ".join(i["text"] for i in _flagged(d, "Problems"))
    assert "raised blood pressure" in problems
    assert "low oxygen saturation" in problems
    assert len(_flagged(d, "Tests and procedures")) == 2


@pytest.mark.parametrize("form", FORMS)
def test_normal_values_stay_unflagged(form: str) -> None:
    text = "Review of asthma. Temperature 36.8, pulse 76, sats 98% on air. Potassium 4.4, sodium 139."
    d = drafted(text, lambda n: None, "offline", form)
    assert _value_flags(d) == []
    assert not any(VALUE_FLAGS & set(i["flags"]) for i in items(d, "Tests and procedures"))
    assert not any("inferred" in i["text"] for i in items(d, "Problems"))


@pytest.mark.parametrize("form", FORMS)
def test_a_value_whose_unit_is_unclear_is_flagged_not_guessed(form: str) -> None:
    # "temperature 101": no unit said and no usual °C value (°F?) — never converted by a guess
    d = drafted("Shivering and aches. Temperature 101 at home.", lambda n: None, "offline", form)
    [row] = _flagged(d, "Tests and procedures", "VALUE_UNCLEAR")
    assert "101" in row["reasons"][0]
    assert not _flagged(d, "Problems")


def test_a_target_or_threshold_adds_no_flag() -> None:
    d = draft_sections("Hypertension. Aim for a blood pressure below 140/90. Return if temperature above 38.")
    assert _value_flags(d) == []


@pytest.mark.parametrize("form", FORMS)
def test_a_childs_temperature_is_read_by_the_childrens_threshold(form: str) -> None:
    d = drafted(
        "Three-year-old with a barking cough. Temperature of 38.1 this morning.",
        lambda n: None,
        "offline",
        form,
    )
    [row] = _flagged(d, "Tests and procedures")
    assert "NICE NG143" in row["text"]
    # the adult ranges are not applied to a child's other values
    d = drafted("Three-year-old with a cough. Heart rate 120.", lambda n: None, "offline", form)
    assert _value_flags(d) == []


def test_a_problem_already_named_gets_no_inferred_twin() -> None:
    d = draft_sections("Fever and rigors. Temperature 39.6.")
    assert _flagged(d, "Tests and procedures")
    assert not any("inferred" in i["text"] for i in items(d, "Problems"))
