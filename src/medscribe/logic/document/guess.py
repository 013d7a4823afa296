"""A drug's name said as a guess (issue 15): "possibly sumatriptan or rizatriptan", "bumetanide or something like
that", "on tramadol, or it might be the trazodone", "I think it's the omeprazole". The guess's reach is bounded the
way a negation's is (docs/guards.md): it reaches the drugs listed with it, never past another concept not
coordinated with it; a drug juxtaposed with the guessed one (a recogniser's run-on) leaves the reach unclear.
Read by :mod:`.about` (``NAME_UNCLEAR``) and, for ``UNSURE``, by :mod:`.mention_context` (a guessed allergen).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.scope_words import ACTION

REACH_CHARS = 120  # how far back a doubt is looked for (a sentence end closes it sooner)

# a negated modal or auxiliary before a verb of memory or telling ("cannot", "could not", "did not", "doesn't")
_CANNOT = (
    r"(?:can'?t|cannot|can\s+not|could\s+not|couldn'?t|does\s+not|doesn'?t|do\s+not|don'?t|did\s+not|didn'?t)"
)
UNSURE = re.compile(
    r"\b(?:possibly|maybe|perhaps|probably|might\s+be|may\s+be|not\s+sure|unsure|uncertain|unknown"
    # "can't remember", "does not recall": a verb of memory negated (the closed class of :data:`.scope_words.DOUBT_SAID`)
    rf"|{_CANNOT}\s+(?:remember|recall|recollect)|something|i\s+think\s+it(?:'s|\s+is|\s+was)"
    # "either apixaban or edoxaban": one of two names, neither said as the one
    r"|either(?=(?:\s+[\w'-]+){1,4}\s+or\b))(?!\w)",
    re.IGNORECASE,
)

_UNSURE_AFTER = re.compile(
    # "vitamin E or D, she is not sure which": the other alternative offered need not be a drug the detector holds
    r"(?:\s*,?\s+or\s+(?!something\b|similar\b)[\w'-]+(?:\s+[\w'-]+){0,2}?)?"
    r"\s*,?\s*(?:or\s+something(?:\s+like\s+that)?|or\s+similar|something\s+like\s+that|(?:is\s+)?to\s+be\s+confirmed"
    r"|tbc|i\s+think|(?:she|he|they)\s+thinks?|(?:but\s+)?(?:she|he|they)\s+(?:was|were|is|are)\s*n[o']?t\s+sure"
    # "Nasonex or Avamys, she could not say which": the speaker cannot tell which of the names it is
    rf"|(?:but\s+)?(?:she|he|they)\s+{_CANNOT}\s+(?:say|tell|remember|recall|know)\s+which)\b",
    re.IGNORECASE,
)
# "cannot recall whether she was told to start the filgrastim": the instruction is inside the doubted clause
_WHETHER = re.compile(r"\s+(?:whether|if)\b", re.IGNORECASE)
# "on tramadol for the knees, or it might be the trazodone": the drug offered as one of two guesses
_ALTERNATIVE_AFTER = re.compile(
    r"(?:\s+(?!or\b)[\w'-]+){0,5}?\s*,?\s+or\s+(?:(?:it|that|this)\s+(?:might|may|could)\s+(?:be|have\s+been)"
    r"|maybe|possibly|perhaps|probably|(?:was|is)\s+it)\b",
    re.IGNORECASE,
)
# "she calls it Lyrica, though it may be Lustral": a concession naming another drug doubts the first name too (read
# only when a drug the detector holds follows, "X 500 mg, but it may be increased" is no guess)
_THOUGH_AFTER = re.compile(
    r"(?:\s+(?!(?:though|although|but)\b)[\w'-]+){0,5}?\s*,?\s+(?:though|although|but)\s+(?:it|that|this)\s+"
    r"(?:might|may|could)\s+(?:be|have\s+been|actually\s+be)\s+(?:the\s+|called\s+)?",
    re.IGNORECASE,
)
_EITHER_BEFORE = re.compile(r"\beither\s+(?:the\s+)?$", re.IGNORECASE)
_OR_AFTER = re.compile(r"\s*,?\s+or\s+(?:the\s+)?[\w'-]+", re.IGNORECASE)
_UNSURE_WORDS = (
    8  # how far before a drug's name a speaker's doubt ("possibly", "can't remember") still reaches
)


# What may join the concepts a guess names ("possibly sumatriptan or rizatriptan", "maybe X, Y or Z"): a list
_GUESS_LIST = re.compile(r"(?:[\s,/]|\b(?:or|either|and|maybe|possibly|perhaps|the)\b)*", re.IGNORECASE)
_OR = re.compile(r"\bor\b|/", re.IGNORECASE)


def _alternatives_end(text: str, end: int, concepts: Sequence[tuple[int, int]]) -> tuple[int, bool]:
    """(where the list of alternatives the concept ending at ``end`` opens ends, whether a run-on leaves it
    unclear): "apixaban or edoxaban", "X, Y or Z" end at the last concept joined by list words with an "or" among
    them; "X Y or Z" (nothing between X and Y, a recogniser's run-on) too, unclear. ``end`` when no "or" joins."""
    last, joined, bare = end, False, False
    for b, e in sorted(c for c in concepts if c[0] >= end):
        gap = text[last:b]
        if _GUESS_LIST.fullmatch(gap) is None:
            break  # another word between: the list ended
        joined = joined or _OR.search(gap) is not None
        bare = bare or not gap.strip()
        last = e
    return (last, bare) if joined else (end, False)


def name_unsure(
    text: str, begin: int, end: int, concepts: Sequence[tuple[int, int]] = ()
) -> tuple[str, bool]:
    """(the words saying a drug's name was a guess, whether the guess's reach is unclear), else ("", False):
    "possibly X or Y", "X or something like that". A guess before the name reaches it as a negation does: over the
    ``concepts`` listed with it, never past one that is not ("possibly X for the migraines also on Y": Y is no
    guess); a concept juxtaposed with nothing between ("maybe X Y", a run-on) leaves the reach unclear."""
    after = _UNSURE_AFTER.match(text, end) or _ALTERNATIVE_AFTER.match(text, end)
    if after is not None:
        return " ".join(text[begin : after.end()].split()), False
    though = _THOUGH_AFTER.match(text, end)
    if though is not None and any(b == though.end() for b, _ in concepts):
        named = next(e for b, e in concepts if b == though.end())
        return " ".join(text[begin:named].split()), False
    last, run_on = _alternatives_end(text, end, concepts)
    after = _UNSURE_AFTER.match(text, last) if last > end else None
    if after is not None:  # "either apixaban or edoxaban, he is not sure": the doubt is of each drug offered
        return " ".join(text[begin : after.end()].split()), run_on
    either = _EITHER_BEFORE.search(text, max(0, begin - 20), begin)
    other = _OR_AFTER.match(text, end)
    if either is not None and other is not None:  # "either apixaban or edoxaban": one of two, neither said
        return " ".join(text[either.start() : other.end()].split()), False
    low = max(0, begin - REACH_CHARS)
    ends = [m.end() for m in re.finditer(r"[.;!?](?=\s|$)", text[low:begin])]
    low += ends[-1] if ends else 0
    doubt = next(reversed(list(UNSURE.finditer(text, low, begin))), None)
    if doubt is None or (ACTION.search(text, doubt.end(), begin) and not _WHETHER.match(text, doubt.end())):
        return "", False
    if len(text[doubt.end() : begin].split()) > _UNSURE_WORDS:
        return "", False
    between = sorted(c for c in concepts if doubt.end() <= c[0] and c[1] <= begin)
    ends = [e for _, e in between]
    starts = [b for b, _ in between[1:]] + [begin] if between else []
    gaps = [text[e:b] for e, b in zip(ends, starts, strict=True)]
    if any(_GUESS_LIST.fullmatch(g) is None for g in gaps):
        return "", False  # another concept, not listed with the guessed one, stands between: the guess ended
    unclear = any(not g.strip() for g in gaps)
    return " ".join(text[doubt.start() : end].split()), unclear
