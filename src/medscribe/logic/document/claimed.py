"""A drug said as another record's claim ("the discharge letter says sitagliptin, please check which gliptin he
takes", "the referral lists glyburide"): the name comes from a record, not from what the patient is seen to take.
Its row is flagged ``NAME_UNCLEAR`` with the words; when another drug is said as taken just before it in the
sentence, the message names both (the two names may be confused), never a silent second prescription."""

from __future__ import annotations

import re
from collections.abc import Sequence

CLAIM_BEFORE = re.compile(
    r"\b(?:the|his|her|their|a)\s+(?:(?:discharge|referral|gp|clinic|hospital|pharmacy|admission|old)\s+)?"
    r"(?:letter|referral|summary|notes?|label|chart|list|prescription|record|box)s?\s+"
    r"(?:says?|said|states?|stated|lists?|listed|reads?|shows?|has|had|mentions?|mentioned)\s+"
    r"(?:(?:that\s+)?(?:he|she|they)\s+(?:is|was|are|were)\s+on\s+|(?:that\s+)?(?:he|she|they)\s+takes?\s+)?$",
    re.IGNORECASE,
)
_REACH = 80  # characters before the drug the claim's words may start
_OTHER_REACH = 200  # characters before the claim a drug said as taken may stand


def claimed(
    text: str, mention: tuple[int, int], medications: Sequence[tuple[int, int]], sentence_begin: int
) -> tuple[str, str] | None:
    """(the claim's words, the drug said just before it in the sentence or "") when the mention is a record's
    claim, else None."""
    begin, _ = mention
    m = CLAIM_BEFORE.search(text, max(sentence_begin, begin - _REACH), begin)
    if m is None:
        return None
    before = [
        (b, e)
        for b, e in medications
        if max(sentence_begin, m.start() - _OTHER_REACH) <= b and e <= m.start()
    ]
    other = " ".join(text[before[-1][0] : before[-1][1]].split()) if before else ""
    return " ".join(text[m.start() : mention[1]].split()), other
