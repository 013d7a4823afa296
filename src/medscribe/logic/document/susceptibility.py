"""A drug said as an organism's sensitivity or resistance: a culture's result, not a drug taken and not an allergy.

"The urine culture grew E. coli sensitive to nitrofurantoin and resistant to trimethoprim", "Pseudomonas, which is
sensitive to ciprofloxacin", "the MSU grew coliforms, nitrofurantoin sensitive", "sensitivities to vancomycin are
awaited": the words report a laboratory's antimicrobial susceptibility result (EUCAST's and CLSI's categories,
susceptible / intermediate / resistant; UK reports say "sensitive"). The drug is named as what the organism was
tested against, so it is neither the patient's allergy ("sensitive to" said of the patient is one) nor a drug the
patient is said to take. Whether it is taken now is not said (it may well be prescribed for the infection), so a
row is not moved: it is flagged ``NOT_VERIFIED_CURRENT`` naming NOT_TAKING / UNCLEAR and quoting the words
(:mod:`.drug_in_condition` reads this module first).

Said of an organism means: a microbiology word said before the result in its sentence (a culture, a swab, a
specimen, "grew", "isolated", "organism", "sensitivities"; ``data/microbiology_words.txt``: closed classes, and the
bacterial genera of EUCAST's breakpoint tables as data with their source), with no patient subject between ("urine
culture negative, she is sensitive to penicillin" is her allergy); never a drug's name.
"""

from __future__ import annotations

import functools
import re

from medscribe.logic.document import guard_data

# the result word before the drug: "sensitive to", "resistant to both", "sensitivities to", "susceptible to"
_RESULT_BEFORE = re.compile(
    r"\b(?:sensitive|susceptible|resistant|intermediate|sensitivity|sensitivities|susceptibility|resistance)"
    r"\s+(?:to|for)\s+(?:(?:both|all|either|the|also)\s+)?$",
    re.IGNORECASE,
)
# the result word right after the drug: "nitrofurantoin sensitive", "amoxicillin-resistant"
_RESULT_AFTER = re.compile(r"\s*-?\s*(?:sensitive|susceptible|resistant)\b", re.IGNORECASE)
# words that join the drugs of one result's list ("sensitive to ciprofloxacin, gentamicin and to tazocin")
_LIST_JOIN = re.compile(r"\s*(?:,|/|\band\b|\bor\b)\s*(?:(?:to|also|both)\s+)?$", re.IGNORECASE)
_NAME_WORD = re.compile(r"[\w'-]+\s*$")  # one word of a drug's name in such a list
_LIST_ITEMS = 4  # drugs of one list before this one
_REACH_BEFORE = 160  # characters of the sentence before the drug a microbiology word may be in
# a sentence's end: a stop, question mark or semicolon followed by a space and a capital (so "E. coli" and a
# recogniser's unpunctuated run stay one sentence, bounded by the reach)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])|\n")
_WORD = re.compile(r"[a-z][a-z'&.-]*[a-z]|[a-z]", re.IGNORECASE)
# a subject said after the microbiology word makes what follows the patient's ("urine culture negative, she is
# sensitive to penicillin")
_PATIENT_SUBJECTS = frozenset(
    {"he", "she", "they", "i", "we", "you", "patient", "mum", "dad", "mother", "father"}
)


@functools.cache
def _microbiology() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """The file's one-word entries, and its entries of several words (as word tuples)."""
    single: set[str] = set()
    multi: set[tuple[str, ...]] = set()
    for line in guard_data.words("microbiology_words.txt"):
        words = tuple(line.split())
        if len(words) == 1:
            single.add(words[0])
        else:
            multi.add(words)
    return frozenset(single), tuple(sorted(multi))


def _sentence_start(text: str, begin: int) -> int:
    start = max(0, begin - _REACH_BEFORE)
    for m in _SENTENCE_END.finditer(text, start, begin):
        start = m.end()
    return start


def _said_of_organism(text: str, start: int, at: int) -> bool:
    """A microbiology word between ``start`` and ``at``, and no patient subject after it."""
    single, multi = _microbiology()
    words = [w.lower().strip(".") for w in _WORD.findall(text[start:at])]
    last = -1
    for i, w in enumerate(words):
        if w in single or any(words[i : i + len(m)] == list(m) for m in multi):
            last = i
    return last >= 0 and not any(w in _PATIENT_SUBJECTS for w in words[last + 1 :])


def _result_before(text: str, start: int, begin: int) -> re.Match[str] | None:
    """The result words said before the drug at ``begin``, the drugs of its list (names of one or two words,
    joined by "," / "/" / "and" / "or") between."""
    pos = begin
    for _ in range(_LIST_ITEMS + 1):
        cue = _RESULT_BEFORE.search(text, start, pos)
        if cue is not None:
            return cue
        join = _LIST_JOIN.search(text, start, pos)
        if join is None:
            return None  # no list word before it: "… resistant to X" ends here
        first = _NAME_WORD.search(text, start, join.start())
        if first is None:
            return None
        second = _NAME_WORD.search(text, start, first.start())
        if _RESULT_BEFORE.search(text, start, first.start()) is None and second is not None:
            pos = second.start()  # a name of two words ("benzyl penicillin")
        else:
            pos = first.start()
    return None


def said_of_organism(text: str, mention: tuple[int, int]) -> str:
    """The words naming the drug at ``mention`` as an organism's sensitivity or resistance ("sensitive to
    nitrofurantoin", "amoxicillin resistant"), or ""."""
    begin, end = mention
    start = _sentence_start(text, begin)
    if not _said_of_organism(text, start, begin):
        return ""
    after = _RESULT_AFTER.match(text, end)
    if after is not None:
        return " ".join(text[begin : after.end()].split())
    cue = _result_before(text, start, begin)
    if cue is not None:
        return " ".join(text[cue.start() : end].split())
    return ""


def organism_cue(text: str, begin: int, cue: str) -> bool:
    """Is an allergy reader's cue ``cue`` ("sensitive to", "sensitivity to") said at ``begin`` said of an organism
    (a culture's result), not of the patient? ("hypersensitivity to" is always the patient's.)"""
    if not cue.lower().startswith("sensitiv"):
        return False
    return _said_of_organism(text, _sentence_start(text, begin), begin)
