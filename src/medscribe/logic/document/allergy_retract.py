"""An allergen taken back while dictating ("Penicillin allergy, sorry, I mean amoxicillin allergy", "allergic to
codeine, no, sorry, tramadol"): as a drug name taken back (:mod:`.selfcorrect`), the later allergen is the one
drafted and the earlier one is not listed; the later one is flagged ``SELF_CORRECTION`` naming both, so the
reader can check the correction.

Only a plain retraction cue says it (``selfcorrect_cues.PLAIN_CUE``: "sorry", "I mean", "scratch that", "wait";
not a bare "no", which also negates: "allergic to penicillin, no codeine allergy"), with nothing between the two
allergens but the cue, the allergy words of the statement ("allergy", "allergic to", "she is") and fillers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.allergy_cues import ALLERGY_AFTER, allergy_cues
from medscribe.logic.document.allergy_list import Allergen
from medscribe.logic.document.context import DraftContext
from medscribe.logic.document.selfcorrect_cues import CUE, FILLER, PLAIN_CUE

# the words of an allergy statement said again after the cue, and the glue of a correction
_STATEMENT = re.compile(
    r"\b(?:allerg(?:y|ies|ic)(?:\s+to)?|(?:she|he|they)\s+(?:is|are|was|were|has|had)|(?:she|he|they)['\u2019]s|is|was"
    r"|to|that|it|it['\u2019]s|actually|an?|the|reaction|intolerance|intolerant(?:\s+to)?)\b",
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[\s,;:.\u2013\u2014-]*")


def taken_back(
    ctx: DraftContext, allergens: list[Allergen], medications: Sequence[tuple[int, int]]
) -> tuple[list[Allergen], list[Allergen]]:
    """(the allergens a later one replaces, the allergens said as the correction): the first are no allergy (the
    later one is flagged naming both); a drug said right after the cue that the allergy reader did not list
    ("allergic to codeine, sorry, I mean tramadol") is the corrected allergen, added to ``allergens``."""
    gone: list[Allergen] = []
    said: list[Allergen] = []
    listed = {(a.begin, a.end) for a in allergens}
    for first in sorted(allergens, key=lambda a: a.begin):
        after = [a for a in allergens if a.begin >= first.end]
        drugs = [(b, e) for b, e in medications if b >= first.end and (b, e) not in listed]
        nxt = min([(a.begin, a.end) for a in after] + drugs, default=None)
        if nxt is None or ctx.text[nxt[0] : nxt[1]].lower() == first.name:
            continue
        gap = ctx.text[first.end : nxt[0]]
        if not PLAIN_CUE.search(gap):
            continue
        rest = FILLER.sub(" ", _STATEMENT.sub(" ", CUE.sub(" ", gap)))
        if _PUNCTUATION.fullmatch(rest) is None:
            continue  # other words between: not one allergen corrected to the next
        second = next((a for a in after if (a.begin, a.end) == nxt), None)
        if second is None:
            second = Allergen(" ".join(ctx.text[nxt[0] : nxt[1]].split()), "", nxt[0], nxt[1])
            second.name = second.substance.lower()
            allergens.append(second)
            listed.add(nxt)
        gone.append(first)
        said.append(second)
        cue = " ".join(" ".join(PLAIN_CUE.findall(gap)).split())
        ctx.flag(
            "SELF_CORRECTION",
            f"{first.substance} → {second.substance}",
            f"{first.substance} → {second.substance}: allergen corrected while dictating (“{cue}”): "
            f"{first.substance} is not listed as an allergy, check",
            begin=second.begin,
            end=second.end,
        )
    allergens.sort(key=lambda a: a.begin)
    return gone, said


_CUE_REACH = 3  # characters between an allergy cue's end and the substance ("allergic to codeine")


def said_as_allergen(text: str, begin: int, end: int) -> bool:
    """The drug at ``[begin, end)`` is said as an allergen: an allergy cue right before it ("allergic to X",
    "allergies: X") or an allergy word right after it ("X allergy")."""
    before = allergy_cues(text, max(0, begin - 40), begin)
    if before and begin - before[-1].end() <= _CUE_REACH:
        return True
    return ALLERGY_AFTER.match(text, end + 1) is not None and not text[end : end + 1].strip()
