"""What the words around a MEDICATION mention say about it, read from the transcript, not from traits.

DetectEntitiesV2 has no ALLERGY trait for medications, and a "hold" instruction comes back as NEGATION (or
nothing) depending on the backend, so both are read here from the mention's sentence, the same way for
Comprehend Medical and the offline detector:

- **allergy**: "allergic to X", "allergy/allergies to X", "allergies: X, Y", "allergies include X",
  "X allergy", "X and Y allergies", "intolerant of X", "intolerance to X", "(adverse) reaction to X",
  "sensitivity to X", "anaphylaxis to X". A list goes on across other drugs named in it and "," / "and" / "or"
  / "/" (and a parenthesised reaction), and stops at any other word ("allergic to penicillin, continue
  amoxicillin": no allergy). After an exception ("no allergies except penicillin") the drugs are allergies. A
  negated allergy ("not allergic to X", "no X allergy") is ``allergy_denied``: never a prescription mention;
- **hold**: "hold X" (also "holding X", "hold X and Y", "X held", "X on hold": a plain hold). With a condition after the drug in the same sentence
  ("if …", "for …", "when …", "until …", "while …", "during …", "before …", "after …", "prior to …",
  "unless …", "in case of …") it is a ``conditional_hold``; without one (or "for now") a plain ``hold``. The
  condition ends where another drug (not of the held list) is named: "hold metformin, take aspirin for pain"
  is a plain hold of metformin;
- **stop**: "stop X", "X was stopped", "X was tried last year / not tolerated / never started", "change X to
  Y", "…, which she should no longer do", "X should be returned": "Not taking"; with a condition ("stop aspirin
  5 days before surgery") a conditional hold; after "then" in a run-on (a step of the drug before?) flagged;
- **no known drug allergies**: "NKDA", "NKA", "no known (drug) allergies", "no (drug) allergies".

The allergy words are :mod:`.allergy_cues`'s; the hold and stop cues before a drug and after it by a pronoun,
:mod:`.hold_cues`'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from medscribe.logic.document import hold_cues
from medscribe.logic.document.allergy_cues import (
    ALLERGY_AFTER,
    ALLERGY_BEFORE,
    EXCEPT,
    NEGATED_BEFORE,
    allergy_cues,
)
from medscribe.logic.document.evidence import Span, word_end
from medscribe.logic.document.guess import UNSURE
from medscribe.logic.document.scope_words import ACTION
from medscribe.logic.document.stop_words import (
    HELD_AFTER,
    HELD_LATER,
    HELD_NOW,
    HOLD_BEFORE,
    HOLD_CONDITION,
    NEXT_CLAUSE,
    NOT_A_CONDITION,
    NOT_A_STOP_GAP,
    PAST_STOP,
    STOP_BEFORE,
    STOPPED_AFTER,
    STOPPED_LATER,
    SWITCHED_AFTER,
    TAPER_STEP_BEFORE,
    THEN_BEFORE,
    TRIED_BEFORE,
)

ContextKind = Literal["allergy", "allergy_denied", "hold", "stop", "conditional_hold", "restart"]

# What may lie between the drugs of one list ("allergies: penicillin, codeine (rash) and sulfa drugs").
_LIST_GLUE = re.compile(
    r"(?:[\s,/&:\-\u2013\u2014]|\((?:[^()]*)\)|\b(?:and|or|also|both|plus|as\s+well\s+as|the|to"
    r"|drugs?|medications?|meds|antibiotics?|class|containing|"
    rf"{EXCEPT})\b)*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MentionContext:
    kind: ContextKind
    phrase: str  # the transcript words that decide it ("allergic to penicillin", "Hold metformin if …")
    condition: str = ""  # conditional_hold: "if eGFR below 30"
    condition_begin: int = (
        -1
    )  # where the condition starts in the transcript (its attributes are not the row's)
    uncertain: bool = False  # "allergic to something, not sure what, possibly a penicillin": unverified


def mention_context(
    text: str, sentence: Span, mention: tuple[int, int], medications: Sequence[tuple[int, int]] = ()
) -> MentionContext | None:
    """The allergy or hold context of the mention at ``mention`` (offsets into ``text``) in ``sentence``."""
    begin, end = mention
    others = [m for m in medications if m != mention and sentence.begin <= m[0] and m[1] <= sentence.end]
    allergy = _allergy(text, sentence, begin, end, others)
    if allergy is not None:
        return allergy
    return _hold(text, sentence, begin, end, others)


def _glue(text: str, low: int, high: int, others: Sequence[tuple[int, int]]) -> bool:
    """``text[low:high]`` holds only other drugs of the same list and list punctuation / conjunctions."""
    if low > high:
        return False
    chars = list(text[low:high])
    for b, e in others:
        if low <= b and e <= high:
            chars[b - low : e - low] = [","] * (e - b)
    gap = "".join(chars)
    return _LIST_GLUE.fullmatch(gap) is not None


LOOKBACK = 400  # characters: how far from a drug its allergy cue may stand (a list of drugs between)


def _glued_before(text: str, head: int, others: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The drug named just before ``head`` when only list glue lies between (a farther one cannot be glued:
    the nearer drug's name lies between)."""
    prior = [o for o in others if o[1] <= head]
    if not prior:
        return None
    nearest = max(prior, key=lambda o: (o[1], o[0]))
    return nearest if _glue(text, nearest[1], head, []) else None


def _allergy(
    text: str, sentence: Span, begin: int, end: int, others: Sequence[tuple[int, int]]
) -> MentionContext | None:
    for m in reversed(allergy_cues(text, max(sentence.begin, begin - LOOKBACK), begin)):
        if _glue(text, m.end(), begin, others):
            negated = NEGATED_BEFORE.search(text, hold_cues.back(sentence, m.start()), m.start()) is not None
            denied = (
                negated and re.search(rf"\b(?:{EXCEPT})\b", text[m.start() : begin], re.IGNORECASE) is None
            )
            phrase = text[_phrase_start(text, sentence, m.start(), negated) : end]
            prior = [o for o in others if m.end() <= o[0] and o[1] <= begin]
            # "not allergic to penicillin amoxicillin 500 mg three times daily": nothing between the list and
            # a drug said with its own dose: the list's, or a new prescription
            bare = bool(prior) and not text[max(prior)[1] : begin].strip() and _DOSE_AFTER.match(text, end)
            if bare and not denied:
                # "allergic to statins atorvastatin 20 mg at night": a drug with its own dose after an allergy
                # list is a prescription line (its row is flagged when it is in an allergy's class)
                return None
            return MentionContext("allergy_denied" if denied else "allergy", phrase, uncertain=bool(bare))
    cue = next(reversed(allergy_cues(text, max(sentence.begin, begin - hold_cues.NEAR * 2), begin)), None)
    if cue is not None and not any(cue.end() <= o[0] < begin for o in others):
        gap = text[cue.end() : begin]
        if UNSURE.search(gap) and not ACTION.search(gap) and len(gap.split()) <= 14:
            # "allergic to something, the patient was not sure what, possibly a penicillin": an allergy
            # whose substance is a guess, never a prescription
            return MentionContext("allergy", text[cue.start() : end], uncertain=True)
    after = ALLERGY_AFTER.search(text, end, min(sentence.end, end + LOOKBACK))
    if after is not None and _glue(text, end, after.start(), others):
        # "no penicillin allergy": the negation stands before the drug (or the list it opens)
        head = begin
        while (earlier := _glued_before(text, head, others)) is not None:
            head = earlier[0]
        denied = NEGATED_BEFORE.search(text, hold_cues.back(sentence, head), head) is not None
        phrase = text[_phrase_start(text, sentence, head, denied) : after.end()]
        return MentionContext("allergy_denied" if denied else "allergy", phrase)
    return None


def _phrase_start(text: str, sentence: Span, start: int, denied: bool) -> int:
    if denied:
        m = NEGATED_BEFORE.search(text, hold_cues.back(sentence, start), start)
        if m is not None:
            return m.start()
    return start


def _hold(
    text: str, sentence: Span, begin: int, end: int, others: Sequence[tuple[int, int]]
) -> MentionContext | None:
    held = HELD_AFTER.match(text, end, sentence.end)
    if held is not None:  # "warfarin held for the procedure": not taken now
        return MentionContext("hold", text[begin : held.end()])
    stopped = STOPPED_AFTER.match(text, end, sentence.end) or TRIED_BEFORE.match(text, end, sentence.end)
    if stopped is not None:  # "ibuprofen was stopped", "Elvanse was tried last year", "… was not tolerated"
        return MentionContext("stop", text[begin : stopped.end()])
    after = sorted(o for o in others if o[0] >= end)
    high = min([sentence.end, *(o[0] for o in after)])
    switched = SWITCHED_AFTER.match(text, end, sentence.end)
    if (
        switched is not None
        and switched.end() == high < sentence.end
        and not ACTION.search(switched["gap"])
        and text[high : after[0][1]].lower() != text[begin:end].lower()
    ):  # "warfarin was switched to apixaban", "IV co-amoxiclav and then switched to oral doxycycline"
        return MentionContext("stop", text[begin : switched.end()])
    changed = hold_cues.changed_to(text, sentence, begin, end, high, after)
    if changed is not None:  # "change the Clenil to Symbicort": the drug changed from is stopped
        return MentionContext("stop", text[changed[0] : changed[1]])
    later = STOPPED_LATER.match(text[:high], end)
    gap = later["gap"] if later is not None else ""
    own_course = gap.split() == ["course"]  # "doxycycline course completed on the ward": its own course
    if later is not None and (own_course or not NOT_A_STOP_GAP.search(gap)) and not ACTION.search(gap):
        return MentionContext("stop", text[begin : later.end()])
    put = HELD_LATER.match(text[:high], end)
    if put is not None and not NOT_A_STOP_GAP.search(put["gap"]) and not ACTION.search(put["gap"]):
        return MentionContext("hold" if put["held"] else "stop", text[begin : put.end()])
    anaphoric = hold_cues.anaphoric(text, end, high, after, sentence.end)
    if anaphoric is not None:
        return MentionContext(anaphoric[0], text[begin : anaphoric[1]])
    head, bare = begin, False
    while (
        hold := hold_cues.hold_or_stop_before(text, sentence, head)
    ) is None:  # "hold metformin and lisinopril if …"
        earlier = _glued_before(text, head, others)
        if earlier is None or _SWITCH_TO.search(text, earlier[1], head):
            return None  # "switched from gliclazide to sitagliptin": the drug switched to is taken
        # "stopped ramipril amlodipine 5 mg daily": with nothing between, the words do not say whether the
        # list goes on or a new item starts (a recogniser writes both the same way)
        bare = bare or not text[earlier[1] : head].strip()
        head = earlier[0]
    plain: ContextKind = "hold" if hold.re is HOLD_BEFORE else "stop"
    # "… 10 mg for three days then stop doxycycline 100 mg …" (no punctuation): the "stop" may end the taper
    # said before it, not this drug; the words do not say which
    bare = bare or TAPER_STEP_BEFORE.search(text, max(0, hold.start() - 40), hold.start()) is not None
    # "… then 5 mg then stop thiamine 100 mg": after any "then", the stop may be a step of the drug before
    bare = bare or THEN_BEFORE.search(text, max(0, hold.start() - 12), hold.start()) is not None
    if hold.re is STOP_BEFORE and (hold["never"] or PAST_STOP.match(hold.group(0))):
        # "do not take ibuprofen while on apixaban": not now either; "came off furosemide while dehydrated": a
        # stop that happened, whatever the circumstance said with it (not an instruction for a situation)
        return MentionContext("stop", text[hold.start() : end], uncertain=bare)
    stop = next(
        (o[0] for o in sorted(others) if o[0] >= end and not _glue(text, end, o[0], others)), sentence.end
    )
    instruction = ACTION.search(
        text, end, stop
    )  # "… before surgery continue lisinopril": the next instruction
    stop = instruction.start() if instruction is not None and instruction.group(0).lower() != "then" else stop
    condition = HOLD_CONDITION.search(text, end, stop)
    if condition is None or NOT_A_CONDITION.match(text, condition.start()):
        return MentionContext(plain, text[hold.start() : end], uncertain=bare)
    said = text[condition.start() : stop].rstrip(" .,;!?")
    now = HELD_NOW.match(said)
    if now is not None and not HOLD_CONDITION.search(said, now.end()):
        # "hold ramipril until her creatinine is rechecked", "hold aspirin for two weeks": held from now on
        cue = (
            ALLERGY_BEFORE.search(said)
            or ALLERGY_AFTER.search(said)
            or NEXT_CLAUSE.search(said, word_end(said, now.end(), 2))
        )
        said = said[: cue.start()].rstrip(" .,;!?") if cue is not None else said
        return MentionContext(
            plain,
            text[hold.start() : stop].rstrip(" .,;!?"),
            condition=said,
            condition_begin=condition.start(),
            uncertain=bare,
        )
    return MentionContext(
        "conditional_hold",
        text[hold.start() : stop].rstrip(" .,;!?"),
        condition=said,
        condition_begin=condition.start(),
        uncertain=bare,
    )


_DOSE_AFTER = re.compile(r"\s+\d")

_SWITCH_TO = re.compile(r"\b(?:to|for|with|by|onto)\b", re.IGNORECASE)
