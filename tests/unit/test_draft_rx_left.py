"""Prescription shapes left by the generated phrases (issue 15; session 11, rxleft).

A frequency with a time of day ("once daily at night", "once a day in the morning", "twice daily with food") is
one schedule, read whole (was "not understood", or its meal dropped); a weekly dose's day after "once a week"
("once a week on Fridays") is kept (was dropped); a taper said as steps shows every step said; a dosed drug said
after an allergy list with no stop between ("allergic to statins atorvastatin 20 mg at night") is a prescription
row flagged as in the allergy's class (was listed as an allergy). Both backends, both forms.
"""

from __future__ import annotations

from typing import Any

import pytest
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.logic.document.schedule import normalise_frequency

both = (pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS))


def _rows(d: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [i for i in items(d, "Medications") if drug in str(i.get("name", "")).lower()]


TIMED = {  # said -> (drug, strength, frequency as said, the schedule read)
    "at night": (
        "Bisoprolol 5 mg once daily at night.",
        "Bisoprolol",
        "5 mg",
        "once daily at night",
        "once daily at night",
    ),
    "in the morning": (
        "Ramipril 5 mg once a day in the morning.",
        "Ramipril",
        "5 mg",
        "once a day in the morning",
        "once daily in the morning",
    ),
    "with food": (
        "Metformin 500 mg twice daily with food.",
        "Metformin",
        "500 mg",
        "twice daily with food",
        "twice daily with food",
    ),
    "at night only": (
        "Zopiclone 3.75 mg once daily at night only.",
        "Zopiclone",
        "3.75 mg",
        "once daily at night only",
        "once daily at night",
    ),
}


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("once daily at night", "once daily at night"),
        ("daily in the morning", "once daily in the morning"),
        ("once a day at bedtime", "once daily at bedtime"),
        ("at night only", "at night"),
        ("twice daily at night", None),  # two doses a day at one time: no schedule
        ("every 3 days at night", None),
    ],
)
def test_a_time_of_day_joins_only_a_single_daily_dose(said: str, read: str | None) -> None:
    assert normalise_frequency(said).value == read


@pytest.mark.parametrize("case", TIMED.values(), ids=TIMED)
@both[0]
@both[1]
def test_a_frequency_with_a_time_of_day_is_one_schedule(
    backend: str, form: str, case: tuple[str, str, str, str, str]
) -> None:
    # Given a dose with a frequency and a time of day
    text, drug, strength, said, read = case
    d = drafted(text, lambda n: n.med(drug, STRENGTH=strength, FREQUENCY=said), backend, form)
    # Then the row reads them as one schedule, exactly
    (row,) = _rows(d, drug.lower())
    assert read in row["text"].lower(), row
    assert "NOT_NORMALISED" not in row["flags"], row


@both[0]
@both[1]
def test_a_weekly_doses_day_after_once_a_week_is_kept(backend: str, form: str) -> None:
    text = "Alendronic acid 70 mg once a week on Fridays."
    d = drafted(
        text,
        lambda n: n.med("Alendronic acid", STRENGTH="70 mg", FREQUENCY="once a week on Fridays"),
        backend,
        form,
    )
    (row,) = _rows(d, "alendronic")
    assert "once weekly (Friday)" in row["text"], row


@both[0]
@both[1]
def test_a_taper_said_as_steps_shows_every_step(backend: str, form: str) -> None:
    # Given a taper said as a rule and its steps
    text = "Prednisolone 40 mg once daily, reduce by 10 mg every 3 days, so 30 mg, 20 mg, 10 mg, then stop."
    d = drafted(
        text, lambda n: n.med("Prednisolone", STRENGTH="40 mg", FREQUENCY="once daily"), backend, form
    )
    (row,) = _rows(d, "prednisolone")
    # Then the row is flagged as a taper and shows every step said, never one dose as if fixed
    assert "DOSE_TITRATION" in row["flags"], row
    for step in ("30 mg", "20 mg", "10 mg"):
        assert step in row["text"], row
    # and the step's interval is the step's, not an unread schedule of the row beside "once daily"
    assert not {"NOT_NORMALISED", "CONTRADICTION"} & set(row["flags"]), row


@both[0]
@both[1]
def test_a_taper_said_as_a_rule_alone_shows_the_rule(backend: str, form: str) -> None:
    text = "Prednisolone 30 mg once daily, reduce by 5 mg a week until stopped."
    d = drafted(
        text, lambda n: n.med("Prednisolone", STRENGTH="30 mg", FREQUENCY="once daily"), backend, form
    )
    (row,) = _rows(d, "prednisolone")
    assert "DOSE_TITRATION" in row["flags"], row
    assert "reduce by 5 mg a week until stopped" in row["text"], row


@pytest.mark.parametrize("stop", ["", "."], ids=["run-on", "punctuated"])
@both[0]
@both[1]
def test_a_dosed_drug_after_an_allergy_list_is_a_prescription_in_its_class(
    backend: str, form: str, stop: str
) -> None:
    # Given an allergy to a class, then a drug of that class with its own dose (no stop between, or a full stop)
    text = f"Allergic to statins{stop} atorvastatin 20 mg at night."
    d = drafted(
        text,
        lambda n: n.med("statins").med("atorvastatin", STRENGTH="20 mg", FREQUENCY="at night"),
        backend,
        form,
    )
    # Then the drug is a prescription row flagged as in the allergy's class, and the class stays an allergy
    (row,) = _rows(d, "atorvastatin")
    assert "ALLERGY_CLASS_CONFLICT" in row["flags"], row
    assert "20 mg" in row["text"], row
    allergies = [str(i.get("name", "")).lower() for i in items(d, "Allergies")]
    assert "statins" in allergies, allergies
    assert not any("atorvastatin" in a for a in allergies), allergies


@both[1]
@pytest.mark.parametrize(
    "text",
    [
        "She has been struggling with food since the stroke. Takes ramipril 5 mg daily.",
        "Nausea after food for two weeks. On omeprazole 20 mg once daily.",
    ],
)
def test_food_is_a_schedule_only_after_a_count_a_day(form: str, text: str) -> None:
    # Given "with food" / "after food" said of no dose (the offline detector reads the words)
    d = drafted(text, lambda n: None, "offline", form)
    # Then no row takes it as a schedule, and no orphan schedule is drafted
    assert "food" not in " ".join(i["text"] for i in items(d, "Medications")), items(d, "Medications")
