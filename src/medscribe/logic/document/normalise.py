"""Medication attribute text -> a normalised form shown beside the raw text.

Each function takes the attribute text exactly as detected (Comprehend Medical or the offline detector) and
returns a :class:`Normalised`: ``value`` is ``None`` when the text cannot be read with certainty. Nothing is
guessed: an unreadable attribute is kept raw and flagged by the draft builder, never dropped or misread.

- Quantities: digits, number words, decimals ("0.2", "zero point four"), mixed numbers and fractions
  ("1 and 1/2", "1 and 1 / 2", "one and a half", "1 1/2", "half a tablet"), ranges ("1 to 2", "1-2").
- Units: mg, mcg, g, mL, units, mEq, %, and forms (tablet, capsule, puff, drop, patch, spray...).
- Frequencies: Latin abbreviations (qd, bid, tid, qid, qhs, hs, prn, qod, q6h, q4-6h, ac, pc), "once daily",
  "two times a day", "every 8 hours", meal-linked times ("at breakfast daily", "with meals").
- Routes (po, by mouth, sl, iv, im, subq, inhaled, topical...), durations ("for 7 days", "x 2 weeks").

Split by responsibility: ``amounts`` (quantities, units, forms) and ``schedule`` (frequencies, routes,
durations); this module maps a DetectEntitiesV2 attribute type to its reader.
"""

from __future__ import annotations

from medscribe.logic.document.amounts import (
    Normalised,
    normalise_amount,
    normalise_form,
    parse_quantity,
)
from medscribe.logic.document.schedule import normalise_duration, normalise_frequency, normalise_route

__all__ = [
    "NORMALISERS",
    "Normalised",
    "normalise",
    "normalise_amount",
    "normalise_duration",
    "normalise_form",
    "normalise_frequency",
    "normalise_route",
    "parse_quantity",
]

NORMALISERS = {
    "STRENGTH": normalise_amount,
    "DOSAGE": normalise_amount,
    "FREQUENCY": normalise_frequency,
    "ROUTE_OR_MODE": normalise_route,
    "DURATION": normalise_duration,
    "FORM": normalise_form,
    "RATE": normalise_amount,
}


def normalise(attribute_type: str, text: str) -> Normalised:
    """The normaliser for a DetectEntitiesV2 medication attribute type (unknown types are not read)."""
    fn = NORMALISERS.get(attribute_type)
    return fn(text) if fn else Normalised(text, None)
