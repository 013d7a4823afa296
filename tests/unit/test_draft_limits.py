"""As-needed schedules and maximum doses (issue 15: "a dose is never misread silently").

"when needed", "as required", "up to four times a day" are read as schedules (not "not understood"), an as-needed
word after a schedule is kept on the row ("four times daily as needed", never a regular four times daily), and
an amount after a limit cue ("maximum 4 g in 24 hours") is the row's limit, never a second dose. Both forms
(punctuated; recogniser: lower case, no punctuation, numbers spoken), through ``draft_sections``.
"""

from __future__ import annotations

import pytest
from draft_cases import FORMS, draft, rows

from medscribe.logic.document.max_dose import limit_at
from medscribe.logic.document.schedule import normalise_frequency


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("when needed", "as needed"),
        ("when required", "as needed"),
        ("as and when required", "as needed"),
        ("four times a day as required", "four times daily as needed"),
        ("up to four times a day", "up to four times daily"),
        ("up to 3 times a day as needed", "up to three times daily as needed"),
    ],
)
def test_as_needed_and_up_to_schedules_are_read(said: str, read: str) -> None:
    assert normalise_frequency(said).value == read


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug", "dose", "limit"),
    [
        (
            "Paracetamol 1 g four times a day as required, maximum 4 g in 24 hours.",
            "paracetamol",
            "1 g",
            "max 4 g",
        ),
        (
            "Take two puffs of salbutamol when needed, maximum eight puffs a day.",
            "salbutamol",
            "2 puffs",
            "max 8",
        ),
    ],
)
def test_a_maximum_is_the_rows_limit_never_a_second_dose(
    form: str, text: str, drug: str, dose: str, limit: str
) -> None:
    # Given a dose, an as-needed schedule and a maximum said for one drug
    sections = draft(text, form)
    (row,) = rows(sections, "Medications", drug)
    # Then the row shows the dose, keeps "as needed", and shows the maximum as its limit
    assert dose in row["text"], row
    assert "as needed" in row["text"], row
    assert limit in row["text"], row
    # And no review line calls the limit a contradicting dose or frequency
    review = " ".join(i["text"] for i in sections["Needs review"]).lower()
    assert "contradiction" not in review, review
    assert "several doses" not in review, review


def test_a_limit_needs_its_cue_right_before_the_amount() -> None:
    text = "maximum 4 g in 24 hours; paracetamol 1 g"
    assert limit_at(text, 8, 11) is not None
    assert limit_at(text, text.index("1 g"), len(text)) is None


@pytest.mark.parametrize("form", FORMS)
def test_a_never_cue_after_which_is_the_antecedents_not_the_next_drugs(form: str) -> None:
    # Given "which she must not take" followed, in a run-on, by another drug with its dose
    text = (
        "Her housemate shares his diazepam with her which she must not take propranolol 10 mg up to three "
        "times a day as needed for palpitations."
    )
    sections = draft(text, form)
    # Then propranolol is prescribed, never silently under Not taking
    assert rows(sections, "Medications", "propranolol")
    assert all(i["flags"] for i in rows(sections, "Not taking", "propranolol"))
