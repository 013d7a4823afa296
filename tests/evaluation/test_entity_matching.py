"""Entity precision / recall compares distinct names per note and category (PROCEDURE.md section 6): a reference
names a drug, not a mention, so a drug said twice and referenced once is neither a false positive nor a miss."""

from __future__ import annotations

from typing import Any

from medscribe.evaluation.report import score_entities
from medscribe.offline.ner.conformance import Tally


def _note(*refs: tuple[str, str]) -> dict[str, Any]:
    return {"id": "n1", "expect": {"entities": [{"category": c, "text": t} for c, t in refs]}}


def _response(*found: tuple[str, str]) -> dict[str, Any]:
    return {"Entities": [{"Category": c, "Text": t, "Score": 0.9} for c, t in found]}


def _scored(note: dict[str, Any], response: dict[str, Any], **kw: bool) -> Tally:
    tally = Tally()
    score_entities(note, response, tally, **kw)
    return tally


def test_a_drug_said_twice_and_referenced_once_is_one_true_positive() -> None:
    # Given a note referencing sertraline once, and a detector returning both of its mentions (as AWS does)
    note = _note(("MEDICATION", "sertraline"))
    response = _response(("MEDICATION", "sertraline"), ("MEDICATION", "Sertraline"))
    # Then it is one true positive and no false positive
    tally = _scored(note, response)
    assert (tally.tp["MEDICATION"], tally.fp["MEDICATION"], tally.fn["MEDICATION"]) == (1, 0, 0)
    # And under the earlier per-mention rule the second mention was a false positive
    old = _scored(note, response, per_mention=True)
    assert (old.tp["MEDICATION"], old.fp["MEDICATION"]) == (1, 1)


def test_a_name_referenced_per_mention_and_found_once_is_not_a_miss() -> None:
    # Given a note whose author listed lithium once per mention, and a detector finding it once
    note = _note(("MEDICATION", "lithium"), ("MEDICATION", "lithium"))
    tally = _scored(note, _response(("MEDICATION", "lithium")))
    # Then the name is found: no false negative
    assert (tally.tp["MEDICATION"], tally.fn["MEDICATION"]) == (1, 0)


def test_other_names_still_count_as_errors_and_are_itemised() -> None:
    # Given a referenced drug that is missed and a predicted word in no reference (twice), in a note with no condition
    # references
    note = _note(("MEDICATION", "warfarin"), ("MEDICATION", "aspirin"))
    response = _response(
        ("MEDICATION", "aspirin"),
        ("MEDICATION", "dosette"),
        ("MEDICATION", "dosette"),
        ("MEDICAL_CONDITION", "cough"),
    )
    tally = _scored(note, response)
    # Then the miss and the extra name count once each, and both are itemised; the unreferenced category's extra
    # counts but is not itemised
    assert (tally.tp["MEDICATION"], tally.fp["MEDICATION"], tally.fn["MEDICATION"]) == (1, 1, 1)
    assert sorted(tally.misses) == ["n1 MEDICATION EXTRA dosette", "n1 MEDICATION MISSED warfarin"]
    assert tally.fp["MEDICAL_CONDITION"] == 1
