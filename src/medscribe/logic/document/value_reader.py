"""A measurement's value and unit as said after its name: "temperature 38.9", "temperature of thirty eight point
nine", "BP 182/104", "blood pressure 182 over 104 mmHg", "sats of 88 percent on air", "potassium was 6.3".

:func:`read_value` reads the words right after a test's name (a TEST_NAME entity): a few closed-class link words
("of", "is", "was", "today", "on arrival", ":"), then one number or two joined by "/" or "over", then a unit when
one is said. Number words are read as the transcript normaliser writes them
(:func:`medscribe.textnorm.normalize_clinical_text`), so the spoken and written forms read alike. Nothing else is
read: a comparison or target ("above 38", "below 140/90", "aim for"), a range ("88 to 92"), or a number with other
words between it and the name is no observation of the value, and is not read.

:func:`child_age` reads whether the transcript says a child's age ("three-year-old", "aged 4", "10-month-old",
"a baby"): the ranges for adults are not applied to a child's values (:mod:`.abnormal`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medscribe.number_words import NUMBER_WORDS

WINDOW = 80  # characters after the name read for its value
# closed-class words between a test's name and its value ("temperature of 38.9", "potassium was 6.3 today")
LINK = (
    r"(?:of|is|was|were|at|now|today|yesterday|tonight|earlier|this\s+morning|last\s+night|on\s+arrival|"
    r"on\s+admission|reading|recorded|measured|checked|came\s+back(?:\s+at)?|has\s+been|had\s+been|been|:|,|-)"
)
_NUMBER = r"\d+(?:\.\d+)?"
VALUE = re.compile(
    rf"\s*(?:{LINK}\s*){{0,3}}(?P<first>{_NUMBER})(?:\s*(?:/|over)\s*(?P<second>{_NUMBER}))?"
    r"(?P<unit>\s*(?:%|°\s*[cf]\b|[a-zµ/][a-zµ/0-9+]*(?:\s+(?:per|a|of)\s+[a-z]+)?(?:\s+[a-z]+)?))?",
    re.IGNORECASE,
)
# after the value: a range ("88 to 92", "4-6") is a target, not one observation
RANGE_AFTER = re.compile(rf"\s*(?:-|\u2013|to)\s*{_NUMBER}", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)

_AGE_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_AGE_NUMBER = rf"(?:\d+|(?:(?:{_AGE_WORD})[\s-]+(?:and[\s-]+)?)*(?:{_AGE_WORD}))"  # "66", "sixty six"
AGE = re.compile(
    rf"\b(?P<n>{_AGE_NUMBER})[\s-]+(?P<unit>day|week|month|year)s?[\s-]+old\b"
    rf"|\baged\s+(?P<aged>{_AGE_NUMBER})\b"
    rf"|\b(?P<n2>{_AGE_NUMBER})\s+years?\s+of\s+age\b",
    re.IGNORECASE,
)
CHILD_WORDS = re.compile(r"\b(?:baby|infant|toddler|newborn|neonate)\b", re.IGNORECASE)
ADULT_AGE = 16  # NEWS2 is for adults aged 16 and over


@dataclass(frozen=True)
class SaidValue:
    first: float
    second: float | None  # the second of "182/104" / "182 over 104"
    unit: str  # the words after the value, lower case, as said ("%", "percent", "mmol/l", "on air" …)
    said: str  # the value as written in the (normalised) window ("38.9", "182/104")


def read_value(text: str, end: int) -> SaidValue | None:
    """The value said right after a test's name ending at ``end``, or None (none said, a range or a target)."""
    window = text[end : end + WINDOW]
    stop = re.search(r"[.;!?](?:\s|$)|\n", window)
    window = window[: stop.start()] if stop else window
    if not re.search(r"\d", window) and any(w.lower() in NUMBER_WORDS for w in _WORD.findall(window)):
        from medscribe.textnorm import normalize_clinical_text  # text2num: NlpLayer, where the draft is built

        window = normalize_clinical_text(window)  # "thirty eight point nine" -> "38.9"
    m = VALUE.match(window)
    if m is None or RANGE_AFTER.match(window, m.end("second") if m.group("second") else m.end("first")):
        return None
    unit = " ".join((m.group("unit") or "").lower().split())
    return SaidValue(
        first=float(m.group("first")),
        second=float(m.group("second")) if m.group("second") else None,
        unit=unit,
        said=" ".join(
            window[m.start("first") : m.end("second") if m.group("second") else m.end("first")].split()
        ),
    )


def child_age(text: str) -> bool:
    """The transcript says the patient's age is under 16 ("ten-month-old", "aged 4", "a toddler")."""
    for m in AGE.finditer(text):
        said = m.group("n") or m.group("aged") or m.group("n2")
        years = _number(said)
        if years is None:
            continue
        if m.group("unit") and m.group("unit").lower() != "year":
            return True  # days, weeks or months old
        if years < ADULT_AGE:
            return True
    return CHILD_WORDS.search(text) is not None


def _number(said: str) -> int | None:
    if said.isdigit():
        return int(said)
    from medscribe.textnorm import normalize_clinical_text  # text2num: NlpLayer, where the draft is built

    written = normalize_clinical_text(said)
    return int(written) if written.isdigit() else None
