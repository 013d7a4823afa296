"""Draft rows (issue 15): tablet counts, dose changes that name no drug, and recogniser-form clause ends.

Every case goes through ``draft_sections`` (the code behind ``medscribe draft``), in the punctuated form and in
the recogniser form (lower case, no punctuation, numbers spoken), and checks the rule, not one output: a dose is
read exactly or its row is flagged naming the dose; a current item is never silently placed under Denied or Not
taking; a conditional one never silently stated as a current problem.
"""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.drafts import names_category
from medscribe.evaluation.matching import dose_mentions
from medscribe.textdraft import draft_sections

FORMS = ("punctuated", "recogniser")


def draft(text: str, form: str) -> dict[str, list[dict[str, Any]]]:
    said = text if form == "punctuated" else recogniser_form(text)
    return {s["title"]: s["items"] for s in draft_sections(said)["sections"]}


def rows(sections: dict[str, list[dict[str, Any]]], title: str, name: str) -> list[dict[str, Any]]:
    return [i for i in sections.get(title, []) if name in (i.get("name") or "") or name in i["text"].lower()]


def dose_flagged(item: dict[str, Any]) -> bool:
    """Flagged, and a flag or its reason names the dose (the held-out scorer's words for the dose category)."""
    return bool(item["flags"]) and names_category(item, "dose")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug", "dose"),
    [
        (
            "Gliclazide 80 mg tablets: take one and a half tablets twice daily.",
            "gliclazide",
            {"1.5 tablet", "120 mg"},
        ),
        ("Warfarin 1 mg tablets, take 1.5 tablets daily.", "warfarin", {"1.5 tablet", "1.5 mg"}),
        (
            "Dexamethasone 2 mg tablets: give two and a half tablets now.",
            "dexamethasone",
            {"2.5 tablet", "5 mg"},
        ),
        ("Bisoprolol 2.5 mg tablets, half a tablet once daily.", "bisoprolol", {"0.5 tablet", "1.25 mg"}),
    ],
)
def test_a_count_of_tablets_of_a_said_strength_is_the_dose_with_what_it_makes(
    form: str, text: str, drug: str, dose: set[str]
) -> None:
    # Given a strength said as the tablet's and a count of tablets, When drafted
    sections = draft(text, form)
    # Then the drug's one row states the count and the amount it makes, never the tablet strength as the dose
    (row,) = rows(sections, "Medications", drug)
    assert dose_mentions(row["dose"]) == dose
    assert not [i for i in sections["Medications"] if not i.get("name")], "no orphan dose row is left"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "Bisoprolol 2.5 mg, half a tablet once daily.",  # 2.5 mg: the tablet's strength or the dose?
        "Gliclazide 80 mg tablets. Take 1.5 tablets twice daily.",  # the count in a sentence of its own
        "Prednisolone 5 mg, take 8 tablets once daily.",
        "Metoprolol 50 mg, take half daily.",  # "half" of what: no amount was taken from it
        "Take 1\u00bd tablets of warfarin 1 mg daily.",  # the count before the drug, the "½" not read
    ],
)
def test_a_tablet_count_the_words_do_not_tie_to_a_strength_is_read_exactly_or_flagged_naming_the_dose(
    form: str, text: str
) -> None:
    sections = draft(text, form)
    for row in [i for i in sections["Medications"] if i.get("name")]:
        said = dose_mentions(row.get("dose") or "")
        counted = any(d.endswith("tablet") for d in said)
        # Then either the row states the count said, with the amount it makes, or it is flagged naming the dose
        assert (counted and len(said) == 2) or dose_flagged(row), row


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug", "new", "old"),
    [
        ("Bisoprolol 2.5 mg once daily; increase it to 5 mg once daily.", "bisoprolol", "5 mg", "2.5 mg"),
        (
            "Levothyroxine 125 micrograms daily; reduce the dose to 100 micrograms daily.",
            "levothyroxine",
            "100 mcg",
            "125 mcg",
        ),
        ("Doxazosin 4 mg at night; halve it to 2 mg at night.", "doxazosin", "2 mg", "4 mg"),
    ],
)
def test_a_change_that_refers_back_with_it_or_the_dose_shows_the_new_dose(
    form: str, text: str, drug: str, new: str, old: str
) -> None:
    (row,) = rows(draft(text, form), "Medications", drug)
    assert dose_mentions(row["dose"]) == dose_mentions(new)
    assert f"was {old}" in row["text"]


@pytest.mark.parametrize("form", FORMS)
def test_a_new_dose_said_with_no_unit_takes_the_rows_unit_and_is_flagged(form: str) -> None:
    sections = draft("Citalopram 10 mg daily; increase the dose to 20.", form)
    (row,) = rows(sections, "Medications", "citalopram")
    assert dose_mentions(row["dose"]) == {"20 mg"}
    assert "DOSE_UNIT_UNSAID" in row["flags"]


@pytest.mark.parametrize("form", FORMS)
def test_a_new_dose_with_no_unit_and_no_dose_to_take_one_from_is_not_applied_but_flagged(form: str) -> None:
    (row,) = rows(draft("Ramipril, increase the dose to 10.", form), "Medications", "ramipril")
    assert "DOSE_UNIT_UNSAID" in row["flags"]
    assert "10" not in (row.get("dose") or "")


@pytest.mark.parametrize("form", FORMS)
def test_a_number_of_minutes_is_not_a_dose_change(form: str) -> None:
    sections = draft("Atenolol 50 mg daily. Walking 10 minutes a day, increase it to 20 minutes.", form)
    (row,) = rows(sections, "Medications", "atenolol")
    assert dose_mentions(row["dose"]) == {"50 mg"}


@pytest.mark.parametrize("form", FORMS)
def test_a_later_change_that_names_no_drug_is_applied_or_flagged_never_lost(form: str) -> None:
    text = (
        "Methylphenidate was increased from 18 mg to 27 mg each morning last month. "
        "Raise to 36 mg each morning from today."
    )
    (row,) = rows(draft(text, form), "Medications", "methylphenidate")
    assert "DOSE_CHANGE_UNATTACHED" in row["flags"]
    if form == "recogniser":  # one run of words: the later change is read as the drug's
        assert dose_mentions(row["dose"]) == {"36 mg"}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "current"),
    [
        (
            "She denies head injury or loss of consciousness. Wrist pain and swelling on the right.",
            "wrist pain",
        ),
        (
            "She denies head injury or loss of consciousness. Wrist pain and swelling on the right.",
            "swelling",
        ),
        ("No chest pain, no fever. Wheeze throughout both lungs.", "wheeze"),
        ("Feeding well, no apnoeas, no cyanosis. Crackles on auscultation at both bases.", "crackles"),
        ("No fever but has a productive cough.", "cough"),
    ],
)
def test_a_finding_after_a_closed_negation_list_is_never_silently_denied(
    form: str, text: str, current: str
) -> None:
    sections = draft(text, form)
    found = rows(sections, "Problems", current) + rows(sections, "Denied", current)
    assert found
    # Then it is a problem, or it is flagged naming the negation's scope
    assert all(i in sections["Problems"] or "NEGATION_SCOPE_UNCLEAR" in i["flags"] for i in found)


@pytest.mark.parametrize("form", FORMS)
def test_a_list_with_a_cue_on_every_item_stays_denied(form: str) -> None:
    sections = draft("No nausea, no vomiting, no diarrhoea.", form)
    assert {i["name"] for i in sections["Denied"] if not i["flags"]} >= {"nausea", "vomiting", "diarrhoea"}


@pytest.mark.parametrize("form", FORMS)
def test_what_an_if_condition_has_is_conditional_not_a_problem(form: str) -> None:
    sections = draft("Hold lithium if she has vomiting or diarrhoea.", form)
    assert not rows(sections, "Problems", "vomiting")
    assert not rows(sections, "Problems", "diarrhoea")
    assert rows(sections, "Plan and conditional", "vomiting")


@pytest.mark.parametrize("form", FORMS)
def test_a_drug_after_the_end_of_a_negation_is_not_silently_not_taking(form: str) -> None:
    sections = draft("No longer taking aspirin, now on clopidogrel 75 mg daily.", form)
    found = rows(sections, "Medications", "clopidogrel") + rows(sections, "Not taking", "clopidogrel")
    assert found
    assert all(i in sections["Medications"] or i["flags"] for i in found)


@pytest.mark.parametrize("form", FORMS)
def test_not_taking_a_drug_is_a_plain_not_taking_note(form: str) -> None:
    (note,) = rows(draft("He is not taking ibuprofen.", form), "Not taking", "ibuprofen")
    assert "NEGATION_SCOPE_UNCLEAR" not in note["flags"]


@pytest.mark.parametrize("form", FORMS)
def test_a_stop_said_only_under_a_condition_keeps_the_drug_prescribed_with_the_hold_flagged(
    form: str,
) -> None:
    sections = draft("Lamotrigine 100 mg twice daily; should she develop a rash, stop lamotrigine.", form)
    assert not rows(sections, "Not taking", "lamotrigine")
    (row,) = rows(sections, "Medications", "lamotrigine")
    assert "CONDITIONAL_HOLD" in row["flags"]


@pytest.mark.parametrize("form", FORMS)
def test_the_condition_a_prophylaxis_prevents_is_not_a_problem_and_its_drug_is_prescribed(form: str) -> None:
    sections = draft("DVT prophylaxis: enoxaparin 40 mg daily.", form)
    assert not rows(sections, "Problems", "dvt")
    (row,) = rows(sections, "Medications", "enoxaparin")
    assert dose_mentions(row["dose"]) == {"40 mg"}


@pytest.mark.parametrize("form", FORMS)
def test_a_drug_after_what_it_prevents_is_never_silently_a_plan(form: str) -> None:
    sections = draft("Aspirin 75 mg daily to prevent stroke. Atorvastatin 20 mg at night.", form)
    assert not rows(sections, "Problems", "stroke")
    found = rows(sections, "Medications", "atorvastatin") + rows(
        sections, "Plan and conditional", "atorvastatin"
    )
    assert found
    assert all(i in sections["Medications"] or i["flags"] for i in found)


@pytest.mark.parametrize("form", FORMS)
def test_a_relative_after_the_noun_visit_is_the_subject_of_their_clause(form: str) -> None:
    sections = draft("No seizures since the last visit. Her brother takes sodium valproate.", form)
    assert not rows(sections, "Medications", "valproate")
    assert rows(sections, "Family history", "valproate")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "current", "title"),
    [
        ("Stopped ramipril. Amlodipine 5 mg daily.", "amlodipine", "Not taking"),
        ("Do not stop aspirin 75 mg daily.", "aspirin", "Not taking"),
        ("She has not stopped her ramipril.", "ramipril", "Not taking"),
        ("No side effects from amlodipine 5 mg daily.", "amlodipine", "Not taking"),
        ("No improvement in the cough after antibiotics.", "cough", "Denied"),
        ("Her sister has lupus. Rash on the cheeks for two weeks.", "rash", "Family history"),
        ("She denies chest pain. Ankle swelling for two weeks.", "swelling", "Denied"),
        ("He does not smoke. Cough for three weeks.", "cough", "Denied"),
        ("No rash. Itching all over.", "itching", "Denied"),
        ("Not allergic to penicillin. Amoxicillin 500 mg three times daily.", "amoxicillin", "Not taking"),
    ],
)
def test_a_current_item_is_never_silently_placed_under_another_section(
    form: str, text: str, current: str, title: str
) -> None:
    sections = draft(text, form)
    elsewhere = rows(sections, title, current)
    # Then it is in Problems / Medications, or wherever it is, it is flagged
    assert all(i["flags"] for i in elsewhere), elsewhere


@pytest.mark.parametrize("form", FORMS)
def test_a_list_of_drugs_stopped_together_stays_stopped_without_a_flag(form: str) -> None:
    sections = draft("Stop aspirin and clopidogrel.", form)
    assert {i["name"] for i in sections["Not taking"] if not i["flags"]} == {"aspirin", "clopidogrel"}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Finished the course of amoxicillin.", "amoxicillin"),
        ("Sertraline was weaned off in May.", "sertraline"),
        ("Came off sertraline last year.", "sertraline"),
    ],
)
def test_a_drug_said_as_finished_or_come_off_is_not_prescribed(form: str, text: str, drug: str) -> None:
    sections = draft(text, form)
    assert not rows(sections, "Medications", drug)
    assert rows(sections, "Not taking", drug)


@pytest.mark.parametrize("form", FORMS)
def test_a_drug_awaiting_a_decision_is_a_plan_not_a_prescription(form: str) -> None:
    sections = draft("Awaiting a decision on methotrexate. Continue folic acid 5 mg weekly.", form)
    assert not rows(sections, "Medications", "methotrexate")
    assert rows(sections, "Medications", "folic acid")


@pytest.mark.parametrize("form", FORMS)
def test_previously_then_now_is_a_dose_change_on_a_current_row(form: str) -> None:
    (row,) = rows(
        draft("Previously on atorvastatin 20 mg, now 40 mg at night.", form), "Medications", "atorvastatin"
    )
    assert dose_mentions(row["dose"]) == {"40 mg"}
    assert "was 20 mg" in row["text"]


@pytest.mark.parametrize("form", FORMS)
def test_a_next_step_is_a_plan_not_a_prescription(form: str) -> None:
    sections = draft("Metformin 1 g twice daily. Next step would be insulin.", form)
    assert not rows(sections, "Medications", "insulin")
    assert rows(sections, "Medications", "metformin")


@pytest.mark.parametrize("form", FORMS)
def test_what_a_condition_says_persists_is_there_now(form: str) -> None:
    sections = draft("Should the cough persist, return.", form)
    assert rows(sections, "Problems", "cough")


@pytest.mark.parametrize("form", FORMS)
def test_a_recognisers_list_of_allergies_stays_a_list_of_allergies(form: str) -> None:
    sections = draft("Allergies: penicillin, codeine.", form)
    assert {i["name"] for i in sections["Allergies"] if not i["flags"]} >= {"penicillin", "codeine"}
