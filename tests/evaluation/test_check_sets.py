"""Every stored check set (a row of heldout_support.CHECK_SETS) is valid, never held out and as it was written: its
recogniser forms derived from the texts, split "tuning" and outside every tuning split, its size and references per
category exactly those it was committed with, every note expecting what the set scores, each structure it was written
for in enough notes; a time set's references date an entity of every kind and none starts in words said of no
medical event. What a set holds beyond these is checked in its own test_check_<set>.py."""

from __future__ import annotations

from collections import Counter

import pytest
from heldout_support import CHECK_SETS, DRAFTS, draft_check_set, entity_check_set

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import WHY_CATEGORY

SPECIALTIES = ["cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"]


def _notes(name: str) -> list[dict]:
    row = CHECK_SETS[name]
    if row.entity_only:
        return entity_check_set(DRAFTS / name, at_least=row.notes)
    return draft_check_set(name, at_least=row.notes)


def _with(test: str) -> list[str]:
    """The check sets whose row asks ``test`` (a field of :class:`CheckSet`) of them."""
    return [name for name, row in CHECK_SETS.items() if getattr(row, test)]


@pytest.mark.parametrize("name", list(CHECK_SETS))
def test_the_check_set_is_valid_never_held_out_and_as_written(name: str) -> None:
    row = CHECK_SETS[name]
    notes = _notes(name)
    assert len(notes) == row.notes
    if row.references:  # offsets give the texts; the references of each category, exactly
        assert entity_set.check(notes) == []
        assert entity_set.counted(notes) == row.references
    specialties = [n["specialty"] for n in notes]
    if row.one_specialty_a_note:
        assert len(set(specialties)) == len(notes)
    if row.specialties_in_turn:
        assert specialties == (SPECIALTIES * 3)[: len(notes)]
    assert row.specialties_among <= set(specialties)


@pytest.mark.parametrize("name", _with("each_note") + _with("references_only") + _with("known_whys"))
def test_every_note_expects_what_the_set_scores(name: str) -> None:
    row = CHECK_SETS[name]
    for note in _notes(name):
        expect = note["expect"]
        for lists in row.each_note:
            assert any(expect[k] for k in lists), (note["id"], lists)
        if row.references_only:
            assert {e["category"] for e in expect["entities"]} == {row.references_only}, note["id"]
        if row.known_whys:
            assert all(f["why"] in WHY_CATEGORY for f in expect["forbidden"]), note["id"]


@pytest.mark.parametrize("name", _with("hazards"))
def test_the_check_set_covers_each_structure_it_was_written_for(name: str) -> None:
    hazards = Counter(h for n in _notes(name) for h in n["hazards"])
    for said, least in CHECK_SETS[name].hazards.items():
        assert sum(hazards[h] for h in ((said,) if isinstance(said, str) else said)) >= least, said


@pytest.mark.parametrize("name", _with("dates_every_owner"))
def test_every_time_dates_an_entity_of_every_kind(name: str) -> None:
    times = [r for n in _notes(name) for r in n["expect"]["entities"]]
    assert all(r["Type"].startswith("TIME_TO_") and r["Attributes"] for r in times)
    assert {r["Type"] for r in times} == {
        "TIME_TO_DX_NAME",
        "TIME_TO_MEDICATION_NAME",
        "TIME_TO_TEST_NAME",
        "TIME_TO_PROCEDURE_NAME",
    }


@pytest.mark.parametrize("name", _with("no_reference"))
def test_words_said_of_no_medical_event_are_no_reference(name: str) -> None:
    notes = {n["id"]: n for n in _notes(name)}
    for nid, words in CHECK_SETS[name].no_reference.items():
        begin = notes[nid]["text"].index(words)
        assert not any(
            begin <= r["BeginOffset"] < begin + len(words) for r in notes[nid]["expect"]["entities"]
        ), nid
