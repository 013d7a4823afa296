"""Attribute normaliser: a table of spoken/written attribute texts -> the normalised form (or unreadable)."""

from __future__ import annotations

import pytest

from medscribe.logic.document.normalise import normalise

TABLE = [
    # (attribute type, raw text, normalised or None = cannot be read with certainty)
    ("STRENGTH", "0.2 mgs", "0.2 mg"),
    ("STRENGTH", "zero point four mg", "0.4 mg"),
    ("STRENGTH", "40mg", "40 mg"),
    ("STRENGTH", "500 milligrams", "500 mg"),
    ("STRENGTH", "100 mcg", "100 mcg"),
    ("STRENGTH", "10 units", "10 units"),
    ("DOSAGE", "1 and 1 / 2 tabs", "1.5 tablets"),
    ("DOSAGE", "1 and 1/2 tablets", "1.5 tablets"),
    ("DOSAGE", "one and a half tablets", "1.5 tablets"),
    ("DOSAGE", "1 1/2 tabs", "1.5 tablets"),
    ("DOSAGE", "half a tablet", "0.5 tablet"),
    ("DOSAGE", "1/2 tab", "0.5 tablet"),
    ("DOSAGE", "1 to 2 tablets", "1-2 tablets"),
    ("DOSAGE", "one to two puffs", "1-2 puffs"),
    ("DOSAGE", "2 puffs", "2 puffs"),
    ("DOSAGE", "1 tablet", "1 tablet"),
    ("DOSAGE", "two caps", "2 capsules"),
    ("DOSAGE", "2 to 1 tablets", None),  # a backwards range is not a range
    ("DOSAGE", "ticket 5", None),
    ("DOSAGE", "some tablets", None),
    ("FREQUENCY", "qd", "once daily"),
    ("FREQUENCY", "bid", "twice daily"),
    ("FREQUENCY", "b.i.d.", "twice daily"),
    ("FREQUENCY", "tid", "three times daily"),
    ("FREQUENCY", "qid", "four times daily"),
    ("FREQUENCY", "qhs", "at bedtime"),
    ("FREQUENCY", "prn", "as needed"),
    ("FREQUENCY", "q6h", "every 6 hours"),
    ("FREQUENCY", "q4-6h", "every 4-6 hours"),
    ("FREQUENCY", "every eight hours", "every 8 hours"),
    ("FREQUENCY", "once daily", "once daily"),
    ("FREQUENCY", "two times daily", "twice daily"),
    ("FREQUENCY", "twice a day", "twice daily"),
    ("FREQUENCY", "at breakfast daily", "once daily with breakfast"),
    ("FREQUENCY", "daily with breakfast", "once daily with breakfast"),
    ("FREQUENCY", "with meals", "with meals"),
    ("FREQUENCY", "bid prn", "twice daily as needed"),
    ("FREQUENCY", "once elite", None),  # "once daily" misheard: never guessed
    ("FREQUENCY", "at night", "at night"),
    ("ROUTE_OR_MODE", "po", "by mouth"),
    ("ROUTE_OR_MODE", "by mouth", "by mouth"),
    ("ROUTE_OR_MODE", "sl", "sublingual"),
    ("ROUTE_OR_MODE", "subq", "subcutaneous"),
    ("ROUTE_OR_MODE", "inhaled", "inhaled"),
    ("ROUTE_OR_MODE", "by moth", None),
    ("DURATION", "for 7 days", "7 days"),
    ("DURATION", "x 2 weeks", "2 weeks"),
    ("DURATION", "for one week", "1 week"),
    ("DURATION", "for 1 to 2 weeks", "1-2 weeks"),
    ("DURATION", "for a while", None),
    ("FORM", "tablet", "tablet"),
    ("FORM", "caps", "capsule"),
    ("FORM", "inhaler", "inhaler"),
    ("FORM", "nasal spray", "nasal spray"),
    ("FORM", "thing", None),
    ("TEST_VALUE", "7.2", None),  # not a medication attribute: not read
]


@pytest.mark.parametrize(("kind", "raw", "expected"), TABLE, ids=[f"{k}:{r}" for k, r, _ in TABLE])
def test_attribute_is_normalised_or_marked_unreadable(kind: str, raw: str, expected: str | None) -> None:
    # Given an attribute's text, When normalised
    result = normalise(kind, raw)
    # Then the value is the expected one (None: unreadable, so the draft flags it), and the raw text is kept
    assert result.value == expected
    assert result.raw == raw
    assert result.ok is (expected is not None)
