"""A drug said, after it, to be another person's (issue 15: another person's drug or dose never joins the
patient's row): "she takes methotrexate 10 mg weekly too, and that is hers" (the patient a man), "the Xalatan
drops, those are his wife's".

The owner is said by a possessive after the drug, in its stretch (before another concept is named, never past a
sentence end, at most ``REACH_WORDS`` words on): a relation's possessive ("his wife's", "her husband's") names the
owner; a bare pronoun ("hers", "his") is another person's only when the patient's gender is known and the pronoun
is the other one (:func:`.clause_reach.patient_gender`: "his wife" says the patient is a man), and "his" only
where it ends its clause ("that is his only anticoagulant" says nothing of whose). The owner shown is
the relation named, or the last relation of that gender named before the drug in the text, else "another person".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from medscribe.logic.document.clause_reach import patient_gender
from medscribe.logic.document.relation_words import FAMILY, FEMALE, MALE, OTHERS, RELATION

REACH_WORDS = 14  # how far after the drug its owner may be said ("… 10 mg weekly too, and that is hers")
_END = re.compile(r"[.;!?\n]")
_OWNED = re.compile(
    r"\b(?:that|those|these|this|it|they|which)(?:\s+(?:one|ones|tablets?|drops|pens?|inhalers?|boxe?s?|packs?))?"
    r"(?:['\u2019]s|\s+(?:is|are|was|were))\s+(?:all\s+|only\s+|actually\s+)?"
    rf"(?:(?:his|her|their)\s+(?P<relation>(?:{FAMILY})|(?:{OTHERS}))['\u2019]s"
    r"|(?P<pronoun>hers|his(?=\s*(?:[.,;:!?]|$)|\s+(?:and|too|as\s+well|not|but|so)\b)))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Owner:
    relation: str  # "wife", or "another person" when no relation of the owner's gender is named
    family: bool  # a family member (Family history), else another person (Other people)


def owned_after(text: str, end: int, concepts: Sequence[tuple[int, int]] = ()) -> Owner | None:
    """The other person the drug ending at ``end`` is said to belong to, or None."""
    stop = _END.search(text, end)
    high = min([stop.start() if stop else len(text), *(b for b, _ in concepts if b >= end)])
    words = list(re.finditer(r"\S+", text[end:high]))
    high = end + words[REACH_WORDS - 1].end() if len(words) > REACH_WORDS else high
    said = _OWNED.search(text, end, high)
    if said is None:
        return None
    if said["relation"]:
        return _owner(said["relation"])
    gender = patient_gender(text)
    owner_female = said["pronoun"].lower() == "hers"
    if gender is None or owner_female == (gender == "female"):
        return None  # the patient's own, or the words do not say whose
    named = [m for m in RELATION.finditer(text, 0, end) if _female(m.group(0)) is owner_female]
    return _owner(named[-1].group(0)) if named else Owner("another person", family=False)


def _bare(relation: str) -> str:
    return re.sub(r"['\u2019]s$", "", relation.lower())


def _female(relation: str) -> bool | None:
    word = _bare(relation)
    return True if word in FEMALE else False if word in MALE else None


def _owner(relation: str) -> Owner:
    word = _bare(relation)
    m = RELATION.fullmatch(word)
    return Owner(word, family=m is not None and m["family"] is not None)
