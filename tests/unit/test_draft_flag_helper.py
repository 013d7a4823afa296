"""Every flag about a drafted item is made by the one helper, ``DraftContext.flag_item`` (issue 15: what the draft
cannot verify it flags, naming the reason). Self-corrections, a correction whose scope is unclear, doses said two
ways, blank cells, a count with no unit and a titration step were built by hand: their lines carried the reason
but not the detector's score every other item flag carries. Now each line names its reason and its score, and the
row it is about carries it. Both backends (offline detector, AWS-shaped DetectEntitiesV2), both written forms."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, Build, drafted, items


@dataclass(frozen=True)
class Case:
    text: str
    build: Build
    kind: str
    said: str  # words of the reason the line must hold


def _corrected_dose(n: AwsNote) -> None:
    n.med("Bisoprolol", FREQUENCY="once daily", ROUTE_OR_MODE="by mouth")
    e = n.entities[-1]
    first = n._attr("STRENGTH", "5 mg", e["EndOffset"], "MEDICATION", "STRENGTH")
    later = n._attr("STRENGTH", "2.5 mg", first["EndOffset"], "MEDICATION", "STRENGTH")
    e["Attributes"] += [first, later]


def _two_doses(n: AwsNote) -> None:
    n.med("Furosemide", STRENGTH="40 mg", FREQUENCY="once daily", ROUTE_OR_MODE="by mouth")
    n.med("Furosemide", after=20, STRENGTH="80 mg", FREQUENCY="once daily", ROUTE_OR_MODE="by mouth")


CASES = {
    "dose corrected": Case(
        "Bisoprolol 5 mg, sorry, 2.5 mg once daily by mouth.",
        _corrected_dose,
        "SELF_CORRECTION",
        "5 mg → 2.5 mg",
    ),
    "name corrected": Case(
        "Start amlodipine, no, I mean amitriptyline 10 mg at night by mouth.",
        lambda n: n.med("amlodipine").med(
            "amitriptyline", STRENGTH="10 mg", FREQUENCY="at night", ROUTE_OR_MODE="by mouth"
        ),
        "SELF_CORRECTION",
        "amlodipine → amitriptyline",
    ),
    "cue with nothing after it": Case(
        "Digoxin 125 micrograms once daily by mouth, sorry. Palpitations are better.",
        lambda n: n.med(
            "Digoxin", STRENGTH="125 micrograms", FREQUENCY="once daily", ROUTE_OR_MODE="by mouth"
        ).condition("Palpitations"),
        "CORRECTION_SCOPE_UNCLEAR",
        "do not say what it takes back",
    ),
    "two doses": Case(
        "Furosemide 40 mg once daily by mouth. Furosemide 80 mg once daily by mouth.",
        _two_doses,
        "CONTRADICTION",
        "(40 mg / 80 mg)",
    ),
    "blank cells": Case(
        "Ramipril 5 mg.", lambda n: n.med("Ramipril", STRENGTH="5 mg"), "BLANK_CELL", "no route"
    ),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES)
def test_a_flag_about_a_row_names_its_reason_and_score(backend: str, form: str, case: Case) -> None:
    # Given a dictation whose drug row the draft cannot state as said
    # When it is drafted
    d = drafted(case.text, case.build, backend, form)
    # Then the Needs review line of that kind quotes the reason and the detector's score
    lines = [i["text"] for i in items(d, "Needs review") if case.kind in i["flags"]]
    assert lines, items(d, "Needs review")
    assert all(case.said.lower() in line.lower() and "(score 0." in line for line in lines), lines
    # And the row it is about carries the flag and the same reason
    rows = [i for i in items(d, "Medications") if case.kind in i["flags"]]
    assert rows, items(d, "Medications")
    assert any(
        case.said.lower() in r.lower() and "(score 0." in r for i in rows for r in i.get("reasons") or []
    )


@pytest.mark.parametrize("form", FORMS)
def test_a_count_with_no_unit_and_a_titration_step_name_theirs(form: str) -> None:
    # Given a count said with no unit, and a titration step said for a dose (the offline path)
    for text, kind, said in (
        ("Metformin 500 mg 2 twice daily by mouth.", "DOSE_UNIT_UNSAID", "count said with no unit"),
        (
            "Gabapentin 300 mg at night by mouth, increase by 300 mg every three days.",
            "DOSE_TITRATION",
            "titration",
        ),
    ):
        d = drafted(text, lambda n: None, "offline", form)
        # Then its line names the reason and the score
        lines = [i["text"] for i in items(d, "Needs review") if kind in i["flags"]]
        assert lines, (text, items(d, "Needs review"))
        assert all(said in line and "(score 0." in line for line in lines), (text, lines)
