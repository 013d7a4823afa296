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

- Whose an item is (``SUBJECT_UNCLEAR``) is said once per item, not once per mention: the item's flags of that
  kind become one, naming each distinct reason once and how many mentions were flagged ("… (said of 2 mentions)").
  A flag shown on another item too is kept as it is (that item keeps its own line).

A flag is only ever removed from an item that another flag keeps flagged, so no item is left unflagged here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
    flags = whose_once(flags, _items(draft))
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


WHOSE = "SUBJECT_UNCLEAR"


def _items(draft: Draft) -> list[Located]:
    """Every drafted item a flag may be shown on, by its ids and mention spans."""
    groups: Sequence[Sequence[Any]] = (
        draft.prescriptions,
        draft.not_taking,
        draft.problems,
        draft.denied,
        draft.procedures,
        draft.allergies,
        draft.family_history,
        draft.other_people,
        draft.plan,
        draft.past_history,
    )
    return [(item.ids, item.spans) for group in groups for item in group]


def whose_once(flags: list[ReviewFlag], items: Sequence[Located]) -> list[ReviewFlag]:
    """One SUBJECT_UNCLEAR line per item: the item's whose-flags merged into the first, naming every distinct
    reason once and the number of mentions. A flag also shown on another item is left as it is."""
    for item in items:
        about = [f for f in flags if f.kind == WHOSE and _about(f, item)]
        alone = [f for f in about[1:] if not any(_about(f, other) for other in items if other is not item)]
        if not alone:
            continue
        merged = [about[0], *alone]
        reasons = list(dict.fromkeys(f.message for f in merged))
        message = "; also: ".join(reasons) + f" (said of {len(merged)} mentions)"
        first = flags.index(about[0])
        flags[first] = about[0].model_copy(update={"message": message})
        flags = [f for f in flags if not any(f is g for g in alone)]
    return flags
