"""Issue 15 items 3 and 5 (and "1.5 tablets read as 0.5"): dose changes, ranges, tapers; the Allergies section.

Both backends (offline detector; hand-built AWS-shaped responses), both written forms (punctuated;
recogniser-style).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, item, items, names, texts

from medscribe.logic.document import build_draft
from medscribe.logic.document.allergy_list import class_of, classes
from medscribe.logic.document.dosechange import TIMES
from medscribe.logic.document.sections import build_sections

both = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]


@pytest.mark.parametrize(
    ("said", "strength", "new", "was", "change"),
    [
        ("Raise atenolol from 25 to 50 mg by mouth daily.", "25 to 50 mg", "50 mg", "25 mg", "increased"),
        ("Decrease atenolol from 50 mg to 25 mg by mouth daily.", "25 mg", "25 mg", "50 mg", "decreased"),
        ("Change atenolol from 50 to 100 mg by mouth daily.", "50 to 100 mg", "100 mg", "50 mg", "increased"),
    ],
)
@both[0]
@both[1]
def test_a_dose_change_shows_the_new_dose_and_what_it_was(
    backend: str, form: str, said: str, strength: str, new: str, was: str, change: str
) -> None:
    d = drafted(
        said,
        lambda n: n.med("atenolol", STRENGTH=strength, ROUTE_OR_MODE="by mouth", FREQUENCY="daily"),
        backend,
        form,
    )
    row = item(d, "Medications", "atenolol")
    assert row["text"] == f"atenolol {new} by mouth once daily (was {was}: dose {change})"
    assert row["dose"] == new
    assert row["flags"] == []  # stated as fact: no range, no contradiction


@dataclass(frozen=True)
class Row:
    """One drug said once (its AWS-shaped attributes in ``said``), and what its drafted row must show."""

    text: str
    drug: str
    said: dict[str, str]
    shows: tuple[str, ...] = ()  # words in the row's text
    never: tuple[str, ...] = ()  # words never in it
    flags: tuple[str, ...] = ()  # flags on the row
    not_flags: tuple[str, ...] = ()
    review: str = ""  # a flag also listed under Needs review
    no_dose: bool = False  # the row states no dose
    only_row: bool = False  # the drug's row is the only Medications row (no orphan step rows)


x = TIMES  # the multiplication sign a taper step prints between its dose and its days
ROWS = {
    "a change to a dose without 'from' names the change and says the old dose is not stated": Row(
        "Reduce metoprolol to 25 mg by mouth twice daily.",
        "metoprolol",
        {"STRENGTH": "25 mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "twice daily"},
        shows=("25 mg", "dose decreased; previous dose not stated"),
    ),
    "a genuine range is printed as a range and flagged for review": Row(
        "Acetaminophen 1 to 2 tablets by mouth every 6 hours as needed.",
        "Acetaminophen",
        {"DOSAGE": "1 to 2 tablets", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "every 6 hours as needed"},
        shows=("1-2 tablets",),
        flags=("DOSE_RANGE",),
        review="DOSE_RANGE",
    ),
    "a taper keeps every step, no contradiction": Row(
        "Prednisone 40 mg by mouth daily for 5 days, then 20 mg daily for 5 days, then 10 mg daily for 5 days.",
        "Prednisone",
        {"STRENGTH": "40 mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "daily", "DURATION": "for 5 days"},
        shows=(f"40 mg {x} 5 days, then 20 mg {x} 5 days, then 10 mg {x} 5 days",),
        not_flags=("CONTRADICTION",),
    ),
    "spoken one and a half tablets shows 1.5, never 0.5": Row(
        "Clonidine 0.1 mg, one and a half tablets by mouth at bedtime.",
        "Clonidine",
        {
            "STRENGTH": "0.1 mg",
            "DOSAGE": "one and a half tablets",
            "ROUTE_OR_MODE": "by mouth",
            "FREQUENCY": "at bedtime",
        },
        shows=("1.5 tablets",),
        never=("0.5 tablet",),
    ),
    "a titration step is never shown as the dose": Row(
        "Titrate insulin glargine up by 2 units every 3 days until fasting glucose is below 130.",
        "insulin glargine",
        {"DOSAGE": "2 units", "FREQUENCY": "every 3 days"},
        flags=("DOSE_TITRATION",),
        no_dose=True,
    ),
    "a taper's later steps are in its row, not orphan doses": Row(
        "Wean prednisone: 30 mg daily for 3 days, then 20 mg daily for 3 days, then 10 mg daily for 3 days, then stop.",
        "prednisone",
        {"STRENGTH": "30 mg", "FREQUENCY": "daily", "DURATION": "for 3 days"},
        shows=(f"30 mg {x} 3 days, then 20 mg {x} 3 days, then 10 mg {x} 3 days",),
        only_row=True,
    ),
    "an up-titration schedule keeps both steps, never the later dose alone": Row(
        "Start sertraline 25 mg daily for one week, then increase to 50 mg daily.",
        "sertraline",
        {"STRENGTH": "25 mg", "FREQUENCY": "daily", "DURATION": "for one week"},
        shows=(f"25 mg {x} 1 week, then 50 mg",),
        never=("was 25 mg",),
        only_row=True,
    ),
}


@pytest.mark.parametrize("case", ROWS.values(), ids=ROWS)
@both[0]
@both[1]
def test_a_drugs_row_shows_what_was_said_or_flags_it(backend: str, form: str, case: Row) -> None:
    d = drafted(case.text, lambda n: n.med(case.drug, **case.said), backend, form)
    if case.only_row:
        (row,) = items(d, "Medications")
    else:
        row = item(d, "Medications", case.drug.lower())
    assert [w for w in case.shows if w not in row["text"]] == []
    assert [w for w in case.never if w in row["text"]] == []
    assert set(case.flags) <= set(row["flags"])
    assert not set(case.not_flags) & set(row["flags"])
    assert not case.review or any(case.review in i["flags"] for i in items(d, "Needs review"))
    assert not case.no_dose or row.get("dose") is None


def test_one_and_a_half_tablets_is_never_read_as_a_half_silently() -> None:
    # Given an AWS-shaped response whose DOSAGE covers only ".5 tablets" of "1.5 tablets"
    text = "Clonidine 0.1 mg 1.5 tablets by mouth at bedtime."
    note = AwsNote(text)
    note.med("Clonidine", STRENGTH="0.1 mg", ROUTE_OR_MODE="by mouth", FREQUENCY="at bedtime")
    clonidine = note.entities[0]
    begin = text.index(".5 tablets")
    clonidine["Attributes"].append(
        {
            **clonidine["Attributes"][0],
            "Id": 99,
            "Type": "DOSAGE",
            "RelationshipType": "DOSAGE",
            "BeginOffset": begin,
            "EndOffset": begin + len(".5 tablets"),
            "Text": ".5 tablets",
        }
    )
    row = item(build_sections(build_draft(note.response, text)).as_json(), "Medications", "clonidine")
    # Then the row is flagged as a partial amount, with the words said shown
    assert "PARTIAL_AMOUNT" in row["flags"]


@both[0]
@both[1]
def test_allergies_section_with_classes_and_reactions_and_class_conflicts_flagged(
    backend: str, form: str
) -> None:
    text = (
        "Allergic to penicillin (rash) and sulfa drugs. Start amoxicillin 500 mg by mouth three times daily."
    )

    def build(n: AwsNote) -> None:
        n.med("penicillin").condition("rash", traits={"SIGN": 0.8})
        n.med("amoxicillin", STRENGTH="500 mg", ROUTE_OR_MODE="by mouth", FREQUENCY="three times daily")

    d = drafted(text, build, backend, form)
    allergies = texts(d, "Allergies")
    assert "penicillin — rash" in allergies
    assert "sulfa drugs" in allergies  # a class the detector may not name as a medication
    assert "penicillin" not in names(d, "Medications")
    assert "rash" not in names(d, "Problems")
    assert "ALLERGY_CLASS_CONFLICT" in item(d, "Medications", "amoxicillin")["flags"]


@both[0]
@both[1]
def test_recogniser_style_allergy_list_keeps_every_substance(backend: str, form: str) -> None:
    text = "Allergies: codeine causes nausea, latex, and NSAIDs. Takes omeprazole 20 mg by mouth daily."

    def build(n: AwsNote) -> None:
        n.med("codeine").condition("nausea")
        n.med("omeprazole", STRENGTH="20 mg", ROUTE_OR_MODE="by mouth", FREQUENCY="daily")

    d = drafted(text, build, backend, form)
    allergies = names(d, "Allergies")
    assert {"codeine", "latex", "nsaids"} <= allergies
    assert "codeine" not in names(d, "Medications")
    assert "omeprazole" in names(d, "Medications")
    assert "nausea" not in names(d, "Problems")


def test_a_denied_allergy_is_no_allergy() -> None:
    text = "Not allergic to penicillin. No known drug allergies."
    note = AwsNote(text).med("penicillin")
    d = build_sections(build_draft(note.response, text)).as_json()
    # no penicillin allergy; only the "no known drug allergies" said is shown
    assert [i["text"] for i in items(d, "Allergies")] == ["No known drug allergies"]


def test_the_drug_class_data_names_its_source_and_maps_members() -> None:
    assert class_of("amoxicillin") == "penicillins"
    assert class_of("Bactrim") == "sulfonamides"
    assert classes().aliases["sulfa"] == "sulfonamides"
    assert classes().aliases["nsaids"] == "nsaids"
    assert class_of("metformin") is None


@both[0]
@both[1]
def test_a_dose_change_said_under_a_condition_is_a_plan_never_the_rows_dose(backend: str, form: str) -> None:
    text = "Continue metformin 500 mg by mouth twice daily, and if sugars are high increase to 1000 mg."
    d = drafted(
        text,
        lambda n: n.med("metformin", STRENGTH="500 mg", ROUTE_OR_MODE="by mouth", FREQUENCY="twice daily"),
        backend,
        form,
    )
    row = item(d, "Medications", "metformin")
    assert row["text"] == "metFORMIN 500 mg by mouth twice daily"  # Tall Man lettering (FDA/ISMP)
    assert "increase to 1000 mg" in texts(d, "Plan and conditional")
