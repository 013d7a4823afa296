"""A time said as a step of a drug's schedule is the drug's attribute, never a TIME_EXPRESSION.

PROCEDURE.md section 4 (from AWS's "Detect entities (Version 2)" page): a medication's FREQUENCY and DURATION are
its attributes, and so are the steps of a taper or titration; when a drug *was* taken, given, started or stopped is
a time expression (``TIME_TO_MEDICATION_NAME``). A time that follows one of the drug's amounts closely, in a clause
that reports no event, is a step of the plan:

- a step of a sequence: "16 units nightly this week, then 18 units next week", "2 mg twice a day for a week then
  stop";
- a dose's clock time: "5 mg at midday and 5 mg at 5 pm";
- a bound of the plan: "to go up to 500 mg twice daily after two weeks", "75 mg daily until March next year".

An event verb in the step keeps the time: "was increased from 18 mg to 27 mg each morning last month", "Paracetamol
1 g given at 9 pm". A start date of a new dose ("36 mg from today") is not a step either.

The other way round, a stretch of time after a drug the patient went without ("She missed her insulin for two
days", "ran out of olanzapine for a week") is no course prescribed: it dates when the drug was not taken, a time
expression (``went_without``). And a time right after a participle of taking or giving ("quetiapine, about twenty
tablets, taken two nights ago") dates the drug said before it however many commas stand between
(``after_participle``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from medscribe.offline.ner import time_links
from medscribe.offline.ner.text import Doc, Span

# how far back (tokens) the drug's amount may stand before the time, and how far a step reaches before its amount
_AMOUNT_REACH = 6
_STEP_REACH = 8
# words that say the drug was given, taken, started, stopped or changed: the time dates that event
_EVENT = frozenset({
    "given", "gave", "took", "taken", "had", "received", "administered", "started", "stopped", "restarted",
    "increased", "reduced", "decreased", "raised", "lowered", "changed", "switched", "ran", "missed", "was", "were",
    "been", "injected", "used", "last",
})  # fmt: skip
_CLOCK_RE = re.compile(
    r"(?:at|from)\s+(?:about\s+|around\s+)?(?:\d{1,2}(?:[:. ]\d{2})?\s*(?:am|pm|a m|p m)?"
    r"|[a-z]+(?:\s+[a-z]+)?\s*(?:am|pm|a m|p m|o'clock)"  # "at 5 pm", "at 14:20", "at two pm" (spoken)
    r"|midday|noon|midnight|(?:half|quarter|five|ten|twenty)\s+(?:past|to)\s+[a-z0-9]+)$",  # "at midday", "at half past 7"
    re.I,
)
_BOUND_RE = re.compile(r"(?:after|until|till)\b", re.I)
_BREAK_RE = re.compile(r"[,;:(]")
# the words a step's dose and schedule are said in, between its amount and its time ("16 units nightly this week",
# "75 mg daily until March next year"): any other word is another clause's ("5 mg weekly flexible sigmoidoscopy
# on day two")
_SCHEDULE_WORDS = frozenset({
    "daily", "nightly", "weekly", "a", "an", "day", "once", "twice", "three", "four", "times", "each", "every",
    "morning", "mornings", "night", "evening", "at", "in", "the", "with", "meals", "breakfast", "lunch", "tea",
    "dinner", "bedtime", "bd", "od", "tds", "qds", "nocte", "mane", "prn", "units", "unit", "tablets", "tablet",
    "puffs", "puff", "of", "per", "orally", "oral", "iv", "im", "sc", "by", "mouth", "until", "till", "and",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
})  # fmt: skip

Nearest = Callable[[Doc, Span, list[Span]], tuple[Span, str, float] | None]


def schedule_step(doc: Doc, t: Span, amounts: Sequence[Span], owners: Sequence[Span] = ()) -> bool:
    """``t`` is a step of a drug's plan (see the module docstring), not a date of an event."""
    sent = doc.sent[t.t0] if t.t0 < len(doc.sent) else -1
    said_before = [x for x in amounts if x.t1 <= t.t0 and doc.sent[x.t0] == sent]
    before = [x for x in said_before if t.t0 - x.t1 <= _AMOUNT_REACH]
    if not before:
        return False
    x = before[-1]
    if _BREAK_RE.search(doc.text, x.end, t.begin):
        return False  # "5 mg daily, and the pain since Monday": the clause has moved on
    if any(x.t1 <= o.t0 and o.t1 <= t.t0 and o.category != "MEDICATION" for o in owners):
        return False  # "5 mg weekly flexible sigmoidoscopy on day two": another entity's time
    # the step: back from the amount to a break, a "then", an earlier amount or _STEP_REACH tokens
    start = max(0, x.t0 - _STEP_REACH)
    brk = [m.end() for m in _BREAK_RE.finditer(doc.text, doc.toks[start].begin, x.begin)]
    if brk:
        start = max(start, doc.tok_range(brk[-1], x.begin)[0])
    words = doc.between(start, x.t0)
    if "then" in words:
        words = words[len(words) - words[::-1].index("then") :]
    between = doc.between(x.t1, t.t0)
    if _EVENT.intersection(words) or _EVENT.intersection(between) or not set(between) <= _SCHEDULE_WORDS:
        return False
    said = doc.text[t.begin : t.end]
    after = doc.between(t.t1, min(len(doc.toks), t.t1 + 2))
    sequence = "then" in after or "then" in doc.between(start, x.t0)
    bound = _BOUND_RE.match(said) is not None or bool({"until", "till"} & set(between))
    # a clock time is a step of a day's doses ("10 mg on waking, 5 mg at midday and 5 mg at 5 pm"); after a
    # drug's only dose it is when that dose was given ("Adrenaline 0.5 mg IM at 16:05")
    clock = _CLOCK_RE.match(said) is not None and len(said_before) > 1
    return sequence or bound or clock


def without_steps(nearest: Nearest, amounts: list[Span]) -> Nearest:
    """``nearest`` that dates nothing with a time that is a step of the drug it would date."""

    def pick(doc: Doc, t: Span, owners: list[Span]) -> tuple[Span, str, float] | None:
        hit = nearest(doc, t, owners)
        # a drug's frequency ("24 units at night") is its FREQUENCY whatever came between (PROCEDURE.md section 4)
        drug = hit is not None and hit[0].category == "MEDICATION"
        if drug and (t.type == "FREQUENCY" or schedule_step(doc, t, amounts, owners)):
            return None
        if drug and hit is not None and time_links.instructed(doc, t, hit[0], owners):
            return None
        return hit

    return pick


# a drug the patient went without: "missed her insulin", "ran out of his inhalers", "forgot the tablets"
_WITHOUT = frozenset({"missed", "forgot", "forgotten", "skipped", "omitted", "stopped"})
_WITHOUT_REACH = 3  # "missed her insulin", "stopped taking the tablets": the verb right before the drug


def went_without(doc: Doc, drug: Span, duration: Span) -> bool:
    """``duration`` follows a drug said as missed or run out of: how long it was not taken, not its course."""
    if duration.t0 < drug.t1 or duration.t0 - drug.t1 > 1:
        return False
    before = doc.between(max(0, drug.t0 - _WITHOUT_REACH), drug.t0)
    ran_out = any(before[k : k + 3] == ["ran", "out", "of"] for k in range(len(before)))
    return ran_out or bool(_WITHOUT.intersection(before))


# a participle that says a drug was taken or given, right before its time ("..., taken two nights ago")
_PARTICIPLES = frozenset({"taken", "given", "administered", "received", "swallowed", "injected"})
_PARTICIPLE_REACH = 15  # tokens back from the participle to the drug it speaks of


def after_participle(nearest: Nearest) -> Nearest:
    """``nearest`` that, finding nothing to date, dates the drug a participle right before the time speaks of."""

    def pick(doc: Doc, t: Span, owners: list[Span]) -> tuple[Span, str, float] | None:
        hit = nearest(doc, t, owners)
        if hit is not None or t.t0 == 0 or doc.toks[t.t0 - 1].norm not in _PARTICIPLES:
            return hit
        sent = doc.sent[t.t0 - 1]
        drugs = [
            o
            for o in owners
            if o.category == "MEDICATION"
            and o.t1 < t.t0
            and t.t0 - o.t1 <= _PARTICIPLE_REACH
            and doc.sent[o.t0] == sent
        ]
        return (drugs[-1], "OVERLAP", 0.7) if drugs else None

    return pick


def dating(nearest: Nearest, amounts: list[Span]) -> Nearest:
    """The entity a time expression dates: ``nearest``, less a drug's plan steps, plus a participle's drug."""
    return without_steps(after_participle(nearest), amounts)


_DETERMINERS = frozenset({"a", "an", "the", "her", "his", "their", "its", "affected", "this", "that"})


def drugs_own(doc: Doc, c: Span) -> bool:
    """A condition said between a drug and its course is the drug's own, not the course's owner, when the drug is
    applied to it ("Dovobet gel once daily to the plaques for 4 weeks") or given for it ("Amoxicillin 500 mg for a
    chest infection for 5 days": the indication)."""
    k = c.t0 - 1
    while k >= 0 and c.t0 - k <= 2 and doc.toks[k].norm in _DETERMINERS:
        k -= 1
    if k < 0 or doc.sent[k] != doc.sent[c.t0]:
        return False
    lead = doc.toks[k].norm
    return lead == "for" or (lead == "to" and k < c.t0 - 1)
