"""A prescription row from a drug's mentions (:mod:`.medications` decides which mentions are taken).

- the mentions' attributes are merged; two different doses, frequencies, routes or durations are a
  contradiction (flagged);
- a dose change replaces the row's dose with the new one (the old one shown as "was"); a taper's steps are the
  dose cell; a titration step is never the dose (flagged DOSE_TITRATION);
- blank dose / route / frequency cells are flagged, once per row (BLANK_CELL: "no route or frequency stated").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from medscribe.logic.document.barecount import count_after_strength, is_mass, unit_unsaid
from medscribe.logic.document.context import ATTRIBUTE_WORDS, DOSE_TYPES, QUALIFIER_TRAITS, DraftContext
from medscribe.logic.document.model import AttributeValue, DoseChange, Evidence, PrescriptionRow
from medscribe.logic.document.selfcorrect_cues import PLAIN_CUE
from medscribe.logic.document.unitdose import tablet_dose
from medscribe.shapes import Attribute, Entity

MED_ATTRIBUTE_TYPES = (*DOSE_TYPES, "FREQUENCY", "ROUTE_OR_MODE", "DURATION", "FORM")
Fields = dict[str, list[AttributeValue]]
Mention = tuple[Entity, Fields, Evidence]


def build_row(
    ctx: DraftContext, name: str, mentions: list[Mention], extra: tuple[str, ...] = ()
) -> PrescriptionRow:
    merged: Fields = {}
    for _, fields, _ in mentions:
        for kind, values in fields.items():
            merged.setdefault(kind, []).extend(values)
    merged = {k: _dedupe(v) for k, v in merged.items()}
    before = len(ctx.flags)
    first = mentions[0][0]
    change, taper = _change_and_taper(ctx, mentions, merged)
    if not change and not taper:
        _bare_counts(ctx, name, mentions, merged)
    unclear = None if change or taper else tablet_dose(merged)
    if unclear:
        ctx.flag_item("DOSE_STRENGTH_UNCLEAR", first, f"{name}: {unclear}: check", subject=name)
    for kind in ("STRENGTH", "DOSAGE", "FREQUENCY", "ROUTE_OR_MODE", "DURATION"):
        values = merged.get(kind, [])
        if len(values) > 1:
            shown = " / ".join(v.normalised or v.raw for v in values)
            ctx.flag_item(
                "CONTRADICTION",
                first,
                f"{name}: different {ATTRIBUTE_WORDS[kind]} mentioned ({shown}){_taken_back(ctx.text, mentions)}",
                subject=name,
            )
    blank_cells(ctx, name, merged, first, taper=bool(taper))
    qualifiers = tuple(
        dict.fromkeys(
            [label for m, _, _ in mentions for t, label in QUALIFIER_TRAITS.items() if t in ctx.traits(m)]
            + list(extra)
            + [v.normalised or v.raw for v in merged.get("LIMIT", [])]
        )
    )
    ids = {m.Id for m, _, _ in mentions} | {a.Id for m, _, _ in mentions for a in m.Attributes}
    flagged = len(ctx.flags) > before or any(f.entity_id in ids for f in ctx.flags)
    row = prescription(name, merged, tuple(dict.fromkeys(e for _, _, e in mentions)), qualifiers, flagged)
    return row.model_copy(
        update={
            "change": change,
            "taper": taper,
            "ids": tuple(sorted(ids)),
            "spans": mention_spans([m for m, _, _ in mentions]),
        }
    )


def _bare_counts(ctx: DraftContext, name: str, mentions: list[Mention], merged: Fields) -> None:
    """A count said with no unit ("500 mg 2 qds", :mod:`.barecount`): shown as said, the row flagged naming the
    dose. ``merged`` is updated in place."""
    said = [c for m, _, _ in mentions if (c := count_after_strength(ctx.text, m)) is not None]
    if said and not any(v.normalised == said[0].raw for v in merged.get("DOSAGE", [])):
        masses = [v for v in merged.get("DOSAGE", []) if is_mass(v)]  # "500 mg" typed DOSAGE: the strength
        merged["STRENGTH"] = [
            *merged.get("STRENGTH", []),
            *(m.model_copy(update={"type": "STRENGTH"}) for m in masses),
        ]
        merged["DOSAGE"] = [*(v for v in merged.get("DOSAGE", []) if not is_mass(v)), said[0]]
    merged["DOSAGE"], bare = unit_unsaid(merged.get("DOSAGE", []))
    if not bare:
        return
    first = mentions[0][0]
    strength = next((v.normalised for v in merged.get("STRENGTH", []) if v.normalised), "")
    dose = (
        f" (a dose of {bare[0]} times {strength} if {strength} is one tablet's strength)" if strength else ""
    )
    ctx.flag_item(
        "DOSE_UNIT_UNSAID",
        first,
        f"{name}: “{bare[0]}” is a count said with no unit: {bare[0]} of what{dose}? check the dose",
        subject=name,
    )


def _change_and_taper(
    ctx: DraftContext, mentions: list[Mention], merged: Fields
) -> tuple[DoseChange | None, tuple[str, ...]]:
    """The row's dose change ("from 25 to 50 mg": the new dose replaces the others, the old one is shown as
    "was") or taper (every step; the dose cell is the taper). ``merged`` is updated in place."""
    tapers = [ctx.tapers[m.Id] for m, _, _ in mentions if m.Id in ctx.tapers]
    if tapers:
        for kind in (*DOSE_TYPES, "DURATION"):
            merged.pop(kind, None)
        return None, tapers[-1].steps
    found = [ctx.changes[m.Id] for m, _, _ in mentions if m.Id in ctx.changes]
    if not found:
        return None, ()
    change = found[-1].change  # the last said is the instruction
    if not change.new:  # a titration step is no dose: flagged, shown beside the row, never as its dose
        said = _dose_before_the_step(mentions, merged, found[-1].begin)
        # the step's own interval ("every 3 days" of "reduce by 10 mg every 3 days") is shown in its words
        # (shown there, flagged DOSE_TITRATION: not also an unread schedule of the row)
        step_words = " ".join(change.phrase.lower().split())
        step_start = found[-1].begin
        own = [v for v in merged.pop("FREQUENCY", [])]
        shown = {v.raw for v in own if not v.normalised and " ".join(v.raw.lower().split()) in step_words}
        if kept := [v for v in own if v.raw not in shown]:
            merged["FREQUENCY"] = kept
        ctx.flags[:] = [
            f
            for f in ctx.flags
            if not (
                f.kind == "NOT_NORMALISED" and f.subject in shown and (f.begin_offset or -1) >= step_start
            )
        ]
        first = mentions[0][0]
        ctx.flag_item(
            "DOSE_TITRATION",
            first,
            f"{first.Text}: “{change.phrase}” is a titration step, not a dose: "
            + ("the dose shown is the one said before it, check" if said else "set the dose"),
        )
        return change, ()
    others = [v.normalised or v.raw for k in DOSE_TYPES for v in merged.get(k, [])]
    previous = change.previous or next((o for o in others if o != change.new), None)
    for kind in DOSE_TYPES:
        merged.pop(kind, None)
    merged["STRENGTH"] = [AttributeValue(type="STRENGTH", raw=change.new, normalised=change.new, score=1.0)]
    return change.model_copy(update={"previous": previous}), ()


def _dose_before_the_step(mentions: list[Mention], merged: Fields, step: int) -> bool:
    """Keep only the doses said before a titration step ("Lantus 18 units at night, increase by 2 units every 3
    days": 18 units; "40 mg daily, then reduce by 10 mg every 3 days, so 30 mg, 20 mg": 40 mg); ``merged`` is
    updated in place. True when a dose is left."""
    before = [
        " ".join(a.Text.split()).lower()
        for m, _, _ in mentions
        for a in m.Attributes
        if a.Type in DOSE_TYPES and a.EndOffset <= step
    ]
    for kind in DOSE_TYPES:
        raw = [(v, " ".join(v.raw.split()).lower()) for v in merged.pop(kind, [])]
        kept = [v for v, said in raw if any(b in said or said in b for b in before)]
        if kept:
            merged[kind] = kept
    return any(merged.get(kind) for kind in DOSE_TYPES)


def mention_spans(mentions: Sequence[Entity]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted({(m.BeginOffset, m.EndOffset) for m in mentions}))


_CONCENTRATION = re.compile(r"/\s*(?:\d+(?:\.\d+)?\s*)?(?:mL|L)$")


def is_concentration(v: AttributeValue) -> bool:
    """ "250 mg/5 mL": the strength of a liquid form, shown with the form; the dose is the volume taken."""
    return v.type == "STRENGTH" and _CONCENTRATION.search(v.normalised or "") is not None


def prescription(
    name: str, fields: Fields, evidence: tuple[Evidence, ...], qualifiers: tuple[str, ...], flagged: bool
) -> PrescriptionRow:
    return PrescriptionRow(
        name=name,
        form=(*fields.get("FORM", []), *(v for v in fields.get("STRENGTH", []) if is_concentration(v))),
        dose=tuple(v for k in (*DOSE_TYPES, "TOTAL") for v in fields.get(k, []) if not is_concentration(v)),
        route=tuple(fields.get("ROUTE_OR_MODE", [])),
        frequency=tuple(fields.get("FREQUENCY", [])),
        duration=tuple(fields.get("DURATION", [])),
        qualifiers=qualifiers,
        evidence=evidence,
        flagged=flagged,
    )


def blank_cells(
    ctx: DraftContext, name: str, fields: Fields, item: Entity | Attribute, *, taper: bool = False
) -> None:
    cells = {
        "dose": [v for k in DOSE_TYPES for v in fields.get(k, []) if not is_concentration(v)],
        "route": fields.get("ROUTE_OR_MODE", []),
        "frequency": fields.get("FREQUENCY", []),
    }
    blank = [cell for cell, values in cells.items() if not values and not (taper and cell == "dose")]
    if blank:  # one flag per row, naming every blank cell ("no route or frequency stated")
        ctx.flag_item("BLANK_CELL", item, blank_message(name, blank), subject=name)


def blank_message(name: str, cells: Sequence[str]) -> str:
    said = cells[0] if len(cells) == 1 else f"{', '.join(cells[:-1])} or {cells[-1]}"
    return f"{name}: no {said} stated"


def _taken_back(text: str, mentions: list[Mention]) -> str:
    """ "urea 25% cream, sorry, urea 10% cream": the drug said again after a take-back cue; which value was meant
    the row cannot say, so the flag names the correction ("" when no cue is said between two mentions)."""
    spans = sorted((m.BeginOffset, m.EndOffset) for m, _, _ in mentions)
    for (_, end), (begin, _) in itertools.pairwise(spans):
        cue = PLAIN_CUE.search(text, end, begin)
        if cue is not None:
            return (
                f"; a correction (“{cue.group(0)}”) is said between its mentions: the earlier value may be "
                "RETRACTED, check which was meant"
            )
    return ""


def _dedupe(values: list[AttributeValue]) -> list[AttributeValue]:
    seen: dict[str, AttributeValue] = {}
    for v in values:
        seen.setdefault((v.normalised or v.raw).lower(), v)
    return list(seen.values())
