"""Where a recogniser's run-on starts a new clause with no sentence end: read by the offline detector's family
trait (:mod:`medscribe.offline.ner.family`) and the draft's subject reader
(:mod:`medscribe.logic.document.scope_subject`), so both end a family member's clause at the same word.

A "no" said right after a noun, with only spaces between ("her father smokes and has copd no night cough", "his
son takes clopidogrel no nausea", "older brother … uses a salbutamol inhaler no wheeze"), opens a new negated
clause: where a dictation had a sentence end, as the punctuated form shows ("… COPD. No night cough."). After a
verb, a preposition, a conjunction, a determiner or a reporting word ("her brother has no asthma", "with no",
"and no", "says no") the "no" stays in the clause it continues.
"""

from __future__ import annotations

import re

# the words after which "no" continues their clause
NO_CONTINUES = frozenset(
    {
        "a", "an", "the", "and", "or", "nor", "but", "with", "without", "of", "for", "to", "in", "on", "at", "by",
        "from", "as", "that", "which", "who", "whether", "if", "there", "is", "was", "are", "were", "be", "been",
        "being", "has", "had", "have", "having", "says", "said", "say", "reports", "reported", "states", "stated",
        "tells", "told", "shows", "showed", "gets", "got", "takes", "took", "uses", "used", "needs", "needed",
        "requires", "required", "knows", "known", "gives", "gave", "found", "also", "still", "really", "absolutely",
        "definitely", "certainly", "almost", "yes", "so", "means", "mean", "thinks", "think", "feels", "felt",
    }
)  # fmt: skip
_WORD_BEFORE = re.compile(r"([A-Za-z][\w']*) +$")
_NO = re.compile(r"no\b", re.IGNORECASE)


def opens_negated_clause(text: str, at: int, low: int = 0) -> bool:
    """``text[at:]`` starts with a "no" that opens a new clause: the word right before it (no punctuation
    between, starting at or after ``low``) is a noun, not one of ``NO_CONTINUES``."""
    if _NO.match(text, at) is None:
        return False
    before = _WORD_BEFORE.search(text, max(low, at - 40), at)
    return before is not None and before.start(1) >= low and before.group(1).lower() not in NO_CONTINUES


def negated_clause_start(text: str, low: int, high: int) -> int | None:
    """The first "no" in ``text[low:high]`` that opens a new clause (:func:`opens_negated_clause`), or None."""
    for match in re.finditer(r"\bno\b", text[low:high], re.IGNORECASE):
        if opens_negated_clause(text, low + match.start(), low):
            return low + match.start()
    return None
