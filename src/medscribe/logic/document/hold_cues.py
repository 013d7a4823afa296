"""The words just before a drug that stop or hold it ("hold", "stop", "change X to Y") and a pronoun after it that
does ("… stopped it"), each unless a negation or a passive or relative clause turns it away (for
:mod:`.mention_context`; the words themselves: :mod:`.stop_words`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from medscribe.logic.document.evidence import Span, word_end
from medscribe.logic.document.scope_words import ACTION
from medscribe.logic.document.stop_words import (
    ANAPHOR_WORDS,
    ANAPHORIC_STOP,
    CHANGE_BEFORE,
    CHANGED_TO,
    CORRECTION,
    HOLD_BEFORE,
    STOP_BEFORE,
)

if TYPE_CHECKING:
    from medscribe.logic.document.mention_context import ContextKind

NEAR = 60  # characters: a negation or "hold" just before


def back(sentence: Span, offset: int) -> int:
    """Where to start looking for the few words just before ``offset`` (never the whole sentence: recogniser
    text is one long sentence, and every mention would read all of it)."""
    return max(sentence.begin, offset - NEAR)


def changed_to(
    text: str, sentence: Span, begin: int, end: int, high: int, after: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """Where "change X to Y" begins and ends, when the drug at ``begin`` is X and another drug Y is named just
    after "to" (never "change the ramipril to 10 mg": a dose, not a drug, follows)."""
    cue = CHANGE_BEFORE.search(text, back(sentence, begin), begin)
    if cue is None or _NOT_BEFORE.search(text, back(sentence, cue.start()), cue.start()):
        return None
    to = CHANGED_TO.match(text, end, sentence.end)
    if (
        to is None
        or to.end() != high
        or high >= sentence.end
        or ACTION.search(to["gap"])
        or text[high : after[0][1]].lower() == text[begin:end].lower()
    ):
        return None
    return cue.start(), to.end()


def anaphoric(
    text: str, end: int, high: int, after: Sequence[tuple[int, int]], sentence_end: int
) -> tuple[ContextKind, int] | None:
    """(hold | stop, where its words end) when the drug's stretch says it is stopped or held by a pronoun."""
    for o in after:  # "Eliquis, sorry, apixaban …": the corrected name's stretch is this drug's too
        if o[0] != high or not CORRECTION.fullmatch(text, end, o[0]):
            break
        end = o[1]
        high = min([sentence_end, *(x[0] for x in after if x[0] >= o[1])])
    limit = min(high, word_end(text, end, ANAPHOR_WORDS))
    m = ANAPHORIC_STOP.search(text, end, limit)
    if (
        m is None
        or ACTION.search(text, end, m.start())
        or _NOT_BEFORE.search(text, max(0, m.start() - 12), m.start())
    ):
        return None
    said = " ".join(
        (m["done"] or m["after"] or m["verb"] or m["told"] or m["must"] or m["never"] or m["bare"])
        .lower()
        .split()
    )
    held = ("held", "paused", "pause", "hold", "withhold", "omit", "on hold")
    return ("hold" if said in held else "stop"), m.end()


def hold_or_stop_before(text: str, sentence: Span, head: int) -> re.Match[str] | None:
    """ "hold" or "stop" just before ``head``."""
    low = back(sentence, head)
    found = HOLD_BEFORE.search(text, low, head) or STOP_BEFORE.search(text, low, head)
    if found is not None and _NOT_BEFORE.search(text, low, found.start()):
        return None  # "do not stop aspirin", "has not stopped it": the drug goes on
    if (
        found is not None
        and re.match(r"(?:stopped|discontinued|ceased|finished|completed)\b", found.group(0), re.IGNORECASE)
        and _PASSIVE_BEFORE.search(text, low, found.start())
    ):
        # "that has been discontinued ramipril 5 mg", "after the oxycodone is finished paracetamol 1 g": a passive
        # stop has no object after it
        return None
    if (
        found is not None
        and found.re is STOP_BEFORE
        and found["never"]
        and _RELATIVE_BEFORE.search(text, low, found.start())
    ):
        return None  # "his diazepam, which she must not take propranolol 10 mg …": its object is the "which"
    return found


_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|is|are|has\s+been|have\s+been|had\s+been|being|been)\s+$", re.IGNORECASE
)
_RELATIVE_BEFORE = re.compile(r"\b(?:which|that)\s+(?:she|he|they|you|we|the\s+patient)\s+$", re.IGNORECASE)
_NOT_BEFORE = re.compile(r"\b(?:not|never|don'?t|doesn'?t|didn'?t|won'?t)\s+$", re.IGNORECASE)
