"""Conformance of the offline detector with Comprehend Medical's DetectEntitiesV2 conventions.

The notes and their expected entities are in ``data/conformance_notes.json`` (our own texts, written in the
styles of AWS's documented examples: terse problem lists, exam sections, med lists with Latin abbreviations;
conventions listed in the file). Scoring: ``medscribe.offline.ner.conformance``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner.conformance import Tally, evaluate, load_notes

DATA = Path(__file__).parent / "data" / "conformance_notes.json"
GOALS = {"MEDICATION": 0.95, "MEDICAL_CONDITION": 0.8, "ANATOMY": 0.7, "TIME_EXPRESSION": 0.7}
PRECISION_GOAL = 0.9


@pytest.fixture(scope="module")
def tally() -> Tally:
    notes = load_notes(DATA)
    return evaluate(notes, OfflineEntityDetector().detect_entities)


def test_the_set_has_at_least_fifteen_notes_covering_every_category() -> None:
    notes = load_notes(DATA)
    assert len(notes) >= 15
    for category in GOALS:
        assert sum(len(n[category]) for n in notes) >= 8, category


@pytest.mark.parametrize("category", list(GOALS))
def test_recall_and_precision_meet_the_goal(tally: Tally, category: str) -> None:
    # Given the conformance notes / When the offline detector reads them
    # Then each category's recall and precision meet the goal (the misses are printed on failure)
    report = tally.table() + "\n" + "\n".join(m for m in tally.misses if f" {category} " in m)
    assert tally.recall(category) >= GOALS[category], report
    assert tally.precision(category) >= PRECISION_GOAL, report


def test_medication_attributes_are_typed_as_aws_types_them(tally: Tally) -> None:
    # Given the notes that list their medication attributes (DOSAGE vs STRENGTH, FORM, DURATION, RATE, ...)
    # Then every listed attribute is found with its AWS Type, and no other attribute is linked to those drugs
    report = tally.table() + "\n" + "\n".join(m for m in tally.misses if " ATTRIBUTE " in m)
    assert tally.tp["ATTRIBUTE"] >= 15, report
    assert tally.recall("ATTRIBUTE") >= 0.95, report
    assert tally.precision("ATTRIBUTE") >= PRECISION_GOAL, report
