"""A side effect said of a drug in the past tense, with nothing said of its stop or its continuation ("statins gave
him muscle aches", "amlodipine caused ankle swelling last year", "ramipril made her cough").

The words say the drug did harm; they do not say whether it is still taken. The drug is listed under Allergies as an
intolerance (:mod:`.intolerance`: "side effect said"), and a row of it stated as current is flagged
NOT_VERIFIED_CURRENT naming the reaction, ALLERGY (an intolerance, for the list) and NOT_TAKING (it may have been
stopped) — never dropped silently nor kept silently. A stop said after it is :mod:`.intolerance`'s ("… so she stopped
it"); a continuation ("… but she continues it", "continue it") or a present tense ("amlodipine gives her ankle
swelling") keeps the row as it is.
"""

from __future__ import annotations

import re

from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.document.pronoun_stop import not_current

# the drug as the subject of a past-tense verb of causing, right after its name (its dose words between)
_CAUSED = re.compile(
    r"(?:\s+(?:\d[\w./%-]*|mg|micrograms?|mcg|g|ml|units?|once|twice|daily|tablets?)){0,4}"
    r"\s*,?\s*(?:(?:has|had)\s+)?(?P<verb>caused|gave\s+(?:him|her|them|me)|made\s+(?:him|her|them|me)"
    r"(?:\s+(?:feel|get))?|brought\s+on|triggered|led\s+to)\s+(?P<what>(?:[\w'-]+\s*){1,4})",
    re.IGNORECASE,
)
# said after it in the same sentence: a stop (.intolerance reads it), a continuation, a condition or a question
_THEN = re.compile(
    r"\b(?:stopped|stop|discontinued|ceased|withdrawn|switched|changed|swapped|came\s+off|taken\s+off|continue[sd]?"
    r"|still|remains?|tolerat\w*|settled\s+on|if|whether|unless)\b|\?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;!?\n](?!\d)")
_AFTER = 120  # characters after the drug read for a stop or a continuation


def side_effect(text: str, mention: tuple[int, int]) -> str:
    """The words that say the drug at ``mention`` caused a side effect, with no stop or continuation said after
    them in its sentence ("statins gave him muscle aches"), or ""."""
    m = _CAUSED.match(text, mention[1])
    if m is None:
        return ""
    end = _SENTENCE_END.search(text, m.end())
    rest = text[m.end() : min(end.start() if end else len(text), m.end() + _AFTER)]
    if _THEN.search(text[m.start() : m.end()] + " " + rest):
        return ""
    return " ".join(text[mention[0] : m.end()].split())


def flag(name: str, mention: tuple[int, int], said: str) -> ReviewFlag:
    why = (
        f"it is said to have caused a side effect (“{said}”): an intolerance for the ALLERGY list, and not said "
        "whether it is still taken: NOT_TAKING / PAST, check"
    )
    return not_current(name, mention, why)
