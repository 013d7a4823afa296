"""Schedules and routes: frequencies, routes and durations of medication attributes.

- Frequencies: Latin abbreviations (qd, bid, tid, qid, qhs, hs, prn, qod, q6h, q4-6h, ac, pc) and the UK
  prescribing ones (od, bd, tds, qds, nocte, mane, om, on, stat), "once daily",
  "two times a day", "every 8 hours", meal-linked times ("at breakfast daily", "with meals").
- Routes (po, by mouth, sl, iv, im, subq, inhaled, topical...), durations ("for 7 days", "x 2 weeks").
"""

from __future__ import annotations

import re

from medscribe.logic.document.amounts import (
    RANGE_RE,
    Normalised,
    clean_text,
    format_quantity,
    parse_quantity,
)

_LATIN = {
    "qd": "once daily",
    "od": "once daily",
    "daily": "once daily",
    "once daily": "once daily",
    "once a day": "once daily",
    "once per day": "once daily",
    "a day": "once daily",  # "10 mg a day"
    "per day": "once daily",
    "every day": "once daily",
    "each day": "once daily",
    "bid": "twice daily",
    "bd": "twice daily",
    "twice daily": "twice daily",
    "twice a day": "twice daily",
    "two times daily": "twice daily",
    "two times a day": "twice daily",
    "2 times daily": "twice daily",
    "2 times a day": "twice daily",
    "tid": "three times daily",
    "tds": "three times daily",
    "three times daily": "three times daily",
    "three times a day": "three times daily",
    "3 times daily": "three times daily",
    "3 times a day": "three times daily",
    "qid": "four times daily",
    "qds": "four times daily",
    "four times daily": "four times daily",
    "four times a day": "four times daily",
    "4 times daily": "four times daily",
    "4 times a day": "four times daily",
    "qhs": "at bedtime",
    "hs": "at bedtime",
    "at bedtime": "at bedtime",
    "nightly": "at night",
    "nocte": "at night",
    "on": "at night",  # omni nocte
    "at night": "at night",
    "every night": "at night",
    "each night": "at night",
    "every evening": "in the evening",
    "each evening": "in the evening",
    "in the evening": "in the evening",
    "qam": "every morning",
    "mane": "every morning",
    "om": "every morning",  # omni mane
    "every morning": "every morning",
    "each morning": "every morning",
    "in the morning": "every morning",
    "qpm": "every evening",
    "prn": "as needed",
    "as needed": "as needed",
    "if needed": "as needed",
    "as required": "as needed",
    "when needed": "as needed",
    "when required": "as needed",
    "if required": "as needed",
    "as necessary": "as needed",
    "when necessary": "as needed",
    "as and when": "as needed",
    "as and when needed": "as needed",
    "as and when required": "as needed",
    "qod": "every other day",
    "every other day": "every other day",
    "weekly": "once weekly",
    "once weekly": "once weekly",
    "once a week": "once weekly",
    "monthly": "once monthly",
    "once a month": "once monthly",
    "every week": "once weekly",
    "each week": "once weekly",
    "every month": "once monthly",
    "each month": "once monthly",
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
_PRN = "|".join(sorted((re.escape(k) for k, v in _LATIN.items() if v == "as needed"), key=len, reverse=True))
_Q_HOURS = re.compile(r"^q\.?\s*(\d+)(?:\s*(?:-|to)\s*(\d+))?\s*(?:h|hr|hrs|hours?)\.?$", re.IGNORECASE)
_EVERY_HOURS = re.compile(r"^every\s+(\S+)(?:\s*(?:-|to)\s*(\S+))?\s+hours?$", re.IGNORECASE)
# Intervals of weeks and months ("every 3 months", "every two weeks") and counts per week or month ("twice weekly",
# "3 times a week", "twice a month"): the long-acting injections' and weekly doses' schedules. An interval of days
# ("every 3 days") stays unread: it is said of a taper's steps, which one row cannot show.
_EVERY_LONG = re.compile(r"^every\s+(\S+)\s+(week|month)s$", re.IGNORECASE)
_PER_LONG = re.compile(
    r"^(?:(once|twice|thrice)|(\S+)\s+times)\s+(?:a\s+|per\s+|every\s+|each\s+)?(week|month)(?:ly)?$",
    re.IGNORECASE,
)
_TIMES = {"once": 1, "twice": 2, "thrice": 3}


def _freq_key(text: str) -> str:
    t = clean_text(text).lower()
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
            span = f"{format_quantity(lo)}-{format_quantity(hi)}" if hi is not None else format_quantity(lo)
            return Normalised(text, f"every {span} hours")
        return Normalised(text, None)
    long = _long_interval(key)
    if long is not None:
        return Normalised(text, long)
    m = _ON_A_WEEKDAY.fullmatch(key)
    if m:  # "every Monday", "weekly on Mondays": a weekly dose, its day kept
        return Normalised(text, f"once weekly ({(m.group(1) or m.group(2)).capitalize()})")
    timed = _with_time_of_day(key)
    if timed is not None:  # "once daily at night", "once a day in the morning": one schedule
        return Normalised(text, timed)
    # "up to four times a day": at most that often, as needed
    m = re.fullmatch(r"up\s+to\s+(?P<base>.+)", key)
    if m:
        base_value = normalise_frequency(m.group("base")).value
        return Normalised(text, f"up to {base_value}" if base_value else None)
    # "<known> prn", "prn <known>", "at breakfast daily", "daily with breakfast", "<known> with meals"
    parts = [p for p in re.split(rf"\s+(?=(?:{_PRN})\b)|(?<=\bprn)\s+", key) if p]
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


_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_ON_A_WEEKDAY = re.compile(
    rf"(?:(?:once\s+)?(?:weekly|a\s+week|every\s+week)\s+)?(?:every|each)\s+({_WEEKDAYS})"
    rf"|(?:once\s+)?(?:weekly|a\s+week|every\s+week)\s+on\s+({_WEEKDAYS})s?"
)


# A time of day after a count a day ("once daily at night", "once a day in the morning", "at night only"): the
# count and the time are one schedule. Only a single daily dose takes a time: "twice daily at night" is no schedule.
_TIME_OF_DAY = {
    "at night": "at night",
    "every night": "at night",
    "nocte": "at night",
    "at bedtime": "at bedtime",
    "in the morning": "in the morning",
    "every morning": "in the morning",
    "mane": "in the morning",
    "in the evening": "in the evening",
    "every evening": "in the evening",
}
_TIMED = re.compile(rf"(?:(?P<base>.+?)\s+)?(?P<tod>{'|'.join(_TIME_OF_DAY)})(?:\s+only)?")


def _with_time_of_day(key: str) -> str | None:
    m = _TIMED.fullmatch(key)
    if m is None:
        return None
    tod = _TIME_OF_DAY[m.group("tod")]
    if m.group("base") is None:  # "at night only"
        return _LATIN.get(m.group("tod"))
    return f"once daily {tod}" if _LATIN.get(m.group("base")) == "once daily" else None


def _long_interval(key: str) -> str | None:
    """ "every 3 months" -> "every 3 months"; "twice weekly" / "2 times a week" -> "twice weekly"; None otherwise."""
    m = _EVERY_LONG.match(key)
    if m:
        n = parse_quantity(m.group(1))
        return f"every {format_quantity(n)} {m.group(2)}s" if n is not None and n >= 2 else None
    m = _PER_LONG.match(key)
    if not m:
        return None
    count = _TIMES.get(m.group(1) or "") or parse_quantity(m.group(2) or "")
    if count is None or count != int(count) or count < 1:
        return None
    per = "weekly" if m.group(3) == "week" else "monthly"
    return f"{ {1: 'once', 2: 'twice'}.get(int(count), f'{int(count)} times') } {per}"


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
            return Normalised(text, f"{format_quantity(q)} {unit}{'' if q == 1 else 's'}")
        r = RANGE_RE.match(m.group("num"))
        if r:
            lo, hi = parse_quantity(r.group("a")), parse_quantity(r.group("b"))
            if lo is not None and hi is not None and lo < hi:
                return Normalised(
                    text, f"{format_quantity(lo)}-{format_quantity(hi)} {_DURATION_UNITS[m.group('unit')]}s"
                )
    if key in {"ongoing", "indefinitely", "long term", "until finished", "until gone"}:
        return Normalised(text, key)
    return Normalised(text, None)
