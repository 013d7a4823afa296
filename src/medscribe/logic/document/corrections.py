"""A condition the speaker corrects to a sound-alike one is not the patient's problem (issue 15).

"hyperthyroidism, sorry, hypothyroidism", "her letter said hypotension: that was a typing error, it's
hypertension", "the GP letter says hyperkalaemia: it was hypokalaemia": a condition named, then within a few
words a correction cue ("sorry", "I mean", "or rather", "it was", "it's", "that was a typing error", "should
read") and another condition whose name differs from the first by a few letters (a sound-alike: the prefix
that reverses the diagnosis). The first is the wrong word: it is not listed as a problem (nor denied) and the
draft says why (SOUND_ALIKE, naming both). Without a cue the words do not say which is meant and nothing is
dropped; with "not" between ("hyperthyroidism, not the hypothyroidism") the second is a denial, read by the
negation scope.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from itertools import pairwise

from medscribe.logic.document.context import DraftContext
from medscribe.shapes import Entity

CORRECTION_CUE = re.compile(
    r"\b(?:sorry|i\s+mean|or\s+rather|(?:it|that|this)\s+(?:was|is)|(?:it|that)['\u2019]s"
    r"|(?:typing|typo|transcription|spelling|dictation)\s+(?:error|mistake)|typo"
    r"|should\s+(?:have\s+)?(?:read|said|say|been))\b",
    re.IGNORECASE,
)
# a denial or a list between: "X, not the Y" (Y denied), "X and Y", "X, also Y" (both said)
NOT_A_CORRECTION = re.compile(r"\b(?:not|no|and|also|plus|as\s+well|or)\b(?!\s+rather)", re.IGNORECASE)
# Only a retraction between two condition names, with a word that takes back ("sorry", "I mean", "or rather",
# "scratch that", "correction"): the first name is the slip, whatever it sounds like ("asthma no sorry COPD")
_FILLER = r"(?:er|erm|um|uh|no|well)"
_TAKE_BACK = (
    r"(?:sorry|i['\u2019]m\s+sorry|i\s+mean|i\s+meant|or\s+rather|scratch\s+that|strike\s+that|delete\s+that|correction"
    r"|(?:no\s+)?wait)"
)
RETRACTED_ONLY = re.compile(
    rf"[\s,;:.\u2014-]*(?:{_FILLER}[\s,;:.\u2014-]+)*{_TAKE_BACK}(?:[\s,;:.\u2014-]+(?:{_FILLER}|{_TAKE_BACK}))*"
    r"[\s,;:.\u2014-]*(?:(?:it['\u2019]s|it\s+is|i\s+meant)\s+)?",
    re.IGNORECASE,
)
GAP_WORDS = 10  # how many words a correction may take between the two names
ALIKE = 0.75  # how alike two names must be (difflib ratio) to be heard as one another


def sound_alike(a: str, b: str) -> bool:
    """Two different condition names a few letters apart ("hyperkalaemia" / "hypokalaemia")."""
    a, b = " ".join(a.lower().split()), " ".join(b.lower().split())
    return a != b and SequenceMatcher(None, a, b).ratio() >= ALIKE


def corrected(ctx: DraftContext, entities: Sequence[Entity]) -> set[int]:
    """The ids of the conditions the speaker corrects to a sound-alike one said just after; each is flagged."""
    said = sorted(
        (e for e in entities if e.Category == "MEDICAL_CONDITION" and ctx.at(e)),
        key=lambda e: (e.BeginOffset, e.EndOffset),
    )
    return {first.Id for first, second in pairwise(said) if taken_back(ctx, first, second)}


def taken_back(ctx: DraftContext, first: Entity, second: Entity) -> bool:
    """The first of two condition names is taken back for the second (flagged; the caller drops it): a sound-alike
    after a correction cue ("hyperthyroidism, sorry, hypothyroidism"; SOUND_ALIKE), or any name with nothing but the
    speaker's retraction between ("asthma, no, sorry, COPD", "Known asthma. No wait, COPD"; SELF_CORRECTION)."""
    if second.BeginOffset < first.EndOffset:
        return False
    gap = ctx.text[first.EndOffset : second.BeginOffset]
    cue = CORRECTION_CUE.search(gap)
    if (
        len(gap.split()) <= GAP_WORDS
        and sound_alike(first.Text, second.Text)
        and cue is not None
        and not NOT_A_CORRECTION.search(gap)
    ):
        ctx.flag_item(
            "SOUND_ALIKE",
            first,
            f"“{first.Text}” is corrected to “{second.Text}” (“{cue.group(0)}”): a sound-alike, not listed as "
            "a problem, check",
        )
        return True
    taken = RETRACTED_ONLY.fullmatch(gap)
    if taken is None or first.Text.lower() == second.Text.lower():
        return False
    words = " ".join(re.sub(r"[^\w'\u2019\s]", " ", taken.group(0)).split())
    ctx.flag_item(
        "SELF_CORRECTION",
        first,
        f"“{first.Text}” is taken back for “{second.Text}” (“{words}”): corrected while dictating, not "
        "listed as a problem, check",
    )
    return True
