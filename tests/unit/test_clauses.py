"""Clause-aware attribute linking: a medication's attribute is used only when it lies in the drug's clause.

Each case is a DetectEntitiesV2-shaped response (offsets into the text, as Comprehend Medical returns them)
in which the detector linked attributes to the drug, some of them wrongly (from another clause of the same
sentence). The draft must keep those out of the row and flag them (OTHER_CLAUSE), and keep the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from draft_notes import Note

from medscribe.logic.document import Draft, build_draft
from medscribe.logic.document.evidence import clause_breaks, linked


@dataclass(frozen=True)
class Case:
    text: str
    drug: str
    links: tuple[tuple[str, str], ...]  # (attribute type, text) the detector linked to the drug
    used: dict[str, tuple[str, ...]]  # row cell -> raw texts kept in the row
    flagged: tuple[str, ...] = ()  # attribute texts kept out and flagged OTHER_CLAUSE
    others: tuple[str, ...] = ()  # other drugs named in the text (MEDICATION entities of their own)


CASES = {
    "comma then denies": Case(
        "Fluticasone two times daily, denies cough at night.",
        "Fluticasone",
        (("FREQUENCY", "two times daily"), ("FREQUENCY", "at night")),
        {"frequency": ("two times daily",)},
        flagged=("at night",),
    ),
    "double dash then more dose": Case(
        "Clonidine 0.2 mgs -- 1 and 1 / 2 tabs po qhs.",
        "Clonidine",
        (("STRENGTH", "0.2 mgs"), ("DOSAGE", "1 / 2 tabs"), ("ROUTE_OR_MODE", "po"), ("FREQUENCY", "qhs")),
        {"dose": ("0.2 mgs", "1 and 1 / 2 tabs"), "route": ("po",), "frequency": ("qhs",)},
    ),
    "and denies without a comma": Case(
        "Metformin 500 mg by mouth twice daily and denies nausea in the morning.",
        "Metformin",
        (
            ("STRENGTH", "500 mg"),
            ("ROUTE_OR_MODE", "by mouth"),
            ("FREQUENCY", "twice daily"),
            ("FREQUENCY", "in the morning"),
        ),
        {"dose": ("500 mg",), "route": ("by mouth",), "frequency": ("twice daily",)},
        flagged=("in the morning",),
    ),
    "semicolon then reports": Case(
        "Lisinopril 10 mg by mouth daily; reports dizziness at bedtime.",
        "Lisinopril",
        (
            ("STRENGTH", "10 mg"),
            ("ROUTE_OR_MODE", "by mouth"),
            ("FREQUENCY", "daily"),
            ("FREQUENCY", "at bedtime"),
        ),
        {"dose": ("10 mg",), "route": ("by mouth",), "frequency": ("daily",)},
        flagged=("at bedtime",),
    ),
    "semicolon then more dose": Case(
        "Lisinopril 10 mg; 1 tab by mouth daily.",
        "Lisinopril",
        (("STRENGTH", "10 mg"), ("DOSAGE", "1 tab"), ("ROUTE_OR_MODE", "by mouth"), ("FREQUENCY", "daily")),
        {"dose": ("10 mg", "1 tab"), "route": ("by mouth",), "frequency": ("daily",)},
    ),
    "another drug in between": Case(
        "Aspirin 81 mg by mouth daily, metformin 500 mg by mouth twice daily.",
        "Aspirin",
        (
            ("STRENGTH", "81 mg"),
            ("ROUTE_OR_MODE", "by mouth"),
            ("FREQUENCY", "daily"),
            ("FREQUENCY", "twice daily"),
        ),
        {"dose": ("81 mg",), "route": ("by mouth",), "frequency": ("daily",)},
        flagged=("twice daily",),
        others=("metformin",),
    ),
    "before the drug across a comma": Case(
        "At bedtime, take amlodipine 5 mg by mouth.",
        "amlodipine",
        (("FREQUENCY", "At bedtime"), ("STRENGTH", "5 mg"), ("ROUTE_OR_MODE", "by mouth")),
        {"dose": ("5 mg",), "route": ("by mouth",), "frequency": ()},
        flagged=("At bedtime",),
    ),
    "before the drug in its clause": Case(
        "Take 2 tablets of Tylenol by mouth every 6 hours.",
        "Tylenol",
        (("DOSAGE", "2 tablets"), ("ROUTE_OR_MODE", "by mouth"), ("FREQUENCY", "every 6 hours")),
        {"dose": ("2 tablets",), "route": ("by mouth",), "frequency": ("every 6 hours",)},
    ),
    "contrast word": Case(
        "Warfarin 5 mg by mouth daily but 2.5 mg on weekends.",
        "Warfarin",
        (("STRENGTH", "5 mg"), ("ROUTE_OR_MODE", "by mouth"), ("FREQUENCY", "daily"), ("STRENGTH", "2.5 mg")),
        {"dose": ("5 mg",), "route": ("by mouth",), "frequency": ("daily",)},
        flagged=("2.5 mg",),
    ),
    "comma then a new subject": Case(
        "Gabapentin 300 mg by mouth three times daily, she has pain at night.",
        "Gabapentin",
        (
            ("STRENGTH", "300 mg"),
            ("ROUTE_OR_MODE", "by mouth"),
            ("FREQUENCY", "three times daily"),
            ("FREQUENCY", "at night"),
        ),
        {"dose": ("300 mg",), "route": ("by mouth",), "frequency": ("three times daily",)},
        flagged=("at night",),
    ),
    "parenthetical reason keeps the clause": Case(
        "Atorvastatin 40 mg, for cholesterol, by mouth at bedtime.",
        "Atorvastatin",
        (("STRENGTH", "40 mg"), ("ROUTE_OR_MODE", "by mouth"), ("FREQUENCY", "at bedtime")),
        {"dose": ("40 mg",), "route": ("by mouth",), "frequency": ("at bedtime",)},
    ),
    "relative clause about a past dose": Case(
        "Insulin glargine 10 units subcutaneously at bedtime, which was increased from 8 units.",
        "Insulin glargine",
        (
            ("DOSAGE", "10 units"),
            ("ROUTE_OR_MODE", "subcutaneously"),
            ("FREQUENCY", "at bedtime"),
            ("DOSAGE", "8 units"),
        ),
        {"dose": ("10 units",), "route": ("subcutaneously",), "frequency": ("at bedtime",)},
        flagged=("8 units",),
    ),
    # (issue 15: "then" after a dose is a taper, not a contradiction: the steps are the row's taper, in order)
    "taper after then stays (a taper, not a clause)": Case(
        "Prednisone 20 mg by mouth daily, then 10 mg by mouth daily.",
        "Prednisone",
        (("STRENGTH", "20 mg"), ("ROUTE_OR_MODE", "by mouth"), ("FREQUENCY", "daily"), ("STRENGTH", "10 mg")),
        {"dose": (), "route": ("by mouth",), "frequency": ("daily",)},
    ),
    "em dash then no": Case(
        "Hydrochlorothiazide 25 mg by mouth daily — no swelling in the morning.",
        "Hydrochlorothiazide",
        (
            ("STRENGTH", "25 mg"),
            ("ROUTE_OR_MODE", "by mouth"),
            ("FREQUENCY", "daily"),
            ("FREQUENCY", "in the morning"),
        ),
        {"dose": ("25 mg",), "route": ("by mouth",), "frequency": ("daily",)},
        flagged=("in the morning",),
    ),
    "duration with for stays": Case(
        "Amoxicillin 500 mg by mouth three times daily for 10 days, no rash.",
        "Amoxicillin",
        (
            ("STRENGTH", "500 mg"),
            ("ROUTE_OR_MODE", "by mouth"),
            ("FREQUENCY", "three times daily"),
            ("DURATION", "for 10 days"),
        ),
        {
            "dose": ("500 mg",),
            "route": ("by mouth",),
            "frequency": ("three times daily",),
            "duration": ("for 10 days",),
        },
    ),
}


def draft_of(case: Case) -> Draft:
    note = Note(case.text)
    note.drug(case.drug)
    note.entities[-1]["Attributes"] = [note.attribute(kind, text) for kind, text in case.links]
    for other in case.others:
        note.drug(other)
    return build_draft(note.response, note.text)


@pytest.mark.parametrize("name", list(CASES))
def test_attributes_from_another_clause_are_flagged_and_kept_out_of_the_row(name: str) -> None:
    # Given a DetectEntitiesV2 response whose drug carries attributes from its own and from other clauses
    case = CASES[name]
    # When drafted
    draft = draft_of(case)
    # Then the row holds exactly the attributes of the drug's clause
    (row,) = [r for r in draft.prescriptions if r.name == case.drug]
    cells = {"dose": row.dose, "route": row.route, "frequency": row.frequency, "duration": row.duration}
    for cell, expected in case.used.items():
        assert tuple(v.raw for v in cells[cell]) == expected, cell
    # And every attribute from another clause is flagged, by name, and nothing else is
    other_clause = [f for f in draft.flags if f.kind == "OTHER_CLAUSE"]
    assert tuple(f.subject for f in other_clause) == case.flagged
    assert all(f.message.startswith(f"{case.drug}: ") and "not used" in f.message for f in other_clause)
    if case.flagged:
        assert row.flagged


def test_a_taper_after_then_keeps_both_steps_in_order() -> None:
    (row,) = draft_of(CASES["taper after then stays (a taper, not a clause)"]).prescriptions
    assert row.taper == ("20 mg", "10 mg")


def test_clonidine_keeps_one_and_a_half_tablets_at_bedtime_by_mouth() -> None:
    draft = draft_of(CASES["double dash then more dose"])
    (row,) = draft.prescriptions
    assert [v.normalised for v in row.dose] == ["0.2 mg", "1.5 tablets"]
    assert [v.normalised for v in row.frequency] == ["at bedtime"]
    assert [v.normalised for v in row.route] == ["by mouth"]


def test_fluticasone_does_not_print_at_night_as_its_frequency() -> None:
    draft = draft_of(CASES["comma then denies"])
    (row,) = draft.prescriptions
    assert "at night" not in row.frequency_text
    assert row.frequency_text == "twice daily (said “two times daily”)"


def test_a_frequency_lost_to_another_clause_leaves_a_flagged_blank_cell() -> None:
    draft = draft_of(CASES["before the drug across a comma"])
    (row,) = draft.prescriptions
    assert row.frequency_text == "[blank: check]"
    assert row.flagged
    # the flag naming the lost frequency is the row's one line: no "no frequency stated" beside it (said once)
    assert [(f.kind, f.subject) for f in draft.flags] == [("OTHER_CLAUSE", "At bedtime")]
    assert "frequency “At bedtime” not used" in draft.flags[0].message


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        ("Fluticasone two times daily, denies cough at night.", [", denies"]),
        ("Clonidine 0.2 mgs -- 1 and 1 / 2 tabs po qhs.", []),
        ("Tylenol 1-2 tablets every 4-6 hours as needed.", []),
        ("Metformin 500 mg daily and denies nausea.", ["and denies"]),
        ("Warfarin 5 mg daily but 2.5 mg on weekends.", ["but"]),
        ("Lisinopril 10 mg; 1 tab daily, then 20 mg.", []),
    ],
)
def test_clause_breaks_are_found_where_a_new_clause_opens(text: str, breaks: list[str]) -> None:
    found = clause_breaks(text)
    assert [text[b : b + len(expected)] for b, expected in zip(found, breaks, strict=False)] == breaks
    assert len(found) == len(breaks)


def test_linked_spans_that_overlap_are_one_clause() -> None:
    text = "Tylenol500 mg, denies pain."
    assert linked(text, (0, 7), (0, 13)) is None
    assert linked(text, (0, 7), (22, 26)) == "it is in another clause"
