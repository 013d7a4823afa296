"""The grammar of time expressions (DetectEntitiesV2 TIME_EXPRESSION), on both forms of a note.

``patterns._TIME_RE`` holds the points and stretches of time said with words (yesterday, since Monday, for the
past 2 weeks, in the spring, three days ago, ...). This module adds the pieces it lacked and is what the detector
finds time expressions with (``TIME_RE``):

- a **date** behind a preposition: "on 3 March", "since the 4th", "until 12/03/2024", "on three march" (the
  recogniser's cardinal); a date the PHI rules also read as a DATE stays that DATE and is, with its preposition,
  the time expression of what it dates as well (``dates_with_a_preposition``);
- a **year**, alone or after a month or a season, behind a preposition: "in 2015", "since March 2019", "until
  the spring of 2020", said in digits or as a recogniser writes it ("in two thousand and nine", "in twenty
  fifteen", "in nineteen ninety eight", "in one thousand nine hundred ninety eight");

- a **duration before "history of"**: "a 3-day history of diarrhoea", "two week history of cough" -> `3-day`,
  `two week`, the condition's duration;

It also holds the **recurrence** grammar (``RECURRENCE_RE``): how often a symptom comes ("more than once a week",
"at least twice a day", "twelve days a month", "three nights a week"). Said after a drug's dose it is the drug's
FREQUENCY attribute; with no drug near it is the time expression of the condition it recurs with
(``linking._TIME_LIKE``; PROCEDURE.md section 4: a condition has no FREQUENCY attribute).

Which entity a time expression dates, and whether it is reported at all, is decided by ``linking._link_time`` and
``relations.add_time_expressions``: the rule here is only what words make a time.
"""

from __future__ import annotations

import re

from medscribe.offline.ner.patterns import _MONTH_NAMES, _NUMR, _ORD, _TIME_RE, _WEEKDAY
from medscribe.offline.ner.text import Doc, Span

_UNITS_AFTER = (
    r"(?:minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?|mg|mgs|milligrams?|mcg|micrograms?|g|grams?"
    r"|ml|mls|millilit(?:re|er)s?|units?|tablets?|puffs?|doses?|times?|percent|%|mmol|kg|kilos?|kilograms?|pounds?"
    r"|lbs?|steps|metres|meters|miles|calories)"
)
# the tens and units of a year's last two digits said as words: "fifteen", "ninety eight", "oh nine"
_TEEN = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_DIGIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TWO_DIGITS = rf"(?:{_TEEN}|{_TENS}(?:[\s-]+{_DIGIT})?|oh\s+{_DIGIT})"
_YEAR = (
    rf"(?:(?<![\w.,/])(?:19|20)\d\d(?![\w/:%-]|[.,]\d|\s*(?:{_UNITS_AFTER})\b)"
    rf"|\b(?:nineteen|twenty)\s+{_TWO_DIGITS}\b(?!\s+(?:{_UNITS_AFTER})\b)"
    rf"|\btwo\s+thousand(?:\s+and)?(?:\s+{_TWO_DIGITS}|\s+{_DIGIT})?\b(?!\s+(?:{_UNITS_AFTER})\b)"
    rf"|\bone\s+thousand\s+nine\s+hundred(?:\s+and)?\s+{_TWO_DIGITS}\b(?!\s+(?:{_UNITS_AFTER})\b))"
)
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_YEAR_TIME = (
    rf"\b(?:in|since|from|until|till|during|by|before|after)\s+(?:(?:early|late|mid)[\s-]+)?"
    rf"(?:(?:the\s+)?{_SEASON}\s+(?:of\s+)?|{_MONTH_NAMES}\s+(?:of\s+)?)?{_YEAR}"
)
_DAY_OF_MONTH = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|thirty(?:[\s-]+one)?)"
)
_DATE_LEAD = r"(?:on|since|from|until|till|by|before|after)"
# "on three march", "since the 4th", "on the twelfth of may" (the PHI DATE rules read "on 3 March" in digits)
_DATE_TIME = (
    rf"\b{_DATE_LEAD}\s+(?:the\s+)?(?:{_DAY_OF_MONTH}|{_ORD})\s+(?:of\s+)?{_MONTH_NAMES}\b"
    rf"|\b{_DATE_LEAD}\s+the\s+(?:[12]?\d|3[01])(?:st|nd|rd|th)\b"
    rf"(?!\s+(?:of\s+)?(?:{_MONTH_NAMES}|floor|time|day|week|dose|centile|percentile|birthday))"
)
# a condition's duration said before "history of", hyphenated or not: "a 3-day history of diarrhoea", "two week
# history of cough" (the recogniser writes the hyphen as a space): the number and its unit, as "16 days" is
_HISTORY_SPAN = (
    rf"(?<![\w-])(?:{_NUMR})[\s-]+(?:day|week|month|year|hour|fortnight)s?(?=[\s-]+history\s+of\b)"
)
# Closed classes of time words (session 15): the parts of a day and of a week, the seasons, the holidays of a
# year, the hours said in words
_DAY_PARTS = r"(?:mornings|afternoons|evenings|nights|days|weekends|weekdays|weeknights)"
_SEASONS = r"(?:spring|summer|autumn|fall|winter)"
_HOLIDAYS = (
    r"(?:(?:christmas|easter|summer|school|half[\s-]term|february|october)\s+holidays?"
    r"|christmas|easter|new\s+year|half[\s-]term|bank\s+holiday(?:\s+weekend)?)"
)
_THE_YEAR = rf"\s+(?:of\s+)?{_YEAR}"
_HOUR_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[1-9]|1[0-2])"
_DAY_PART = r"(?:morning|afternoon|evening|night)"
# habits: a quantifier before the plural of a part of the day or week ("most mornings", "many nights"), the days
# of the week said as a class ("at weekends", "on weekdays"), a part of the day said in the plural ("in the late
# afternoons"), a recurring weekend or season ("every other weekend", "each winter")
_HABIT = (
    rf"\b(?:most|many|some)\s+{_DAY_PARTS}\b"
    rf"|\b(?:at|on|over)\s+(?:the\s+)?(?:weekends|weekdays|weeknights)\b"
    rf"|\bin\s+the\s+(?:early|late)\s+(?:mornings|afternoons|evenings)\b"
    rf"|\b(?:every|each)\s+(?:other\s+|second\s+)?(?:weekend|weekday|{_SEASONS})\b"
    # a day of the week with the plural of a part of the day, "on Saturday afternoons", and a part of the day
    # said with "mid", "mid-morning" (session 16)
    rf"|\bon\s+(?:{_WEEKDAY}s?|weekday|weekend)\s+(?:mornings|afternoons|evenings|nights)\b"
    rf"|\bmid[\s-]?(?:morning|afternoon|evening)\b"
)
# the calendar: a holiday or season with a preposition ("over the bank holiday", "after the new year", "since
# last Christmas", "over the winter"), a season counted back ("the winter before last"), a part of a day
# counted from another ("that evening", "the following morning")
_CALENDAR = (
    rf"\b(?:since|over|during|after|before|until|till|from|at|by|in)\s+(?:the\s+)?(?:last\s+)?{_HOLIDAYS}\b"
    rf"|\blast\s+{_HOLIDAYS}\b"
    rf"|\b(?:over|during|through|throughout)\s+the\s+{_SEASONS}\b"
    # a season or a month after the prepositions of a bound, "from the summer", "until January" (session 16)
    # (with its year it is the year's time, below: "until the spring of 2020")
    rf"|\b(?:from|until|till|before|after|by)\s+the\s+{_SEASONS}\b(?!{_THE_YEAR})"
    rf"|\b(?:until|till|before|by|during|through)\s+(?:early\s+|late\s+|mid[\s-]+)?{_MONTH_NAMES}\b(?<!may)"
    rf"(?!{_THE_YEAR})"
    rf"|\b(?:until|till|before|by|during|through)\s+(?:early\s+|late\s+|mid[\s-]+)?may\b(?!{_THE_YEAR})"
    rf"(?!\s+(?:be|have|not|need|also|well|still|help|cause|take|try|want|get|go|do|make|lead|affect)\b)"
    rf"|\bthe\s+(?:{_SEASONS}|christmas|easter)\s+before\s+last\b"
    rf"|\b(?:that|the\s+following|the\s+next)\s+{_DAY_PART}\b"
)
# an hour said in words ("at half past seven", "at about two am", "at quarter to six this morning", "at
# midnight"), and a point counted from an event the sentence gives ("the level at four hours", "review at two
# weeks", "cortisol at admission")
_CLOCK = (
    rf"\b(?:at|since|from|until|till|by)\s+(?:about\s+|around\s+|approximately\s+)?"
    rf"(?:(?:(?:half|quarter|five|ten|twenty|twenty[\s-]five)\s+(?:past|to)\s+{_HOUR_WORD}"
    rf"(?:\s*(?:am|pm|a\s+m|p\s+m|o'clock)\b)?)"
    rf"|{_HOUR_WORD}(?:[:.][0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.|a\s+m|p\s+m|o'clock)\b|midnight|midday|noon)"
    rf"(?:\s+(?:this|yesterday|last|on\s+{_WEEKDAY})\s+{_DAY_PART}|\s+(?:in\s+the\s+)?{_DAY_PART}s?)?"
    rf"|\bat\s+(?:{_NUMR})\s+(?:hours?|days?|weeks?|months?)\b"
    rf"(?!'?\s*(?:of\s+age|old|gestation|pregnant|of\s+pregnancy|of\s+gestation)\b)"
    # ("at 30 weeks" of a pregnancy is a gestational age: time_events.gestational; not "at discharge": a value on
    # leaving, "sodium 131 at discharge", is no reference in the dev parts)
    rf"|\bat\s+(?:admission|presentation|diagnosis)\b"
)
_POST_OP = r"(?:post[\s-]?op(?:erative)?|postnatal|post[\s-]?partum)"
# a day counted from an operation or a birth: "on post-op day 3", "on the second post-operative day", "on day
# five post-op"
_STAY_DAY = (
    rf"\b(?:on\s+)?{_POST_OP}\s+day\s+(?:{_NUMR}|one)\b"
    rf"|\bon\s+the\s+{_ORD}\s+{_POST_OP}\s+day\b"
    rf"|\bon\s+day\s+(?:{_NUMR}|one)\s+{_POST_OP}(?:eratively|atively)?\b"
)
TIME_RE = re.compile(
    rf"{_STAY_DAY}|{_CLOCK}|{_CALENDAR}|{_HABIT}|{_YEAR_TIME}|{_DATE_TIME}|{_HISTORY_SPAN}|{_TIME_RE.pattern}",
    re.IGNORECASE,
)
_DATE_LEAD_RE = re.compile(rf"\b{_DATE_LEAD}\s+(?:the\s+)?$", re.IGNORECASE)


def dates_with_a_preposition(doc: Doc, entities: list[Span]) -> list[tuple[int, int]]:
    """The offsets of "<preposition> <PHI DATE>" ("admitted on 3 March", "until 12/03/2024"): the date's time
    expression, said with its preposition as section 4 writes a reference."""
    out = []
    for e in entities:
        if e.category == "PROTECTED_HEALTH_INFORMATION" and e.type == "DATE":
            m = _DATE_LEAD_RE.search(doc.text, max(0, e.begin - 12), e.begin)
            if m is not None:
                out.append((m.start(), e.end))
    return out


# How often something comes: "more than once a week", "at least twice a day", "up to ten times a day", "two or
# three times a month", "twelve days a month", "three nights a week"
_PER = r"(?:a|per|each|every)"
RECURRENCE_RE = re.compile(
    rf"\b(?:(?:up\s+to|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|no\s+more\s+than)\s+)?"
    rf"(?:once|twice|(?:a\s+few|\S+(?:\s+or\s+\S+)?)\s+times?)\s+{_PER}\s+(?:day|week|month|night|year)\b"
    rf"|\b(?:(?:more\s+than|at\s+least|up\s+to)\s+)?(?:{_NUMR}|a\s+few|several)\s+(?:days|nights)\s+{_PER}\s+"
    rf"(?:week|month)\b",
    re.IGNORECASE,
)
