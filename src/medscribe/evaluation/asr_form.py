"""The recogniser form of a punctuated note: what a speech recogniser would write for it.

``recogniser_form("Increase atenolol from 25 mg to 50 mg. Denies cough.")`` ->
``"increase atenolol from twenty five milligrams to fifty milligrams denies cough"``.

Deterministic (the held-out set stores its output beside ``text`` and a test checks they agree):

- lower case; "A&E" -> "a and e", "HbA1c" -> "h b a one c", "T4" -> "t four";
- numbers spoken: integers and decimals as words ("1.5" -> "one point five"), "140/90" -> "one hundred forty
  over ninety", a range "40-80" -> "forty to eighty", "38%" -> "thirty eight percent";
- units after a number spoken: mg -> milligrams, mcg -> micrograms, g -> grams, ml -> millilitres
  ("1 g" -> "one gram"), "mg/kg" -> "milligrams per kilogram";
- no punctuation: hyphens and slashes become spaces, apostrophes inside words are kept ("crohn's").

``recogniser_form`` derives the stored ``asr_text`` and is fixed by it ("5th" stays "five th"); the scorer's
comparison keys first speak a digit ordinal as its word (:func:`speak_ordinals`: "5th" -> "fifth"), so "5th
metacarpal" and "fifth metacarpal" are compared in one form.
"""

from __future__ import annotations

import re

_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNITS = {"mg": "milligram", "mcg": "microgram", "g": "gram", "ml": "millilitre", "kg": "kilogram"}


def number_words(n: int) -> str:
    """``n`` (0 <= n < 1,000,000) in words, American style without "and": 125 -> "one hundred twenty five"."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"number out of range: {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, rest = divmod(n, 10)
        return _TENS[tens] + (f" {_ONES[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{number_words(thousands)} thousand" + (f" {number_words(rest)}" if rest else "")


_ORDINAL_LAST = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth"}
_ORDINAL_LAST |= {"nine": "ninth", "twelve": "twelfth"}
_DIGIT_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.IGNORECASE)


def ordinal_words(n: int) -> str:
    """``n`` as an ordinal in words: 5 -> "fifth", 21 -> "twenty first", 50 -> "fiftieth"."""
    head, _, last = number_words(n).rpartition(" ")
    if last in _ORDINAL_LAST:
        last = _ORDINAL_LAST[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}".strip()


def speak_ordinals(text: str) -> str:
    """Digit ordinals as words ("the 5th metacarpal" -> "the fifth metacarpal"); nothing else changes."""
    return _DIGIT_ORDINAL.sub(lambda m: ordinal_words(int(m.group(1))), text)


def _spoken_number(token: str) -> str:
    whole, _, frac = token.partition(".")
    words = number_words(int(whole))
    if frac:
        words += " point " + " ".join(_ONES[int(d)] for d in frac)
    return words


_NUM = r"\d+(?:\.\d+)?"
_OVER = re.compile(rf"\b({_NUM})/({_NUM})\b")
_RANGE = re.compile(rf"\b({_NUM})\s*-\s*({_NUM})\b")
_PERCENT = re.compile(rf"({_NUM})\s*%")
_PER_KG = re.compile(r"\b(mg|mcg|g|ml)/kg\b")
_UNIT = re.compile(rf"\b({_NUM})\s*(mg|mcg|g|ml|kg)\b")
_NUMBER = re.compile(_NUM)


def _unit(match: re.Match[str]) -> str:
    number, unit = match.group(1), match.group(2)
    word = _UNITS[unit] + ("" if number == "1" else "s")
    return f"{number} {word}"


def recogniser_form(text: str) -> str:
    """``text`` as a recogniser writes it: lower case, numbers and units spoken, no punctuation."""
    out = text.lower().replace("a&e", "a and e").replace("&", " and ").replace("hba1c", "h b a one c")
    out = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z]{2})", " ", out)  # "t4" -> "t 4", "30mg" -> "30 mg"
    out = _PER_KG.sub(lambda m: f"{_UNITS[m.group(1)]}s per kilogram", out)
    out = _PERCENT.sub(r"\1 percent", out)
    out = _UNIT.sub(_unit, out)
    out = _OVER.sub(r"\1 over \2", out)
    out = _RANGE.sub(r"\1 to \2", out)
    out = _NUMBER.sub(lambda m: _spoken_number(m.group(0)), out)
    out = re.sub(r"(?<=\w)'(?=\w)", "\x00", out)  # keep apostrophes inside words
    out = re.sub(r"[^\w\s\x00]|_", " ", out).replace("\x00", "'")
    return " ".join(out.split())
