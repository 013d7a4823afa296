"""What the held-out batch tests share (PROCEDURE.md sections 2, 9 and 11): the corpus folder, the hazards every
set must cover, a draft holding nothing (every expected item an omission, so every note has findings) and the
validity checks of an entity tuning set, an entity check set and a draft check set."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes
from medscribe.evaluation.report import splits_of

DRAFTS = Path(__file__).resolve().parents[2] / "corpus" / "drafts"
# PROCEDURE.md section 2: the hazards every set must cover
HAZARDS = {
    "family",
    "other_person",
    "hypothetical",
    "dose_change",
    "range",
    "taper",
    "negation",
    "negation_unpunctuated",
    "allergy",
    "stopped",
    "look_alike",
    "sound_alike",
    "fraction",
    "unclear",
}


# the expectation lists of the headings other than a current problem or drug (denied, family, conditional, not taking,
# allergy): a note saying an item under one of them beside a current item can show an omission or a misplaced item
OTHER_HEADINGS = ("denied", "family_history", "conditional", "not_taking", "allergies")
# a time reference of a symptom that recurs at a habitual time ("at night", "most afternoons", "mid-morning", "each
# evening")
HABITUAL = {"every", "each", "most", "night", "mornings", "afternoons", "evenings", "mid-morning"}


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split()) + " "


def not_current(note: dict[str, Any]) -> list[str]:
    """The note's MEDICATION references that name none of its current prescriptions (a drug held before a procedure
    is not current): a stopped, tried, held, retracted, conditional, allergy, another person's or unclear drug, a
    class said in passing."""
    expect = note["expect"]
    held = {_words(f["name"]) for f in expect["forbidden"] if f["why"] == "held"}
    current = [_words(m["name"]) for m in expect["medications"] if _words(m["name"]) not in held]
    return [
        e["text"]
        for e in expect["entities"]
        if e["category"] == "MEDICATION"
        and not any(_words(e["text"]) in c or c in _words(e["text"]) for c in current)
    ]


def empty_draft(_: str) -> dict[str, Any]:
    """A draft holding nothing: every expected item of every note is an omission (a finding per note)."""
    return {"sections": [{"title": "Needs review", "items": [{"text": "Nothing flagged", "flags": []}]}]}


def assert_entity_tuning_split(notes: list[dict[str, Any]], split: str) -> None:
    """A stored entity tuning set is valid: recogniser forms derived from its texts, offsets giving its texts, every
    note of ``split`` (its own column), at least 24 notes, the procedure's specialties in turn."""
    assert len(notes) >= 24
    assert check_notes(notes) == []
    assert entity_set.check(notes) == []
    assert {n["split"] for n in notes} == {split}
    assert splits_of(notes) == ("dev", "final", split)
    specialties = ["cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"]
    assert [n["specialty"] for n in notes[:7]] == specialties


def draft_check_set(name: str, *, at_least: int = 0) -> list[dict[str, Any]]:
    """The notes of a draft check set (``corpus/drafts/<name>``), checked: recogniser forms derived from their texts,
    split "tuning" (no scorer treats it as held out), in no tuning split (so no tuning script reads or itemises it),
    at least ``at_least`` notes."""
    notes = load_notes(DRAFTS / name)
    assert check_notes(notes) == []
    assert {n["split"] for n in notes} == {"tuning"}
    assert len(notes) >= at_least
    assert all(Path(p).name != name for p in TUNING_SPLITS.values())
    return notes


def entity_check_set(path: Path, *, at_least: int) -> list[dict[str, Any]]:
    """The notes of an entity check set, checked: recogniser forms and offsets derived from their texts, entity-only
    (:func:`entity_set.check`), split "tuning" (no scorer treats it as held out), at least ``at_least`` notes."""
    notes = load_notes(path)
    assert check_notes(notes) == []
    assert entity_set.check(notes) == []
    assert {n["split"] for n in notes} == {"tuning"}
    assert len(notes) >= at_least
    return notes
