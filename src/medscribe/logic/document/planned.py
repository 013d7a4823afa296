"""A drug said as not yet taken: planned for later ("he is due to begin empagliflozin next month", "add indapamide
after the renal ultrasound", "allopurinol to follow once the flare has settled") or offered and declined ("she
declined citalopram", "sertraline was offered but he refused it").

Either backend may miss the words (Comprehend Medical's FUTURE trait is not documented for every phrasing; the offline
detector reads a fixed list of triggers), so the draft reads them itself, from closed word classes, and adds the
trait the words say to the drug — never takes one away:

- **planned** (FUTURE): a future verb phrase right before the drug (:data:`PLANNED_BEFORE`: "due / going /
  planning / scheduled to start", "to be started on"); or, after the drug and only its dose, frequency and route
  words, a link that says the start is later (:data:`LINK`: "to follow", "is to start", "to begin"); or a condition
  (:data:`LATER`: "after the scan", "once the bloods are back", "when the results come", "pending …") said of a
  start verb right before the drug (:data:`START_BEFORE`: "add X …", "start X …", "we will commence X …"); or a
  later time ("next month", "in two weeks", "tomorrow") said of a start in the future tense ("we will start X next
  week"). "Start X tomorrow", "X 50 mg starting tomorrow" and "we will start X" alone are a prescription made today;
  a review or test said after the drug ("sertraline 50 mg, review in four weeks") is not the drug's start: other
  words stand between.
- **declined** (NEGATION, the draft's "not taking"): a verb of declining right before the drug (:data:`DECLINED_BEFORE`:
  "declined", "refused", "did not want", "turned down") or after it and an offer (:data:`DECLINED_AFTER`: "X was
  offered but she declined it", "X, which he refused").

The words found are kept on the context (``ctx.planned``, ``ctx.declined``) so the item is listed with them and the
placement guards read that the words said it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from medscribe.shapes import Entity, Trait

if TYPE_CHECKING:
    from medscribe.logic.document.context import DraftContext

SAID_SCORE = 0.9  # the trait the words give the drug: above TRAIT_MIN_SCORE

# words allowed between a cue and the drug it speaks of: a pronoun's "on", a determiner, a form of the drug
_LEAD = r"(?:(?:him|her|them|me)\s+)?(?:on\s+)?(?:(?:a|an|the|some|any|his|her|their|low[- ]dose|oral|regular)\s+)*"
PLANNED_BEFORE = re.compile(
    r"(?<!\bnot\s)\b(?:"
    r"(?:due|going|planning|planned|plan|plans|scheduled|booked|about|intends?|intending|hoping|aiming|expected|set)"
    r"\s+to\s+(?:start|begin|commence|try|receive|be\s+(?:started|commenced|put|given)(?:\s+on)?)"
    r"|to\s+be\s+(?:started|commenced|initiated|given)(?:\s+on)?"
    rf")\s+{_LEAD}$",
    re.IGNORECASE,
)
# a start verb in the imperative (never "started": a start already made), or after "will": "we will start X" alone
# is as often a prescription made today, so only a later time or condition after the drug says it is planned
_WILL = r"(?:will|shall|we['\u2019]ll|i['\u2019]ll)\s+(?:then\s+|also\s+|now\s+)?"
_WILL_AT = re.compile(_WILL, re.IGNORECASE)
START_BEFORE = re.compile(
    rf"\b(?:(?:{_WILL})?(?:start|begin|commence|add|introduce|initiate|try)"
    rf"|{_WILL}(?:be\s+(?:started|commenced|put)(?:\s+on)?|put\s+(?:him|her|them)\s+on"
    r"|switch\s+(?:(?:him|her|them)\s+)?to|change\s+(?:(?:him|her|them)\s+)?to))"
    rf"\s+{_LEAD}$",
    re.IGNORECASE,
)
_SPOKEN = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|thousand|point|half|quarter"
)
# one word of a drug's dose, frequency, route or form, said right after its name
_DOSE_WORD = re.compile(
    rf"[\s,]*(?:\d[\d.,/]*%?|(?:{_SPOKEN})\b|(?:mg|mcg|micrograms?|milligrams?|grams?|g|ml|millilitres?|units?"
    r"|tablets?|capsules?|puffs?|drops?|sachets?|patch|patches|percent|once|twice|times|a|per|each|every|day|daily"
    r"|weekly|nightly|monthly|week|month|at|night|in|the|morning|evening|od|bd|tds|qds|nocte|mane|orally|oral|by"
    r"|mouth|po|iv|sc|subcutaneously|intravenously|inhaled|inhaler|ointment|cream|injection|infusion|as|needed"
    r"|required|prn|and|with|food)\b)",
    re.IGNORECASE,
)
_DOSE_WORDS = 14  # at most this many dose words between the drug and what is said of its start
# a link after the drug that says its start is later ("to follow", "is to start", "will begin")
LINK = re.compile(
    r"[\s,]*(?:(?:is|are)\s+)?(?:to\s+(?:follow|start|begin|commence|be\s+(?:started|commenced|introduced|added))"
    r"|will\s+(?:follow|start|begin|be\s+(?:started|commenced|added)))\b",
    re.IGNORECASE,
)
_FROM = re.compile(r"[\s,]*(?:from|starting|beginning)\b", re.IGNORECASE)  # "from next week": its time
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)"
_COUNT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|ten|twelve|a\s+few|a\s+couple\s+of|few)"
_WHO = r"(?:the|his|her|their|this|results?|bloods?)"  # what a condition on a start is said of
_MEAL = r"(?:food|meals?|breakfast|lunch|dinner|supper|eating|each|every|evening|morning)"
_CONDITION_WORDS = 4  # words of a condition's clause quoted (cut at a sentence end or the next drug)
# a later time or a condition still to be met, said of the start ("once daily", "when required", "after food" are
# a schedule, not a condition)
LATER = re.compile(
    rf"[\s,]*(?P<later>(?P<time>next\s+(?:week|month|year|visit|appointment|clinic|review|{_DAY})"
    rf"|tomorrow|after\s+(?:the\s+)?{_DAY}|in\s+{_COUNT}\s+(?:days?|weeks?|months?|years?)(?!\s+ago))"
    rf"|(?:after|once|pending|following)\s+{_WHO}\b(?!\s+{_MEAL}\b)(?:\s+[\w'-]+){{1,{_CONDITION_WORDS}}}"
    rf"|once\s+(?:she|he|they)\s+(?:has|have|had|is|are)(?:\s+[\w'-]+){{1,{_CONDITION_WORDS}}}"
    rf"|when\s+(?:the|results?|bloods?)\b(?!\s+{_MEAL}\b)(?:\s+[\w'-]+){{1,{_CONDITION_WORDS}}}"
    r"|(?:after|following)\s+(?:surgery|discharge|delivery|dialysis|chemotherapy|radiotherapy))",
    re.IGNORECASE,
)
_DECLINE = (
    r"(?:declined|declines|declining|refused|refuses|refusing|turned\s+down|did\s+not\s+want|didn['\u2019]?t\s+want"
    r"|does\s+not\s+want|doesn['\u2019]?t\s+want|(?:does|did)\s+not\s+wish\s+to\s+(?:start|take|try|have)"
    r"|would\s+(?:rather|prefer)\s+not\s+to\s+(?:start|take|try|have))"
)
DECLINED_BEFORE = re.compile(
    rf"\b{_DECLINE}\s+(?:to\s+(?:start|take|try|have)\s+)?{_LEAD}$",
    re.IGNORECASE,
)
# an offer before the drug and its refusal after it: "she was offered sertraline but declined"
OFFERED_BEFORE = re.compile(rf"\b(?:offered|suggested|recommended|proposed)\s+{_LEAD}$", re.IGNORECASE)
REFUSED_AFTER = re.compile(
    rf"[\s,]*(?:but|and|which)\s+(?:(?:she|he|they|the\s+patient)\s+)?(?:(?:has|had)\s+)?{_DECLINE}\b",
    re.IGNORECASE,
)
# the drug, an offer, and its refusal: "X was offered but she declined (it)", "X, which he refused"
DECLINED_AFTER = re.compile(
    r"[\s,]*(?:(?:which|that)\s+|(?:(?:was|were|has\s+been|had\s+been)\s+)?(?:offered|suggested|recommended"
    r"|discussed|advised|proposed)(?:\s+to\s+(?:him|her|them))?[\s,]*(?:but|and|which)\s+)"
    rf"(?:(?:she|he|they|the\s+patient)\s+)?(?:(?:has|had)\s+)?{_DECLINE}\b",
    re.IGNORECASE,
)
# the refusal's own subject right before it ("she declined X"): decided even after another drug in a run-on
_SUBJECT = re.compile(r"\b(?:she|he|they|patient|who)\s+(?:has\s+|had\s+)?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?\n](?!\d)")
_REACH = 80  # characters before the drug where its cue may be said


def _dose_end(text: str, end: int) -> int:
    """Where the drug's own dose, frequency and route words end, after its name at ``end``."""
    for _ in range(_DOSE_WORDS):
        if LATER.match(text, end) or LINK.match(text, end) or DECLINED_AFTER.match(text, end):
            break
        m = _DOSE_WORD.match(text, end)
        if m is None:
            break
        end = m.end()
    return end


def _before(text: str, begin: int) -> str:
    """The clause's words before ``begin`` (back to a sentence end, at most :data:`_REACH` characters)."""
    low = max(0, begin - _REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, low, begin)]
    return text[(ends[-1] if ends else low) : begin]


def planned(text: str, begin: int, end: int, drugs: Sequence[tuple[int, int]] = ()) -> str:
    """The words that say the drug at ``[begin, end)`` is started later ("due to begin X … next month"), or "";
    ``drugs``: the drug mentions of the text (a condition's words stop at the next one)."""
    before = _before(text, begin)
    cue = PLANNED_BEFORE.search(before)
    after = _dose_end(text, end)
    link = LINK.match(text, after)
    at = link.end() if link else after
    start = START_BEFORE.search(before)
    opened = _FROM.match(text, at)
    later = LATER.match(text, opened.end() if opened else at)
    # a condition said of a start defers it; a time only when the start is said in the future ("we will start X next
    # week"): "start X tomorrow", "X 50 mg starting tomorrow" are a prescription made today with its first day
    deferred = (
        later is not None and start is not None and (not later["time"] or _WILL_AT.match(start.group(0)))
    )
    if cue is None and link is None and not deferred:
        return ""
    opener = cue or start
    first = begin - len(before) + opener.start() if opener else begin
    last = later.end() if later else (link.end() if link else end)
    last = min([b for b, _ in drugs if end <= b < last] + [last])
    return " ".join(text[first:last].split())


def declined(text: str, begin: int, end: int, drugs: Sequence[tuple[int, int]] = ()) -> str:
    """The words that say the drug at ``[begin, end)`` was offered and declined ("she declined X"), or "";
    ``drugs``: the drug mentions of the text (a refusal said after another drug is not decided for this one)."""
    before = _before(text, begin)
    cue = DECLINED_BEFORE.search(before)
    low = begin - len(before)
    if cue is not None and (
        _SUBJECT.search(before, 0, cue.start()) or not any(low <= b < low + cue.start() for b, _ in drugs)
    ):
        return " ".join(text[low + cue.start() : end].split())
    if cue is not None:  # "offered sertraline but declined omeprazole …": the refusal may be the first drug's
        return ""
    dosed = _dose_end(text, end)
    offered = OFFERED_BEFORE.search(before)
    after = DECLINED_AFTER.match(text, dosed) or (REFUSED_AFTER.match(text, dosed) if offered else None)
    if after is None:
        return ""
    first = low + offered.start() if offered else begin
    return " ".join(text[first : after.end()].split())


def with_plans(ctx: DraftContext, entities: Sequence[Entity]) -> list[Entity]:
    """``entities`` with what the words say of a drug not yet taken: a planned drug carries FUTURE (listed under Plan
    and conditional with the words), a declined one NEGATION (a "Not taking" note); ``ctx.planned`` /
    ``ctx.declined`` keep the words by the drug's span."""
    out = []
    for e in entities:
        if e.Category != "MEDICATION" or not ctx.at(e):
            out.append(e)
            continue
        traits = ctx.traits(e)
        said = declined(ctx.text, e.BeginOffset, e.EndOffset, ctx.medication_spans)
        if said:
            ctx.declined[(e.BeginOffset, e.EndOffset)] = said
            if "NEGATION" not in traits:
                e = e.model_copy(update={"Traits": [*e.Traits, Trait(Name="NEGATION", Score=SAID_SCORE)]})
            out.append(e)
            continue
        said = (
            ""
            if "NEGATION" in traits
            else planned(ctx.text, e.BeginOffset, e.EndOffset, ctx.medication_spans)
        )
        if said:
            ctx.planned[(e.BeginOffset, e.EndOffset)] = said
            if not traits & {"FUTURE", "HYPOTHETICAL"}:
                e = e.model_copy(update={"Traits": [*e.Traits, Trait(Name="FUTURE", Score=SAID_SCORE)]})
        out.append(e)
    return out
