"""A count said with no count unit (issue 15): "paracetamol 500 mg 2 qds", "500 mg two four times a day".

The strength's unit closes it, so the numbers are certain (the recogniser's run-together form, "five hundred two
qds", is left as said by :func:`medscribe.textnorm.read_numbers` and flagged ``DOSE_NUMBER_UNCLEAR`` instead).
What is not certain is what the count counts: tablets, capsules, or a dose of twice the strength. So the count is
never dropped (the row would say 500 mg when 1000 mg is taken) and never given a unit the words did not say: it
is shown as said, ``500 mg (2 [unit not said])``, and the row is flagged ``DOSE_UNIT_UNSAID`` naming the dose.
A DOSAGE the detector returned as a bare number ("2") is read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.model import AttributeValue
from medscribe.shapes import Entity

UNSAID = "[unit not said]"
_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MASS = re.compile(
    r"\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)? ?(?:mg|mcg|micrograms?|g|ml|mL|units?|%)", re.IGNORECASE
)
_UNIT_END = re.compile(r"(?:mg|mcg|micrograms?|milligrams?|g|grams?|ml|mL|units?|%)$", re.IGNORECASE)
# A bare count right after a strength, then a frequency ("500 mg 2 qds", "500 mg 2 4 times a day")
_COUNT_THEN_FREQUENCY = re.compile(
    r"\s*,?\s*(?P<n>\d+(?:\.\d+)?|one|two|three|four|five|six)\s+(?=(?:od|bd|bid|tds|tid|qds|qid|nocte|mane|prn|daily|once|twice|every|each"
    r"|at\s+night|at\s+bedtime|in\s+the\s+(?:morning|evening)|\d+\s+times\b|(?:one|two|three|four|five|six)\s+times\b)\b)",
    re.IGNORECASE,
)


def count_after_strength(text: str, entity: Entity) -> AttributeValue | None:
    """The bare count said right after ``entity``'s strength and before a frequency, unless an attribute of the
    entity already holds it; None when there is none."""
    strengths = [
        a
        for a in entity.Attributes
        if a.Type in ("STRENGTH", "DOSAGE")
        and text[a.BeginOffset : a.EndOffset] == a.Text
        and _UNIT_END.search(a.Text.strip())
    ]
    if not strengths:
        return None
    last = max(strengths, key=lambda a: a.EndOffset)
    m = _COUNT_THEN_FREQUENCY.match(text, last.EndOffset)
    if m is None or any(a.BeginOffset <= m.start("n") < a.EndOffset for a in entity.Attributes):
        return None
    n = _WORDS.get(m["n"].lower(), m["n"])
    return AttributeValue(type="DOSAGE", raw=n, normalised=f"{n} {UNSAID}", score=last.Score)


def is_mass(v: AttributeValue) -> bool:
    """A strength with its unit ("500 mg"), however the detector typed it."""
    return bool(_MASS.fullmatch((v.normalised or "").strip()))


def unit_unsaid(values: Sequence[AttributeValue]) -> tuple[list[AttributeValue], list[str]]:
    """(the dose values with each bare count shown as said with no unit, the bare counts)."""
    out, bare = [], []
    for v in values:
        if v.type == "DOSAGE" and _NUMBER.fullmatch((v.normalised or "").strip()):
            bare.append(v.normalised or v.raw)
            v = v.model_copy(update={"normalised": f"{v.normalised} {UNSAID}"})
        elif v.type == "DOSAGE" and (v.normalised or "").endswith(UNSAID):
            bare.append((v.normalised or "").removesuffix(UNSAID).strip())
        out.append(v)
    return out, bare
