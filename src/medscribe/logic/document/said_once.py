"""Each problem of a draft item said once: the last step of the draft's flags, after every guard ran.

A Medications row flagged for a named problem (whose, conditional, a contradiction, a dose said twice...) is
reviewed as a whole; its blank route or frequency cell, visible on the row itself, is then no problem of its own
and gets no "Needs review" line of its own. Only the route and frequency are left unsaid this way: a blank dose
cell stays flagged (it names the dose, which the row's other flag may not). A row with no other flag keeps its
BLANK_CELL flag whole, so no item is ever left unflagged here: the step only removes a flag from an item that
another flag keeps flagged.
"""

from __future__ import annotations

from collections.abc import Sequence

from medscribe.logic.document.medication_rows import blank_message
from medscribe.logic.document.model import Draft, PrescriptionRow, ReviewFlag

BLANK = "BLANK_CELL"
VISIBLE_CELLS = ("route", "frequency")  # a row's blank cells left unsaid when another flag is about the row


def said_once(draft: Draft) -> Draft:
    """``draft`` with the blank route / frequency of a row that another flag names left out of its flags."""
    flags = list(draft.flags)
    for row in draft.prescriptions:
        about = [f for f in flags if _about(f, row)]
        if not any(f.kind != BLANK for f in about):
            continue
        for blank in (f for f in about if f.kind == BLANK):
            kept = [c for c in _cells(blank) if c not in VISIBLE_CELLS]
            i = flags.index(blank)
            if kept:
                message = blank_message(blank.subject, kept)
                flags[i] = blank.model_copy(update={"message": message})
            else:
                del flags[i]
    if len(flags) == len(draft.flags) and all(a is b for a, b in zip(flags, draft.flags, strict=True)):
        return draft
    return draft.model_copy(update={"flags": tuple(flags)})


def _cells(flag: ReviewFlag) -> list[str]:
    """The cells a BLANK_CELL flag names ("x: no dose, route or frequency stated" -> dose, route, frequency)."""
    said = flag.message.rpartition(": no ")[2].removesuffix(" stated")
    return [c.strip() for c in said.replace(" or ", ", ").split(",") if c.strip()]


def _about(flag: ReviewFlag, row: PrescriptionRow) -> bool:
    """The flag is shown on the row (as the sections attach flags: by entity id, or inside a mention)."""
    return (flag.entity_id is not None and flag.entity_id in row.ids) or (
        flag.begin_offset is not None
        and flag.end_offset is not None
        and _inside(flag.begin_offset, flag.end_offset, row.spans)
    )


def _inside(begin: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(b <= begin and end <= e for b, e in spans)
