"""UnmappedAttributes (a dose, route or frequency whose drug was not recognised) -> flagged rows."""

from __future__ import annotations

from collections.abc import Iterable

from medscribe.logic.document.context import ATTRIBUTE_WORDS, DOSE_TYPES, DraftContext
from medscribe.logic.document.dosechange import find_change
from medscribe.logic.document.evidence import Span
from medscribe.logic.document.medication_rows import MED_ATTRIBUTE_TYPES, Fields, blank_cells, prescription
from medscribe.logic.document.model import PrescriptionRow
from medscribe.shapes import Attribute


def orphans(ctx: DraftContext, unmapped: Iterable[Attribute]) -> list[PrescriptionRow]:
    """UnmappedAttributes (a dose whose drug was not recognised): one flagged row per sentence."""
    by_sentence: dict[Span | None, list[Attribute]] = {}
    for attribute in unmapped:
        said_spans = (
            ctx.conditional_spans + ctx.change_spans + [(t.begin, t.end) for t in ctx.tapers.values()]
        )
        if any(b <= attribute.BeginOffset and attribute.EndOffset <= e for b, e in said_spans):
            continue  # a conditional change's amount (under Plan), a change's (on its row), a taper's step
        if attribute.Type in MED_ATTRIBUTE_TYPES:
            by_sentence.setdefault(ctx.sentence(attribute.BeginOffset), []).append(attribute)
    rows = []
    for span, attributes in by_sentence.items():
        if span is not None:
            ctx.medication_sentences.add(span)
        fields: Fields = {}
        attributes = sorted(attributes, key=lambda a: a.BeginOffset)
        for a in attributes:
            fields.setdefault(a.Type, []).append(ctx.value(a, "unidentified medication"))
        first = attributes[0]
        _flag_orphan(ctx, attributes)
        if span is not None and not _unattached_change(ctx, span):
            _unattached_dose(ctx, [a for a in attributes if a.Type in DOSE_TYPES])
        blank_cells(ctx, "unidentified medication", fields, first)
        evidence = ctx.evidence(first, min(a.Score for a in attributes))
        row = prescription("", fields, (evidence,), (), True)
        spans = tuple((a.BeginOffset, a.EndOffset) for a in attributes)
        rows.append(row.model_copy(update={"ids": tuple(a.Id for a in attributes), "spans": spans}))
    return rows


def _flag_orphan(ctx: DraftContext, attributes: list[Attribute]) -> None:
    """ONE flag for the row, quoting every value said ("dose “36 mg”, frequency “each morning” with no medication
    identified"): the row is one thing to review, not one per cell. Located on the first value (the row holds
    every value's id); its score is the lowest."""
    first = attributes[0]
    said = ", ".join(f"{ATTRIBUTE_WORDS[a.Type]} “{a.Text}”" for a in attributes)
    ctx.flag(
        "ORPHAN_ATTRIBUTE",
        ", ".join(a.Text for a in attributes),
        f"{said} with no medication identified",
        score=min(a.Score for a in attributes),
        entity_id=first.Id,
        begin=first.BeginOffset,
        end=first.EndOffset,
    )


UNATTACHED_REACH = 200  # characters: how far after a drug a dose naming no drug still puts its row in doubt


def _unattached_dose(ctx: DraftContext, doses: list[Attribute]) -> None:
    """A dose said after a drug but not related to it ("gliclazide 80 mg. Take 1.5 tablets twice daily"): the
    drug's row may show the tablet strength, not the dose taken; it is flagged naming the dose said."""
    if not doses:
        return
    first = doses[0]
    before = [(b, e) for b, e in ctx.medication_spans if e <= first.BeginOffset]
    if not before or first.BeginOffset - max(before)[1] > UNATTACHED_REACH:
        return
    b, e = max(before)
    drug = " ".join(ctx.text[b:e].split())
    said = ", ".join(f"“{a.Text}”" for a in doses)
    ctx.flag(
        "DOSE_UNATTACHED",
        drug,
        f"{drug}: a dose said after it names no drug ({said}): the dose shown may be the tablet strength, "
        "not the dose taken, check",
        begin=b,
        end=e,
    )


def _unattached_change(ctx: DraftContext, span: Span) -> bool:
    """A dose change that names no drug ("Raise to 36 mg each morning"): the drug named last before it may
    now be at that dose; its row is flagged, naming the change, rather than shown as current."""
    change = find_change(ctx.text, span.begin, span.end)
    before = [(b, e) for b, e in ctx.medication_spans if e <= span.begin]
    if change is None or not change.change.new or not before:
        return False
    b, e = max(before)
    drug = " ".join(ctx.text[b:e].split())
    ctx.flag(
        "DOSE_CHANGE_UNATTACHED",
        drug,
        f"{drug}: a later dose change names no drug (“{change.change.phrase}”): the dose shown may not be "
        "the current one, check",
        begin=b,
        end=e,
    )
    return True
