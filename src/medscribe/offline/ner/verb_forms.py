"""A symptom or injury said as a past-tense verb or participle: "he sprained his ankle", "his hands have tingled
since winter", "she was concussed", "if the wound turns infected", "the knee swelled".

AWS names the word said as the MEDICAL_CONDITION; the lists hold the noun ("sprain", "tingling", "concussion",
"infection", "swelling"). A word ending in "-ed" that no list holds and no other entity took is read back to its
noun by the regular English rules (``sprain-ed``, ``bruise-d``, ``swell-ed`` -> "swelling", ``infect-ed`` ->
"infection", ``distend-ed`` -> "distension", ``club-bed`` -> "clubbing"), and is that condition (the noun's
trait, DX_NAME) when the noun is a one-word condition name of the lists and the word is said as a verb or a
predicate, not before the noun it qualifies: the next word in the sentence is a function word ("sprained the
right ankle", "tingled since", "swelled up") or none ("turns infected."). Before any other word it describes
that word ("fractured neck of femur", "an infected foot ulcer", "clubbed fingers") and is left to it.

Forms whose everyday sense is no condition are left out (:data:`_OTHER_SENSES`: "guarded" of a manner,
"exacerbated" of a course, "stroked" of a touch; reviewed against every "-ed" word of the English word list that
the rules read as a condition).
"""

from __future__ import annotations

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.text import Doc, Span

SCORE = 0.75
_MIN_LETTERS = 6
_OTHER_SENSES = frozenset({
    "calmed", "deluded", "deluged", "exacerbated", "extroverted", "galloped", "guarded", "lumped", "massed",
    "murmured", "overweighted", "pained", "recessed", "scaled", "spotted", "stroked", "tendered",
    "underweighted", "wedged", "sobbed", "wasted", "pitted", "impacted", "decompensated", "exhausted",
})  # fmt: skip
# words after a verb or a predicate: determiners, pronouns (a run-on's next clause: "has been bloated he is"),
# prepositions, conjunctions, time adverbs
_FUNCTION = frozenset({
    "the", "a", "an", "his", "her", "their", "my", "its", "this", "that", "it", "him", "them", "himself",
    "herself", "and", "or", "but", "since", "for", "in", "on", "at", "after", "over", "again", "up", "when",
    "while", "with", "from", "into", "during", "badly", "twice", "once", "yesterday", "today", "last",
    "overnight", "recently", "as", "so", "then", "which", "off", "out", "down", "about", "by", "before",
    "until", "within", "every", "all", "both", "too", "now", "there", "here", "is", "was", "were", "has",
    "had", "have", "he", "she", "they", "we", "i", "you",
})  # fmt: skip


def _nouns(word: str) -> tuple[str, ...]:
    stem = word[:-2]
    forms = [stem, word[:-1], stem + "ing", stem + "ion", word[:-3] + "sion"]
    if len(stem) > 3 and stem[-1] == stem[-2]:  # "clubbed" -> "club", "clubbing"
        forms += [stem[:-1], stem[:-1] + "ing"]
    return tuple(forms)


def condition_of(word: str) -> lex.Concept | None:
    """The one-word condition ``word`` (lower case, "-ed") names as a verb, or None."""
    if not word.endswith("ed") or len(word) < _MIN_LETTERS or not word.isalpha() or word in _OTHER_SENSES:
        return None
    phrases = lex.clinical_lexicon().phrases
    for noun in _nouns(word):
        concept = phrases.get(noun)
        if concept is not None and concept.category == "MEDICAL_CONDITION":
            return concept
    return None


def verb_form_conditions(doc: Doc, taken: list[bool]) -> list[Span]:
    """Each "-ed" word no other entity took that names a condition as a verb or a predicate."""
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        if taken[i]:
            continue
        concept = condition_of(tok.norm)
        if concept is None:
            continue
        j = i + 1
        if (
            j < len(doc.toks)
            and doc.sent[j] == doc.sent[i]
            and not doc.text[tok.end : doc.toks[j].begin].strip()
            and doc.toks[j].norm not in _FUNCTION
        ):
            continue  # "fractured neck of femur", "infected foot ulcer": it describes the next word
        s = doc.span(tok.begin, tok.end, "MEDICAL_CONDITION", "DX_NAME", SCORE)
        s.traits.append((concept.trait or "SYMPTOM", 0.8))
        out.append(s)
        taken[i] = True
    return out
