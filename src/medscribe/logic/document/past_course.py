"""A prescription said as a past course of treatment (issue 15: a drug not taken now is never stated as current).

"He had a DVT two years ago, treated with rivaroxaban for 6 months", "in 2019 she was treated with
methotrexate", "previously managed with lansoprazole", "he had a course of azithromycin in June": the drug follows
"treated / managed with" or a course had, taken or given, and its sentence dates the treatment in the past ("… ago",
"in 2019", "last year", "previously", "as a child", a month). The words say a
course that ended; so does a past-tense verb of taking with an end point after the drug ("he injected an anabolic
steroid … until January", "she was on carbimazole until two months ago": :data:`TOOK_BEFORE` and :data:`UNTIL_PAST`;
"until now" is no end). That it is not taken now is a reading, so the row is not moved: it is flagged
``NOT_VERIFIED_CURRENT`` naming PAST / NOT_TAKING and quoting the words. "Treated with X" with no past time ("she is
being treated with X", "treated with X since March") is no past course.
"""

from __future__ import annotations

import re

from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.document.pronoun_stop import not_current

_TREATED_BEFORE = re.compile(
    r"\b(?:(?:was\s+|were\s+|had\s+been\s+)?(?:treated|managed)\s+(?:(?:at\s+the\s+time|then|initially)\s+)?"
    r"with\s+(?:(?:a|an|the)\s+)?(?:(?:course|trial)\s+of\s+)?"
    # "he had a course of azithromycin for chlamydia in June": a course had, given or taken, said in the past
    r"|(?:had|took|received|was\s+given|were\s+given|completed)\s+(?:(?:a|an|the|his|her|their)\s+)?"
    r"(?:(?:short|full|one-off|single|previous|\w+[- ]day)\s+)?(?:course|trial|dose)\s+of\s+)$",
    re.IGNORECASE,
)
_PAST_TIME = re.compile(
    r"\b(?:(?:\w+\s+){0,2}(?:years?|months?|weeks?|decades?)\s+ago|in\s+(?:19|20)\d\d|last\s+(?:year|month|winter"
    r"|summer|spring|autumn|week)|previously|as\s+a\s+(?:child|teenager)|at\s+the\s+time"
    # a month named after a course said in the past tense ("had a course of X in June")
    r"|(?:in|during|back\s+in)\s+(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december))\b",
    re.IGNORECASE,
)
_NOT_PAST = re.compile(
    r"\b(?:since|still|currently|now|ongoing|is\s+being|will|going\s+to"
    # "… and continues it": the course goes on; "… in June continue atorvastatin" (a recogniser run-on, no full
    # stop) is the next instruction, about another drug
    r"|continues?(?=\s+(?:it|them|this|that|to\b|taking|on\s+(?:it|them|this|that))|\s*(?:[.,;!?]|$)))\b",
    re.IGNORECASE,
)
# a past-tense verb of taking right before the drug (an article or two words of it between): "took", "used",
# "injected", "was on", "had been taking"
TOOK_BEFORE = re.compile(
    r"\b(?:took|used|injected|inhaled|applied|(?:was|were|had\s+been|stayed|remained)\s+on"
    r"|(?:was|were|had\s+been)\s+(?:taking|using|injecting))\s+(?:(?:a|an|the|some|his|her|their)\s+)?"
    r"(?:[\w'-]+\s+){0,2}$",
    re.IGNORECASE,
)
# the end point said after it, a past time: "until January", "till the end of last year", "until two months ago"
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
UNTIL_PAST = re.compile(
    r"\b(?:until|till|up\s+until)\s+(?:the\s+(?:end|start|middle)\s+of\s+)?(?:"
    rf"last\s+(?:year|month|week|winter|summer|spring|autumn|{_MONTH})|(?:\w+\s+){{0,2}}(?:years?|months?|weeks?|days?)"
    rf"\s+ago|(?:19|20)\d\d|{_MONTH}(?:\s+(?:19|20)\d\d)?|recently|yesterday)\b",
    re.IGNORECASE,
)
_REACH = 60  # characters before the drug the "treated with" may start
_SENTENCE = re.compile(r"[.!?;](?=\s|$)")


def past_course(text: str, mention: tuple[int, int]) -> str:
    """The words saying the drug at ``mention`` was a past course ("had a DVT two years ago, treated with"), or ""."""
    begin, end = mention
    cue = _TREATED_BEFORE.search(text, max(0, begin - _REACH), begin)
    if cue is None:
        return _took_until(text, mention)
    starts = [m.end() for m in _SENTENCE.finditer(text, 0, cue.start())]
    start = starts[-1] if starts else 0
    stop = _SENTENCE.search(text, end)
    sentence_end = stop.start() if stop else len(text)
    past = _PAST_TIME.search(text, start, sentence_end)
    if past is None or _NOT_PAST.search(text, start, sentence_end):
        return ""
    return " ".join(text[min(past.start(), cue.start()) : max(past.end(), end)].split())


def _took_until(text: str, mention: tuple[int, int]) -> str:
    """The words saying the drug at ``mention`` was taken until a past time ("injected an anabolic steroid bought
    at his gym until January"), or ""."""
    begin, end = mention
    took = TOOK_BEFORE.search(text, max(0, begin - _REACH), begin)
    if took is None:
        return ""
    stop = _SENTENCE.search(text, end)
    sentence_end = stop.start() if stop else len(text)
    until = UNTIL_PAST.search(text, end, min(sentence_end, end + _REACH))
    if until is None or _NOT_PAST.search(text, took.start(), until.end()):
        return ""
    return " ".join(text[took.start() : until.end()].split())


def flag(name: str, mention: tuple[int, int], said: str) -> ReviewFlag:
    why = f"it is said as a past course (“{said}”): PAST / NOT_TAKING, check whether it is taken now"
    return not_current(name, mention, why)
