"""A relation's clause gives them a drug only by a word of taking near it (session 11, rx8).

"her sister drives her to Bristol on Saturdays methotrexate 15 mg …" (a recogniser's run-on) drafted "sister:
methotrexate" under Family history, unflagged: the "on" of "on Saturdays" was read as the sister being on a drug,
so a prescription was lost silently. A preposition of a time or a person ("on Saturdays", "with her") gives nobody a
drug, nor does a word of taking said more than three words before the drug; the drug is then the patient's,
flagged SUBJECT_UNCLEAR. Both forms, through ``draft_sections``.
"""

from __future__ import annotations

import pytest
from draft_cases import FORMS, draft, rows


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "her sister drives her to Bristol on Saturdays methotrexate 15 mg once a week",
        "her daughter stays with her at weekends ramipril 5 mg once daily",
    ],
)
def test_a_dosed_drug_after_a_time_or_a_person_is_not_the_relations_silently(form: str, text: str) -> None:
    sections = draft(text, form)
    drug = "methotrexate" if "methotrexate" in text else "ramipril"
    (row,) = rows(sections, "Medications", drug)
    assert row["flags"], row
    assert not rows(sections, "Family history", drug)
    assert not rows(sections, "Other people", drug)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text", ["her husband is on warfarin 5 mg daily", "her husband takes his usual warfarin 5 mg daily"]
)
def test_a_word_of_taking_right_before_the_drug_still_gives_it_to_the_relation(form: str, text: str) -> None:
    sections = draft(text, form)
    # the husband's (Family history or Other people, as main files a spouse), never the patient's
    assert rows(sections, "Family history", "warfarin") or rows(sections, "Other people", "warfarin")
    assert not rows(sections, "Medications", "warfarin")
