"""A drug said as another record's claim ("the discharge letter says sitagliptin, please check which gliptin he
takes", "the referral lists glyburide"): the name comes from a record, not from what the patient is seen to take.
Its row is flagged ``NAME_UNCLEAR`` with the words; when another drug is said as taken just before it in the
sentence, the message names both (the two names may be confused), never a silent second prescription. When a
contrast sets the claim against that drug ("the chart shows risperiDONE, but the hospital list says rOPINIRole,
please confirm which") or against a drug said after it ("his GP list says X, but the box he brought is Y"), either
name may be the slip: the other drug is flagged too, neither row silent."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

CLAIM_BEFORE = re.compile(
    r"\b(?:the|his|her|their|a|our|your|my)\s+(?:[^\W\d_]+\s+){0,2}?"
    r"(?:letter|referral|summary|notes?|label|chart|list|prescription|record|box|slip|sheet|card)s?\s+"
    r"(?:says?|said|states?|stated|lists?|listed|reads?|shows?|has|had|mentions?|mentioned|names?|named)\s+"
    r"(?:(?:that\s+)?(?:he|she|they)\s+(?:is|was|are|were)\s+on\s+|(?:that\s+)?(?:he|she|they)\s+takes?\s+)?$",
    re.IGNORECASE,
)
_REACH = 80  # characters before the drug the claim's words may start
_OTHER_REACH = 200  # characters before the claim a drug said as taken may stand


_AFTER_REACH = 120  # characters after the claimed drug a drug set against it by a contrast may stand
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")
_CONTRAST = re.compile(r"\b(?:but|whereas|while|though|although|however|yet)\b", re.IGNORECASE)


class Claim(NamedTuple):
    phrase: str  # the claim's words, up to the drug ("the discharge letter lists cycloSERINE")
    other: str  # the drug said just before the claim in the sentence, or ""
    # where ``other`` is said, when a contrast ("but", "whereas") sets the claim against it: a discrepancy between
    # two sources, either of which may be the slip
    contrasted: tuple[int, int] | None
    # the drug a contrast sets against the claim after it in the sentence ("the GP list says X 25 mg, but the box
    # he brought is Y"): the same discrepancy said the other way round, either name may be the slip
    contrasted_after: tuple[int, int] | None = None


def claimed(
    text: str, mention: tuple[int, int], medications: Sequence[tuple[int, int]], sentence_begin: int
) -> Claim | None:
    """The claim when the mention is a record's claim, else None."""
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
    contrasted = before[-1] if before and _CONTRAST.search(text, before[-1][1], m.start()) else None
    after = [(b, e) for b, e in medications if mention[1] <= b <= mention[1] + _AFTER_REACH]
    gap = text[mention[1] : after[0][0]] if after else ""
    contrasted_after = after[0] if after and _CONTRAST.search(gap) and not _SENTENCE_END.search(gap) else None
    return Claim(" ".join(text[m.start() : mention[1]].split()), other, contrasted, contrasted_after)
