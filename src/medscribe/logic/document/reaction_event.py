"""An allergic reaction said with no allergen named (issue 15): "seen in ED last night, treated as anaphylaxis
with adrenaline", "history of anaphylaxis".

The reaction is a fact the next prescriber must see beside the allergies, and its substance is unknown: it is
listed under Allergies as ``substance not identified — anaphylaxis``, flagged ``ALLERGY_UNCLEAR`` ("substance
unclear: ask and record it"), never left only as a problem (nor, as before, lost when the drug that treated it
was the only drug named). A reaction that is an allergy's own ("allergic to penicillin — anaphylaxis", "reaction
to penicillin, treated as anaphylaxis") is that allergy's; one said in the sentence of a named allergen is left
to it. Only words that name an allergic reaction count (anaphylaxis, anaphylactic reaction / shock, allergic
reaction): a rash or a swelling alone names no allergy.

A reaction said right after the exposure that set it off ("anaphylaxis after eating peanuts", "an allergic
reaction after taking co-amoxiclav", "anaphylaxis to shellfish") names its trigger but no allergy: the words are
listed as the substance, as said, still flagged ``ALLERGY_UNCLEAR`` ("substance as said: confirm it"), so the
trigger is never lost when no list holds the word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.allergy_list import AllergyReading
from medscribe.logic.document.context import DraftContext
from medscribe.logic.document.coverage_words import ACTION, FUNCTION, TIME
from medscribe.logic.document.model import AboutItem, AllergyItem, ConditionItem

UNIDENTIFIED = "substance not identified"
NEAR = 100  # characters: a named allergen this close, in the same sentence, holds the reaction (recogniser text is
# one sentence)
_ALLERGIC = re.compile(
    r"\b(?:anaphyla(?:xis|ctic(?:\s+(?:reaction|shock))?|ctoid\s+reaction)|allergic\s+reaction)\b",
    re.IGNORECASE,
)
# the exposure said right after the reaction: "… after eating peanuts", "… following a dose of X", "… to shellfish"
_EXPOSURE = re.compile(
    r"\s+(?:(?:after|following|on)\s+(?:eating|taking|drinking|having|being\s+given|exposure\s+to|contact\s+with"
    r"|a\s+dose\s+of)|to)\s+(?:(?:a|an|the|some|his|her|their)\s+)?",
    re.IGNORECASE,
)
_TRIGGER_WORD = re.compile(r"[a-z][a-z'-]*", re.IGNORECASE)
MAX_TRIGGER_WORDS = (
    2  # "peanuts", "tree nuts": a substance, not the clause that follows it in a recogniser run
)


def exposure_after(text: str, end: int, concepts: Sequence[tuple[int, int]] = ()) -> str:
    """The substance words said as the exposure right after a reaction ending at ``end`` ("" when none): at most
    :data:`MAX_TRIGGER_WORDS` words, ending at a mark, at a function, time or action word ("… peanuts given
    adrenaline") or where another detected concept begins ("… peanuts urticaria over the trunk")."""
    starts = {b for b, _ in concepts}
    said = _EXPOSURE.match(text, end)
    if said is None:
        return ""
    words: list[str] = []
    at = said.end()
    while len(words) < MAX_TRIGGER_WORDS:
        word = _TRIGGER_WORD.match(text, at)
        if word is None or word.group().lower() in FUNCTION | TIME | ACTION or (words and at in starts):
            break
        words.append(word.group())
        at = word.end()
        if not text.startswith(" ", at):
            break  # a mark ends the substance: "peanuts: urticaria", "peanuts."
        at += 1
    return " ".join(words)


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
        trigger = exposure_after(ctx.text, end, ctx.scope.concepts)
        ctx.flag(
            "ALLERGY_UNCLEAR",
            f"{words} {trigger}" if trigger else words,
            f"an allergic reaction (“{words}”) was said with what set it off, “{trigger}”, not as an allergy: listed under "
            "Allergies with that substance as said: confirm and record it"
            if trigger
            else f"an allergic reaction (“{words}”) was said with no allergen named: substance unclear, listed "
            "under Allergies: ask and record the substance",
            begin=begin,
            end=end,
        )
        out.append(
            AllergyItem(
                substance=trigger or UNIDENTIFIED,
                name=trigger or UNIDENTIFIED,
                reaction=item.name,
                ids=item.ids,
                spans=item.spans,
                evidence=item.evidence,
            )
        )
    return out
