"""What a time expression may date, by its grammar (time13, session 16).

AWS's "Detect entities (Version 2)" page types a time by what it dates: ``TIME_TO_DX_NAME`` is "the date a medical
condition occurred", ``TIME_TO_TEST_NAME`` / ``TIME_TO_PROCEDURE_NAME`` / ``TIME_TO_TREATMENT_NAME`` /
``TIME_TO_MEDICATION_NAME`` the date of a test, procedure, treatment or drug; a drug's FREQUENCY and DURATION are its
attributes (PROCEDURE.md section 4). Two closed shapes of words follow from it:

- **an amount's period**: "no more than 300 mg in a day", "not more than eight tablets in a week", "increase to
  10 mg in two weeks": a count of one period said right after a drug's amount is how much is given per period (a
  limit, a rate) or when the plan's next step comes, the drug's own, never a date (``amount_period``);
- **a time ahead** ("in ten days", "next spring", "tomorrow", "within the next month") dates what is planned — a
  test, a procedure, a treatment, a drug — not a condition, which has occurred: "District nurse to check the wound
  in ten days" (the check is no entity), "trekking in Nepal next spring, with ulcerative colitis". Inside a
  condition's "if" ("If the pain is no better in four weeks", "if the infection comes back within a month") the
  time is the condition's, as section 4 keeps a hypothetical condition's time. Otherwise a time ahead dates the
  test, procedure or treatment within reach, or nothing (``ahead``, ``scoped``); a drug nearer than the condition
  was its owner already.

And "after three weeks" said of a drug stopped ("Lymecycline was stopped in May after three weeks") is how long it
was taken, its DURATION (section 4), not a date (``course_taken``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from medscribe.offline.ner.patterns import _NUMR
from medscribe.offline.ner.text import Doc, Span

Nearest = Callable[[Doc, Span, list[Span]], tuple[Span, str, float] | None]

_COUNT = rf"(?:{_NUMR}|an?|one|any|each|a\s+single|a\s+few|a\s+couple\s+of)"
_PERIOD_RE = re.compile(
    rf"(?:in|within|over)\s+{_COUNT}\s+(?:days?|weeks?|fortnights?|months?|24[\s-]*hours?(?:\s+period)?)$",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(r"%|percent", re.IGNORECASE)


def amount_period(doc: Doc, t: Span, amounts: Sequence[Span], owners: Sequence[Span]) -> bool:
    """``t`` is a count of one period said right after a drug's amount ("no more than 300 mg in a day"). An
    amount no drug holds is a value, and a concentration ("if the HbA1c remains above 8% in three months") no
    amount given: their time stays."""
    if not _PERIOD_RE.match(doc.text[t.begin : t.end]):
        return False
    held = {id(x) for o in owners if o.category == "MEDICATION" for x, _, _ in o.attributes}
    return any(
        x.t1 == t.t0
        and id(x) in held
        and not doc.text[x.end : t.begin].strip()
        and not _PERCENT_RE.search(doc.text, x.begin, x.end)  # a concentration is no amount given
        for x in amounts
    )


# a time ahead: "in ten days", "in about two months", "in a fortnight", "next spring", "at the next visit",
# "tomorrow", "within the next month", "over the next week", "in a week's time"
_AHEAD_RE = re.compile(
    rf"(?:in|after)\s+(?:about\s+|around\s+|approximately\s+)?{_COUNT}\s+(?:days?|weeks?|fortnights?|months?|years?)"
    rf"(?:'?s?\s+time)?$"
    rf"|(?:(?:at|by|until|till|from|on)\s+)?(?:the\s+)?next\b"
    rf"|(?:(?:by|until|till|from)\s+)?tomorrow\b|the\s+day\s+after\s+tomorrow\b"
    rf"|(?:within|over|during|in)\s+the\s+(?:next|coming)\b",
    re.IGNORECASE,
)
# words that put a condition in a condition's "if": its time is the hypothetical condition's
_IF = frozenset({"if", "unless", "should", "whether"})
_IF_NEEDED = frozenset(
    {"needed", "required", "necessary", "tolerated"}
)  # "if needed": a drug's, no condition's
_IF_REACH = 10  # tokens back from the time to its "if"
_CLAUSE_BREAK_RE = re.compile(r"[.;:]")


def ahead(doc: Doc, t: Span) -> bool:
    """``t`` points ahead of the visit ("in ten days", "next spring", "tomorrow")."""
    return _AHEAD_RE.match(doc.text, t.begin, t.end) is not None


def conditional(doc: Doc, t: Span) -> bool:
    """``t`` is said in a condition's "if" clause ("If the pain is no better in four weeks")."""
    sent = doc.sent[t.t0]
    for k in range(t.t0 - 1, max(-1, t.t0 - 1 - _IF_REACH), -1):
        if doc.sent[k] != sent or _CLAUSE_BREAK_RE.search(doc.text, doc.toks[k].end, doc.toks[k + 1].begin):
            return False
        if doc.toks[k].norm in _IF:
            return doc.toks[k + 1].norm not in _IF_NEEDED
    return False


# "Lymecycline was stopped in May after three weeks", "she stopped taking it after two weeks": how long a stopped
# drug was taken, its DURATION as taken (section 4), not a date
_AFTER_COUNT_RE = re.compile(
    rf"after\s+(?:about\s+|around\s+|only\s+|just\s+)?{_COUNT}\s+(?:days?|weeks?|fortnights?|months?|years?)$",
    re.IGNORECASE,
)
_STOPPED = frozenset({"stopped", "discontinued", "withdrawn", "ceased", "abandoned", "off"})


def course_taken(doc: Doc, t: Span, drug: Span) -> bool:
    """``t`` ("after three weeks") says how long ``drug``, said stopped in its clause, was taken."""
    if drug.category != "MEDICATION" or not _AFTER_COUNT_RE.match(doc.text, t.begin, t.end):
        return False
    lo, hi = (drug.t1, t.t0) if drug.t1 <= t.t0 else (max(0, t.t0 - 6), drug.t0)
    return bool(_STOPPED.intersection(doc.between(max(0, min(lo, drug.t0 - 3)), hi)))


def scoped(nearest: Nearest, amounts: Sequence[Span]) -> Nearest:
    """``nearest`` less an amount's period, and a time ahead dating the test or procedure within reach, not a
    condition (see the module docstring)."""

    def pick(doc: Doc, t: Span, owners: list[Span]) -> tuple[Span, str, float] | None:
        if amount_period(doc, t, amounts, owners):
            return None
        hit = nearest(doc, t, owners)
        if hit is not None and course_taken(doc, t, hit[0]):
            return None
        if hit is None or hit[0].category != "MEDICAL_CONDITION" or not ahead(doc, t) or conditional(doc, t):
            return hit
        return nearest(doc, t, [o for o in owners if o.category == "TEST_TREATMENT_PROCEDURE"])

    return pick
