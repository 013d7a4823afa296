"""A current condition whose own words then say it is over ("a rash which has now settled", "conjunctivitis last
week that has cleared", "an ankle sprain which resolved in May").

The words after the condition say it ended, but a dictation also says so of the complaint the patient came with
("stridor at rest which has now settled"): whether it is a current problem or past history the words cannot tell.
So the condition stays under Problems and is flagged ``HISTORY_SCOPE_UNCLEAR``, naming the words that say it ended:
never a silent current problem that is over, never silently moved out of the list. "Settled on" a treatment says
it is stable ("schizophrenia settled on an aripiprazole depot"), not over.

The status is read after the condition and the words that may follow it in its clause: its site or time ("on the
back", "last week"), at most :data:`GAP_WORDS` words, or a list of further conditions ("pneumonia and delirium, now
resolved"); a sentence break, "but", or a verb of its own ends the reach. A gap that opens with a preposition of
time, cause or place (:data:`PHRASE_OPENERS`: "after the last cycle", "from the fall in May") is one phrase that
modifies the condition, read up to :data:`PHRASE_WORDS` words: "her hyperstimulation syndrome after the last cycle
has resolved" says the syndrome is over. "With" opens no such phrase: "a rash with a cough that has cleared" may say
the cough cleared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

GAP_WORDS = 3
PHRASE_WORDS = 6  # a prepositional phrase after the condition: its preposition and at most five more words
# prepositions that open a phrase dating, placing or causing the condition (a closed class of English)
PHRASE_OPENERS = frozenset(
    ("after", "following", "from", "during", "since", "in", "on", "at", "of", "over", "before", "post", "due")
)
# "which has now settled", "that has cleared", "now resolved", "resolved", "have all settled", "has since healed"
ENDED = re.compile(
    r",?\s*(?:(?:which|that)\s+)?(?:(?:has|have|had|is|was|were|are)\s+)?(?:been\s+)?"
    r"(?:(?:now|since|all|completely|fully|largely|entirely)\s+)?"
    r"(?:resolved|cleared(?!\s+(?:for|to)\b)|settled(?!\s+on\b)|subsided|healed|disappeared)\b",
    re.IGNORECASE,
)
# what may lie between the condition and its status: words of its clause (a year or day in digits too), no clause
# break
_GAP_WORD = re.compile(
    r"\s*,?\s*(?!(?:but|and\s+then|then|so|because|although)\b)([a-z0-9][\w'-]*)", re.IGNORECASE
)
# a relative clause said right after the condition, its object the condition: a subject pronoun (closed class) and a
# verb of having or getting, "which" / "that" optional ("the pancreatitis he had in 2021", "the rash that she got")
RELATIVE = re.compile(
    r"\s+(?:(?:which|that)\s+)?(?:he|she|they|i|we|you)\s+(?:(?:has|have|had)\s+)?"
    r"(?:had|got|developed|suffered|caught|picked\s+up)\b",
    re.IGNORECASE,
)
# a noun phrase opening after the relative verb: the verb has an object of its own ("he had a cough")
_OBJECT = re.compile(r"\s+(?:a|an|the|some|any|his|her|their|its|my|no|another|this|that)\b", re.IGNORECASE)
_LIST = re.compile(r"[\s,]*(?:(?:and|or)\s+)?", re.IGNORECASE)
_VERBS = frozenset(("is", "was", "has", "had", "have", "are", "were", "takes", "started", "given", "treated"))


def said_over(text: str, end: int, concepts: Sequence[tuple[int, int]] = ()) -> str:
    """The words after a condition ending at ``end`` that say it is over ("which has now settled"), else ""."""
    at, words, limit = end, 0, GAP_WORDS
    relative = RELATIVE.match(text, at)
    if relative is not None:  # "the pancreatitis he had in 2021 has resolved": read past the clause's verb
        if _OBJECT.match(text, relative.end()):
            return ""  # "he had a cough": a clause of its own
        at, limit = relative.end(), PHRASE_WORDS
    while True:
        found = ENDED.match(text, at)
        if found is not None:
            return found.group(0).strip(" ,")
        listed = _next_concept(text, at, concepts)
        if (
            listed is not None and relative is None
        ):  # "pneumonia and delirium, now resolved": a listed condition, with words of its own
            at, words, limit = listed, 0, GAP_WORDS
            continue
        word = _GAP_WORD.match(text, at)
        if words >= limit or word is None or word.group(1).lower() in _VERBS:
            return ""
        if words == 0 and word.group(1).lower() in PHRASE_OPENERS:
            limit = PHRASE_WORDS
        at, words = word.end(), words + 1


def _next_concept(text: str, at: int, concepts: Sequence[tuple[int, int]]) -> int | None:
    """The end of a concept joined to ``at`` by list words only ("," "and" "or"), else None."""
    joined = _LIST.match(text, at)
    assert joined is not None
    for b, e in concepts:
        if b == joined.end() and b > at and re.search(r",|\b(?:and|or)\b", text[at:b], re.IGNORECASE):
            return e
    return None
