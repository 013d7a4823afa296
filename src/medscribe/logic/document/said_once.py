"""Each problem of a draft item said once: the last step of the draft's flags, after every guard ran.

- A Medications row flagged for a named problem (whose, conditional, a contradiction, a dose said twice...) is
  reviewed as a whole; what its own cells show already — a blank route or frequency, a form or duration printed
  as said with "(not understood)" — is then no problem of its own and gets no "Needs review" line. A blank dose
  cell stays said (it names the dose, which the row's other flag may not), and so does a dose, strength, route or
  frequency that could not be read. A row whose only other flag is an unread cell keeps that one, not its blank
  route / frequency.

- A row with no medication identified (an orphan dose, frequency… :mod:`.orphans`) is reviewed as a whole by its
  one ORPHAN_ATTRIBUTE line, which quotes every value said: its blank cells and its unread values are no problem of
  their own (the row prints an unread value as said, "(not understood: check)"), and get no line.

A flag is only ever removed from an item that another flag keeps flagged, so no item is left unflagged here.
"""

from __future__ import annotations

from collections.abc import Sequence

from medscribe.logic.document.medication_rows import blank_message
from medscribe.logic.document.model import Draft, ReviewFlag

BLANK = "BLANK_CELL"
UNREAD = "NOT_NORMALISED"
ORPHAN = "ORPHAN_ATTRIBUTE"
VISIBLE_CELLS = ("route", "frequency")  # a row's blank cells left unsaid when another flag is about the row
# unread cells the row prints as said, left unsaid beside a named problem: the form and the duration (an unread
# route or frequency, like an unread dose, is said whatever else flags the row: it changes what is given)
SHOWN_AS_SAID = ("form", "duration")

Located = tuple[Sequence[int], Sequence[tuple[int, int]]]


def said_once(draft: Draft) -> Draft:
    """``draft`` with the flags that repeat another flag's item and problem left out."""
    flags = list(draft.flags)
    for row in draft.prescriptions:
        about = [f for f in flags if _about(f, (row.ids, row.spans))]
        if not row.name and any(f.kind == ORPHAN for f in about):  # the orphan line says the row
            for flag in (f for f in about if f.kind in (BLANK, UNREAD)):
                flags.remove(flag)
            continue
        named = any(f.kind != BLANK and not _cell_only(f) for f in about)
        if not named and not any(f.kind == UNREAD for f in about):
            continue  # nothing but its blank cells (a blank dose among them): one flag, kept as it is
        # a named problem: every flag of what its cells show goes; only an unread cell: its blank cells go
        for flag in (f for f in about if f.kind == BLANK or (named and _cell_only(f))):
            i = flags.index(flag)
            kept = [c for c in _cells(flag) if c not in VISIBLE_CELLS] if flag.kind == BLANK else []
            if kept:
                flags[i] = flag.model_copy(update={"message": blank_message(flag.subject, kept)})
            else:
                del flags[i]
    if len(flags) == len(draft.flags) and all(a is b for a, b in zip(flags, draft.flags, strict=True)):
        return draft
    return draft.model_copy(update={"flags": tuple(flags)})


def _cell_only(flag: ReviewFlag) -> bool:
    """A flag about what the row's own cell shows: a blank route / frequency (BLANK_CELL) or a form or duration
    printed as said, not understood (NOT_NORMALISED)."""
    if flag.kind == BLANK:
        return all(c in VISIBLE_CELLS for c in _cells(flag))
    return flag.kind == UNREAD and any(f": {cell} “" in flag.message for cell in SHOWN_AS_SAID)


def _cells(flag: ReviewFlag) -> list[str]:
    """The cells a BLANK_CELL flag names ("x: no dose, route or frequency stated" -> dose, route, frequency)."""
    said = flag.message.rpartition(": no ")[2].removesuffix(" stated")
    return [c.strip() for c in said.replace(" or ", ", ").split(",") if c.strip()]


def _about(flag: ReviewFlag, item: Located) -> bool:
    """The flag is shown on the item (:meth:`.model.ReviewFlag.shown_on`)."""
    return flag.shown_on(*item)
