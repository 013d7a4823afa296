"""A drug given during the event, not a prescription after it (read from the words, never from drug names).

"He was given aspirin 300 mg by the paramedics", "received IV gentamicin and co-amoxiclav on the ward", "had one
dose of amoxicillin from the out-of-hours doctor", "a stat dose of Pabrinex", "Morphine 5 mg intravenously given",
"the paramedics gave him GTN": the drug was given once (or as a course during the stay), which says nothing of
what the patient takes after the visit. The row stays on the prescription draft (a reviewer may carry it on),
flagged ``GIVEN_ONCE`` with the words that said so, so it is never stated as a current prescription unflagged.

The cue reaches a drug named after it while only a list lies between: other drugs named, their amounts and
routes, list glue. A setting ("in resus", "by the paramedics", "on the ward"), an instruction ("continue",
"discharged on", "now"), a modal ("to be given", "should be given": a plan) or a new clause ends it.

A bare "given X 25 mg at night" (no "was" / "had been") with a schedule of its own reads as a prescription ("given"
= prescribed) and is left alone; after "was given" / "received" / "had a dose of" a schedule makes the words undecidable (a course given
during the stay, or one to go on): the row is flagged, saying so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from medscribe.logic.document.evidence import Span
from medscribe.logic.document.scope_words import ACTION
from medscribe.number_words import NUMBER_WORDS

_PAST = r"(?:(?:was|were|been|had\s+been|has\s+been|have\s+been)\s+)"
_COUNT = "|".join(sorted(NUMBER_WORDS - {"zero", "one", "hundred", "thousand"}, key=len, reverse=True))
GIVEN_BEFORE = re.compile(
    rf"\b(?P<cue>{_PAST}?(?:given|administered)"
    r"|received|receiving"
    r"|gave(?:\s+(?:him|her|them|the\s+patient))?"
    r"|(?:had|got|has\s+had|needed)\s+(?:a|one|the|his|her|their)?\s*(?:single\s+|stat\s+|one[-\s]off\s+|first\s+)?"
    r"(?:dose|bolus|injection|shot)\s+of"
    r"|(?:a|one|single|stat|one[-\s]off)\s+(?:(?:single|stat|one[-\s]off)\s+)?(?:dose|bolus)\s+of"
    # a count of doses given ("two doses of lorazepam from the paramedics", "3 doses of salbutamol")
    rf"|(?:\d+|{_COUNT}|several|repeated|multiple|further|both)\s+(?:doses|boluses|injections|nebs|nebulisers)\s+of"
    # a procedure done with the drug ("a nerve block was done today with 3 mL of 0.5% bupivacaine", "an injection
    # was performed with 40 mg of triamcinolone"): a word or three (a time, a setting) may stand before "with"
    r"|(?:was|were|has\s+been|had\s+been)\s+(?:done|performed|carried\s+out|undertaken)(?:\s+[\w-]+){0,3}?"
    r"\s+(?:with|using))\b",
    re.IGNORECASE,
)
# the same said after the drug: "Morphine 5 mg intravenously given", "Dexamethasone 2.4 mg given once",
# "ceftriaxone 2 g IV stat"
GIVEN_AFTER = re.compile(
    r"(?P<gap>(?:(?:\s*,\s*|\s+)[\w./%-]+){0,5}?)\s*,?\s+(?P<aux>(?:was|were|has\s+been|had\s+been)\s+)?"
    r"(?P<cue>given|administered|stat|applied|injected|infiltrated|instilled)\b(?!\s+(?:as|if|when|twice|three|four|once\s+(?:a|daily|weekly)|daily|every"
    r"|each|at|for|with|by\s+mouth\s+(?:daily|twice)))",
    re.IGNORECASE,
)
# a plan, not an event: "to be given", "should be given", "can be given", "will receive"; a reaction, not a dose:
# "penicillin, which gave him hives"; a negation: "was not given"
_MODAL_BEFORE = re.compile(
    r"\b(?:(?:to|should|will|would|can|could|may|might|must|shall|needs?\s+to)\s+(?:be\s+|have\s+)?"
    r"|(?:which|that|it|they|this)\s+|(?:not|never|n't)\s+(?:been\s+|be\s+)?)$",
    re.IGNORECASE,
)
# a dose not given, or one to take: "missed two doses of", "take two doses of"
_NOT_GIVEN_BEFORE = re.compile(
    r"\b(?:miss(?:ed|es|ing)?|skip(?:ped|s|ping)?|forg(?:ot|otten|ets)|omit(?:ted|s)?|takes?|taking|use|uses)\s+$",
    re.IGNORECASE,
)
# verbs of a drug used in a procedure, read after the drug only when past and passive ("a capsaicin patch was
# applied to the feet", "methylprednisolone 80 mg was injected"): "apply twice daily", "cream applied at night" are
# instructions
PROCEDURE_AFTER = frozenset(("applied", "injected", "infiltrated", "instilled"))
# words that end the list of what was given: a new subject ("given he takes warfarin"), a new clause
_STOP_WORDS = frozenset(
    [
        "now",
        "discharged",
        "home",
        "then",
        "currently",
        "continues",
        "continue",
        "he",
        "she",
        "they",
        "we",
        "i",
        "patient",
        "pt",
        "so",
        "because",
        "but",
        "which",
        "who",
        "that",
        "if",
        "when",
        "until",
        "not",
        "no",
    ]
)
# words a list of what was given may hold between the cue and the drug (besides other drugs, digits and the number
# words of :mod:`medscribe.number_words`)
_LIST_WORDS = frozenset(
    [
        "and",
        "or",
        "plus",
        "also",
        "with",
        "a",
        "an",
        "the",
        "some",
        "of",
        "his",
        "her",
        "their",
        "iv",
        "intravenous",
        "intravenously",
        "oral",
        "orally",
        "im",
        "intramuscular",
        "intramuscularly",
        "sc",
        "subcutaneous",
        "subcutaneously",
        "nebulised",
        "nebulized",
        "nebuliser",
        "nebulisers",
        "nebulizer",
        "buccal",
        "rectal",
        "sublingual",
        "inhaled",
        "stat",
        "single",
        "dose",
        "doses",
        "bolus",
        "loading",
        "mg",
        "mcg",
        "micrograms",
        "milligrams",
        "g",
        "grams",
        "units",
        "unit",
        "ml",
        "puffs",
        "puff",
        "tablets",
        "tablet",
        "of",
        "x",
    ]
)
_WORD = re.compile(r"[\w'./%-]+")
_NUMBER = re.compile(r"^[\d./%-]+$")
_BREAK = re.compile(r"[;:!?]|\.(?!\d)")
GAP_WORDS = 10  # how many words the list between a cue and the drug may hold (other drugs' words not counted)
UNKNOWN_WORDS = 2  # words of no list kind a list may hold ("two units of blood and IV omeprazole")


@dataclass(frozen=True)
class GivenOnce:
    phrase: str  # the words that say it was given ("was given aspirin")
    cue: str  # the cue word itself ("given", "received", "a stat dose of")
    bare: bool  # a bare "Given X …" opening the sentence (may mean "prescribed")


def given_once(
    text: str, sentence: Span, mention: tuple[int, int], medications: Sequence[tuple[int, int]]
) -> GivenOnce | None:
    """The given-once cue that reaches the mention, or None."""
    begin, end = mention
    low = max(sentence.begin, begin - 160)
    for m in reversed(list(GIVEN_BEFORE.finditer(text, low, begin))):
        if _MODAL_BEFORE.search(text, max(sentence.begin, m.start() - 20), m.start()):
            continue
        if _NOT_GIVEN_BEFORE.search(text, max(sentence.begin, m.start() - 20), m.start()):
            continue
        if not _a_list(text[m.end() : begin], m.end(), medications):
            continue
        bare = m["cue"].lower() == "given"  # no "was", "had been": may mean "prescribed"
        return GivenOnce(text[m.start() : end], " ".join(m["cue"].lower().split()), bare)
    after = GIVEN_AFTER.match(text, end, sentence.end)
    if (
        after is not None
        and (after["aux"] or after["cue"].lower() not in PROCEDURE_AFTER)
        and not ACTION.search(after["gap"])
        and not _STOP_WORDS & set(after["gap"].lower().split())
        and not any(end <= b < after.start("cue") for b, _ in medications)
        and not _MODAL_BEFORE.search(text, max(end, after.start("cue") - 20), after.start("cue"))
    ):
        return GivenOnce(text[begin : after.end()], after["cue"].lower(), False)
    return None


def _a_list(gap: str, offset: int, medications: Sequence[tuple[int, int]]) -> bool:
    """Only a list of what was given lies in ``gap`` (text starting at ``offset``)."""
    if _BREAK.search(gap):  # a sentence or clause break; a decimal point ("0.5% bupivacaine") is none
        return False
    words = 0
    unknown = 0
    for w in _WORD.finditer(gap):
        at = offset + w.start()
        if any(b <= at < e for b, e in medications):
            continue
        word = w.group(0).lower()
        if ACTION.fullmatch(word) or word in _STOP_WORDS:
            return False
        words += 1
        if _listed(word):
            continue
        unknown += 1
        if unknown > UNKNOWN_WORDS:
            return False
    # after a setting ("… 20 mg in clinic salbutamol"), the list goes on only with its glue ("in resus and X")
    last = _WORD.findall(gap.lower())[-1:] if unknown else []
    return words <= GAP_WORDS and not (last and not _listed(last[0]))


def _listed(word: str) -> bool:
    """A word a list of what was given may hold: a list word, a number word, digits ("500", "1.5", "30/500")."""
    return word in _LIST_WORDS or word in NUMBER_WORDS or bool(_NUMBER.match(word))
