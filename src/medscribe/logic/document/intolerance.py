"""A drug stopped because of what it did (issue 15): "Lamotrigine was discontinued due to a rash", "stopped
sertraline in March because of nausea", "switched from citalopram because of palpitations", "ramipril caused a
dry cough so changed to losartan", "X was not tolerated due to dizziness".

A drug said as stopped, switched or not tolerated **because of / due to / after it caused** a condition is an
adverse drug reaction the next prescriber must see: it is listed under Allergies as an intolerance
(``lamotrigine — rash (intolerance: stopped because of it)``), read from the words around the drug's mention,
whichever backend detected it (its MEDICATION span and the MEDICAL_CONDITION spans, or the reaction words of
``data/drug_classes.json``). Nothing here prescribes or withdraws a row, and the condition stays where the draft
puts it (a Problem: "stopped the bendroflumethiazide because of gout" — the gout is still the patient's). A
reason that names no reaction — a kidney function, a pregnancy, an operation, the illness the drug did not
control ("because of ongoing low mood") — makes no intolerance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.allergy_list import reaction_words
from medscribe.logic.document.context import DraftContext
from medscribe.logic.document.model import AllergyItem
from medscribe.logic.document.side_effect import side_effect
from medscribe.shapes import Entity

STOPPED_NOTE = "intolerance: stopped because of it"
NOT_TOLERATED_NOTE = "intolerance: not tolerated"
SIDE_EFFECT_NOTE = "intolerance: side effect said, not said whether stopped"
WINDOW = 60  # characters before the drug where its stop may be said
REACH = 90  # characters after the drug (or its stop) where the reason may begin

# the drug's stop said before it: "stopped sertraline", "switched from citalopram", "came off X", "did not tolerate X"
_STOP_BEFORE = re.compile(
    r"\b(?:(?P<stop>stop|stopped|stopping|discontinue|discontinued|ceased?|withdrew|withdrawn|came\s+off|come\s+off"
    r"|taken\s+off|took\s+(?:him|her|them)\s+off|switched\s+(?:him|her|them\s+)?from|changed\s+(?:him|her|them\s+)?from"
    r"|switch\s+from|change\s+from|moved\s+from)"
    r"|(?P<intol>(?:did\s+not|didn'?t|could\s+not|couldn'?t|unable\s+to)\s+tolerate))"
    r"\s+(?:(?:the|his|her|their|taking)\s+)?$",
    re.IGNORECASE,
)
# … said after it: "X was discontinued", "X was not tolerated", "X, which was stopped", "X was switched to Y"
_STOP_AFTER = re.compile(
    # its dose or schedule between ("Simvastatin 40 mg is changed to …"), a pronoun ("…, but that has been
    # discontinued"), a start before the stop ("was started, then stopped", "was tried before and stopped")
    r"(?:(?:\s*,\s*|\s+)(?:\d[\w./%-]*|mg|micrograms?|mcg|g|ml|units?|once|twice|daily|od|bd|tds|nocte|at|night"
    r"|each|every|morning|a\s+day)){0,5}"
    r"\s*,?\s*(?:(?:but\s+)?(?:which|that|it)\s+)?(?:(?:was|were|is|has\s+been|had\s+been|have\s+been)\s+)?"
    r"(?:(?:started|tried|trialled|commenced)(?:\s+(?:before|previously|earlier|last\s+year))?\s*,?\s*"
    r"(?:and\s+)?(?:then\s+|later\s+|subsequently\s+)?(?:was\s+)?)?"
    r"(?:(?P<stop>stopped|discontinued|ceased|withdrawn|switched|changed)"
    r"|(?P<intol>not\s+tolerated|poorly\s+tolerated))\b",
    re.IGNORECASE,
)
# the reason: "because of", "due to", "after it caused", "as it gave him"
_REASON = re.compile(
    r"\b(?:because\s+of|due\s+to|owing\s+to|on\s+account\s+of|as\s+a\s+result\s+of|secondary\s+to"
    r"|(?:after|because|as|since)\s+(?:it|this|that|they)\s+(?:had\s+)?(?:caused|gave\s+(?:him|her|them|me)"
    r"|made\s+(?:him|her|them|me)(?:\s+(?:have|feel|get))?|led\s+to)"
    r"|(?:which|that)\s+(?:had\s+)?(?:caused|gave\s+(?:him|her|them|me)))\s+"
    r"(?:(?:a|an|the|some|bad|severe|significant|troublesome|intolerable|side\s+effects?\s+of|side-effects?\s+of"
    r"|new|(?:his|her|their))\s+)*",
    re.IGNORECASE,
)
# "ramipril caused a dry cough so changed to losartan": the drug itself caused it, and a stop follows
_CAUSED = re.compile(
    r"\s*,?\s*(?:(?:has|had)\s+)?(?:caused|gave\s+(?:him|her|them|me)|made\s+(?:him|her|them|me)"
    r"(?:\s+(?:have|feel|get))?|led\s+to)\s+(?:(?:a|an|the|some|bad|severe|significant|troublesome)\s+)*",
    re.IGNORECASE,
)
_STOP_LATER = re.compile(
    r"\b(?:stopped|stop|discontinued|ceased|withdrawn|switched|changed|swapped|came\s+off|taken\s+off)\b",
    re.IGNORECASE,
)
# what the gap between the drug (or its stop) and the reason may not hold: a new clause, a mark, an instruction
_GAP_BREAK = re.compile(
    r"[.;:!?]|\b(?:and\s+(?:started|start|continue|commenced)|but|however|then|started|start|continue|restart"
    r"|restarted|increase|increased|reduce|reduced|if|unless|when)\b",
    re.IGNORECASE,
)
# a reason that is no reaction to the drug
_NOT_A_REACTION = re.compile(
    r"\b(?:renal|kidney|egfr|aki|ckd|creatinine|pregnan\w*|breast\s*feeding|surgery|operation|procedure|cost"
    r"|interaction|ongoing|persistent\s+low|uncontrolled|poorly\s+controlled|poor\s+control|inadequate|lack"
    r"|no\s+improvement|resolution|resolved|improvement|fasting|admission|risks?)\b",
    re.IGNORECASE,
)


def intolerances(
    ctx: DraftContext, medications: Sequence[Entity], known: Sequence[AllergyItem]
) -> list[AllergyItem]:
    """An Allergies item for each of the patient's drugs said as stopped / switched / not tolerated because of a
    condition (none for a drug already listed under Allergies)."""
    text = ctx.scope.text
    listed = {a.name for a in known}
    out: list[AllergyItem] = []
    for e in medications:
        name = " ".join(e.Text.lower().split())
        if name in listed or not ctx.at(e):
            continue
        found = _reason(ctx, text, e.BeginOffset, e.EndOffset)
        if found is None:
            continue
        reaction, note = found
        listed.add(name)
        out.append(
            AllergyItem(
                substance=" ".join(e.Text.split()),
                name=name,
                reaction=reaction,
                note=note,
                ids=(e.Id,),
                spans=((e.BeginOffset, e.EndOffset),),
                evidence=(ctx.evidence(e, e.Score),),
            )
        )
    return out


def _reason(ctx: DraftContext, text: str, begin: int, end: int) -> tuple[str, str] | None:
    """(the reaction's words, the note) when the drug at ``begin`` to ``end`` was stopped for it."""
    sentence = ctx.sentence(begin)
    low = max(sentence.begin if sentence else 0, begin - WINDOW)
    high = min(sentence.end if sentence else len(text), end + REACH + 40)
    before = _STOP_BEFORE.search(text, low, begin)
    after = _STOP_AFTER.match(text, end, high)
    caused = _CAUSED.match(text, end, high)
    if caused is not None and after is None and before is None:
        reaction = _condition_at(ctx, text, caused.end(), high)
        if reaction is None:
            return None
        later = _STOP_LATER.search(text, reaction[1][1], min(high, reaction[1][1] + 40))
        if later is None and side_effect(text, (begin, end)):
            return reaction[0], SIDE_EFFECT_NOTE  # "statins gave him muscle aches" (.side_effect)
        if later is None or _GAP_BREAK.search(text, reaction[1][1], later.start()):
            return None  # "metformin caused diarrhoea, continue it": not stopped
        return reaction[0], STOPPED_NOTE
    if before is None and after is None:
        return None
    intol = (before is not None and before["intol"]) or (after is not None and after["intol"])
    start = after.end() if after is not None else end
    reason = _REASON.search(text, start, min(high, start + REACH))
    if reason is None or _gap_breaks(ctx, text, start, reason.start()):
        return None
    reaction = _condition_at(ctx, text, reason.end(), high)
    if reaction is None:
        return None
    return reaction[0], NOT_TOLERATED_NOTE if intol else STOPPED_NOTE


def _gap_breaks(ctx: DraftContext, text: str, low: int, high: int) -> bool:
    """Between the drug and its reason: another clause, or another drug not said as the one switched to."""
    if _GAP_BREAK.search(text, low, high):
        return True
    for b, e in ctx.scope.medications:
        if (
            low <= b
            and e <= high
            and not re.search(r"\b(?:to|onto|for|with)\s+$", text[low:b], re.IGNORECASE)
        ):
            return True
    return False


def _condition_at(ctx: DraftContext, text: str, pos: int, high: int) -> tuple[str, tuple[int, int]] | None:
    """The reaction said from ``pos``: a detected condition starting within three words, or a reaction word."""
    near = re.match(r"(?:[\w'-]+\s+){0,3}", text[pos:high])
    reach = pos + (near.end() if near else 0)
    hit = min(((b, e) for b, e in ctx.scope.conditions if pos <= b <= reach and e <= high), default=None)
    if hit is None:
        m = reaction_words().match(text, pos)
        hit = (m.start(), m.end()) if m else None
    if hit is None or _NOT_A_REACTION.search(text, pos, _word_after(text, hit[1], high)):
        return None  # "because of acute kidney injury", "because of the bleeding risk"
    while (more := re.match(r"\s*(?:,|\band\b|\bor\b)\s*", text[hit[1] : high])) is not None:
        then = hit[1] + more.end()  # "because of dizziness and constipation": each reaction said
        nxt = next(((b, e) for b, e in ctx.scope.conditions if b == then and e <= high), None)
        if nxt is None or _NOT_A_REACTION.search(text, then, _word_after(text, nxt[1], high)):
            break
        hit = (hit[0], nxt[1])
    # "ankle swelling": the condition with its site said next to it
    hit = next(((b, e) for b, e in ctx.scope.concepts if pos <= b <= hit[0] and hit[1] <= e <= high), hit)
    return " ".join(text[hit[0] : hit[1]].split()), hit


def _word_after(text: str, end: int, high: int) -> int:
    """The end of the word said right after ``end`` ("bleeding risk"), or ``end``."""
    m = re.match(r"\s+[\w-]+", text[end:high])
    return end + m.end() if m else end
