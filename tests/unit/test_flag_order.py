"""An item's flags come most serious first (:mod:`medscribe.logic.document.flag_order`): a reason that says the row
may not be the patient's current fact before one that says what is merely missing (a blank cell)."""

from __future__ import annotations

from typing import get_args

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.logic.document.flag_kinds import FlagKind
from medscribe.logic.document.flag_order import RANK, most_serious_first, rank
from medscribe.logic.document.sections import ELSEWHERE
from medscribe.textdraft import draft_sections


def _kinds(kind: object) -> set[str]:
    args = get_args(kind)
    return {kind} if isinstance(kind, str) else {k for a in args for k in _kinds(a)}


def test_every_flag_kind_has_a_rank() -> None:
    kinds = _kinds(FlagKind) | {kind for kind, _ in ELSEWHERE.values()} | {"REVIEW"}
    assert kinds - set(RANK) == set()


def test_the_order_is_stable_within_a_rank() -> None:
    assert most_serious_first(["BLANK_CELL", "LOOK_ALIKE", "SOUND_ALIKE", "NEGATION"]) == [
        "NEGATION",
        "LOOK_ALIKE",
        "SOUND_ALIKE",
        "BLANK_CELL",
    ]
    assert rank("NOT_VERIFIED_CURRENT") < rank("DOSE_RANGE") < rank("BLANK_CELL")


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_a_row_s_real_problem_comes_before_its_blank_cell(form: str) -> None:
    # Given a drug said to have caused a reaction before, with no dose (a blank cell, raised first)
    text = "Knee pain. Paracetamol 1 g four times a day. Naproxen caused indigestion before."
    said = text if form == "punctuated" else recogniser_form(text)
    medications = next(s for s in draft_sections(said)["sections"] if s["title"] == "Medications")
    (row,) = [i for i in medications["items"] if i.get("name") == "naproxen"]
    # Then its first flags and reasons name the doubt that it is taken (an intolerance, also listed under
    # Allergies), the blank cell last
    assert row["flags"] == ["ALLERGY", "NOT_VERIFIED_CURRENT", "BLANK_CELL"]
    assert "Allergies" in row["reasons"][0]
    assert "NOT_TAKING" in row["reasons"][1]
    assert "no dose" in row["reasons"][2]
    # and every item's flags are in rank order
    for section in draft_sections(said)["sections"]:
        for item in section["items"]:
            ranks = [rank(k) for k in item.get("flags", [])]
            assert ranks == sorted(ranks), item
