"""An allergic reaction said with no allergen named (issue 15): "seen in ED last night, treated as anaphylaxis
with adrenaline", "history of anaphylaxis".

The reaction is a fact the next prescriber must see beside the allergies, and its substance is unknown: it is
listed under Allergies as ``substance not identified — anaphylaxis``, flagged ``ALLERGY_UNCLEAR`` ("substance
unclear: ask and record it"), never left only as a problem (nor, as before, lost when the drug that treated it
was the only drug named). A reaction that is an allergy's own ("allergic to penicillin — anaphylaxis", "reaction
to penicillin, treated as anaphylaxis") is that allergy's; one said in the sentence of a named allergen is left
to it. Only words that name an allergic reaction count (anaphylaxis, anaphylactic reaction / shock, allergic
reaction): a rash or a swelling alone names no allergy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.allergy_list import AllergyReading
from medscribe.logic.document.context import DraftContext
from medscribe.logic.document.model import AboutItem, AllergyItem, ConditionItem

UNIDENTIFIED = "substance not identified"
NEAR = 100  # characters: a named allergen this close, in the same sentence, holds the reaction (recogniser text is
# one sentence)
_ALLERGIC = re.compile(
    r"\b(?:anaphyla(?:xis|ctic(?:\s+(?:reaction|shock))?|ctoid\s+reaction)|allergic\s+reaction)\b",
    re.IGNORECASE,
)


def unnamed_reactions(
    ctx: DraftContext,
    reading: AllergyReading,
    current: Sequence[ConditionItem],
    past: Sequence[AboutItem],
) -> list[AllergyItem]:
    """An Allergies item, flagged, for each allergic reaction (a current problem or past history) said with no
    allergen in its sentence."""
    out: list[AllergyItem] = []
    said: list[ConditionItem | AboutItem] = [*current, *(p for p in past if p.kind == "condition")]
    for item in said:
        if not _ALLERGIC.search(item.name) or not item.spans:
            continue
        begin, end = item.spans[0]
        if reading.covers(begin, end):
            continue  # an allergy's own reaction
        sentence = ctx.sentence(begin)
        low, high = (sentence.begin, sentence.end) if sentence is not None else (begin, end)
        if any(low <= a.begin < high and abs(a.begin - begin) <= NEAR for a in reading.allergens):
            continue  # a named allergen said with it: the allergy's line holds it
        words = " ".join(ctx.text[begin:end].split())
        ctx.flag(
            "ALLERGY_UNCLEAR",
            words,
            f"an allergic reaction (“{words}”) was said with no allergen named: substance unclear, listed under "
            "Allergies: ask and record the substance",
            begin=begin,
            end=end,
        )
        out.append(
            AllergyItem(
                substance=UNIDENTIFIED,
                name=UNIDENTIFIED,
                reaction=item.name,
                ids=item.ids,
                spans=item.spans,
                evidence=item.evidence,
            )
        )
    return out
