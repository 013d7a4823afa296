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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from medscribe.logic.document.evidence import Span, word_end
from medscribe.logic.document.guess import UNSURE
from medscribe.logic.document.scope_words import ACTION
from medscribe.logic.document.stop_words import (
    ANAPHOR_WORDS,
    ANAPHORIC_STOP,
    CHANGE_BEFORE,
    CHANGED_TO,
    CORRECTION,
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
from medscribe.logic.document.susceptibility import organism_cue

ContextKind = Literal["allergy", "allergy_denied", "hold", "stop", "conditional_hold", "restart"]

# "no drug allergies except penicillin": the drugs after the exception are allergies.
_EXCEPT = r"except|other\s+than|apart\s+from|besides|aside\s+from"
_ALLERGY_BEFORE = re.compile(
    r"\b(?:allergic\s+(?:reaction\s+)?(?:to|with)"
    r"|allerg(?:y|ies)\s+(?:to|include[sd]?|including|are|is|of|with)"
    rf"|allerg(?:y|ies)\s*,?\s+(?:{_EXCEPT})"
    r"|allerg(?:y|ies)\s*(?=[:\-\u2013\u2014])"
    r"|(?:adverse\s+|bad\s+|severe\s+|allergic\s+)?reactions?\s+(?:to|with|from)"
    r"|react(?:s|ed)?\s+(?:badly\s+|poorly\s+|strongly\s+)?to"
    r"|intoleran(?:t|ce)\s+(?:of|to)"
    r"|(?:hyper)?sensitiv(?:e|ity)\s+to"
    r"|anaphylaxis\s+(?:to|with|from)"
    # "he had a rash with clopidogrel", "came out in hives after amoxicillin": a reaction the drug caused
    r"|(?:had|has\s+had|developed|got|came\s+out\s+in|comes\s+out\s+in)\s+(?:an?\s+)?(?:\w+\s+)?"
    r"(?P<caused>rash|hives|urticaria|angioedema|swelling|wheeze|blisters|reaction)\s+(?:with|to|after|from|on)(?=\s))",
    re.IGNORECASE,
)
# "treated as anaphylaxis with adrenaline", "reaction managed with antihistamines": what a reaction was treated
# with follows the treatment's verb, said just before the "with" (at most three words between, so a verb of an
# earlier sentence run on by a recogniser does not reach); the allergen is what caused it, never the treatment.
_TREATED_JUST_BEFORE = re.compile(
    r"\b(?:treated|managed|needed|needing|required|requiring|received|receiving|reversed)\b(?:\s+[\w'-]+){0,3}\s*$",
    re.IGNORECASE,
)


def allergy_cues(text: str, pos: int = 0, endpos: int | None = None) -> list[re.Match[str]]:
    """The allergy cues said before a substance between ``pos`` and ``endpos``; a "… with" cue just after a
    treatment's verb names the treatment, not the allergen, and is no cue."""
    found = []
    for m in _ALLERGY_BEFORE.finditer(text, pos, len(text) if endpos is None else endpos):
        if m.group(0).lower().endswith("with") and _TREATED_JUST_BEFORE.search(
            text, max(0, m.start() - 40), m.start()
        ):
            continue
        if organism_cue(text, m.start(), m.group(0)):
            continue  # "E. coli sensitive to nitrofurantoin": a culture's result, no allergy
        found.append(m)
    return found


_ALLERGY_AFTER = re.compile(
    r"(?:(?:is|was|are|were|has\s+been|have\s+been)\s+(?:now\s+)?(?:recorded|listed|documented|added|coded|noted)"
    r"\s+as\s+(?:an?\s+)?)?(?:allerg(?:y|ies|ic)|intoleran(?:ce|t)|(?:hyper)?sensitivity|anaphylaxis)\b",
    re.IGNORECASE,
)  # "penicillin allergy", "X is recorded as an allergy"
# What may lie between the drugs of one list ("allergies: penicillin, codeine (rash) and sulfa drugs").
_LIST_GLUE = re.compile(
    r"(?:[\s,/&:\-\u2013\u2014]|\((?:[^()]*)\)|\b(?:and|or|also|both|plus|as\s+well\s+as|the|to"
    r"|drugs?|medications?|meds|antibiotics?|class|containing|"
    rf"{_EXCEPT})\b)*",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|denies|denied|deny|denying|without|never|negative\s+for)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
NO_KNOWN_ALLERGIES = re.compile(
    r"\b(?:NKDA|NKA|no\s+known\s+(?:drug\s+|medication\s+)?allergies|no\s+(?:drug\s+|medication\s+)?allergies)\b"
    rf"(?!\s*,?\s*(?:{_EXCEPT})\b)",
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
_NEAR = 60  # characters: a negation or "hold" just before


def _back(sentence: Span, offset: int) -> int:
    """Where to start looking for the few words just before ``offset`` (never the whole sentence: recogniser
    text is one long sentence, and every mention would read all of it)."""
    return max(sentence.begin, offset - _NEAR)


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
            negated = _NEGATED_BEFORE.search(text, _back(sentence, m.start()), m.start()) is not None
            denied = (
                negated and re.search(rf"\b(?:{_EXCEPT})\b", text[m.start() : begin], re.IGNORECASE) is None
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
    cue = next(reversed(allergy_cues(text, max(sentence.begin, begin - _NEAR * 2), begin)), None)
    if cue is not None and not any(cue.end() <= o[0] < begin for o in others):
        gap = text[cue.end() : begin]
        if UNSURE.search(gap) and not ACTION.search(gap) and len(gap.split()) <= 14:
            # "allergic to something, the patient was not sure what, possibly a penicillin": an allergy
            # whose substance is a guess, never a prescription
            return MentionContext("allergy", text[cue.start() : end], uncertain=True)
    after = _ALLERGY_AFTER.search(text, end, min(sentence.end, end + LOOKBACK))
    if after is not None and _glue(text, end, after.start(), others):
        # "no penicillin allergy": the negation stands before the drug (or the list it opens)
        head = begin
        while (earlier := _glued_before(text, head, others)) is not None:
            head = earlier[0]
        denied = _NEGATED_BEFORE.search(text, _back(sentence, head), head) is not None
        phrase = text[_phrase_start(text, sentence, head, denied) : after.end()]
        return MentionContext("allergy_denied" if denied else "allergy", phrase)
    return None


def _phrase_start(text: str, sentence: Span, start: int, denied: bool) -> int:
    if denied:
        m = _NEGATED_BEFORE.search(text, _back(sentence, start), start)
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
    changed = _changed_to(text, sentence, begin, end, high, after)
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
    anaphoric = _anaphoric(text, end, high, after, sentence.end)
    if anaphoric is not None:
        return MentionContext(anaphoric[0], text[begin : anaphoric[1]])
    head, bare = begin, False
    while (hold := _before(text, sentence, head)) is None:  # "hold metformin and lisinopril if …"
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
            _ALLERGY_BEFORE.search(said)
            or _ALLERGY_AFTER.search(said)
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


def _changed_to(
    text: str, sentence: Span, begin: int, end: int, high: int, after: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """Where "change X to Y" begins and ends, when the drug at ``begin`` is X and another drug Y is named just
    after "to" (never "change the ramipril to 10 mg": a dose, not a drug, follows)."""
    cue = CHANGE_BEFORE.search(text, _back(sentence, begin), begin)
    if cue is None or _NOT_BEFORE.search(text, _back(sentence, cue.start()), cue.start()):
        return None
    to = CHANGED_TO.match(text, end, sentence.end)
    if (
        to is None
        or to.end() != high
        or high >= sentence.end
        or ACTION.search(to["gap"])
        or text[high : after[0][1]].lower() == text[begin:end].lower()
    ):
        return None
    return cue.start(), to.end()


def _anaphoric(
    text: str, end: int, high: int, after: Sequence[tuple[int, int]], sentence_end: int
) -> tuple[ContextKind, int] | None:
    """(hold | stop, where its words end) when the drug's stretch says it is stopped or held by a pronoun."""
    for o in after:  # "Eliquis, sorry, apixaban …": the corrected name's stretch is this drug's too
        if o[0] != high or not CORRECTION.fullmatch(text, end, o[0]):
            break
        end = o[1]
        high = min([sentence_end, *(x[0] for x in after if x[0] >= o[1])])
    limit = min(high, word_end(text, end, ANAPHOR_WORDS))
    m = ANAPHORIC_STOP.search(text, end, limit)
    if (
        m is None
        or ACTION.search(text, end, m.start())
        or _NOT_BEFORE.search(text, max(0, m.start() - 12), m.start())
    ):
        return None
    said = " ".join(
        (m["done"] or m["after"] or m["verb"] or m["told"] or m["must"] or m["never"] or m["bare"])
        .lower()
        .split()
    )
    held = ("held", "paused", "pause", "hold", "withhold", "omit", "on hold")
    return ("hold" if said in held else "stop"), m.end()


def _before(text: str, sentence: Span, head: int) -> re.Match[str] | None:
    """ "hold" or "stop" just before ``head``."""
    low = _back(sentence, head)
    found = HOLD_BEFORE.search(text, low, head) or STOP_BEFORE.search(text, low, head)
    if found is not None and _NOT_BEFORE.search(text, low, found.start()):
        return None  # "do not stop aspirin", "has not stopped it": the drug goes on
    if (
        found is not None
        and re.match(r"(?:stopped|discontinued|ceased|finished|completed)\b", found.group(0), re.IGNORECASE)
        and _PASSIVE_BEFORE.search(text, low, found.start())
    ):
        # "that has been discontinued ramipril 5 mg", "after the oxycodone is finished paracetamol 1 g": a passive
        # stop has no object after it
        return None
    if (
        found is not None
        and found.re is STOP_BEFORE
        and found["never"]
        and _RELATIVE_BEFORE.search(text, low, found.start())
    ):
        return None  # "his diazepam, which she must not take propranolol 10 mg …": its object is the "which"
    return found


_DOSE_AFTER = re.compile(r"\s+\d")

_SWITCH_TO = re.compile(r"\b(?:to|for|with|by|onto)\b", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|is|are|has\s+been|have\s+been|had\s+been|being|been)\s+$", re.IGNORECASE
)
_RELATIVE_BEFORE = re.compile(r"\b(?:which|that)\s+(?:she|he|they|you|we|the\s+patient)\s+$", re.IGNORECASE)
_NOT_BEFORE = re.compile(r"\b(?:not|never|don'?t|doesn'?t|didn'?t|won'?t)\s+$", re.IGNORECASE)


def no_known_allergies(text: str) -> str | None:
    """The "NKDA" / "no known drug allergies" statement of the transcript, if any."""
    m = NO_KNOWN_ALLERGIES.search(text)
    return m.group(0) if m else None


# Shared with the Allergies section reader (:mod:`.allergy_list`).
ALLERGY_BEFORE = _ALLERGY_BEFORE
ALLERGY_AFTER = _ALLERGY_AFTER
NEGATED_BEFORE = _NEGATED_BEFORE
