"""Medication attribute text -> a normalised form shown beside the raw text.

Each function takes the attribute text exactly as detected (Comprehend Medical or the offline detector) and
returns a :class:`Normalised`: ``value`` is ``None`` when the text cannot be read with certainty. Nothing is
guessed: an unreadable attribute is kept raw and flagged by the draft builder, never dropped or misread.

- Quantities: digits, number words, decimals ("0.2", "zero point four"), mixed numbers and fractions
  ("1 and 1/2", "1 and 1 / 2", "one and a half", "1 1/2", "half a tablet"), ranges ("1 to 2", "1-2").
- Units: mg, mcg, g, mL, units, mEq, %, and forms (tablet, capsule, puff, drop, patch, spray...).
- Frequencies: Latin abbreviations (qd, bid, tid, qid, qhs, hs, prn, qod, q6h, q4-6h, ac, pc), "once daily",
  "two times a day", "every 8 hours", meal-linked times ("at breakfast daily", "with meals").
- Routes (po, by mouth, sl, iv, im, subq, inhaled, topical...), durations ("for 7 days", "x 2 weeks").
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


def _clean(text: str) -> str:
    text = (
        text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00bd", " 1/2").replace("\u00bc", " 1/4")
    )
    return " ".join(text.strip().strip(",;:").split())


def _fmt(value: Fraction) -> str:
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
    t = _clean(text).lower()
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


_RANGE = re.compile(r"^(?P<a>.+?)\s*(?:\bto\b|-|\bor\b)\s*(?P<b>.+)$", re.IGNORECASE)


def _split_unit(text: str) -> tuple[str, str | None, str]:
    """("1 and 1/2 tabs" -> "1 and 1/2", "tablet", ""); ("half a tablet" -> "half", "tablet", "")."""
    t = re.sub(r"(\d)([A-Za-zµ%])", r"\1 \2", _clean(text))
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


def normalise_amount(text: str) -> Normalised:
    """A strength or dose: "0.2 mgs" -> "0.2 mg"; "1 and 1 / 2 tabs" -> "1.5 tablets"; "1 to 2 tablets"."""
    number, unit, rest = _split_unit(text)
    if rest and not re.fullmatch(r"(?:by mouth|orally|po|each|per dose)", rest, re.IGNORECASE):
        return Normalised(text, None)
    amount: str | None = None
    q = parse_quantity(number)
    if q is not None:
        amount = _fmt(q)
    else:
        m = _RANGE.match(number)
        if m:
            lo, hi = parse_quantity(m.group("a")), parse_quantity(m.group("b"))
            if lo is not None and hi is not None and lo < hi:
                amount = f"{_fmt(lo)}-{_fmt(hi)}"
    if amount is None:
        return Normalised(text, None)
    if unit is None:
        return Normalised(text, amount)
    shown_unit = _plural(unit, amount.split("-")[-1])
    return Normalised(text, f"{amount} {shown_unit}")


_LATIN = {
    "qd": "once daily",
    "od": "once daily",
    "daily": "once daily",
    "once daily": "once daily",
    "once a day": "once daily",
    "once per day": "once daily",
    "every day": "once daily",
    "each day": "once daily",
    "bid": "twice daily",
    "twice daily": "twice daily",
    "twice a day": "twice daily",
    "two times daily": "twice daily",
    "two times a day": "twice daily",
    "2 times daily": "twice daily",
    "2 times a day": "twice daily",
    "tid": "three times daily",
    "three times daily": "three times daily",
    "three times a day": "three times daily",
    "3 times daily": "three times daily",
    "3 times a day": "three times daily",
    "qid": "four times daily",
    "four times daily": "four times daily",
    "four times a day": "four times daily",
    "4 times daily": "four times daily",
    "4 times a day": "four times daily",
    "qhs": "at bedtime",
    "hs": "at bedtime",
    "at bedtime": "at bedtime",
    "nightly": "at night",
    "at night": "at night",
    "every night": "at night",
    "every evening": "in the evening",
    "in the evening": "in the evening",
    "qam": "every morning",
    "every morning": "every morning",
    "in the morning": "every morning",
    "qpm": "every evening",
    "prn": "as needed",
    "as needed": "as needed",
    "as required": "as needed",
    "qod": "every other day",
    "every other day": "every other day",
    "weekly": "once weekly",
    "once weekly": "once weekly",
    "once a week": "once weekly",
    "monthly": "once monthly",
    "once a month": "once monthly",
    "ac": "before meals",
    "before meals": "before meals",
    "pc": "after meals",
    "after meals": "after meals",
    "with meals": "with meals",
    "with food": "with food",
    "stat": "immediately (once)",
    "once": "once",
}
_MEALS = r"breakfast|lunch|dinner|supper|meals?|food"
_Q_HOURS = re.compile(r"^q\.?\s*(\d+)(?:\s*(?:-|to)\s*(\d+))?\s*(?:h|hr|hrs|hours?)\.?$", re.IGNORECASE)
_EVERY_HOURS = re.compile(r"^every\s+(\S+)(?:\s*(?:-|to)\s*(\S+))?\s+hours?$", re.IGNORECASE)


def _freq_key(text: str) -> str:
    t = _clean(text).lower()
    t = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b|\s|$)", "", t)  # b.i.d. -> bid, q.h.s. -> qhs
    t = re.sub(r"\.(?=\s|$)", "", t)
    return " ".join(t.split())


def normalise_frequency(text: str) -> Normalised:
    """ "bid" -> "twice daily"; "q6h" -> "every 6 hours"; "at breakfast daily" -> "once daily with breakfast"."""
    key = _freq_key(text)
    if key in _LATIN:
        return Normalised(text, _LATIN[key])
    m = _Q_HOURS.match(key) or _EVERY_HOURS.match(key)
    if m:
        lo = parse_quantity(m.group(1))
        hi = parse_quantity(m.group(2)) if m.group(2) else None
        if lo is not None and (m.group(2) is None or hi is not None):
            span = f"{_fmt(lo)}-{_fmt(hi)}" if hi is not None else _fmt(lo)
            return Normalised(text, f"every {span} hours")
        return Normalised(text, None)
    # "<known> prn", "prn <known>", "at breakfast daily", "daily with breakfast", "<known> with meals"
    parts = [p for p in re.split(r"\s+(?=(?:prn|as needed)\b)|(?<=\bprn)\s+", key) if p]
    if len(parts) == 2 and all(normalise_frequency(p).ok for p in parts):
        return Normalised(text, " ".join(str(normalise_frequency(p).value) for p in parts))
    m = re.fullmatch(
        rf"(?:(?P<pre>.+?)\s+)?(?P<rel>at|with|before|after)\s+(?P<meal>{_MEALS})(?:\s+(?P<post>.+))?", key
    )
    if m and not (m.group("pre") and m.group("post")):
        base = m.group("pre") or m.group("post")
        base_value = normalise_frequency(base).value if base else None
        if base and base_value is None:
            return Normalised(text, None)
        rel = "with" if m.group("rel") == "at" else m.group("rel")
        meal = m.group("meal")
        return Normalised(text, " ".join(p for p in (base_value, rel, meal) if p))
    return Normalised(text, None)


_ROUTES = {
    "po": "by mouth",
    "p.o": "by mouth",
    "by mouth": "by mouth",
    "orally": "by mouth",
    "oral": "by mouth",
    "per os": "by mouth",
    "sl": "sublingual",
    "sublingual": "sublingual",
    "sublingually": "sublingual",
    "under the tongue": "sublingual",
    "iv": "intravenous",
    "intravenous": "intravenous",
    "intravenously": "intravenous",
    "im": "intramuscular",
    "intramuscular": "intramuscular",
    "intramuscularly": "intramuscular",
    "sc": "subcutaneous",
    "subq": "subcutaneous",
    "sq": "subcutaneous",
    "subcut": "subcutaneous",
    "subcutaneous": "subcutaneous",
    "subcutaneously": "subcutaneous",
    "inhaled": "inhaled",
    "inh": "inhaled",
    "by inhalation": "inhaled",
    "inhalation": "inhaled",
    "nebulized": "nebulised",
    "nebulised": "nebulised",
    "topical": "topical",
    "topically": "topical",
    "applied topically": "topical",
    "pr": "rectal",
    "per rectum": "rectal",
    "rectally": "rectal",
    "rectal": "rectal",
    "intranasal": "nasal",
    "nasal": "nasal",
    "in each nostril": "nasal",
    "transdermal": "transdermal",
    "ophthalmic": "eye",
    "in each eye": "eye",
    "in both eyes": "eye",
    "ou": "both eyes",
    "od eye": "right eye",
    "vaginal": "vaginal",
    "vaginally": "vaginal",
}


def normalise_route(text: str) -> Normalised:
    key = _freq_key(text)
    return Normalised(text, _ROUTES.get(key))


_DURATION_UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
}


def normalise_duration(text: str) -> Normalised:
    """ "for 7 days" / "x 7 days" / "for two weeks" / "for 1 to 2 weeks" -> "7 days" / "2 weeks" / "1-2 weeks"."""
    key = _freq_key(text)
    key = re.sub(r"^(?:for(?:\s+the\s+next)?|x|times|over)\s+", "", key)
    m = re.fullmatch(r"(?P<num>.+?)\s+(?P<unit>days?|weeks?|months?)", key)
    if m:
        q = parse_quantity(m.group("num"))
        if q is not None:
            unit = _DURATION_UNITS[m.group("unit")]
            return Normalised(text, f"{_fmt(q)} {unit}{'' if q == 1 else 's'}")
        r = _RANGE.match(m.group("num"))
        if r:
            lo, hi = parse_quantity(r.group("a")), parse_quantity(r.group("b"))
            if lo is not None and hi is not None and lo < hi:
                return Normalised(text, f"{_fmt(lo)}-{_fmt(hi)} {_DURATION_UNITS[m.group('unit')]}s")
    if key in {"ongoing", "indefinitely", "long term", "until finished", "until gone"}:
        return Normalised(text, key)
    return Normalised(text, None)


def normalise_form(text: str) -> Normalised:
    key = _clean(text).lower()
    key = re.sub(r"^(?:an?|the)\s+", "", key)
    unit = _unit(key)
    if unit in _FORM_NAMES:
        return Normalised(text, unit)
    words = key.split()
    if len(words) == 2 and _unit(words[1]) in _FORM_NAMES:  # "extended-release tablet", "nasal spray"
        return Normalised(text, f"{words[0]} {_unit(words[1])}")
    return Normalised(text, None)


NORMALISERS = {
    "STRENGTH": normalise_amount,
    "DOSAGE": normalise_amount,
    "FREQUENCY": normalise_frequency,
    "ROUTE_OR_MODE": normalise_route,
    "DURATION": normalise_duration,
    "FORM": normalise_form,
    "RATE": normalise_amount,
}


def normalise(attribute_type: str, text: str) -> Normalised:
    """The normaliser for a DetectEntitiesV2 medication attribute type (unknown types are not read)."""
    fn = NORMALISERS.get(attribute_type)
    return fn(text) if fn else Normalised(text, None)
