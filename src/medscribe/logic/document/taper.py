"""Tapers: a reducing (or stepping-up) course said as steps, read from the words after a medication mention.

- two or more amounts joined by "then" / "followed by" / "after that" ("40 mg for 5 days then 20 mg for 5
  days", "then go down to 20 mg"): every step is kept, in order, with its duration;
- a later step said with no unit ("30 mg for 3 days, then down to 20, then 10", "then 12 and a half for four
  weeks") takes the unit of the step before it, and the taper says so (``unit_unsaid``): the row is flagged
  DOSE_UNIT_UNSAID, never shown with a bare number nor cut short at the first step;
- a duration said once for the steps after the first ("then 20, then 10, each for 3 days") is each of theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from medscribe.logic.document.amounts import format_quantity, normalise_amount, parse_quantity
from medscribe.logic.document.dosechange import NUMBER, SCHEDULE_WORDS, TIMES, UNIT, Found

_DAYS = r"(?:days?|weeks?|nights?|months?)"
_DURATION = rf"(?:\s+(?:for|x|\u00d7|times)\s+(?P<days>(?:an?\s+)?{NUMBER}?\s*{_DAYS}\b))?"
_UNIT_STEP = re.compile(rf"\s*(?P<amount>{NUMBER}?\s*{UNIT}){SCHEDULE_WORDS}{_DURATION}", re.IGNORECASE)
# "then 20", "then a 100 at night", "then 12 and a half": a number with no unit (the transcript is normalised,
# so spoken numbers are digits), never a duration, a count or a ratio
_BARE_STEP = re.compile(
    r"\s*(?:a\s+)?(?P<number>\d+(?:\.\d+)?(?:\s+and\s+a\s+half)?)\b"
    r"(?!\s*(?:[%/:.]\d|%|days?\b|weeks?\b|nights?\b|months?\b|years?\b|hours?\b|minutes?\b|times\b|x\b|kg\b"
    r"|percent\b|over\b|out\s+of\b))"
    rf"{SCHEDULE_WORDS}{_DURATION}",
    re.IGNORECASE,
)
_THEN = re.compile(  # "then", "followed by", "then increase to", "then go down to": the next step of a schedule
    r"\s*,?\s*(?:and\s+)?(?:then|followed\s+by|after\s+that)\s+"
    r"(?:(?:reduc|decreas|drop|go\s+down|down|taper|increas|rais|go\s+up|up|titrat|bump)\w*\s+(?:(?:up|down)\s+)?to\s+)?",
    re.IGNORECASE,
)
_EACH = re.compile(rf"\s*,?\s*(?:each|both|all)\s+(?:for\s+)?(?P<days>{NUMBER}?\s*{_DAYS})\b", re.IGNORECASE)


@dataclass(frozen=True)
class TaperFound(Found):
    steps: tuple[str, ...]
    unit_unsaid: str = ""  # the unit a step said without one was given ("mg"), or ""


def find_taper(text: str, low: int, high: int) -> TaperFound | None:
    """Every step of a taper said in ``text[low:high]`` ("40 mg for 5 days then 20 mg for 5 days")."""
    for first in _UNIT_STEP.finditer(text, low, high):
        if not first["amount"].strip() or normalise_amount(" ".join(first["amount"].split())).value is None:
            continue
        found = _steps_from(text, first, high)
        if found is not None:
            return found
    return None


def _steps_from(text: str, first: re.Match[str], high: int) -> TaperFound | None:
    amount = normalise_amount(" ".join(first["amount"].split())).value
    assert amount is not None
    unit = amount.split()[-1]
    steps: list[tuple[str, str | None]] = [(amount, _days(first["days"]))]
    end, borrowed, shared = first.end(), "", 0
    while (then := _THEN.match(text, end, high)) is not None:
        step = _UNIT_STEP.match(text, then.end(), high)
        if step is not None and step["amount"].strip():
            said = normalise_amount(" ".join(step["amount"].split())).value
            if said is None:
                break
            unit = said.split()[-1]
        else:
            step = _BARE_STEP.match(text, then.end(), high)
            if step is None:
                break
            said = normalise_amount(f"{step['number'].replace(' and a half', '.5')} {unit}").value
            if said is None:
                break
            borrowed = unit
        steps.append((said, _days(step["days"])))
        end = step.end()
        shared += step["days"] is None
    each = _EACH.match(text, end, high)
    if each is not None and shared:  # "then 20, then 10, each for 3 days"
        days = _days(each["days"])
        steps = [(a, d or (days if i else None)) for i, (a, d) in enumerate(steps)]
        end = each.end()
    if len(steps) < 2:
        return None
    shown = tuple(f"{a} {TIMES} {d}" if d else a for a, d in steps)
    return TaperFound(
        first.start() + len(first.group(0)) - len(first.group(0).lstrip()), end, shown, borrowed
    )


def _days(said: str | None) -> str | None:
    if not said:
        return None
    number, unit = said.rsplit(None, 1)
    q = Fraction(1) if number.lower() in ("a", "an") else parse_quantity(number)
    if q is None:
        return None
    unit = unit.lower().rstrip("s")
    return f"{format_quantity(q)} {unit}{'' if q == 1 else 's'}"
