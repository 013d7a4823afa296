"""A maximum dose is a limit on the row, not a second dose (issue 15: "a dose is never misread silently").

"Paracetamol 1 g four times a day as required, maximum 4 g in 24 hours", "salbutamol two puffs when needed, max
eight puffs a day", "co-codamol two tablets up to four times a day, not to exceed 8 tablets in 24 hours": the
amount after a limit cue ("max", "maximum (dose) of", "not to exceed", "no more than", "up to a maximum of") is
the most that may be taken in the period said after it. It is shown as the row's qualifier ("max 4 g in 24
hours"), never as the dose, and the period words after it ("a day", "in 24 hours") are not the row's
frequency. Without a period said, the limit is still a limit ("maximum 4 tablets"): shown as "max 4 tablets".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CUE_BEFORE = re.compile(
    r"\b(?:max(?:imum)?|not\s+(?:to\s+)?(?:exceed|more\s+than)|no\s+more\s+than|up\s+to\s+a\s+max(?:imum)?)"
    r"(?:\s+(?:total\s+)?(?:daily\s+)?(?:dose\s+)?(?:of\s+)?)?\s*$",
    re.IGNORECASE,
)
_PERIOD_AFTER = re.compile(
    r"\s*(?:(?:in|per|a|an|each|every|within|over)\s+(?:any\s+|one\s+)?)?"
    r"(?:24\s*(?:h|hrs?|hours?)|twenty[\s-]four\s+hours|days?|weeks?)\b|\s*daily\b",
    re.IGNORECASE,
)
_REACH = 40  # characters before the amount a cue may stand ("maximum total daily dose of ")


@dataclass(frozen=True)
class Limit:
    period: str  # the period words as said ("in 24 hours", "a day"), "" when none
    end: int  # where the limit's words end: a frequency before here is the limit's period


def limit_at(text: str, begin: int, end: int) -> Limit | None:
    """The limit the amount at ``text[begin:end]`` is, or None when it is a dose."""
    if _CUE_BEFORE.search(text, max(0, begin - _REACH), begin) is None:
        return None
    period = _PERIOD_AFTER.match(text, end)
    if period is None:
        return Limit("", end)
    return Limit(" ".join(period.group(0).split()), period.end())
