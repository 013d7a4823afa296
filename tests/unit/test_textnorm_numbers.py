"""read_numbers: where spoken numbers before a count are certain (written) and where not (left as said, reported)."""

from __future__ import annotations

import pytest

from medscribe.textnorm import normalize_clinical_text, read_numbers


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("salbutamol ten two puffs", "salbutamol 10 2 puffs"),  # "ten two" is never one number
        ("amoxicillin twenty five one tablet", "amoxicillin 25 1 tablet"),
        ("one hundred twenty five micrograms two puffs", "125 mcg 2 puffs"),  # the unit closes the strength
        ("paracetamol five hundred milligrams twenty eight tablets", "paracetamol 500 mg 28 tablets"),
        ("since two thousand nineteen two tablets", "since 2019 2 tablets"),
        ("twelve point five zero point five drops", "12.5 0.5 drops"),  # a new decimal starts at "point"
        ("one point five tablets", "1.5 tablets"),
        ("take one five milligram tablet", "take 1 5 mg tablet"),
        ("two to three tablets", "2 to 3 tablets"),  # a range of a unit is written whole
        ("one to two times a day", "one to two times a day"),  # lone small numbers stay words (Transcribe)
        ("one and a half tablets", "one and a half tablets"),
        ("half a tablet at night", "half a tablet at night"),
        ("x seven days", "x 7 days"),
        ("aged seventy two", "aged 72"),
        ("diagnosed in nineteen ninety eight", "diagnosed in 1998"),  # a year said in pairs after its cue
        ("on insulin since twenty nineteen", "on insulin since 2019"),
        ("born in nineteen oh five", "born in 1905"),
        ("review in twenty thirty minutes", "review in 20 30 minutes"),  # before a time: not a year
        ("since twenty twenty two milligrams", "since 20 22 mg"),  # before a unit: not a year
        ("four times a day", "4 times a day"),
        ("twenty four times", "24 times"),  # "times" is a count only in "N times a day / daily / …"
        ("five hundred, two tablets", "500, 2 tablets"),  # a comma ends the spoken amount
        ("co-codamol 30/500, 2 tablets", "co-codamol 30/500, 2 tablets"),
        ("take 28 tablets", "take 28 tablets"),  # typed digits are what was written
    ],
)
def test_certain_numbers_are_written_and_nothing_is_reported(spoken: str, written: str) -> None:
    reading = read_numbers(spoken)
    assert (reading.text, reading.unclear) == (written, ())


@pytest.mark.parametrize(
    ("spoken", "said", "readings"),
    [
        (
            "co codamol thirty over five hundred two tablets qds",
            "thirty over five hundred two tablets",
            ("30 over 502 tablets", "30 over 500, then 2 tablets"),
        ),
        ("salbutamol twenty two puffs", "twenty two puffs", ("22 puffs", "20, then 2 puffs")),
        ("take twenty eight tablets", "twenty eight tablets", ("28 tablets", "20, then 8 tablets")),
        ("amoxicillin fifty four times a day", "fifty four times", ("54 times", "50, then 4 times")),
        (
            "five hundred and two tablets",
            "five hundred and two tablets",
            ("502 tablets", "500, then 2 tablets"),
        ),
        (
            "sixty two point five eight capsules",
            "sixty two point five eight capsules",
            ("62.58 capsules", "62.5, then 8 capsules"),
        ),
        (
            "one hundred two to four capsules",
            "one hundred two to four capsules",
            ("102 to 4 capsules", "100, then 2 to 4 capsules"),
        ),
        (
            "five hundred twenty five tablets",
            "five hundred twenty five tablets",
            ("525 tablets", "520, then 5 tablets"),
        ),
    ],
)
def test_numbers_that_read_two_ways_are_left_as_said_and_reported(
    spoken: str, said: str, readings: tuple[str, ...]
) -> None:
    reading = read_numbers(spoken)
    [unclear] = reading.unclear
    assert (unclear.said, unclear.readings) == (said, readings)
    assert spoken[unclear.begin : unclear.end] == said
    assert said in reading.text  # never written as a guess
    assert normalize_clinical_text(spoken) == reading.text


def test_every_unclear_span_of_a_transcript_is_reported_in_order() -> None:
    spoken = (
        "co codamol thirty over five hundred two tablets qds prn and salbutamol one hundred micrograms two puffs "
        "and fostair one hundred over six two puffs and amoxicillin twenty five capsules"
    )
    reading = read_numbers(spoken)
    assert [u.said for u in reading.unclear] == [
        "thirty over five hundred two tablets",
        "twenty five capsules",
    ]
    assert "100 mcg 2 puffs" in reading.text
    assert "100 over 6 2 puffs" in reading.text


def test_the_written_text_reports_the_same_spans_at_its_own_offsets() -> None:
    # The draft's guard reads the normalised transcript, not the recogniser's: the spans must be found there
    written = read_numbers(
        "paracetamol five hundred milligrams then co codamol eight over five hundred one tablet"
    )
    again = read_numbers(written.text)
    assert again.text == written.text
    [unclear] = again.unclear
    assert written.text[unclear.begin : unclear.end] == "eight over five hundred one tablet"
    assert written.text.startswith("paracetamol 500 mg then")
