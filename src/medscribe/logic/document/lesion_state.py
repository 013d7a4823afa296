"""A structure named with its lesion's state ("a sequestrated disc", "a torn meniscus", "a ruptured Achilles"): a
condition said without a condition word (issue 15 item 7, "nothing lost silently"). The structure is a body
site ("disc" is one) and no list names the pair, so neither the detector nor a cue may hold it; the structural
omission guard (:mod:`.cue_guard`) flags it when no draft item holds it.

A participle of ``data/lesion_states.txt`` (the disc-herniation morphology terms of the Lumbar disc nomenclature
2.0, and a structure's injury states) said right before a word that can name a structure: a body site, or any
word that is no preposition, determiner, conjunction, clause word, adverb, number or word that names nothing
("collapsed at home", "slipped on the ice", "fractured yesterday" are no lesion). A negation just before it ("no
torn ligament") leaves it to the lexicon guards, as for a shaped word. Its key words are the participle (whose
stem the condition's noun shares: "ruptured" / "rupture", "herniated" / "herniation") and the structure, unless
the structure is a body site (an item "shoulder pain" does not account for "a dislocated shoulder"). Works on
recogniser text as on punctuated text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from medscribe.logic.document import cue_words as cw
from medscribe.logic.document.cue_parts import Part, adverb, body_sites, not_naming, tokens
from medscribe.logic.document.cue_spans import CueSpan
from medscribe.logic.document.guard_data import words as data_words

NEGATION_REACH = 3  # words before the participle within which a negation makes it a denied mention
WHY = "names a structure with its lesion's state (a condition)"


@functools.cache
def lesion_states() -> frozenset[str]:
    return frozenset(data_words("lesion_states.txt"))


def lesion_spans(text: str) -> Iterator[CueSpan]:
    """Every participle of a lesion said right before a structure, as a one-part span over both words."""
    toks = tokens(text)
    for i in range(len(toks) - 1):
        state, noun = toks[i].text, toks[i + 1].text
        if state not in lesion_states() or not _structure(noun):
            continue
        before = [t.text for t in toks[max(0, i - NEGATION_REACH) : i]]
        if any(w in cw.NEGATIONS for w in before):
            continue
        keys = (state,) if noun in body_sites() else (state, noun)
        part = Part(toks[i].begin, toks[i + 1].end, keys)
        yield CueSpan("condition", "", part.begin, part.end, (part,), WHY)


def _structure(word: str) -> bool:
    if word in body_sites():
        return True
    if not word.isalpha() or adverb(word) or word in not_naming() or word in cw.NUMBER_WORDS:
        return False
    closed = cw.HARD | cw.CONJUNCTIONS | cw.PREPOSITIONS | cw.BOUNDARY | cw.LEADING | cw.NEGATIONS
    return word not in closed
