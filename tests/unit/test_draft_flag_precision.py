"""Flag precision (issue 15): a flag on a correct item teaches the clinician to skip flags. Each test drafts a text
on the production path (``medscribe.textdraft.draft_sections``: normalisation, the offline detector, the
confidence filter, the draft and every guard) and checks that a problem is said once and that the item stays
flagged: a row with no medication identified is one line, and a schedule in weeks or months is read."""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.logic.document.schedule import normalise_frequency
from medscribe.logic.document.sections import NEEDS_REVIEW, NOTHING_FLAGGED
from medscribe.textdraft import draft_sections


def _section(obj: dict[str, Any], title: str) -> list[dict[str, Any]]:
    return next(s["items"] for s in obj["sections"] if s["title"] == title)


def _orphan_rows(obj: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in _section(obj, "Medications") if i["text"].startswith("[medication not identified]")]


def _review(obj: dict[str, Any]) -> list[str]:
    return [i["text"] for i in _section(obj, NEEDS_REVIEW)]


def test_a_row_with_no_medication_is_one_line_quoting_every_value_said() -> None:
    # Given a dose, a form and a frequency said with no drug, and a form and a frequency in the next sentence
    obj = draft_sections("Continue 5 mg tablets once daily. Eye drops at night.")
    # Then each row is one "No medication" line quoting every value of the row (not one line per value) ...
    orphan_lines = [t for t in _review(obj) if t.startswith("No medication:")]
    assert orphan_lines == [
        "No medication: dose “5 mg”, form “tablets”, frequency “once daily” with no medication identified "
        "(score 0.85)",
        "No medication: form “Eye drops”, frequency “at night” with no medication identified (score 0.85)",
    ]
    # ... the eye drops' blank dose and route are no line of their own (the row is reviewed as a whole) ...
    assert not [t for t in _review(obj) if t.startswith("Blank cell: unidentified medication")]
    # ... and each row stays flagged
    rows = _orphan_rows(obj)
    assert len(rows) == 2
    assert all(r["flags"] == ["ORPHAN_ATTRIBUTE"] for r in rows), rows


def test_an_unread_value_of_a_row_with_no_medication_is_shown_on_the_row_not_a_second_line() -> None:
    # Given a concentration whose amount has no unit (which the normaliser does not read) said with no drug
    obj = draft_sections("Asthma. Then 250/5 ml by mouth once daily.")
    (row,) = _orphan_rows(obj)
    # Then the row prints the value as said, marked not understood, and is flagged by its one line
    assert "“250/5 mL” (not understood)" in row["text"]
    assert row["flags"] == ["ORPHAN_ATTRIBUTE"]
    assert not [t for t in _review(obj) if t.startswith("Not understood")]


def test_a_row_with_no_medication_alone_is_never_nothing_flagged() -> None:
    obj = draft_sections("Asthma. Then 0.15 mg/kg by mouth once daily.")
    assert NOTHING_FLAGGED not in _review(obj)
    assert [t for t in _review(obj) if t.startswith("No medication:")]


@pytest.mark.parametrize(
    ("said", "meaning"),
    [
        ("every 3 months", "every 3 months"),
        ("every two weeks", "every 2 weeks"),
        ("every 12 weeks", "every 12 weeks"),
        ("every month", "once monthly"),
        ("every week", "once weekly"),
        ("twice weekly", "twice weekly"),
        ("twice a week", "twice weekly"),
        ("3 times a week", "3 times weekly"),
        ("three times weekly", "3 times weekly"),
        ("twice a month", "twice monthly"),
        ("when needed", "as needed"),
        ("when required", "as needed"),
    ],
)
def test_a_schedule_in_weeks_or_months_is_read(said: str, meaning: str) -> None:
    assert normalise_frequency(said).value == meaning


@pytest.mark.parametrize("said", ["every 3 days", "every 7 days", "5 or 6 times a week", "every 1.5 weeks"])
def test_an_interval_of_days_or_a_choice_stays_unread(said: str) -> None:
    # "every 3 days" is said of a taper's steps, which one row cannot show: it stays flagged
    assert normalise_frequency(said).value is None


def test_a_depot_and_a_weekly_dose_are_shown_read_with_no_not_understood_line() -> None:
    obj = draft_sections(
        "Paliperidone 100 mg injection every 3 months. Alendronic acid 70 mg twice weekly. "
        "Salbutamol inhaler when needed."
    )
    meds = [i["text"] for i in _section(obj, "Medications")]
    assert "Paliperidone injection 100 mg every 3 months" in meds
    assert "Alendronic acid 70 mg twice weekly" in meds
    assert "Salbutamol inhaler as needed" in meds
    assert not [t for t in _review(obj) if t.startswith("Not understood")]


def test_a_taper_interval_of_days_stays_flagged_on_the_production_path() -> None:
    # the interval is the titration step's: shown in its words, flagged DOSE_TITRATION (not also an unread
    # schedule of the row, session 11 rxleft)
    obj = draft_sections("Prednisolone 40 mg daily, reducing by 5 mg every 3 days.")
    (row,) = [i for i in _section(obj, "Medications") if "prednisoLONE" in i["text"]]
    assert "DOSE_TITRATION" in row["flags"], row
    assert "reducing by 5 mg every 3 days" in row["text"], row


# ---- "Said but not drafted": clauses that carry nothing the draft should hold -----------------------------------


def _not_drafted(text: str) -> str:
    return " ".join(t for t in _review(draft_sections(text)) if t.startswith("Said but not drafted"))


@pytest.mark.parametrize(
    "text",
    [
        "Paediatrics, 9-month-old boy. Cough for a week. Feeding well.",
        "Paediatric clinic, 11-year-old girl, 38 kg. Cough for a week. She is sleeping well.",
        "Chest pain for two days, worse lying flat. Palpitations, relieved by rest.",
    ],
)
def test_an_introduction_a_normal_finding_with_well_and_a_symptoms_modifier_are_not_quoted(text: str) -> None:
    assert _not_drafted(text) == ""


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # an age with a statement after it is no introduction
        ("Three-year-old with a limp since Monday. Asthma.", "a limp"),
        # an introduction is the note's first clause only
        ("Asthma. Paediatrics, 9-month-old boy.", "Paediatrics"),
        # a negated "well" is a problem, "as well" is no normal finding
        ("Asthma. She is not growing well.", "not growing well"),
        ("Asthma. Her feet go numb as well.", "feet go numb"),
        # a modifier before a noun is a statement of its own
        ("Knee pain for two days, worse cramping since Monday.", "worse cramping"),
    ],
)
def test_a_statement_beside_those_shapes_is_still_quoted(text: str, quoted: str) -> None:
    # quoted by the clause guard, or named by the condition guard ("cramping" is a condition term's -ing form)
    review = _review(draft_sections(text))
    named = [t for t in review if t.startswith(("Said but not drafted", "Possible condition"))]
    assert any(quoted in t for t in named), review


# ---- "Partial amount": a number that is no part of the drug's amount ---------------------------------------------


def _row(obj: dict[str, Any], name: str) -> dict[str, Any]:
    (row,) = [i for i in _section(obj, "Medications") if i["text"].lower().startswith(name.lower())]
    return row


def test_another_drugs_decimal_dose_is_not_a_part_of_this_drugs_amount() -> None:
    # Given a list whose bisoprolol 2.5 mg is said just before dapagliflozin
    obj = draft_sections(
        "Heart failure. He is on apixaban 5 mg twice daily, bisoprolol 2.5 mg once daily and dapagliflozin "
        "10 mg once daily."
    )
    # Then dapagliflozin's row is not said to have an unread part of its amount (it stays flagged for its route)
    row = _row(obj, "dapagliflozin")
    assert "PARTIAL_AMOUNT" not in row["flags"]
    assert row["flags"] == ["BLANK_CELL"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a decimal with no unit after the drug may be its dose
        ("AF. Warfarin 1 mg tablets, 2.5 on Mondays.", "warfarin"),
        # a combination's strength is not shown on the row: the count after it stays flagged
        ("Pain. Co-codamol 30/500 2 tablets four times daily.", "co-codamol"),
    ],
)
def test_an_amount_the_row_may_not_show_stays_flagged_as_partial(text: str, name: str) -> None:
    assert "PARTIAL_AMOUNT" in _row(draft_sections(text), name)["flags"]
