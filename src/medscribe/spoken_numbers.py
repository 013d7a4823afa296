"""Where spoken numbers run together before a count: the spans whose written form the words cannot decide.

A recogniser writes numbers as words with no punctuation, so a strength followed by a count reads as one number:
"co codamol thirty over five hundred two tablets" is "30/500, 2 tablets" or "30/502 tablets"; "amoxicillin
twenty five capsules" is "25 capsules" or "20, 5 capsules"; "fifty four times a day" is "50, 4 times a day" or
"54 times a day". :func:`unclear_numbers` finds these spans so that :func:`medscribe.textnorm.read_numbers` can
leave them as said and report them (the draft flags the row, ``DOSE_NUMBER_UNCLEAR``) instead of writing a guess.

**When the written form is certain** (no report):

- the words cannot make one number ("ten two puffs" is 10 then 2; "twenty five one tablet" is 25 then 1;
  "two thousand nineteen two tablets" is 2019 then 2): text2num's grammar splits them, and so does a reader;
- a unit closes the strength ("one hundred twenty five micrograms two puffs"; "five hundred milligrams twenty
  eight tablets": a number right after a strength's unit is the count or quantity, whole);
- a new decimal starts at "point" ("twelve point five zero point five drops" is 12.5 then 0.5);
- a count with no number before it ("two tablets", "half a tablet"), a comma or full stop between the words
  ("five hundred, two tablets"), digits as typed ("take 28 tablets").

**When it is not** (reported, left in words): a **count unit** (a form said by the piece: tablet, capsule,
puff, drop, spray, sachet, patch, …, or "times" in "four times a day") follows a run of number words that can be
cut in two, so that

- the part before the cut ends in a number word and is a number (or an "A over B" strength) of its own,
- the part after it is a count: 1-10, "N point D", "N and a half", or a range of those ("two to three"),
  after an "and" or not ("five hundred and two tablets" is 502 tablets or 500 and 2 tablets),
- and the normaliser would join the two across the cut (the written numbers of the whole differ from those of
  the two parts written apart).

**A count said with no count unit** ("paracetamol five hundred two qds", "five hundred two four times a day"):
a run of number words right before a frequency (od, bd, tds, qds, daily, once, twice, nocte, mane, at night,
at 8 pm, every …, or "N times a day") that can be cut in two the same way is reported too: "502" or "500, then 2"
("forty one at night" is 41, or 40 then 1: the words alone cannot say; such a strength said with no unit left
the row's dose blank before, flagged). A unit closing the strength ("five hundred milligrams two qds") makes it
certain: 500 mg, then a count of 2 (the draft flags that count, said with no unit).

A merged number before a count unit is never decided by how plausible it is ("502 tablets" is unlikely, "28
tablets" is a usual pack): both readings are said by the same words, so the span is reported. Only a count unit
marks a count: "thirty over five hundred two at night" is written "30 over 502 at night" (a known limit).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from text_to_num import text2num

from medscribe.number_words import DIGITS, NUMBER_WORDS

__all__ = ["UnclearNumber", "spoken_numbers_in", "unclear_numbers"]

_DIGIT_WORDS = frozenset(DIGITS)
_LINKS = frozenset({"point", "and", "a", "half", "to", "over"})  # words inside a spoken amount
_COUNT_UNIT = re.compile(
    r"tablets?|tabs?|capsules?|caps?|puffs?|drops?|sprays?|sachets?|patch(?:es)?|inhalations?|lozenges?|"
    r"pessar(?:y|ies)|suppositor(?:y|ies)|ampoules?|vials?|pastilles?|spoonfuls?|teaspoons?|applications?"
)
_TIMES_AFTER = frozenset({"a", "per", "daily", "weekly", "each", "every", "an"})  # "four times a day"
# A frequency said right after a dose: the words before it are the dose, a count may end them ("500 2 qds")
_FREQUENCY_WORDS = frozenset(
    {"od", "bd", "bid", "tds", "tid", "qds", "qid", "qd", "nocte", "mane", "prn", "daily", "once", "twice"}
    | {"thrice", "weekly", "hourly", "every", "each"}
)
_STRENGTH_UNIT = re.compile(
    r"milligrams?|micrograms?|grams?|kilograms?|milliliters?|millilitres?|milliequivalents?|units?|percent|"
    r"mgs?|mcgs?|g|kgs?|mls?|meq|%"
)
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z']+|%", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_HALF = re.compile(r"\b(\d+(?:\.\d+)?|zero|one|two|three)\s+and\s+a\s+half\b", re.IGNORECASE)
_SMALL = {"zero": 0.0, "one": 1.0, "two": 2.0, "three": 3.0}
_WRITTEN_NUMBER = re.compile(r"\d+(?:\.\d+)?|\b(?:zero|one|two|three)\b", re.IGNORECASE)
MAX_COUNT = 10


@dataclass(frozen=True)
class UnclearNumber:
    """Number words whose written form the words cannot decide: ``text[begin:end] == said``."""

    begin: int
    end: int
    said: str
    readings: tuple[str, ...]  # the written forms the words allow, the normaliser's joined one first


def spoken_numbers_in(written: str) -> list[float]:
    """The quantities of a written text: digits, "2 and a half" (2.5), and the small words Transcribe leaves."""
    text = _HALF.sub(lambda m: f"{_value_of(m.group(1)) + 0.5:g}", written)
    return [_SMALL[t.lower()] if t.lower() in _SMALL else float(t) for t in _WRITTEN_NUMBER.findall(text)]


def unclear_numbers(text: str, write: Callable[[str], str]) -> list[UnclearNumber]:
    """The spans of ``text`` (spoken or already written) whose numbers ``write`` would join before a count."""
    tokens = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out: list[UnclearNumber] = []
    for i, (word, _, end) in enumerate(tokens):
        unit = word
        if _is_frequency(tokens, i):
            if i == 0 or not _spaced(text, tokens[i - 1], tokens[i]):
                continue
            unit, end = "", tokens[i - 1][2]  # no count unit: the span is the number words alone
        elif not _is_count_unit(word, tokens[i + 1][0] if i + 1 < len(tokens) else ""):
            continue
        start = i
        while (
            start > 0 and _in_amount(tokens[start - 1][0]) and _spaced(text, tokens[start - 1], tokens[start])
        ):
            start -= 1
        while (
            start < i and tokens[start][0] in _LINKS
        ):  # "to twenty two tablets": the amount starts at a number
            start += 1
        if start == i or (start > 0 and _STRENGTH_UNIT.fullmatch(tokens[start - 1][0])):
            continue  # no number, or a count after a strength closed by its unit: certain
        words = [t[0] for t in tokens[start:i]]
        readings = _readings(words, unit, write)
        begin = tokens[start][1]
        if len(readings) > 1 and not (out and begin < out[-1].end):
            out.append(UnclearNumber(begin, end, text[begin:end], tuple(readings)))
    return out


def _is_frequency(tokens: list[tuple[str, int, int]], i: int) -> bool:
    """A frequency starts at token ``i``: "qds", "daily", "at night", "in the morning", or the N of "N times a
    day" (a count itself, so the words before it are the dose: "five hundred two four times a day")."""
    word = tokens[i][0]
    after = [t[0] for t in tokens[i + 1 : i + 4]]
    if word in _FREQUENCY_WORDS:
        return True
    if word == "at" and (after[:1] in (["night"], ["bedtime"]) or after[1:2] in (["am"], ["pm"])):
        return True  # "at night", "at 8 pm"
    if word == "in" and after[:1] == ["the"] and after[1:2] in (["morning"], ["evening"]):
        return True
    return (
        _is_count([word]) and after[:1] == ["times"] and (after[1] if len(after) > 1 else "") in _TIMES_AFTER
    )


def _is_count_unit(word: str, following: str) -> bool:
    if word == "times":
        return following in _TIMES_AFTER
    return bool(_COUNT_UNIT.fullmatch(word))


def _spaced(text: str, before: tuple[str, int, int], after: tuple[str, int, int]) -> bool:
    """Only spaces between two words: a comma or a full stop ends a spoken amount ("500, 2 tablets")."""
    return text[before[2] : after[1]].isspace()


def _in_amount(word: str) -> bool:
    return word in NUMBER_WORDS or word in _LINKS or bool(_NUMBER.fullmatch(word))


def _readings(words: list[str], unit: str, write: Callable[[str], str]) -> list[str]:
    """The normaliser's written form of ``words unit``, then every other reading a cut of the words allows."""
    whole = write(" ".join([*words, unit]).strip())
    joined = spoken_numbers_in(whole)
    readings = [whole]
    for cut in range(1, len(words)):
        head, tail = words[:cut], words[cut:]
        if not _is_number(head[-1]) or not any(_is_number(w) for w in head) or not _is_count(tail):
            continue
        tail = tail[1:] if tail[0] == "and" and tail[1] != "a" else tail  # "500, then 2 tablets"
        head_written, tail_written = write(" ".join(head)), write(" ".join([*tail, unit]).strip())
        if spoken_numbers_in(head_written) + spoken_numbers_in(tail_written) != joined:
            readings.append(f"{head_written}, then {tail_written}")
    return readings


def _is_number(word: str) -> bool:
    return word in NUMBER_WORDS or bool(_NUMBER.fullmatch(word))


def _is_count(words: list[str]) -> bool:
    """1-10, "N point D" (N <= 10, one digit), "N and a half", or "X to Y" of those."""
    if "to" in words:
        at = words.index("to")
        return _is_count(words[:at]) and _is_count(words[at + 1 :])
    if len(words) > 1 and words[0] == "and" and words[1] != "a":  # "five hundred | and two tablets"
        words = words[1:]
    if words[-3:] == ["and", "a", "half"]:
        words = words[:-3]
    if "point" in words:
        at = words.index("point")
        whole, fraction = words[:at], words[at + 1 :]
        return len(fraction) == 1 and fraction[0] in _DIGIT_WORDS and _count_value(whole, allow_zero=True)
    return _count_value(words, allow_zero=False)


def _count_value(words: list[str], *, allow_zero: bool) -> bool:
    if not words or any(w in _LINKS for w in words):
        return False
    try:
        value = (
            float(words[0])
            if len(words) == 1 and _NUMBER.fullmatch(words[0])
            else text2num(" ".join(words), "en")
        )
    except ValueError:
        return False
    return (0 if allow_zero else 1) <= value <= MAX_COUNT


def _value_of(token: str) -> float:
    return _SMALL[token.lower()] if token.lower() in _SMALL else float(token)
