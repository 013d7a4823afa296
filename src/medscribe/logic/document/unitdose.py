"""Doses said as a count of tablets: read exactly, or flagged naming the dose — never misread silently.

- **Adoption**: an amount, schedule or route the detector left unmapped (UnmappedAttributes) that follows a
  drug's own words with only "take" / "give" / ":" / "," between ("gliclazide 80 mg tablets: take one and a
  half tablets twice daily") is that drug's: the detector missed the relation, the words did not. Anything
  else between (a sentence end, another drug, other words) and it stays an orphan row.
- **Tablet counts**: a strength said as the strength of the form ("80 mg tablets") and a count of that form
  ("1.5 tablets") give the dose: "1.5 tablets = 120 mg", the strength shown with the form ("80 mg tablet").
  When the words do not say whether the strength is the tablet's or the dose ("bisoprolol 2.5 mg half a
  tablet"), the row is flagged DOSE_STRENGTH_UNCLEAR.
- **Unattached counts**: a dose left unmapped after a drug (not adopted) flags that drug's row
  DOSE_UNATTACHED: the dose shown may be the tablet strength, not the dose taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

from medscribe.logic.document.amounts import format_quantity
from medscribe.logic.document.model import AttributeValue
from medscribe.shapes import Attribute, Entity, UnmappedAttribute

ADOPTED_TYPES = ("STRENGTH", "DOSAGE", "FREQUENCY", "ROUTE_OR_MODE", "DURATION", "FORM")
# Between a drug's words and an amount or schedule that is still its own.
_GLUE = re.compile(
    r"[\s,:\-\u2013]*(?:(?:take|takes|taking|give|given|giving|use|sig|dose|dosage|at|a|of)\b[\s,:\-\u2013]*)*",
    re.IGNORECASE,
)
_FORM_AFTER = re.compile(r"\s*-?\s*(tablets?|tabs?|capsules?|caps?)\b", re.IGNORECASE)
_FORM_NAMES = {"tab": "tablet", "tabs": "tablet", "tablets": "tablet", "caps": "capsule", "cap": "capsule"}
_FORM_NAMES |= {"capsules": "capsule"}
_MASS = re.compile(r"(\d+(?:\.\d+)?) (mg|mcg|g|units|mL)")
_COUNT = re.compile(r"(\d+(?:\.\d+)?) (tablet|capsule)s?")


def form_after(text: str, end: int) -> str | None:
    """ "tablet" when a form word follows a strength ending at ``end`` ("80 mg tablets"), else None."""
    m = _FORM_AFTER.match(text, end)
    return _FORM_NAMES.get(m.group(1).lower(), m.group(1).lower()) if m else None


def adopt(
    text: str, entities: Sequence[Entity], unmapped: Sequence[UnmappedAttribute]
) -> tuple[list[Entity], list[UnmappedAttribute]]:
    """(entities with the unmapped attributes their words own, the attributes left unmapped)."""
    drugs = sorted(
        (e for e in entities if e.Category == "MEDICATION" and text[e.BeginOffset : e.EndOffset] == e.Text),
        key=lambda e: e.BeginOffset,
    )
    reach = {e.Id: max([e.EndOffset, *(a.EndOffset for a in e.Attributes if _at(text, a))]) for e in drugs}
    adopted: dict[int, list[Attribute]] = {}
    left: list[UnmappedAttribute] = []
    for u in sorted(unmapped, key=lambda u: u.Attribute.BeginOffset):
        a = u.Attribute
        before = [e for e in drugs if e.EndOffset <= a.BeginOffset]
        owner = before[-1] if before else None
        if (
            owner is None
            or a.Type not in ADOPTED_TYPES
            or not _at(text, a)
            or reach[owner.Id] > a.BeginOffset
            or _GLUE.fullmatch(text, reach[owner.Id], a.BeginOffset) is None
        ):
            left.append(u)
            continue
        adopted.setdefault(owner.Id, []).append(a)
        reach[owner.Id] = a.EndOffset
    out = [
        e.model_copy(update={"Attributes": [*e.Attributes, *adopted[e.Id]]}) if e.Id in adopted else e
        for e in entities
    ]
    return out, left


def _at(text: str, a: Attribute) -> bool:
    return text[a.BeginOffset : a.EndOffset] == a.Text


def tablet_dose(merged: dict[str, list[AttributeValue]]) -> str | None:
    """Read a count of tablets with the tablet's strength into the dose ("1.5 tablets = 120 mg"), updating
    ``merged`` in place; returns why the words cannot decide (to be flagged), else None."""
    amounts = [*merged.get("STRENGTH", []), *merged.get("DOSAGE", [])]  # backends type "80 mg" either way
    masses = [v for v in amounts if _MASS.fullmatch(v.normalised or "")]
    counts = [v for v in amounts if _COUNT.fullmatch(v.normalised or "")]
    if len(masses) != 1 or len(counts) != 1 or len(amounts) != 2:
        return None
    strength, count = masses[0], counts[0]
    mass = _MASS.fullmatch(strength.normalised or "")
    units = _COUNT.fullmatch(count.normalised or "")
    assert mass is not None
    assert units is not None
    n = Fraction(units.group(1))
    if strength.per != units.group(2):
        if n == 1:
            return None  # "10 mg, one tablet": the same dose whichever the strength is
        return (
            f"“{strength.normalised}” and “{count.normalised}”: the words do not say whether "
            f"{strength.normalised} is the {units.group(2)}'s strength (a dose of "
            f"{format_quantity(n * Fraction(mass.group(1)))} {mass.group(2)}) or the dose"
        )
    total = f"{format_quantity(n * Fraction(mass.group(1)))} {mass.group(2)}"
    merged["FORM"] = [
        AttributeValue(
            type="FORM",
            raw=f"{strength.raw} {units.group(2)}",
            normalised=f"{strength.normalised} {units.group(2)}",
            score=strength.score,
        )
    ]
    merged.pop("STRENGTH", None)
    merged["DOSAGE"] = [count]
    merged["TOTAL"] = [
        AttributeValue(
            type="TOTAL",
            raw=total,  # computed, not said: shown without a "(said …)"
            normalised=total,
            score=min(strength.score, count.score),
        )
    ]
    return None


# A fraction said near a drug: "take half daily", "one and a half", "1.5", "½" (not "half an hour", "1.5 weeks")
_FRACTION = re.compile(
    r"(?:\b(?:(?:\w+\s+and\s+)?(?:a\s+)?half|(?:a\s+)?quarter|\d+\.\d+)\b|\u00bd|\u00bc)"
    r"(?!\s*(?:an?\s+)?(?:hours?|days?|weeks?|months?|years?|minutes?|mins?|litres?|liters?|%|percent)\b)",
    re.IGNORECASE,
)
FRACTION_WINDOW_WORDS = 12  # how far after the drug a fraction is still read as its dose
# A decimal with a unit of mass or volume of its own ("bisoprolol from 2.5 mg", "digoxin 62.5 micrograms") is an
# amount the detector reads as some mention's (another drug's, or an orphan row's, itself flagged): not a part of
# this drug's amount left unread. A count ("1.5 tablets") stays read as a possible part of the dose.
_OWN_UNIT = re.compile(
    r"\s*(?:mg|mcg|micrograms?|milligrams?|g|grams?|ml|millilitres?|milliliters?)\b", re.IGNORECASE
)


def unread_fraction(
    text: str, entity: Entity, stretch: tuple[int, int], covered: Sequence[tuple[int, int]]
) -> re.Match[str] | None:
    """A fraction said within a few words of the drug ("take 1½ tablets of warfarin", "warfarin …, take half";
    inside ``stretch``: between the drugs before and after it) that none of ``covered`` (the drug's amounts,
    its change phrases) takes in: its dose may be misread."""
    window = re.match(
        rf"(?:\s*\S+){{0,{FRACTION_WINDOW_WORDS}}}", text[entity.EndOffset : entity.EndOffset + 200]
    )
    end = min(stretch[1], entity.EndOffset + (window.end() if window else 0))
    low = max(stretch[0], entity.BeginOffset - 80)  # a few words back, never the whole text (recogniser runs)
    before = re.search(rf"(?:\S+\s*){{0,{FRACTION_WINDOW_WORDS // 2}}}$", text[low : entity.BeginOffset])
    begin = low + (before.start() if before else entity.BeginOffset - low)
    for m in _FRACTION.finditer(text, begin, end):
        if m.group()[0].isdigit() and _OWN_UNIT.match(text, m.end()):
            continue
        if not any(b <= m.start() < e for b, e in covered):
            return m
    return None
