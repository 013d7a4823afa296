"""A condition said after "non-" keeps it: "non-alcoholic fatty liver disease", "non-ST elevation myocardial
infarction", "non-productive cough", "non-small cell lung cancer".

A lexicon match that starts after the prefix names the opposite condition or a wider one ("alcoholic fatty liver",
"ST elevation myocardial infarction", "productive cough"), a wrong fact printed as said. AWS returns the whole name
("Non-productive cough"). The prefix is "non" joined to the next word by a hyphen or a space (the recogniser
writes no hyphens), with at most :data:`MAX_BETWEEN` words between it and the condition, none of them a word that
would end the name ("non smoker with asthma").
"""

from __future__ import annotations

from medscribe.offline.ner.text import Doc, Span

MAX_BETWEEN = 2  # "non-small cell | lung cancer"
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
