"""A drug restarted now, read from the words around its mention (either backend).

"He ran out of furosemide ten days ago; restart furosemide 40 mg each morning", "Levetiracetam restarted at
500 mg twice daily", "Furosemide was held on the ward and restarted at 20 mg once daily today": the drug is
taken now. The earlier stop, hold or "ran out of" is its history, not a contradiction (:mod:`.medications`
prescribes it with the qualifier "restarted" instead of flagging taking / not taking).

A restart said for later or under a condition is not one: "to be restarted at the clinic's decision", "does not
want to restart it", "will restart it if the potassium settles" (the conditional scope of the whole mention is
read by :mod:`.scope` before this; only the restart's own words are checked here).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.evidence import Span, word_end
from medscribe.logic.document.scope_words import ACTION

_RESTART = (
    r"re-?start(?:s|ed|ing)?|resum(?:e|es|ed|ing)|re-?commenc(?:e|es|ed|ing)|re-?introduc(?:e|es|ed|ing)"
    r"|re-?instat(?:e|es|ed|ing)"
)
_RESTART_BEFORE = re.compile(
    rf"\b(?:{_RESTART}|(?:start(?:s|ed)?|put)\s+(?:\w+\s+)?back\s+on|back\s+on(?:\s+to)?)"
    r"\s+(?:(?:the|his|her|their|taking|on)\s+)*$",
    re.IGNORECASE,
)
_RESTART_AFTER = re.compile(rf"\b(?:{_RESTART})\b", re.IGNORECASE)
# "to be restarted", "will restart", "does not want to restart it", "before restarting": not done now
_NOT_NOW = re.compile(
    r"\b(?:to|be|will|would|could|can|may|might|should|shall|not|never|before|until|if|unless|when|once|after"
    r"|plan\w*|consider\w*|want\w*|wish\w*|decid\w*|whether)\s+(?:\w+\s+)?$|n'?t\s+$",
    re.IGNORECASE,
)
# a time or condition clause opening the sentence before the drug: "When the level is below 1.0, Camcolit restarts",
# "once the creatinine settles restart metformin", "After the repeat endoscopy, clopidogrel resumes": the restart is
# for later (a restart said in the past, "After the scan, aspirin was restarted", is done)
_LATER_CLAUSE = re.compile(
    r"^\W*(?:when|whenever|once|after|if|unless|until|as\s+soon\s+as)\b(?:[^.;:!?]|\.(?=\d))*$", re.IGNORECASE
)
_PUNCTUATION = re.compile(r"[,;:!?]|\.(?!\d)")
_LATER_WORDS = 15  # words the opening clause and the words up to the drug may hold
_AFTER_WORDS = 10  # how far after the drug its restart may be said ("X was held on the ward and restarted")
_BEFORE_CHARS = 40


def restarted(
    text: str, sentence: Span, mention: tuple[int, int], medications: Sequence[tuple[int, int]] = ()
) -> str:
    """The words that say the mention's drug is restarted now ("restart furosemide", "furosemide was held on
    the ward and restarted"), or ""."""
    begin, end = mention
    low = max(sentence.begin, begin - _BEFORE_CHARS)
    before = _RESTART_BEFORE.search(text, low, begin)
    if before is not None and not _NOT_NOW.search(
        text, max(sentence.begin, before.start() - 30), before.start()
    ):
        return (
            ""
            if _said_for_later(text, sentence, before.start(), before.group(0), run_on=False)
            else " ".join(text[before.start() : end].split())
        )
    nxt = [b for b, _ in medications if b >= end]
    high = min([sentence.end, word_end(text, end, _AFTER_WORDS), *nxt])
    after = _RESTART_AFTER.search(text, end, high)
    if after is None:
        return ""
    gap = text[end : after.start()]
    if _NOT_NOW.search(text, max(end, after.start() - 30), after.start()) or re.search(r"[.;:!?]", gap):
        return ""
    instruction = ACTION.search(gap)
    if instruction is not None and instruction.group(0).lower() not in ("hold", "stop"):
        return ""  # "X 5 mg, continue Y, restart …": another instruction's object
    if nxt and min(nxt) == high and len(text[after.end() : high].split()) <= 3:
        return ""  # "X stopped, restart the Y": the restart is the next drug's
    if _said_for_later(text, sentence, begin, after.group(0), run_on=True):
        return ""
    return " ".join(text[begin : after.end()].split())


def _said_for_later(text: str, sentence: Span, at: int, verb: str, *, run_on: bool) -> bool:
    """A restart not said in the past, in a sentence opened by a time or condition clause before ``at``; with
    ``run_on`` (the drug is the restart's subject, "… camcolit restarts") also such a clause a few words before it
    in an unpunctuated run-on (an imperative "restart X" after "when he was away" is not read so: that clause is
    the stop's)."""
    if verb.split()[0].lower().endswith("ed"):
        return False
    opening = text[sentence.begin : at]
    if len(opening.split()) <= _LATER_WORDS and _LATER_CLAUSE.match(opening) is not None:
        return True
    # unpunctuated (the recogniser's form): the clause may open anywhere in the run-on, a few words before
    if not run_on or _PUNCTUATION.search(text, sentence.begin, sentence.end):
        return False
    words = opening.split()[-_LATER_WORDS:]
    first = _opener(words)
    return first >= 0 and _LATER_CLAUSE.match(" ".join(words[first:])) is not None


def _opener(words: list[str]) -> int:
    """Where the last time or condition word of ``words`` stands, or -1."""
    for i in range(len(words) - 1, -1, -1):
        if _LATER_CLAUSE.match(words[i]) or (
            words[i].lower() == "as" and words[i + 1 : i + 3] == ["soon", "as"]
        ):
            return i
    return -1
