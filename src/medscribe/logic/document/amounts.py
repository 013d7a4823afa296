"""Amounts and forms of medication attributes: quantities, units, dosage forms (read with certainty or not).

- Quantities: digits, number words, decimals ("0.2", "zero point four"), mixed numbers and fractions
  ("1 and 1/2", "1 and 1 / 2", "one and a half", "1 1/2", "half a tablet"), ranges ("1 to 2", "1-2").
- Units: mg, mcg, g, mL, units, mEq, %, and forms (tablet, capsule, puff, drop, patch, spray...).

``Normalised.value`` is ``None`` when the text cannot be read with certainty (see ``normalise``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Normalised:
    raw: str
    value: str | None  # None: could not be read with certainty (the draft flags it)

    @property
    def ok(self) -> bool:
        return self.value is not None


_WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_NUMBER_WORDS = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand"
)
_FRACTION_WORDS = {"half": Fraction(1, 2), "quarter": Fraction(1, 4), "third": Fraction(1, 3)}

_UNITS = [
    (r"milligrams?|mgs?", "mg"),
    (r"micrograms?|mcgs?|µg|ug", "mcg"),
    (r"nanograms?", "nanograms"),  # never abbreviated (BNF: "ng" is misread)
    (r"grams?|gm?s?", "g"),
    (r"milliliters?|millilitres?|mls?|cc", "mL"),
    (r"units?|iu", "units"),
    (r"milliequivalents?|meq", "mEq"),
    (r"%|percent", "%"),
]
_FORMS = [
    (r"tabs?|tablets?|tbs?", "tablet"),
    (r"caps?|capsules?", "capsule"),
    (r"puffs?|inhalations?", "puff"),
    (r"drops?|gtts?", "drop"),
    (r"sprays?", "spray"),
    (r"patch(?:es)?", "patch"),
    (r"teaspoons?|tsps?", "teaspoon"),
    (r"tablespoons?|tbsps?", "tablespoon"),
    (r"suppositor(?:y|ies)", "suppository"),
    (r"lozenges?", "lozenge"),
    (r"injections?", "injection"),
    (r"inhalers?", "inhaler"),
    (r"creams?", "cream"),
    (r"ointments?", "ointment"),
    (r"gels?", "gel"),
    (r"solutions?", "solution"),
    (r"suspensions?", "suspension"),
    (r"syrups?", "syrup"),
    (r"sachets?", "sachet"),
    (r"vials?", "vial"),
]
_UNIT_OR_FORM = [(re.compile(rf"^(?:{p})\.?$", re.IGNORECASE), v) for p, v in _UNITS + _FORMS]
_FORM_NAMES = {v for _, v in _FORMS}


def clean_text(text: str) -> str:
    text = (
        text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00bd", " 1/2").replace("\u00bc", " 1/4")
    )
    return " ".join(text.strip().strip(",;:").split())


def format_quantity(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    as_float = float(value)
    text = f"{as_float:.3f}".rstrip("0").rstrip(".")
    if Fraction(text) != value:  # 1/3: not exactly decimal; keep the fraction visible
        whole, rest = divmod(value, 1)
        return f"{whole} {rest}" if whole else str(rest)
    return text


def _word_number(word: str) -> Fraction | None:
    word = word.lower()
    if word in _WORD_NUMBERS:
        return Fraction(_WORD_NUMBERS[word])
    try:
        from text_to_num import text2num  # NlpLayer: only where a number is spoken

        return Fraction(text2num(word, "en"))
    except ValueError:
        return None


_NUM = rf"(?:\d+(?:\.\d+)?|\.\d+|(?:{_NUMBER_WORDS})(?:[\s-]+(?:{_NUMBER_WORDS}))*)"


def parse_quantity(text: str) -> Fraction | None:
    """One number: "2", "0.4", "zero point four", "1 and 1/2", "1 1/2", "one and a half", "half", "1/2"."""
    t = clean_text(text).lower()
    t = re.sub(r"^(?:a|an)\s+(?=half|quarter|third)", "", t)
    if not t:
        return None
    m = re.fullmatch(r"(\d+)\s*/\s*(\d+)", t)
    if m:
        return Fraction(int(m.group(1)), int(m.group(2))) if int(m.group(2)) else None
    m = re.fullmatch(rf"({_NUM})\s+(?:and\s+)?(?:a\s+|an\s+|one\s+)?(half|quarter|third)", t)
    if m:
        whole = parse_quantity(m.group(1))
        return None if whole is None else whole + _FRACTION_WORDS[m.group(2)]
    m = re.fullmatch(rf"({_NUM})\s+(?:and\s+)?(\d+)\s*/\s*(\d+)", t)
    if m:
        whole = parse_quantity(m.group(1))
        num, den = int(m.group(2)), int(m.group(3))
        if whole is None or den == 0 or num >= den:
            return None
        return whole + Fraction(num, den)
    if t in _FRACTION_WORDS:
        return _FRACTION_WORDS[t]
    m = re.fullmatch(r"(\d+(?:\.\d+)?|\.\d+)", t)
    if m:
        return Fraction(m.group(1))
    m = re.fullmatch(rf"({_NUMBER_WORDS}|\d+)\s+point\s+((?:(?:{_NUMBER_WORDS}|\d)\s*)+)", t)
    if m:
        whole = parse_quantity(m.group(1))
        digits = []
        for d in m.group(2).split():
            n = _word_number(d) if not d.isdigit() else Fraction(int(d))
            if n is None or n >= 10 or n.denominator != 1:
                return None
            digits.append(str(n.numerator))
        return None if whole is None else Fraction(f"{whole}.{''.join(digits)}")
    if re.fullmatch(rf"(?:{_NUMBER_WORDS})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORDS}))*", t):
        return _word_number(t.replace("-", " "))
    return None


def _unit(word: str) -> str | None:
    for pattern, value in _UNIT_OR_FORM:
        if pattern.match(word):
            return value
    return None


RANGE_RE = re.compile(r"^(?P<a>.+?)\s*(?:\bto\b|-|\bor\b)\s*(?P<b>.+)$", re.IGNORECASE)


def _split_unit(text: str) -> tuple[str, str | None, str]:
    """("1 and 1/2 tabs" -> "1 and 1/2", "tablet", ""); ("half a tablet" -> "half", "tablet", "")."""
    t = re.sub(r"(\d)([A-Za-zµ%])", r"\1 \2", clean_text(text))
    tokens = t.split()
    for i in range(len(tokens) - 1, 0, -1):
        unit = _unit(tokens[i])
        if unit is None:
            continue
        number = " ".join(tokens[:i])
        number = re.sub(r"^((?:an?\s+)?(?:half|quarter|third))\s+(?:an?|of\s+an?)$", r"\1", number)
        return number, unit, " ".join(tokens[i + 1 :])
    return t, None, ""


def _plural(unit: str, amount_text: str) -> str:
    if unit in _FORM_NAMES and amount_text not in {"1", "0.5", "0.25"} and not amount_text.startswith("0."):
        return unit + ("es" if unit.endswith(("ch", "s")) else "s")
    return unit


_PER = re.compile(
    r"^(?P<amount>.+?)\s*(?:/|\bper\b|\b(?P<sep>in|an?)\b)\s*(?P<n>\d+(?:\.\d+)?\s*)?"
    r"(?P<per>kg|kilograms?|kilos?|ml|millilitres?|milliliters?|l|litres?|liters?|m2|m²|square\s+met(?:re|er)s?|met(?:re|er)\s+squared"
    r"|hours?|hrs?|h|min|minutes?|days?|doses?|24\s*hours?)\.?$",
    re.IGNORECASE,
)
_PER_UNIT = {"kg": "kg", "kilogram": "kg", "kilo": "kg", "m²": "m2", "square metre": "m2", "square meter": "m2",
             "metre squared": "m2", "meter squared": "m2",
             "day": "day", "dose": "dose", "24 hour": "24 hours", "24hour": "24 hours", "ml": "mL", "millilitre": "mL", "milliliter": "mL", "l": "L",
             "litre": "L", "liter": "L", "m2": "m2", "hour": "hour", "hr": "hour", "h": "hour", "min": "min",
             "minute": "min"}  # fmt: skip


_SAID_AS = {"in": ("mL", "L"), "an": ("hour", "min"), "a": ("hour", "min")}


def _per_amount(text: str) -> Normalised | None:
    """ "250 mg/5 ml" or "250 mg in 5 ml" -> "250 mg/5 mL" (a concentration), "15 mg/kg" (a dose by weight),
    "2 mg per hour", "10 micrograms an hour" (a rate): the amount read as any amount, the part after "/" or "per" a count and a unit; None when not such."""
    m = _PER.match(clean_text(text))
    if m is None:
        return None
    amount = normalise_amount(m["amount"])
    if amount.value is None or not re.search(r"[a-z]", amount.value):
        return Normalised(text, None)  # "250/5 ml": the amount's unit unsaid
    said = " ".join(m["per"].lower().split())
    per = _PER_UNIT[said if said in ("ml", "l", "m2") else said.removesuffix("s")]
    if m["sep"] and per not in _SAID_AS.get(m["sep"].lower(), ()):
        return None  # "in" only of a volume ("250 mg in 5 mL"), "an" only of a rate ("10 micrograms an hour")
    count = parse_quantity(m["n"].strip()) if m["n"] else None
    if count is not None and count != 1 and per in ("hour", "min", "day", "dose"):
        per += "s"  # "25 micrograms/24 hours"
    return Normalised(
        text, f"{amount.value}/{format_quantity(count) + ' ' if count is not None else ''}{per}"
    )


def normalise_amount(text: str) -> Normalised:
    """A strength or dose: "0.2 mgs" -> "0.2 mg"; "1 and 1 / 2 tabs" -> "1.5 tablets"; "1 to 2 tablets"; a
    concentration or a dose by weight: "250 mg/5 ml" -> "250 mg/5 mL", "15 mg/kg"."""
    per = _per_amount(text)
    if per is not None:
        return per
    number, unit, rest = _split_unit(text)
    if rest and not re.fullmatch(r"(?:by mouth|orally|po|each|per dose)", rest, re.IGNORECASE):
        return Normalised(text, None)
    amount: str | None = None
    q = parse_quantity(number)
    if q is not None:
        amount = format_quantity(q)
    else:
        m = RANGE_RE.match(number)
        if m:
            lo, hi = parse_quantity(m.group("a")), parse_quantity(m.group("b"))
            if lo is not None and hi is not None and lo < hi:
                amount = f"{format_quantity(lo)}-{format_quantity(hi)}"
    if amount is None:
        return Normalised(text, None)
    if unit is None:
        return Normalised(text, amount)
    shown_unit = _plural(unit, amount.split("-")[-1])
    return Normalised(text, f"{amount} {shown_unit}")


def normalise_form(text: str) -> Normalised:
    key = clean_text(text).lower()
    key = re.sub(r"^(?:an?|the)\s+", "", key)
    unit = _unit(key)
    if unit in _FORM_NAMES:
        return Normalised(text, unit)
    words = key.split()
    if len(words) == 2 and _unit(words[1]) in _FORM_NAMES:  # "extended-release tablet", "nasal spray"
        return Normalised(text, f"{words[0]} {_unit(words[1])}")
    return Normalised(text, None)
