"""Draft rows (issue 15): tablet counts, dose changes that name no drug, and recogniser-form clause ends.

Every case goes through ``draft_sections`` (the code behind ``medscribe draft``), in the punctuated form and in
the recogniser form (lower case, no punctuation, numbers spoken), and checks the rule, not one output: a dose is
read exactly or its row is flagged naming the dose; a current item is never silently placed under Denied or Not
taking; a conditional one never silently stated as a current problem. Cases of one shape share one test and a
table; each case's id says what it pins.
"""

from __future__ import annotations

from typing import Any

import pytest
from draft_cases import FORMS, draft, rows

from medscribe.evaluation.drafts import names_category
from medscribe.evaluation.matching import dose_mentions


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


DOSES = {
    "a change referring back with 'it' shows the new dose, was the old": (
        "Bisoprolol 2.5 mg once daily; increase it to 5 mg once daily.",
        "bisoprolol",
        "5 mg",
        "was 2.5 mg",
        "",
    ),
    "a change referring back with 'the dose' shows the new dose, was the old": (
        "Levothyroxine 125 micrograms daily; reduce the dose to 100 micrograms daily.",
        "levothyroxine",
        "100 mcg",
        "was 125 mcg",
        "",
    ),
    "a halving referring back with 'it' shows the new dose, was the old": (
        "Doxazosin 4 mg at night; halve it to 2 mg at night.",
        "doxazosin",
        "2 mg",
        "was 4 mg",
        "",
    ),
    "a new dose said with no unit takes the row's unit, flagged": (
        "Citalopram 10 mg daily; increase the dose to 20.",
        "citalopram",
        "20 mg",
        "",
        "DOSE_UNIT_UNSAID",
    ),
    "a number of minutes is not a dose change": (
        "Atenolol 50 mg daily. Walking 10 minutes a day, increase it to 20 minutes.",
        "atenolol",
        "50 mg",
        "",
        "",
    ),
    "previously then now is a dose change on the current row": (
        "Previously on atorvastatin 20 mg, now 40 mg at night.",
        "atorvastatin",
        "40 mg",
        "was 20 mg",
        "",
    ),
    "a prophylaxis drug is prescribed at its dose": (
        "DVT prophylaxis: enoxaparin 40 mg daily.",
        "enoxaparin",
        "40 mg",
        "",
        "",
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "drug", "dose", "shows", "flag"), DOSES.values(), ids=DOSES)
def test_the_drugs_one_row_shows_the_dose_said_last(
    form: str, text: str, drug: str, dose: str, shows: str, flag: str
) -> None:
    (row,) = rows(draft(text, form), "Medications", drug)
    assert dose_mentions(row["dose"]) == dose_mentions(dose)
    assert shows in row["text"]
    assert flag in [*row["flags"], ""]


@pytest.mark.parametrize("form", FORMS)
def test_a_new_dose_with_no_unit_and_no_dose_to_take_one_from_is_not_applied_but_flagged(form: str) -> None:
    (row,) = rows(draft("Ramipril, increase the dose to 10.", form), "Medications", "ramipril")
    assert "DOSE_UNIT_UNSAID" in row["flags"]
    assert "10" not in (row.get("dose") or "")


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


CURRENT_OR_FLAGGED = {
    "denies a, b: a finding after the list is not denied": (
        "She denies head injury or loss of consciousness. Wrist pain and swelling on the right.",
        "wrist pain",
        "Problems",
        "Denied",
        "NEGATION_SCOPE_UNCLEAR",
    ),
    "denies a, b: the second finding after the list is not denied": (
        "She denies head injury or loss of consciousness. Wrist pain and swelling on the right.",
        "swelling",
        "Problems",
        "Denied",
        "NEGATION_SCOPE_UNCLEAR",
    ),
    "no a, no b: a sign in the next sentence is not denied": (
        "No chest pain, no fever. Wheeze throughout both lungs.",
        "wheeze",
        "Problems",
        "Denied",
        "NEGATION_SCOPE_UNCLEAR",
    ),
    "a list of three negations: a sign in the next sentence is not denied": (
        "Feeding well, no apnoeas, no cyanosis. Crackles on auscultation at both bases.",
        "crackles",
        "Problems",
        "Denied",
        "NEGATION_SCOPE_UNCLEAR",
    ),
    "no a but has b: b is not denied": (
        "No fever but has a productive cough.",
        "cough",
        "Problems",
        "Denied",
        "NEGATION_SCOPE_UNCLEAR",
    ),
    "a drug after the end of a negation is not silently not taking": (
        "No longer taking aspirin, now on clopidogrel 75 mg daily.",
        "clopidogrel",
        "Medications",
        "Not taking",
        "",
    ),
    "a drug after what it prevents is never silently a plan": (
        "Aspirin 75 mg daily to prevent stroke. Atorvastatin 20 mg at night.",
        "atorvastatin",
        "Medications",
        "Plan and conditional",
        "",
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "name", "title", "other", "flag"), CURRENT_OR_FLAGGED.values(), ids=CURRENT_OR_FLAGGED
)
def test_a_current_item_is_under_its_section_or_flagged_where_it_is(
    form: str, text: str, name: str, title: str, other: str, flag: str
) -> None:
    sections = draft(text, form)
    found = rows(sections, title, name) + rows(sections, other, name)
    assert found
    # Then it is current, or it is flagged (with ``flag``, where one is named: the negation's scope)
    assert all(i in sections[title] or (flag in i["flags"] if flag else i["flags"]) for i in found), found


UNFLAGGED = {
    "a list with a cue on every item stays denied": (
        "No nausea, no vomiting, no diarrhoea.",
        "Denied",
        {"nausea", "vomiting", "diarrhoea"},
        False,
    ),
    "a list of drugs stopped together stays stopped (exactly those)": (
        "Stop aspirin and clopidogrel.",
        "Not taking",
        {"aspirin", "clopidogrel"},
        True,
    ),
    "a recogniser's list of allergies stays a list of allergies": (
        "Allergies: penicillin, codeine.",
        "Allergies",
        {"penicillin", "codeine"},
        False,
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "title", "expected", "exactly"), UNFLAGGED.values(), ids=UNFLAGGED)
def test_a_list_stays_whole_under_its_section_without_a_flag(
    form: str, text: str, title: str, expected: set[str], exactly: bool
) -> None:
    unflagged = {i["name"] for i in draft(text, form)[title] if not i["flags"]}
    assert unflagged == expected if exactly else unflagged >= expected


PLACED: dict[str, tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "what an if-condition has is conditional, not a problem": (
        "Hold lithium if she has vomiting or diarrhoea.",
        (("Problems", "vomiting"), ("Problems", "diarrhoea")),
        (("Plan and conditional", "vomiting"),),
    ),
    "the condition a prophylaxis prevents is not a problem; its drug is prescribed": (
        "DVT prophylaxis: enoxaparin 40 mg daily.",
        (("Problems", "dvt"),),
        (("Medications", "enoxaparin"),),
    ),
    "what a drug prevents is not a problem": (
        "Aspirin 75 mg daily to prevent stroke. Atorvastatin 20 mg at night.",
        (("Problems", "stroke"),),
        (),
    ),
    "a relative after the noun 'visit' is the subject of their clause": (
        "No seizures since the last visit. Her brother takes sodium valproate.",
        (("Medications", "valproate"),),
        (("Family history", "valproate"),),
    ),
    "a course finished is not prescribed": (
        "Finished the course of amoxicillin.",
        (("Medications", "amoxicillin"),),
        (("Not taking", "amoxicillin"),),
    ),
    "a drug weaned off is not prescribed": (
        "Sertraline was weaned off in May.",
        (("Medications", "sertraline"),),
        (("Not taking", "sertraline"),),
    ),
    "a drug come off is not prescribed": (
        "Came off sertraline last year.",
        (("Medications", "sertraline"),),
        (("Not taking", "sertraline"),),
    ),
    "a drug awaiting a decision is a plan, the drug continued is prescribed": (
        "Awaiting a decision on methotrexate. Continue folic acid 5 mg weekly.",
        (("Medications", "methotrexate"),),
        (("Medications", "folic acid"),),
    ),
    "a next step is a plan, the current drug is prescribed": (
        "Metformin 1 g twice daily. Next step would be insulin.",
        (("Medications", "insulin"),),
        (("Medications", "metformin"),),
    ),
    "what a condition says persists is there now": (
        "Should the cough persist, return.",
        (),
        (("Problems", "cough"),),
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "absent", "present"), PLACED.values(), ids=PLACED)
def test_a_mention_is_placed_where_its_words_put_it(
    form: str, text: str, absent: tuple[tuple[str, str], ...], present: tuple[tuple[str, str], ...]
) -> None:
    sections = draft(text, form)
    assert [(t, n) for t, n in absent if rows(sections, t, n)] == []
    assert [(t, n) for t, n in present if not rows(sections, t, n)] == []


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
@pytest.mark.parametrize(
    ("text", "current", "title"),
    [
        ("Stopped ramipril. Amlodipine 5 mg daily.", "amlodipine", "Not taking"),
        ("Do not stop aspirin 75 mg daily.", "aspirin", "Not taking"),
        ("She has not stopped her ramipril.", "ramipril", "Not taking"),
        ("No side effects from amlodipine 5 mg daily.", "amlodipine", "Not taking"),
        ("No improvement in the cough after antibiotics.", "cough", "Denied"),
        # an outcome noun is the negation's whole object; in the recogniser form the drug after it runs on
        (
            "Doxepin was stopped after a month with no benefit. Citalopram 20 mg once daily.",
            "citalopram",
            "Not taking",
        ),
        (
            "Topiramate stopped in March, no effect. Propranolol 40 mg twice daily.",
            "propranolol",
            "Not taking",
        ),
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
