"""UnmappedAttributes (a dose, route or frequency whose drug was not recognised) -> flagged rows."""

from __future__ import annotations

from collections.abc import Iterable

from medscribe.logic.document.context import ATTRIBUTE_WORDS, DraftContext
from medscribe.logic.document.evidence import Span
from medscribe.logic.document.medications import MED_ATTRIBUTE_TYPES, Fields, blank_cells, prescription
from medscribe.logic.document.model import PrescriptionRow
from medscribe.shapes import Attribute


def orphans(ctx: DraftContext, unmapped: Iterable[Attribute]) -> list[PrescriptionRow]:
    """UnmappedAttributes (a dose whose drug was not recognised): one flagged row per sentence."""
    by_sentence: dict[Span | None, list[Attribute]] = {}
    for attribute in unmapped:
        said_spans = ctx.conditional_spans + [(t.begin, t.end) for t in ctx.tapers.values()]
        if any(b <= attribute.BeginOffset and attribute.EndOffset <= e for b, e in said_spans):
            continue  # a conditional change's amount (under Plan) or a taper's step (on its row)
        if attribute.Type in MED_ATTRIBUTE_TYPES:
            by_sentence.setdefault(ctx.sentence(attribute.BeginOffset), []).append(attribute)
    rows = []
    for span, attributes in by_sentence.items():
        if span is not None:
            ctx.medication_sentences.add(span)
        fields: Fields = {}
        for a in sorted(attributes, key=lambda a: a.BeginOffset):
            ctx.flag_item(
                "ORPHAN_ATTRIBUTE", a, f"{ATTRIBUTE_WORDS[a.Type]} “{a.Text}” with no medication identified"
            )
            fields.setdefault(a.Type, []).append(ctx.value(a, "unidentified medication"))
        first = attributes[0]
        blank_cells(ctx, "unidentified medication", fields, first.Id, first.BeginOffset, first.EndOffset)
        evidence = ctx.evidence(first, min(a.Score for a in attributes))
        row = prescription("", fields, (evidence,), (), True)
        spans = tuple((a.BeginOffset, a.EndOffset) for a in attributes)
        rows.append(row.model_copy(update={"ids": tuple(a.Id for a in attributes), "spans": spans}))
    return rows
