""" "No known drug allergies" said is shown under Allergies (an empty section cannot tell "none" from "not asked");
an allergy said beside it stays a conflict. Both written forms, through ``draft_sections``."""

from __future__ import annotations

import pytest
from draft_cases import FORMS, draft


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("said", ["No known drug allergies.", "NKDA.", "No allergies."])
def test_no_known_allergies_said_is_shown(form: str, said: str) -> None:
    sections = draft(f"{said} Takes omeprazole 20 mg daily.", form)
    (item,) = sections["Allergies"]
    assert item["text"].startswith("No known drug allergies")
    assert item["flags"] == []


@pytest.mark.parametrize("form", FORMS)
def test_nothing_said_leaves_allergies_empty(form: str) -> None:
    assert draft("Takes omeprazole 20 mg daily.", form)["Allergies"] == []


@pytest.mark.parametrize("form", FORMS)
def test_an_allergy_beside_nkda_is_the_item_and_flagged(form: str) -> None:
    sections = draft("NKDA. Allergic to penicillin.", form)
    assert [i["text"] for i in sections["Allergies"] if i["text"].startswith("No known")] == []
    assert all(i["flags"] for i in sections["Allergies"])
