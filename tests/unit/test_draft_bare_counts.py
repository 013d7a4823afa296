"""A count said with no count unit (issue 15, session 8): "paracetamol five hundred two qds" is 502, or 500 then 2
— the words cannot say, so the row prints them as said, flagged DOSE_NUMBER_UNCLEAR; "500 mg 2 qds" is certain
in its numbers, so the count is shown, never dropped, with no unit invented, flagged DOSE_UNIT_UNSAID (naming the
dose). Both backends, both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category
from medscribe.textnorm import read_numbers

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _row(d: dict[str, Any], drug: str) -> dict[str, Any]:
    return next(i for i in items(d, "Medications") if drug in i["text"].lower())


@pytest.mark.parametrize(
    ("said", "words", "readings"),
    [
        ("paracetamol five hundred two qds", "five hundred two", ("502", "500, then two")),
        ("paracetamol five hundred two four times a day", "five hundred two", ("502", "500, then two")),
        ("co codamol thirty over five hundred two at night", "thirty over five hundred two", None),
        ("paracetamol five hundred and two twice daily", "five hundred and two", None),
    ],
)
def test_numbers_run_together_before_a_frequency_are_left_as_said_and_reported(
    said: str, words: str, readings: tuple[str, ...] | None
) -> None:
    reading = read_numbers(said)
    assert [u.said for u in reading.unclear] == [words]
    assert words in reading.text
    if readings:
        assert reading.unclear[0].readings == readings
    assert [u.said for u in read_numbers(reading.text).unclear] == [words]  # idempotent: the guard finds it


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("paracetamol five hundred milligrams two qds", "paracetamol 500 mg two qds"),
        ("amlodipine five milligrams once daily", "amlodipine 5 mg once daily"),
        ("ten two puffs", "10 2 puffs"),
    ],
)
def test_a_strength_closed_by_its_unit_is_certain(said: str, written: str) -> None:
    reading = read_numbers(said)
    assert reading.unclear == ()
    assert reading.text == written


@both
@forms
@pytest.mark.parametrize("frequency", ["qds", "four times a day"])
def test_a_run_together_count_is_printed_as_said_and_flagged_naming_the_dose(
    backend: str, form: str, frequency: str
) -> None:
    # Given "paracetamol five hundred two qds": 502, or 500 then a count of 2
    text = f"Paracetamol five hundred two {frequency}."

    def build(n: AwsNote) -> None:
        n.med("Paracetamol", FREQUENCY=frequency)

    d = drafted(text, build, backend, form)
    row = _row(d, "paracetamol")
    # Then the row never says 502 (nor 500): it prints the words, flagged DOSE_NUMBER_UNCLEAR
    assert "DOSE_NUMBER_UNCLEAR" in row["flags"]
    assert "five hundred two" in row["text"]
    assert "502" not in row["text"]
    assert "500" not in row["text"]
    assert names_category(row, "dose")


@both
@forms
@pytest.mark.parametrize("frequency", ["qds", "four times a day"])
def test_a_count_said_with_no_unit_after_a_strength_is_shown_and_flagged(
    backend: str, form: str, frequency: str
) -> None:
    # Given "paracetamol 500 mg 2 qds": 500 mg, then a count of 2 of an unsaid form
    text = f"Paracetamol 500 mg 2 {frequency}."

    def build(n: AwsNote) -> None:
        n.med("Paracetamol", STRENGTH="500 mg", FREQUENCY=frequency)

    d = drafted(text, build, backend, form)
    row = _row(d, "paracetamol")
    # Then the count is on the row with no invented unit, and the flag names the dose
    assert "500 mg (2 [unit not said])" in row["text"]
    assert "DOSE_UNIT_UNSAID" in row["flags"]
    assert names_category(row, "dose")


@forms
def test_a_bare_count_the_detector_returned_as_a_dosage_is_flagged(form: str) -> None:
    # Given an AWS-shaped DOSAGE "2" with no unit beside the strength
    text = "Paracetamol 500 mg 2 qds."

    def build(n: AwsNote) -> None:
        n.med("Paracetamol", STRENGTH="500 mg", DOSAGE="2", FREQUENCY="qds")

    row = _row(drafted(text, build, "aws", form), "paracetamol")
    assert "2 [unit not said]" in row["text"]
    assert "DOSE_UNIT_UNSAID" in row["flags"]
