"""Clauses that say nothing the draft should hold, by structure and small word classes (the coverage guard,
:mod:`.coverage`, names no such clause). Never a clinical word:

- **a normal finding said with "well"** ("Feeding well", "is sleeping well"): "well" is also a function word, so
  the normal-finding rule, which reads content words only, never saw it; not "as well (as)", and not when the
  clause negates ("not sleeping well": a problem);
- **a symptom's modifier** said after it ("worse lying flat", "relieved by rest", "eased by sitting"): a detail of
  the item before it, like a site; a modifier before a noun ("worse breathlessness") is a statement and stays
  read;
- **the patient's introduction**, the note's first clause ("Paediatrics, 9-month-old boy", "Paediatric clinic,
  11-year-old girl, 38 kg"): one age followed by at most one word ("girl"; never "with a limp"), a short header
  before it and no content word after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from medscribe.logic.document.coverage_words import NORMAL

MAX_HEADER_WORDS = 2  # content words of the header before an introduction's age ("Adolescent clinic")
MAX_INTRO_WORDS = 1  # words of an introduction after its age: "girl", not "with a limp"

_WELL = re.compile(r"(?<!\bas\s)\bwell\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never|no|nor|poorly|badly)\b|n't\b", re.IGNORECASE)
# Worse / relieved said of the symptom before: followed by a preposition or a posture or exertion ("worse lying flat"),
# never by a noun ("worse swelling", "worse breathlessness": a statement of its own).
_MODIFIER = re.compile(
    r"^\W*(?:(?:and|but|often|usually|always|also|slightly|much)\s+)?"
    r"(?:worse|worsened|relieved|eased|easing|eases|aggravated|exacerbated)\s+"
    r"(?:by|with|on|in|at|after|when|if|during|from|lying|sitting|standing|walking|bending|climbing|lifting)\b",
    re.IGNORECASE,
)
_AGE = re.compile(r"\b(?:year|month|week)s?[\s-]old\b", re.IGNORECASE)

Words = Callable[[str], list[str]]


def said_well(clause: str, content: Sequence[str], max_others: int) -> bool:
    """A normal finding said with "well", not negated, with at most ``max_others`` other content words."""
    others = [w for w in content if w not in NORMAL]
    return bool(_WELL.search(clause)) and not _NEGATED.search(clause) and len(others) <= max_others


def modifier(clause: str) -> bool:
    """The clause opens with a modifier of the symptom said before it ("worse lying flat")."""
    return bool(_MODIFIER.search(clause))


def introduction(clause: str, parts: Sequence[tuple[int, int]], content_words: Words) -> bool:
    """The clause introduces the patient: a short header, an age and one word, then nothing with content."""
    ages = [(i, m) for i, (a, b) in enumerate(parts) if (m := _AGE.search(clause[a:b]))]
    if len(ages) != 1:
        return False
    at, m = ages[0]
    a, b = parts[at]
    before = [clause[x:y] for x, y in parts[:at]] + [clause[a : a + m.start()]]
    after = [clause[x:y] for x, y in parts[at + 1 :]]
    return (
        sum(len(content_words(p)) for p in before) <= MAX_HEADER_WORDS
        and len(clause[a + m.end() : b].split()) <= MAX_INTRO_WORDS  # "girl", never "with a limp"
        and not any(content_words(p) for p in after)
    )


# A comparison with the normal or usual amount is a change, not a normal finding: "feeding less than half of normal",
# "more tired than normal", "below normal".
_COMPARED = re.compile(
    r"\b(?:than|of|below|above)\s+(?:(?:the|her|his|their|its)\s+)?(?:normal|usual)\b", re.IGNORECASE
)


def compared(clause: str) -> bool:
    """The clause compares something with the normal amount ("less than half of normal")."""
    return bool(_COMPARED.search(clause))
