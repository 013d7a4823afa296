"""Spoken numbers and units -> written clinical form, the way Transcribe Medical writes them.

``normalize_clinical_text("continue metformin five hundred milligrams twice daily")`` ->
``"continue metformin 500 mg twice daily"``. Used on the transcript text before entity detection (the
Transcribe JSON itself is kept as recognised). Idempotent: already written text ("500 mg", "120/80") is left
as it is, so text from the real Transcribe Medical passes through unchanged.

- Number words -> digits: ``text_to_num.alpha2digit`` (text2num). Like Transcribe, lone small numbers stay
  words ("one of", "two times daily"), except before a unit ("two milligrams" -> "2 mg", "one tablet" ->
  "1 tablet"), at the start of a range of a unit ("two to three tablets" -> "2 to 3 tablets") and in "type
  one/two diabetes" -> "type 1/2 diabetes".
- Numbers that run together before a count are written only when certain: words that cannot be one number stay
  apart ("ten two puffs" -> "10 2 puffs"), a unit closes a strength ("one hundred twenty five micrograms two
  puffs" -> "125 mcg 2 puffs"). Where the words read two ways before a count unit ("thirty over five hundred two
  tablets": 30/502 tablets, or 30/500 then 2 tablets) they are left as said and :func:`read_numbers` reports
  the span (:mod:`medscribe.spoken_numbers` says exactly when; the draft flags the row ``DOSE_NUMBER_UNCLEAR``).
- Units after a number: milligram(s) -> mg, microgram(s) -> mcg, gram(s) -> g, kilogram(s) -> kg,
  milliliter(s)/millilitre(s) -> mL, milliequivalent(s) -> mEq, percent -> %, "mg per kilogram" -> mg/kg.
- Years said in pairs after "in / since / from / until / during / born" ("in nineteen ninety eight" -> "in 1998"),
  never before a unit, a time word or another number.
- Decimals ("seven point two" -> "7.2"; "twelve point five zero point five" -> "12.5 0.5"), hemoglobin "A one C" -> "A1c".
- Blood pressure: "<systolic> over <diastolic>" -> "130/80" when both look like pressures (50-300 over 20-200).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import alpha2digit, text2num

from medscribe.spoken_numbers import UnclearNumber, unclear_numbers

__all__ = ["NumberReading", "UnclearNumber", "normalize_clinical_text", "read_numbers"]

_SMALL = {"zero": "0", "one": "1", "two": "2", "three": "3"}
_UNIT_WORDS = (
    r"milligrams?|micrograms?|grams?|kilograms?|milliliters?|millilitres?|milliequivalents?|units?|"
    r"tablets?|capsules?|puffs?|drops?|sprays?|inhalations?|percent|mg|mcg|ml"
)
_SMALL_BEFORE_UNIT = re.compile(rf"\b({'|'.join(_SMALL)})(?=\s+(?:{_UNIT_WORDS})\b)", re.IGNORECASE)
# "two to 3 tablets": the start of a range of a unit is written like its end ("2 to 3 tablets")
_SMALL_BEFORE_RANGE = re.compile(
    rf"\b({'|'.join(_SMALL)})(?=\s+to\s+(?:\d+(?:\.\d+)?|{'|'.join(_SMALL)})\s+(?:{_UNIT_WORDS})\b)",
    re.IGNORECASE,
)
_NUMBER_WORD = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|\d+"
)
_SMALL_AFTER_POINT = re.compile(rf"\b({_NUMBER_WORD})\s+point\s+({'|'.join(_SMALL)})\b", re.IGNORECASE)
# "one point 2": a lone small number before "point" and a digit is a decimal's whole part ("one point two grams")
_SMALL_BEFORE_POINT = re.compile(rf"\b({'|'.join(_SMALL)})(?=\s+point\s+\d)", re.IGNORECASE)
_NEW_DECIMAL = re.compile(r"\b(\d+\.\d+)(\d)\s+point\s+(?=\d)", re.IGNORECASE)  # "12.50 point 5": 12.5, 0.5
_DECIMAL = re.compile(r"\b(\d+)\s+point\s+(\d(?:\s+\d)*)\b", re.IGNORECASE)
_A1C = re.compile(r"\ba\s*(?:one|1)\s*c\b", re.IGNORECASE)
_TYPE_N = re.compile(r"\b(type)\s+(one|two)\b(?=\s+diabetes)", re.IGNORECASE)
# A year said in pairs after "in / since / from / until / during / born": "nineteen ninety eight" -> 1998, "twenty
# nineteen" -> 2019, "nineteen oh five" -> 1905 (text2num alone writes "19 98"); never before a unit or a time.
_CENTURY = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
_YEAR = re.compile(
    rf"\b(in|since|from|until|till|during|born)\s+({_CENTURY})\s+((?:oh\s+)?(?:one|two|three|four|five|six|seven|"
    r"eight|nine)|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:\s+(?:one|two|three|four|five|six|seven|eight|"
    rf"nine))?)\b(?!\s+(?:{_UNIT_WORDS}|to|over|point|and|minutes?|hours?|days?|weeks?|months?|years?|seconds?|"
    rf"times|o'clock|am|pm|{_NUMBER_WORD})\b)",
    re.IGNORECASE,
)

_NUMBER = r"\d+(?:\.\d+)?"
_UNITS: list[tuple[str, str]] = [
    (r"milligrams?|mgs?", "mg"),
    (r"micrograms?|mcgs?", "mcg"),
    (r"kilograms?|kgs?", "kg"),
    (r"grams?", "g"),
    (r"milliliters?|millilitres?|mls?", "mL"),
    (r"milliequivalents?|meq", "mEq"),
]
_UNIT_RULES = [
    (re.compile(rf"\b({_NUMBER})\s*(?:{pattern})\b(?!/)", re.IGNORECASE), rf"\1 {unit}")
    for pattern, unit in _UNITS
]
_PERCENT = re.compile(rf"\b({_NUMBER})\s*percent\b", re.IGNORECASE)
_PER_KG = re.compile(r"\b(mg|mcg|g|mL|units?) per (?:kilogram|kg)\b", re.IGNORECASE)
_OVER = re.compile(r"\b(\d{2,3})\s+over\s+(\d{2,3})\b", re.IGNORECASE)


def _year(match: re.Match[str]) -> str:
    century = text2num(match.group(2).lower(), "en")
    rest = match.group(3).lower()
    years = text2num(rest.removeprefix("oh").strip(), "en")
    if not rest.startswith("oh") and years < 10:  # "nineteen five": not a year said in pairs
        return match.group(0)
    return f"{match.group(1)} {century * 100 + years}"


def _bp(match: re.Match[str]) -> str:
    systolic, diastolic = int(match.group(1)), int(match.group(2))
    if 50 <= systolic <= 300 and 20 <= diastolic <= 200 and diastolic < systolic:
        return f"{systolic}/{diastolic}"
    return match.group(0)


@dataclass(frozen=True)
class NumberReading:
    text: str  # the written form (what normalize_clinical_text returns)
    unclear: tuple[UnclearNumber, ...]  # spans of the input left as said: their written form is not certain


def normalize_clinical_text(text: str) -> str:
    """Written form of spoken numbers, units and blood pressures in ``text`` (idempotent)."""
    return read_numbers(text).text


def read_numbers(text: str) -> NumberReading:
    """``text`` in written form, and the spans of number words left as said because the words allow two
    readings (``medscribe.spoken_numbers``). Idempotent: reading the written text again reports the same spans."""
    if not text.strip():
        return NumberReading(text, ())
    unclear = unclear_numbers(text, _written)
    pieces: list[str] = []
    cursor = 0
    for span in unclear:
        pieces += [_written(text[cursor : span.begin]), span.said]
        cursor = span.end
    pieces.append(_written(text[cursor:]))
    return NumberReading("".join(pieces), tuple(unclear))


def _written(text: str) -> str:
    if not text.strip():
        return text
    out = _YEAR.sub(_year, text)
    out = _TYPE_N.sub(lambda m: f"{m.group(1)} {_SMALL[m.group(2).lower()]}", out)
    out = _SMALL_AFTER_POINT.sub(lambda m: f"{m.group(1)} point {_SMALL[m.group(2).lower()]}", out)
    out = alpha2digit(out, "en")
    out = _SMALL_BEFORE_RANGE.sub(lambda m: _SMALL[m.group(1).lower()], out)
    out = _SMALL_BEFORE_UNIT.sub(lambda m: _SMALL[m.group(1).lower()], out)  # what alpha2digit left as words
    out = _SMALL_BEFORE_POINT.sub(lambda m: _SMALL[m.group(1).lower()], out)
    out = _NEW_DECIMAL.sub(r"\1 \2 point ", out)
    out = _DECIMAL.sub(lambda m: f"{m.group(1)}.{m.group(2).replace(' ', '')}", out)
    out = _A1C.sub("A1c", out)
    for pattern, repl in _UNIT_RULES:
        out = pattern.sub(repl, out)
    out = _PERCENT.sub(r"\1%", out)
    out = _PER_KG.sub(lambda m: f"{m.group(1)}/kg", out)
    return _OVER.sub(_bp, out)
