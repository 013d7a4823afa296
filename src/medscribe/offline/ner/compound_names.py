"""Compound condition names kept whole: the word that says which condition it is joins the name.

A dictionary finds a compound name by its head when the whole is in no list: "IgA nephropathy" -> `nephropathy`,
"rebound headache" -> `headache`, "alcohol withdrawal seizure" -> `alcohol withdrawal` + `seizure`. The head
alone states a different fact (any nephropathy, a headache of no known cause, epilepsy). PROCEDURE.md section 4
(condition names, from AWS's DetectEntitiesV2 and InferSNOMEDCT pages) keeps
such a word in the name, and a quality word (QUALITY attribute) outside it. The word classes are data
(``data/ner/condition_modifiers.txt``, ICD-10-CM / HPO / SNOMED CT descriptor words, source and date in the file):

- CAUSE, COURSE, ANTIGEN: a word said right before a condition ("alcoholic", "rebound", "IgA"), also with a
  "non" before it ("non-alcoholic");
- SUFFIX: "<agent>-induced / -associated / -related / -acquired" right before a condition ("contrast-induced"):
  the agent is part of the name — never a function word, never a drug the detector found (a MEDICATION is
  never dropped: "on warfarin, related bruising" loses its commas in the recogniser's form);
- a condition that ends in a COURSE word ("alcohol withdrawal") said right before a condition ("seizure");
- HEAD: "disease", "syndrome", "disorder" said right after a condition ("fatty liver" + "disease");
- a subtype said after the name ("myotonic dystrophy type 1");
- KIND: a generic head said right after a condition that says which kind it is ("wound" + "infection", "septic" +
  "shock", "reflux" + "nephropathy"): the two conditions are one name; so are "post-<condition>" and the condition
  after it ("post-stroke depression").

Only within a sentence, with nothing but a space or a hyphen between the words, never over a word another entity
holds (a modifier the detector found as a condition of its own, "diabetic", "febrile", stays one), never after a
copula or a hedge ("he is alcoholic", "likely vasovagal") nor right after another entity ("penicillin allergic"). Closed word classes only; no condition name is listed here.
"""

from __future__ import annotations

import functools

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.text import Doc, Span

CONDITION = "MEDICAL_CONDITION"
# "he is diabetic", "she was febrile", "syncope, likely vasovagal": a modifier said as a predicate ends a clause,
# whose end the recogniser's unpunctuated form does not show ("he is diabetic hypertension is controlled"); it
# names no compound. Copulas and hedges, a closed class.
PREDICATE_CUES = frozenset({"is", "was", "are", "were", "be", "been", "being", "become", "becomes", "became",
                            "remains", "looks", "seems", "feels", "felt", "not", "he's", "she's", "it's",
                            "likely", "unlikely", "probably", "possibly", "presumably", "query"})  # fmt: skip
# never the agent of "<agent>-induced": determiners, pronouns, prepositions, conjunctions ("any related pain")
FUNCTION_WORDS = frozenset({"the", "a", "an", "any", "some", "no", "his", "her", "their", "its", "my", "your",
                            "this", "that", "these", "those", "of", "and", "or", "but", "with", "for", "from",
                            "to", "in", "on", "at", "by", "all", "other", "another", "possibly", "probably"})  # fmt: skip


@functools.cache
def word_classes() -> dict[str, frozenset[str]]:
    """CLASS -> words (normalised, hyphens as spaces) from ``condition_modifiers.txt``."""
    classes: dict[str, set[str]] = {}
    for line in lex.data_path("condition_modifiers.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, word = line.split("|", 1)
        classes.setdefault(name, set()).add(lex.normalize(word))
    return {name: frozenset(words) for name, words in classes.items()}


def quality_words() -> frozenset[str]:
    """Words AWS returns as a condition's QUALITY attribute: outside the name when the rest names it."""
    return word_classes()["QUALITY"]


def _joined(doc: Doc, a: int, b: int) -> bool:
    """Tokens a and b (= a + 1) are one phrase: same sentence, only a space or a hyphen between."""
    return (
        a >= 0
        and b < len(doc.toks)
        and doc.sent[a] == doc.sent[b]
        and doc.text[doc.toks[a].end : doc.toks[b].begin] in (" ", "-")
    )


def _words_before(doc: Doc, t0: int, n: int) -> str:
    return " ".join(t.norm for t in doc.toks[t0 - n : t0]) if t0 >= n else ""


def _modifier_start(doc: Doc, t0: int, held: set[int]) -> int | None:
    """The first token of a modifier said right before token t0, or None."""
    classes = word_classes()
    names = classes["CAUSE"] | classes["COURSE"] | classes["ANTIGEN"]
    for n in (2, 1):  # "post traumatic" before "traumatic"
        start = t0 - n
        if start < 0 or any(k in held for k in range(start, t0)):
            continue
        if not all(_joined(doc, k, k + 1) for k in range(start, t0)):
            continue
        # never after a predicate cue, nor right after another entity's word ("he's penicillin allergic, rash")
        if _words_before(doc, t0, n) in names and (
            start == 0 or (doc.toks[start - 1].norm not in PREDICATE_CUES and start - 1 not in held)
        ):
            if start >= 1 and doc.toks[start - 1].norm == "non" and _joined(doc, start - 1, start):
                return start - 1 if start - 1 not in held else start
            return start
    # "<agent>-induced": the agent and its participle
    start = t0 - 2
    if (
        start >= 0
        and doc.toks[t0 - 1].norm in classes["SUFFIX"]
        and not {start, t0 - 1} & held
        and _joined(doc, start, t0 - 1)
        and _joined(doc, t0 - 1, t0)
        and doc.toks[start].norm.isalpha()
        and len(doc.toks[start].norm) > 2
        and doc.toks[start].norm not in FUNCTION_WORDS | PREDICATE_CUES
        and doc.toks[start].norm not in lex.stopwords()
    ):
        return start
    return None


def _names_its_kind(doc: Doc, s: Span, nxt: Span) -> bool:
    """Condition ``s`` is said right before a one-word KIND head ("infection", "shock", "nephropathy") that needs
    a word saying which: ``s`` is that word ("wound infection", "septic shock", "reflux nephropathy"), unless a
    copula or hedge before ``s`` makes it a predicate that ends its clause ("he is septic shock index ...") or
    ``s`` is a symptom (:func:`_says_which`)."""
    return (
        nxt.category == CONDITION
        and nxt.t0 == s.t1
        and nxt.t1 - nxt.t0 == 1
        and doc.toks[nxt.t0].norm in word_classes()["KIND"]
        and _joined(doc, s.t1 - 1, nxt.t0)
        and _says_which(doc, s)
    )


def _post_start(doc: Doc, t0: int) -> int:
    """``t0``, or the "post" said right before it ("post-stroke")."""
    return t0 - 1 if t0 > 0 and doc.toks[t0 - 1].norm == "post" and _joined(doc, t0 - 1, t0) else t0


def _after_condition(doc: Doc, s: Span, nxt: Span) -> bool:
    """ "post-<condition> <condition>" ("post-stroke depression", "post-viral fatigue"): a condition that follows
    another (ICD-10-CM's "Postviral fatigue syndrome", "Postherpetic neuralgia"); a condition after "post" alone
    is the patient's history ("post STEMI in 2021") and stays one."""
    return (
        s.t1 - s.t0 == 1
        and _post_start(doc, s.t0) < s.t0
        and nxt.category == CONDITION
        and nxt.t0 == s.t1
        and _joined(doc, s.t0, nxt.t0)
    )


def _says_which(doc: Doc, s: Span) -> bool:
    """Condition ``s`` may say which kind the head after it is: not a symptom (a run-on list of complaints, "a
    cough infection markers are raised", names two things), not a predicate after a copula or hedge."""
    return all(name != "SYMPTOM" for name, _ in s.traits) and not (
        s.t0 > 0 and doc.toks[s.t0 - 1].norm in PREDICATE_CUES
    )


# "type" and its numeral after a name ("myotonic dystrophy type 1", "diabetes type two", "neurofibromatosis type
# I"): ICD-10-CM's own subtype titles ("Type 1 diabetes mellitus", "Neurofibromatosis, type 1") name which disease
_SUBTYPES = frozenset({"1", "2", "3", "4", "one", "two", "three", "four", "i", "ii", "iii", "iv"})


def _subtype_end(doc: Doc, t1: int, held: set[int]) -> int | None:
    """The token after "type <numeral>" said right after a name ending at ``t1``, or None."""
    if t1 + 1 >= len(doc.toks) or {t1, t1 + 1} & held:
        return None
    if doc.toks[t1].norm != "type" or doc.toks[t1 + 1].norm not in _SUBTYPES:
        return None
    return t1 + 2 if _joined(doc, t1 - 1, t1) and _joined(doc, t1, t1 + 1) else None


def bind_modifiers(doc: Doc, found: list[Span]) -> list[Span]:
    """Extend each condition over the modifier said before it and the head noun after it; merge a condition
    ending in a course word with the condition right after it. Returns the spans kept (the merged one's first
    part is gone)."""
    heads = word_classes()["HEAD"]
    course = word_classes()["COURSE"]
    spans = sorted(found, key=lambda s: s.begin)
    dropped: set[int] = set()
    for k, s in enumerate(spans):
        if s.category != CONDITION or id(s) in dropped:
            continue
        held = {i for o in spans if o is not s and id(o) not in dropped for i in range(o.t0, o.t1)}
        start = _modifier_start(doc, s.t0, held)
        if start is not None:
            start = start if start - 1 in held else _post_start(doc, start)  # "post-viral fatigue"
            s.t0, s.begin = start, doc.toks[start].begin
        after = s.t1
        if (
            after < len(doc.toks)
            and after not in held
            and (
                doc.toks[after].norm in heads
                or (doc.toks[after].norm in word_classes()["KIND"] and _says_which(doc, s))
            )
            and _joined(doc, after - 1, after)
        ):
            s.t1, s.end = after + 1, doc.toks[after].end  # "fatty liver disease", "septic shock"
        subtype = _subtype_end(doc, s.t1, held)
        if subtype is not None:
            s.t1, s.end = subtype, doc.toks[subtype - 1].end  # "myotonic dystrophy type 1"
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        if (
            nxt is not None
            and nxt.category == CONDITION
            and nxt.t0 == s.t1
            and s.t1 - s.t0 >= 2  # "alcohol withdrawal", never a lone "febrile" before the next clause
            and doc.toks[s.t1 - 1].norm in course
            and _joined(doc, s.t1 - 1, nxt.t0)
        ):
            nxt.t0, nxt.begin = s.t0, s.begin  # "alcohol withdrawal" + "seizure": one name
            nxt.traits = nxt.traits or s.traits
            dropped.add(id(s))
        elif nxt is not None and (_names_its_kind(doc, s, nxt) or _after_condition(doc, s, nxt)):
            # "wound" + "infection", "septic" + "shock", "post-stroke" + "depression": one name
            nxt.t0, nxt.begin = _post_start(doc, s.t0), doc.toks[_post_start(doc, s.t0)].begin
            nxt.traits = nxt.traits or s.traits
            dropped.add(id(s))
    kept = [s for s in found if id(s) not in dropped]
    return kept + _cause_and_kind(doc, kept)


def _cause_and_kind(doc: Doc, found: list[Span]) -> list[Span]:
    """A cause word and a KIND head that no entity took ("viral illness", "bacterial infections"): one condition,
    unless "of" follows the head ("infective exacerbation of COPD" names COPD)."""
    classes = word_classes()
    held = {i for s in found for i in range(s.t0, s.t1)}
    out: list[Span] = []
    for i in range(len(doc.toks) - 1):
        j = i + 1
        if (
            {i, j} & held
            or doc.toks[i].norm not in classes["CAUSE"]
            or doc.toks[j].norm not in classes["KIND"]
        ):
            continue
        if not _joined(doc, i, j) or (i > 0 and doc.toks[i - 1].norm in PREDICATE_CUES):
            continue
        if j + 1 < len(doc.toks) and doc.toks[j + 1].norm == "of":
            continue
        s = doc.span(doc.toks[i].begin, doc.toks[j].end, CONDITION, "DX_NAME", 0.8)
        s.traits.append(("DIAGNOSIS", 0.85))
        out.append(s)
        held |= {i, j}
    return out
