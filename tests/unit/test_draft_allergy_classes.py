"""A drug prescribed in an allergy's class is flagged (issue 15, item 7; session 11, rx8).

The class table (``logic/document/data/drug_classes.json``) holds the UK names a clinician dictates (co-amoxiclav,
Tazocin, phenoxymethylpenicillin, cefalexin, co-codamol, dihydrocodeine, mefenamic acid, lymecycline, …), a
hyphenated name is one name in either form ("co-amoxiclav", the recogniser's "co amoxiclav"), and a cephalosporin
with a penicillin allergy (or the reverse) is flagged as a possible cross-reaction. Both forms, through
``draft_sections``.
"""

from __future__ import annotations

import pytest
from draft_cases import FORMS, draft, rows

from medscribe.logic.document.allergy_list import class_of, classes

CONFLICTS = [  # (allergy as said, the drug prescribed, its dose and schedule, its class)
    ("penicillin", "co-amoxiclav", "625 mg three times a day", "penicillins"),
    ("penicillin", "flucloxacillin", "500 mg four times a day", "penicillins"),
    ("penicillin", "Tazocin", "4.5 g three times a day intravenously", "penicillins"),
    ("penicillin", "phenoxymethylpenicillin", "500 mg four times a day", "penicillins"),
    ("sulfa drugs", "co-trimoxazole", "960 mg twice daily", "sulfonamides"),
    ("NSAIDs", "aspirin", "75 mg once daily", "nsaids"),
    ("NSAIDs", "mefenamic acid", "500 mg three times a day", "nsaids"),
    ("opioids", "dihydrocodeine", "30 mg four times a day", "opioids"),
    ("opioids", "codeine", "30 mg four times a day", "opioids"),
    ("ACE inhibitors", "ramipril", "5 mg once daily", "ace inhibitors"),
    ("statins", "atorvastatin", "20 mg at night", "statins"),
    ("macrolides", "clarithromycin", "500 mg twice daily", "macrolides"),
    ("tetracyclines", "lymecycline", "408 mg once daily", "tetracyclines"),
    ("quinolones", "ciprofloxacin", "500 mg twice daily", "fluoroquinolones"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("allergy", "drug", "dose", "cls"), CONFLICTS)
def test_a_drug_in_an_allergys_class_is_flagged(
    form: str, allergy: str, drug: str, dose: str, cls: str
) -> None:
    # Given an allergy to a class and a drug of that class prescribed
    sections = draft(f"She is allergic to {allergy}. She takes {drug} {dose}.", form)
    (row,) = rows(
        sections, "Medications", drug.lower().replace("-", " ") if form == "recogniser" else drug.lower()
    )
    # Then the row is flagged, naming the class
    assert "ALLERGY_CLASS_CONFLICT" in row["flags"], row
    assert any(f"class {cls}" in r for r in row["reasons"]), row


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("allergy", "prescribed"),
    [
        ("penicillin", "cefalexin 500 mg three times a day"),
        ("cephalosporins", "amoxicillin 500 mg three times a day"),
    ],
)
def test_a_cephalosporin_with_a_penicillin_allergy_is_flagged_as_a_possible_cross_reaction(
    form: str, allergy: str, prescribed: str
) -> None:
    sections = draft(f"She is allergic to {allergy}. She takes {prescribed}.", form)
    (row,) = rows(sections, "Medications", prescribed.split()[0])
    assert "ALLERGY_CLASS_CONFLICT" in row["flags"], row
    assert any("may cross-react" in r for r in row["reasons"]), row


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("said", "prescribed", "flagged"),
    [
        ("allergic to ACE inhibitors, angioedema on lisinopril", "Entresto 24/26 mg twice daily", True),
        ("allergic to ramipril, her tongue swelled", "losartan 25 mg once daily", True),
        ("allergic to ramipril, with angio-oedema of the lips", "candesartan 4 mg once daily", True),
        ("allergic to ACE inhibitors, they gave her a cough", "losartan 50 mg once daily", False),
        ("allergic to losartan, angioedema", "ramipril 2.5 mg once daily", True),
    ],
)
def test_an_arb_with_an_ace_inhibitor_allergy_is_flagged_only_after_angio_oedema(
    form: str, said: str, prescribed: str, flagged: bool
) -> None:
    # Given an ACE inhibitor (or ARB) allergy and a drug of the other class prescribed (sacubitril/valsartan
    # included): the Entresto SmPC contraindicates it after angio-oedema on either; a cough is no such reaction
    sections = draft(f"She is {said}. She takes {prescribed}.", form)
    (row,) = rows(sections, "Medications", prescribed.split()[0].lower())
    # Then the row is flagged as a possible cross-reaction only when angio-oedema is said
    assert ("ALLERGY_CLASS_CONFLICT" in row["flags"]) is flagged, row
    if flagged:
        assert any("may cross-react" in r for r in row["reasons"]), row


@pytest.mark.parametrize("form", FORMS)
def test_a_drug_of_another_class_is_not_flagged(form: str) -> None:
    sections = draft("She is allergic to penicillin. She takes doxycycline 100 mg once daily.", form)
    (row,) = rows(sections, "Medications", "doxycycline")
    assert "ALLERGY_CLASS_CONFLICT" not in row["flags"], row


@pytest.mark.parametrize(
    ("name", "cls"),
    [("Co-amoxiclav", "penicillins"), ("co amoxiclav", "penicillins"), ("co-codamol", "opioids"),
     ("Cefalexin", "cephalosporins"), ("piperacillin with tazobactam", "penicillins")],
)  # fmt: skip
def test_a_hyphenated_name_is_one_name_in_either_form(name: str, cls: str) -> None:
    assert class_of(name) == cls


def test_the_cross_reaction_goes_both_ways_and_only_between_the_listed_classes() -> None:
    cross = classes().cross_reactive
    assert cross["penicillins"] == {"cephalosporins"}
    assert cross["cephalosporins"] == {"penicillins"}
    assert "sulfonamides" not in cross
