"""Dose changes and tapers, read from the words around a medication mention (either backend).

- **Change**: a change verb ("increase", "raise", "decrease", "reduce", "lower", "titrate", "change", "go up",
  …) then "from A to B" or "to B <unit>" in the mention's stretch of text (between the drugs before and after
  it). The row shows B with "(was A: dose increased)"; the detector's dose attributes inside the phrase (a
  "25 to 50 mg" range, or 25 mg and 50 mg) are the change's, not the row's.
- **Taper**: :mod:`.taper`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from medscribe.logic.document.amounts import normalise_amount, parse_quantity
from medscribe.logic.document.model import DoseChange

_NUMBER = (
    r"(?:\d+(?:\.\d+)?|\.\d+|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|half|a\s+half|and|point|[\s-])+)"
)
_UNIT = (
    r"(?:milligrams?|mgs?|micrograms?|mcgs?|µg|grams?|g|milliliters?|millilitres?|mls?|units?|iu|meq"
    r"|tabs?|tablets?|caps?|capsules?|puffs?|drops?)\b"
)
_UP = r"increas\w*|rais\w*|up-?titrat\w*|uptitrat\w*|go(?:es|ing)?\s+up|went\s+up|bump\w*|doubl\w*"
_DOWN = r"decreas\w*|reduc\w*|lower\w*|cut|cutting|drop\w*|go(?:es|ing)?\s+down|went\s+down|wean\w*|halv\w*"
_OTHER = r"titrat\w*|chang\w*|adjust\w*|switch\w*|mov\w*"
_VERB = re.compile(rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN})|(?P<other>{_OTHER}))\b", re.IGNORECASE)
_FROM_TO = re.compile(
    rf"\bfrom\s+(?P<a>{_NUMBER}?)\s*(?P<ua>{_UNIT})?\s*(?:(?:up|down)\s+)?to\s+(?P<b>{_NUMBER}?)\s*(?P<ub>{_UNIT})",
    re.IGNORECASE,
)
_TO = re.compile(rf"\b(?:(?:up|down)\s+)?(?:to|towards)\s+(?P<b>{_NUMBER}?)\s*(?P<ub>{_UNIT})", re.IGNORECASE)
_MAX_GAP_WORDS = 8  # from the verb to its "from … to …"
# a number (and its unit) right before "to B" with no "from": the first end of a range ("4 to 8 units")
_RANGE_START = re.compile(rf"(?<!\bfrom\s)\b\d+(?:\.\d+)?\s*(?:{_UNIT})?\s*$", re.IGNORECASE)
TIMES = "\u00d7"  # the multiplication sign of "40 mg \u00d7 5 days"
_SCHEDULE_WORDS = (
    r"(?:\s+(?:by\s+mouth|orally|po|once|twice|daily|a\s+day|per\s+day|each\s+day|every\s+morning"
    r"|in\s+the\s+(?:morning|evening)|at\s+night|at\s+bedtime|with\s+food|(?:each|every)\s+(?:night|evening)"
    r"|nocte|mane|od|bd|bid|tds|tid|qds|qid|on|at|night|nightly"
    r"|(?:\d+|two|three|four|five|six)\s+times(?=\s+(?:a|per|each|daily)\b)))*"  # "20 mg 4 times a day, then …"
)


@dataclass(frozen=True)
class Found:
    begin: int  # the phrase's offsets in the transcript: attributes inside belong to it, not to the row
    end: int


@dataclass(frozen=True)
class ChangeFound(Found):
    change: DoseChange


def _amount(number: str, unit: str | None, fallback: str | None = None) -> str | None:
    said = f"{number.strip()} {unit or fallback or ''}".strip()
    result = normalise_amount(said)
    return result.value


def _quantity(number: str) -> Fraction | None:
    return parse_quantity(number.strip())


_BY = re.compile(rf"\b(?:(?:up|down)\s+)?by\s+(?P<b>{_NUMBER}?)\s*(?P<ub>{_UNIT})", re.IGNORECASE)


# "increase the dose to 20", "bump it up to 20", "raise to 20": a new amount with no unit, after a change verb
# whose object is the dose itself (never "increase walking to 20 minutes")
_TO_BARE = re.compile(
    r"\b(?:(?:up|down)\s+)?to\s+(?P<b>\d+(?:\.\d+)?)\b(?!\s*(?:[%/.]\d|%|percent|times|x\b|per\b|a\s+day|days?"
    r"|weeks?|months?|years?|hours?|minutes?|mins?|kg|kilos?|cm|mmol|beats|breaths|over\b|[a-z]+grams?|units?))",
    re.IGNORECASE,
)
_DOSE_OBJECT = re.compile(r"(?:\s*\b(?:it|the|her|his|their|its|this|that|dose|dosage)\b)*\s*", re.IGNORECASE)


def find_change(text: str, low: int, high: int, unit: str | None = None) -> ChangeFound | None:
    """The first dose change said in ``text[low:high]`` (see :func:`find_changes`)."""
    return next(find_changes(text, low, high, unit), None)


def find_changes(text: str, low: int, high: int, unit: str | None = None) -> Iterator[ChangeFound]:
    """Every dose change said in ``text[low:high]``, in order (one phrase does not overlap the next)."""
    while True:
        said = [
            c for c in (_first_change(text, low, high, unit), _then_now(text, low, high)) if c is not None
        ]
        if not said:
            return
        found = min(said, key=lambda c: c.begin)
        yield found
        low = found.end


# "previously on atorvastatin 20 mg, now 40 mg": a change said with no verb, the old dose then the new
_THEN_NOW = re.compile(
    rf"\b(?:previously|formerly|was|were|used\s+to\s+(?:be|take))\s+(?:on\s+|taking\s+)?(?:[\w-]+\s+){{0,3}}?"
    rf"(?P<a>{_NUMBER}?)\s*(?P<ua>{_UNIT})?[\s,;]+(?:but\s+|and\s+)?(?:(?:is|she\s+is|he\s+is)\s+)?"
    rf"now\s+(?:on\s+|taking\s+)?(?P<b>{_NUMBER}?)\s*(?P<ub>{_UNIT})",
    re.IGNORECASE,
)


def _then_now(text: str, low: int, high: int) -> ChangeFound | None:
    m = _THEN_NOW.search(text, low, high)
    if m is None or not m.group("a").strip():
        return None
    new = _amount(m.group("b"), m.group("ub"))
    previous = _amount(m.group("a"), m.group("ua"), m.group("ub"))
    qa, qb = _quantity(m.group("a")), _quantity(m.group("b"))
    if new is None or previous is None or qa is None or qb is None or qa == qb:
        return None
    direction = "increased" if qb > qa else "decreased"
    phrase = " ".join(m.group(0).split())
    return ChangeFound(
        m.start(), m.end(), DoseChange(new=new, previous=previous, direction=direction, phrase=phrase)
    )


def _first_change(text: str, low: int, high: int, unit: str | None) -> ChangeFound | None:
    """The dose change said first in ``text[low:high]`` (the stretch of one medication mention), if any. A step
    ("titrate up by 2 units every 3 days") is not a dose: the change says so, with no new dose. A new amount
    with no unit takes ``unit`` (the mention's own dose's), marked ``unit_unsaid``; without one it is kept as
    a bare number, ``unit_unsaid`` too, for the caller to flag."""
    for verb in _VERB.finditer(text, low, high):
        window_end = min(high, _word_end(text, verb.end(), _MAX_GAP_WORDS + 6))
        step = _BY.search(text, verb.end(), window_end)
        if step is not None and len(text[verb.end() : step.start()].split()) <= _MAX_GAP_WORDS:
            end = _word_end(text, step.end(), 6)
            listed = _STEPS_LISTED.search(text, step.end(), min(high, end + 80))
            if listed is not None and listed.start() <= end:  # "…, so 30 mg, 20 mg, 10 mg": every step said
                end = max(end, listed.end())
            phrase = " ".join(text[verb.start() : min(end, high)].split())
            direction = (
                "increased"
                if verb["up"] or "up" in step.group(0).lower()
                else ("decreased" if verb["down"] or "down" in step.group(0).lower() else "changed")
            )
            return ChangeFound(
                verb.start(), step.end(), DoseChange(new="", direction=direction, phrase=phrase)
            )
        m = _FROM_TO.search(text, verb.end(), window_end) or _TO.search(text, verb.end(), window_end)
        if (
            m is not None
            and m.re is _TO
            and _RANGE_START.search(text, max(verb.end(), m.start() - 24), m.start())
        ):
            continue  # "adjusts her Humalog with meals, 4 to 8 units depending on …": a range, not a new dose
        if m is None or len(text[verb.end() : m.start()].split()) > _MAX_GAP_WORDS:
            obj = _DOSE_OBJECT.match(text, verb.end())
            bare = _TO_BARE.match(text, obj.end(), window_end) if obj is not None else None
            if bare is not None and bare.end() <= high:
                number = bare.group("b")
                new = _amount(number, unit) if unit else number
                phrase = " ".join(text[verb.start() : bare.end()].split())
                direction = "increased" if verb["up"] else "decreased" if verb["down"] else "changed"
                change = DoseChange(new=new or number, direction=direction, phrase=phrase, unit_unsaid=True)
                return ChangeFound(verb.start(), bare.end(), change)
            continue
        unit_b = m.group("ub")
        new = _amount(m.group("b"), unit_b)
        if new is None:
            continue
        said_a, said_ua, said_b = m.groupdict().get("a"), m.groupdict().get("ua"), m.group("b")
        fixed = _CORRECTED_TO.match(text, m.end(), high)
        if fixed is not None and fixed.group("b").strip():
            amount = _amount(fixed.group("b"), fixed.group("ub") or unit_b)
            if amount is not None:  # "from 5 mg to 7.5 mg, sorry, to 10 mg": the last new dose said is it
                new, said_b, m = amount, fixed.group("b"), fixed
        previous = _amount(said_a, said_ua, unit_b) if said_a else None
        direction = "increased" if verb["up"] else "decreased" if verb["down"] else "changed"
        if previous is not None and direction == "changed":
            qa, qb = _quantity(said_a or ""), _quantity(said_b)
            if qa is not None and qb is not None and qa != qb:
                direction = "increased" if qb > qa else "decreased"
        phrase = " ".join(text[verb.start() : m.end()].split())
        return ChangeFound(
            verb.start(), m.end(), DoseChange(new=new, previous=previous, direction=direction, phrase=phrase)
        )
    return None


# "… to 7.5 mg, sorry, to 10 mg", "… to 7.5 mg, I mean 10 mg": the new dose said again, corrected
_CORRECTED_TO = re.compile(
    # a filler may come first: "from 5 mg to 10 mg, um, no, to 7.5 mg"
    rf"\s*,?\s*(?:(?:um+|uh+|er+|erm)\s*,?\s*)?(?:sorry|i\s+mean|or\s+rather|no)\s*,?\s*(?:(?:up|down)\s+)?(?:to\s+)?"
    rf"(?P<b>{_NUMBER}?)\s*(?P<ub>{_UNIT})?(?![\w/])",
    re.IGNORECASE,
)


# A change said as a plan for later, not made now: "to be increased to 500 mg after two weeks", "will be titrated
# up towards 10 mg over the coming weeks", "plan to reduce to 5 mg at review". The row keeps today's dose.
_PLANNED_BEFORE = re.compile(
    r"\b(?:to\s+be|will\s+be|would\s+be|can\s+be|may\s+be|could\s+be|should\s+be|plan(?:s|ned|ning)?\s+to"
    r"|aim(?:s|ing)?\s+to|intend(?:s|ed|ing)?\s+to|hop(?:e|es|ing)\s+to|eventually|later|in\s+future)"
    r"\s+(?:(?:be|then|gradually|slowly|further|up|down)\s+)*$",
    re.IGNORECASE,
)
_PLANNED_AFTER = re.compile(
    r"(?:\s+[\w./-]+){0,6}?\s+(?:(?:after|in|over|within)\s+(?:the\s+)?(?:next|coming|following|a\s+few|few|several"
    r"|\d+|one|two|three|four|five|six|a|an)\s+(?:\w+\s+)?(?:days?|weeks?|months?)"
    r"|next\s+(?:week|month|visit|review|appointment)|at\s+(?:the\s+)?(?:next\s+)?(?:review|visit|follow-?up)"
    r"|(?:if|as)\s+tolerated)\b",
    re.IGNORECASE,
)


def planned(text: str, change: ChangeFound, high: int) -> ChangeFound | None:
    """``change`` widened to the words that make it a plan for later (from the marker to the deferral: its
    amounts and schedule are the plan's, not the row's), or None when it is made now."""
    before = _PLANNED_BEFORE.search(text, max(0, change.begin - 40), change.begin)
    after = _PLANNED_AFTER.match(text[:high], change.end)
    if before is None and after is None:
        return None
    head = before.start() if before is not None else change.begin
    tail = after.end() if after is not None else change.end
    said = " ".join(text[head:tail].split())
    return ChangeFound(head, tail, change.change.model_copy(update={"phrase": said}))


# "reduce the evening dose to 12 units if she has another hypo": a change with its own condition after it
_CONDITION_AFTER = re.compile(
    r"(?:\s+(?:once|twice|daily|a\s+day|at\s+night|in\s+the\s+(?:morning|evening)|each\s+\w+|every\s+\w+))*"
    r"\s*,?\s*(?:only\s+)?(?:if|unless|should|in\s+case|provided|as\s+long\s+as|whenever)\b(?:\s+[\w'-]+){0,8}",
    re.IGNORECASE,
)


def conditioned(text: str, change: ChangeFound, high: int) -> ChangeFound | None:
    """``change`` widened to the condition said right after it ("… to 12 units if she has another hypo"), or
    None when none follows: such a change is not made now."""
    after = _CONDITION_AFTER.match(text[:high], change.end)
    if after is None:
        return None
    said = " ".join(text[change.begin : after.end()].split())
    return ChangeFound(change.begin, after.end(), change.change.model_copy(update={"phrase": said}))


# the steps a rule's words go on to list: "reduce by 10 mg every 3 days, so 30 mg, 20 mg, 10 mg"
_STEPS_LISTED = re.compile(
    rf"\b(?:so|i\.?\s?e\.?|that\s+is|that's)\s*[,:]?\s*{_NUMBER}\s*{_UNIT}"
    rf"(?:\s*(?:,|\band\b|\bthen\b)?\s*(?:,\s*)?(?:then\s+)?{_NUMBER}\s*{_UNIT})+",
    re.IGNORECASE,
)


def _word_end(text: str, start: int, words: int) -> int:
    m = re.match(rf"(?:\s*\S+){{0,{words}}}", text[start:])
    return start + (m.end() if m else 0)


# shared with :mod:`.taper`
NUMBER = _NUMBER
UNIT = _UNIT
SCHEDULE_WORDS = _SCHEDULE_WORDS
