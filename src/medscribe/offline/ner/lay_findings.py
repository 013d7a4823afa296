"""Problems stated without a cue or a condition name: lay symptom phrases ("off her food", "not eating much"), a
measured quantity said as a change ("she has lost weight"), and "<finding noun> still / is <abnormal adjective>"
("mood still low", "her periods are irregular").

Each is a MEDICAL_CONDITION (DX_NAME) named by the words said, with trait SYMPTOM or SIGN, as AWS returns a
finding in lay words. "Weight 82 kg" stays a test: only a change verb before the quantity ("lost", "gained",
"put on") makes it a finding, and the quantity's test match is then replaced.
"""

from __future__ import annotations

import functools

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.text import Doc, Span

SCORE = 0.85
_PRONOUNS = ("her", "his", "their", "my", "your")

# measured quantities said as a finding by a change verb: verb -> trait of the finding
_QUANTITIES = frozenset({"weight", "appetite"})
_CHANGE_VERBS = {
    "lost": "SYMPTOM", "losing": "SYMPTOM", "dropped": "SYMPTOM", "gained": "SIGN", "gaining": "SIGN",
    "put on": "SIGN", "putting on": "SIGN",
}  # fmt: skip
_BEAR = frozenset({"bear", "bears", "bearing", "bore"})  # "unable to weight bear"
_BETWEEN = frozenset(
    {"some", "a", "lot", "of", "bit", "little", "more", "much", "her", "his", "their", "weight"}
)

# "<finding noun> <linking words> <abnormal adjective>": the noun is a function or a body's output
_FINDING_NOUNS = frozenset({
    "mood", "appetite", "sleep", "energy", "periods", "period", "sensation", "vision", "hearing", "memory",
    "concentration", "stream", "bowels", "stools", "stool", "breathing", "speech", "balance", "mobility",
    "urine", "cycle", "cycles", "libido", "motivation", "intake", "sugars", "sugar",
})  # fmt: skip
_HIGH_NOUNS = frozenset({"sugars", "sugar"})  # "her sugars have been high": a reading said high is a finding
_ABNORMAL = frozenset({
    "low", "poor", "reduced", "irregular", "heavy", "painful", "erratic", "disturbed", "broken", "impaired",
    "blurred", "blurry", "worse", "worsening", "loose", "slurred", "unsteady", "decreased", "diminished",
    "flat", "patchy", "dark", "bloody", "weak",
})  # fmt: skip
_LINKING = frozenset({
    "still", "is", "are", "was", "were", "has", "have", "been", "remains", "remain", "remained", "very",
    "quite", "rather", "a", "bit", "more", "now", "also", "becoming", "become", "getting", "feels", "seems",
    "run", "runs", "running", "ran",
})  # fmt: skip
_MAX_LINKING = 3


@functools.cache
def _phrases() -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for trait, *phrases in lex._read_pipe_file("lay_symptoms.txt"):
        for phrase in phrases:
            variants = (
                [phrase.replace("<pronoun>", p) for p in _PRONOUNS] if "<pronoun>" in phrase else [phrase]
            )
            for v in variants:
                out[tuple(lex.normalize(v).split())] = trait
    return out


def lay_findings(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    out = _lay_phrases(doc, taken)
    out += _quantity_changes(doc, found, taken)
    out += _noun_adjective(doc, taken)
    return out


def _finding(doc: Doc, t0: int, t1: int, trait: str, taken: list[bool]) -> Span:
    s = doc.span(doc.toks[t0].begin, doc.toks[t1 - 1].end, "MEDICAL_CONDITION", "DX_NAME", SCORE)
    s.traits.append((trait, 0.85))
    for k in range(t0, t1):
        taken[k] = True
    return s


def _one_clause(doc: Doc, t0: int, t1: int) -> bool:
    return all(doc.sent[k] == doc.sent[t0] for k in range(t0, t1)) and not any(
        doc.text[doc.toks[k].end : doc.toks[k + 1].begin].strip() for k in range(t0, t1 - 1)
    )


def _lay_phrases(doc: Doc, taken: list[bool]) -> list[Span]:
    table = _phrases()
    longest = max((len(k) for k in table), default=0)
    out: list[Span] = []
    i = 0
    while i < len(doc.toks):
        hit = None
        for n in range(min(longest, len(doc.toks) - i), 0, -1):
            key = tuple(t.norm for t in doc.toks[i : i + n])
            if key in table and not any(taken[i : i + n]) and _one_clause(doc, i, i + n):
                hit = (n, table[key])
                break
        if hit is None:
            i += 1
            continue
        out.append(_finding(doc, i, i + hit[0], hit[1], taken))
        i += hit[0]
    return out


def _quantity_changes(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """ "She has lost weight", "gained a lot of weight": the change verb through the quantity is one finding.
    "Weight bear" is a movement, no measurement: its "weight" is no test."""
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        if tok.norm not in _QUANTITIES:
            continue
        if i + 1 < len(doc.toks) and doc.toks[i + 1].norm in _BEAR:
            for s in [
                s for s in found if s.t0 == i and s.t1 == i + 1 and s.category == "TEST_TREATMENT_PROCEDURE"
            ]:
                found.remove(s)
            continue
        j = i - 1
        while j >= 0 and i - j <= 4 and doc.toks[j].norm in _BETWEEN:
            j -= 1
        if j < 0:
            continue
        verb = doc.toks[j].norm
        if verb == "on" and j > 0:
            verb, j = f"{doc.toks[j - 1].norm} on", j - 1
        trait = _CHANGE_VERBS.get(verb)
        if trait is None or not _one_clause(doc, j, i + 1):
            continue
        tests = [s for s in found if s.t0 <= i < s.t1 and s.category == "TEST_TREATMENT_PROCEDURE"]
        if any(s.t1 - s.t0 > 1 for s in tests):
            continue  # a longer test name ("body weight") is not replaced
        for s in tests:
            found.remove(s)
            taken[i] = False
        if any(taken[j : i + 1]):
            continue
        out.append(_finding(doc, j, i + 1, trait, taken))
    return out


def _noun_adjective(doc: Doc, taken: list[bool]) -> list[Span]:
    """ "Mood still low", "her periods are irregular", "sleep has been poor"."""
    out: list[Span] = []
    n = len(doc.toks)
    for i, tok in enumerate(doc.toks):
        noun = tok.norm.removesuffix("'s")  # "her sugar's been high": the clitic is "has" / "is"
        if noun not in _FINDING_NOUNS or taken[i]:
            continue
        j = i + 1
        while j < n and j - i <= _MAX_LINKING and doc.toks[j].norm in _LINKING:
            j += 1
        abnormal = _ABNORMAL | {"high"} if noun in _HIGH_NOUNS else _ABNORMAL
        if j == i + 1 and not (j < n and doc.toks[j].norm in abnormal):
            continue
        if (
            j >= n
            or doc.toks[j].norm not in abnormal
            or any(taken[i : j + 1])
            or not _one_clause(doc, i, j + 1)
        ):
            continue
        out.append(_finding(doc, i, j + 1, "SYMPTOM", taken))
    return out
