"""A measurement said as a number outside its reference range: flagged on its Tests row, and the finding it implies
shown under Problems, flagged as inferred from the value — never stated as a diagnosis.

The ranges are data (``data/reference_ranges.json``: each with its source and the date it was written): for vital
signs the NEWS2 band that scores 0 (adults) and NICE NG136's clinic threshold for blood pressure; for a child
(:func:`.value_reader.child_age`) only temperature, by NICE NG143 (38 °C or higher); for a few common laboratory
results the UK Pathology Harmony adult intervals, JBDS-IP / WHO for glucose. For each patient's TEST_NAME entity
whose name is one of a quantity's names (``sats``, ``blood pressure``, ``capillary glucose`` …):

- the value is read as said (:func:`.value_reader.read_value`): "38.9", "thirty eight point nine", "182/104",
  "182 over 104", "88 percent";
- its unit: one of the quantity's units, or none said and the value plausible in the usual unit (a temperature
  of 38.9 is °C). A unit of another quantity ("glucose 5 mg"), a value no plausible reading of the usual unit holds
  ("temperature 101", "blood glucose 240": °F? mg/dL?) or one number for a blood pressure is flagged
  ``VALUE_UNCLEAR``, never converted by a guess (a temperature said in °F is converted: its unit is said);
- outside the range: ``ABNORMAL_VALUE`` on the Tests row ("temperature 38.9 °C: abnormal: above 36.1-38.0 °C
  (NEWS2)"), the row's text carries "abnormal: above 36.1-38.0 °C (NEWS2)", and a Problems item names the finding
  ("raised temperature — inferred from temperature 38.9 °C, above 36.1-38.0 °C (NEWS2): a reading, not a stated
  diagnosis"), carrying the same flag — unless a current problem already names it ("fever", "hypertension").
  Inside it: nothing is added (a normal value stays unflagged).

A child's value of a quantity with no child range here is not assessed (no flag, no item): the adult ranges do not
apply and no single published band is held for every age.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from medscribe.logic.document.context import DraftContext
from medscribe.logic.document.flag_kinds import FlagKind
from medscribe.logic.document.model import ConditionItem, ProcedureItem
from medscribe.logic.document.value_reader import SaidValue, child_age, read_value
from medscribe.shapes import Entity

FAHRENHEIT = ("°f", "degrees f", "degrees fahrenheit", "fahrenheit", "f")
# unit words of no quantity here: said after a value, the unit is another quantity's, so the value is unclear
OTHER_UNITS = frozenset(
    {
        "mg",
        "mcg",
        "g",
        "kg",
        "ml",
        "l",
        "mg/dl",
        "mmol/mol",
        "kpa",
        "units",
        "iu",
        "nmol/l",
        "pmol/l",
        "u/l",
        "microgram",
        "micrograms",
        "milligrams",
        "grams",
        "litres",
        "liters",
        "cm",
        "mm",
        "ng/l",
        "µg/l",
    }
)


@dataclass(frozen=True)
class Band:
    low: float | None
    high: float | None
    low_source: str
    high_source: str
    unit: str
    said: tuple[str, str] = ("", "")  # the bounds as written in the data ("38.0", "111")

    def text(self) -> str:
        """ "36.1-38.0 °C", "the upper limit 89 mmHg", "the lower limit 96 %"."""
        low, high = self.said
        if self.low is not None and self.high is not None:
            return f"{low}\u2013{high} {self.unit}"  # an en dash
        return (
            f"the lower limit {low} {self.unit}"
            if self.low is not None
            else f"the upper limit {high} {self.unit}"
        )

    def sources(self) -> str:
        return ", ".join(dict.fromkeys(s for s in (self.low_source, self.high_source) if s))


@dataclass(frozen=True)
class Quantity:
    key: str
    unit: str
    units: dict[str, float]
    plausible: tuple[float, float]
    adult: Band
    child: Band | None
    findings: dict[str, tuple[str, tuple[str, ...]]]  # "above"/"below" -> (finding, terms a problem may say)


@dataclass(frozen=True)
class Reading:
    """One test's value against its band: ``direction`` "above" / "below" / "" (inside), or ``unclear`` set."""

    quantity: Quantity
    value: float | None
    band: Band | None
    direction: str = ""
    unclear: str = ""


@cache
def quantities() -> dict[str, Quantity]:
    """Every quantity by each of its names (lower case)."""
    raw = json.loads(
        resources.files("medscribe.logic.document")
        .joinpath("data", "reference_ranges.json")
        .read_text("utf-8")
    )
    out: dict[str, Quantity] = {}
    for key, q in raw["quantities"].items():
        quantity = Quantity(
            key=key,
            unit=q["unit"],
            units={k.lower(): float(v) for k, v in q["units"].items()},
            plausible=(float(q["plausible"][0]), float(q["plausible"][1])),
            adult=_band(q["adult"], q["unit"]),
            child=_band(q["child"], q["unit"]) if "child" in q else None,
            findings={d: (q[d]["finding"], tuple(q[d]["terms"])) for d in ("above", "below") if d in q},
        )
        out[key] = quantity
        for name in q["names"]:
            out[name.lower()] = quantity
    return out


def _band(b: dict[str, Any], unit: str) -> Band:
    return Band(
        low=b.get("low"),
        high=b.get("high"),
        low_source=b.get("low_source", b.get("source", "")) if "low" in b else "",
        high_source=b.get("high_source", b.get("source", "")) if "high" in b else "",
        unit=unit,
        said=(str(b.get("low", "")), str(b.get("high", ""))),
    )


def quantity_of(name: str) -> Quantity | None:
    """The quantity a test's name names: the whole name or its last words ("capillary blood glucose")."""
    words = " ".join(re.sub(r"[^\w+/ ]", " ", name.lower()).split()).split()
    table = quantities()
    for i in range(len(words)):
        q = table.get(" ".join(words[i:]))
        if q is not None:
            return q
    return None


def assess(quantity: Quantity, said: SaidValue, *, child: bool) -> list[Reading]:
    """The readings of one said value (two for a blood pressure): inside / above / below its band, or unclear."""
    band = quantity.child if child else quantity.adult
    if band is None:
        return []  # a child's value with no child range held: not assessed
    factor, unclear = _unit_factor(quantity, said.unit)
    if unclear:
        return [Reading(quantity, None, band, unclear=unclear)]
    pair = quantity.key == "systolic"
    if pair != (said.second is not None):
        why = "one number said for a blood pressure" if pair else "two numbers said"
        return [Reading(quantity, None, band, unclear=why)]
    first = round((said.first - 32) * 5 / 9, 1) if factor == 0 else said.first * (factor or 1.0)
    low, high = quantity.plausible
    if not low <= first <= high:  # no unit said and not the usual unit's, or a unit said with no such value
        why = "no unit said and" if factor is None else "as said,"
        return [
            Reading(
                quantity,
                None,
                band,
                unclear=f"{why} {said.first:g} is no usual {quantity.key} value in {quantity.unit}",
            )
        ]
    if not pair or said.second is None:
        return [_place(quantity, first, band)]
    diastolic = quantities()["diastolic"]
    return [_place(quantity, first, band), _place(diastolic, said.second * (factor or 1.0), diastolic.adult)]


def _unit_factor(quantity: Quantity, unit: str) -> tuple[float | None, str]:
    """(factor to the usual unit, or None when no unit was said, or 0 for °F; the reason when unclear)."""
    if not unit:
        return None, ""
    if quantity.key == "temperature" and any(unit == f or unit.startswith(f + " ") for f in FAHRENHEIT):
        return 0.0, ""  # before "degrees": "degrees fahrenheit"
    for said in sorted(quantity.units, key=len, reverse=True):
        if unit == said or unit.startswith(said + " ") or (said in ("%", "/min") and unit.startswith(said)):
            return quantity.units[said], ""
    first = unit.split()[0]
    others = (
        u for q in quantities().values() for u in q.units
    )  # whole: "a minute", never "a" ("a few hours")
    if first in OTHER_UNITS or any(unit == u or unit.startswith(u + " ") for u in others):
        return None, f"unit “{first}” is not a unit of {quantity.key}"
    return None, ""


def _place(quantity: Quantity, value: float, band: Band) -> Reading:
    value = round(value, 2)
    if band.low is not None and value < band.low:
        return Reading(quantity, value, band, "below")
    if band.high is not None and value > band.high:
        return Reading(quantity, value, band, "above")
    return Reading(quantity, value, band)


def abnormal_values(
    ctx: DraftContext,
    entities: Sequence[Entity],
    found: Sequence[ProcedureItem],
    problems: Sequence[ConditionItem],
) -> tuple[list[ProcedureItem], list[ConditionItem]]:
    """(the Tests rows, each abnormal one with its range said; the inferred Problems items). Flags raised:
    ``ABNORMAL_VALUE`` per value outside its band, ``VALUE_UNCLEAR`` per value whose unit or quantity is unclear."""
    child = child_age(ctx.text)
    stated = " ".join(p.name.lower() for p in problems)
    notes: dict[int, list[str]] = {}
    inferred: list[ConditionItem] = []
    for e in entities:
        # a NEGATION trait is not read: a value said right after the name is a reading that was taken ("held for
        # now sodium 128": the run-on's stop cue reaches the test, not the value)
        if e.Category != "TEST_TREATMENT_PROCEDURE" or e.Type != "TEST_NAME":
            continue
        quantity = quantity_of(e.Text)
        said = read_value(ctx.text, e.EndOffset) if quantity and ctx.at(e) else None
        if quantity is None or said is None:
            continue
        for r in assess(quantity, said, child=child):
            if r.unclear:
                _flag(
                    ctx,
                    "VALUE_UNCLEAR",
                    e,
                    f"{e.Text} “{said.said}”: {r.unclear}: not read, check the value and its unit",
                )
                continue
            if not r.direction or r.band is None or r.value is None:
                continue
            finding, terms = r.quantity.findings[r.direction]
            shown = f"{r.value:g} {r.quantity.unit}"
            part = f"{r.quantity.key} " if r.quantity.key in ("systolic", "diastolic") else ""
            abnormal = f"{part}abnormal: {r.direction} {r.band.text()} ({r.band.sources()})"
            notes.setdefault(e.Id, []).append(abnormal)
            _flag(
                ctx,
                "ABNORMAL_VALUE",
                e,
                f"{e.Text} {shown}: {abnormal.removeprefix(part)}: {finding}, inferred from the value",
            )
            if any(re.search(rf"\b{re.escape(t)}\b", stated) for t in terms) or finding in (
                i.name for i in inferred
            ):
                continue
            inferred.append(
                ConditionItem(
                    name=finding,
                    qualifiers=(
                        f"inferred from {e.Text} {said.said} {quantity.unit} ({r.direction} {r.band.text()}, "
                        f"{r.band.sources()}): "
                        "a reading, not a stated diagnosis",
                    ),
                    evidence=(ctx.evidence(e, e.Score),),
                    ids=(e.Id,),
                    spans=((e.BeginOffset, e.EndOffset),),
                )
            )
    rows = [
        p.model_copy(update={"qualifiers": (*p.qualifiers, *dict.fromkeys(notes[p.ids[0]]))})
        if p.ids and p.ids[0] in notes
        else p
        for p in found
    ]
    return rows, inferred


def _flag(ctx: DraftContext, kind: FlagKind, e: Entity, message: str) -> None:
    """A value flag on the test's words, located by its offsets; no recogniser score with it (the value's doubt is
    its band or unit, not the test name's score)."""
    ctx.flag(kind, e.Text, message, entity_id=e.Id, begin=e.BeginOffset, end=e.EndOffset)
