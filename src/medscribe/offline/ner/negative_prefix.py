"""A condition said after "non-" keeps it: "non-alcoholic fatty liver disease", "non-ST elevation myocardial
infarction", "non-productive cough", "non-small cell lung cancer".

A lexicon match that starts after the prefix names the opposite condition or a wider one ("alcoholic fatty liver",
"ST elevation myocardial infarction", "productive cough"), a wrong fact printed as said. AWS returns the whole name
("Non-productive cough"). The prefix is "non" joined to the next word by a hyphen or a space (the recogniser
writes no hyphens), with at most :data:`MAX_BETWEEN` words between it and the condition, none of them a word that
would end the name ("non smoker with asthma"). A sign said as "non-" + the sign alone ("abdomen non-tender",
"non-distended") is the sign's absence: the sign ("tender") with NEGATION, as after "no".
"""

from __future__ import annotations

from medscribe.offline.ner.findings import SIGN_ADJECTIVES
from medscribe.offline.ner.text import Doc, Span

MAX_BETWEEN = 2  # "non-small cell | lung cancer"
NEGATION_SCORE = 0.9
# words that end a name: "non smoker with lung cancer", "non-drinker, asthma"
_ENDS_NAME = frozenset({
    "and", "or", "but", "with", "without", "of", "in", "on", "at", "a", "an", "the", "for", "to", "has", "had",
    "is", "was", "smoker", "smoking", "drinker", "drinking", "user", "since", "from", "known",
})  # fmt: skip


def keep_non(doc: Doc, found: list[Span]) -> None:
    """Extend each MEDICAL_CONDITION back over a "non" prefix said before it (in place)."""
    starts = {k for s in found for k in range(s.t0, s.t1)}
    for s in found:
        if s.category != "MEDICAL_CONDITION":
            continue
        for j in range(s.t0 - 1, max(-1, s.t0 - MAX_BETWEEN - 2), -1):
            tok = doc.toks[j]
            if (
                doc.sent[j] != doc.sent[s.t0]
                or j in starts
                or doc.text[tok.end : doc.toks[j + 1].begin] not in ("-", " ")
            ):
                break
            if tok.norm == "non":
                s.t0, s.begin = j, tok.begin
                break
            if tok.norm in _ENDS_NAME:
                break


def absent_signs(doc: Doc, found: list[Span]) -> None:
    """ "non-tender": the sign ("tender") negated by its prefix, a normal finding (in place)."""
    for s in found:
        words = [t.norm for t in doc.toks[s.t0 : s.t1]]
        if (
            s.category != "MEDICAL_CONDITION"
            or len(words) != 2
            or words[0] != "non"
            or words[1] not in SIGN_ADJECTIVES
        ):
            continue
        s.t0 += 1
        s.begin = doc.toks[s.t0].begin
        if not any(name == "NEGATION" for name, _ in s.traits):
            s.traits.append(("NEGATION", NEGATION_SCORE))
