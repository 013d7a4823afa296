"""The ``dose_number_unclear`` guard: spoken numbers the transcript normalisation could not write with certainty.

:func:`medscribe.textnorm.read_numbers` leaves number words as said where they allow two readings before a count
("co codamol thirty over five hundred two tablets": 30/500 then 2 tablets, or 30/502 tablets) and reports them.
Reading the normalised transcript again finds the same spans (it is idempotent), so this guard needs nothing but
the text the entities were detected on. Each span becomes a ``DOSE_NUMBER_UNCLEAR`` flag quoting the words, on the
medication whose dose it is (the medication an attribute inside the span belongs to, else the one named just
before it), so that row is never stated as fact. docs/guards.md ("Spoken numbers run together").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from medscribe.logic.document.model import ReviewFlag

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput
    from medscribe.shapes import Entity
    from medscribe.spoken_numbers import UnclearNumber

REACH = 80  # characters back from the number words to the drug they follow (no sentence mark between)
_SENTENCE_END = re.compile(r"[.;!?]\s")


def dose_number_unclear(inp: GuardInput) -> list[ReviewFlag]:
    from medscribe.logic.document.guards import GuardSkipped

    try:  # text2num ships in the NLP layer; a draft built elsewhere says this check did not run
        from medscribe.textnorm import read_numbers
    except ImportError as exc:
        raise GuardSkipped("spoken numbers cannot be read here") from exc
    return [_flag(span, _medication(inp.entities, inp.text, span)) for span in read_numbers(inp.text).unclear]


def _flag(span: UnclearNumber, entity_id: int | None) -> ReviewFlag:
    joined, *others = span.readings
    alternatives = " or ".join(f"“{r}”" for r in others)
    return ReviewFlag(
        kind="DOSE_NUMBER_UNCLEAR",
        subject=span.said,
        message=f"the numbers said in “{span.said}” run together: “{joined}” or {alternatives}; check the dose",
        entity_id=entity_id,
        begin_offset=span.begin,
        end_offset=span.end,
    )


def _medication(entities: Sequence[Entity], text: str, span: UnclearNumber) -> int | None:
    medications = [e for e in entities if e.Category == "MEDICATION"]
    for entity in medications:
        if any(a.BeginOffset < span.end and span.begin < a.EndOffset for a in entity.Attributes):
            return entity.Id
    before = [
        e
        for e in medications
        if e.EndOffset <= span.begin
        and span.begin - e.EndOffset <= REACH
        and not _SENTENCE_END.search(text, e.EndOffset, span.begin)
    ]
    return max(before, key=lambda e: e.EndOffset).Id if before else None
