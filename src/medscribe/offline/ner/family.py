"""PERTAINS_TO_FAMILY: conditions that belong to a family member, not to the patient.

Comprehend Medical documents the trait for MEDICAL_CONDITION ("the condition pertains to the patient's
family"); the offline detector gives it there only. Three cues, on normalised tokens, never across a sentence:

- a "Family history" / "FHx" / "FH" header (with a colon, or inline "family history of ...") scopes every
  condition after it up to the next section header ("Social history:", "Medications", ...), a blank line,
  the patient as a new subject ("she", "patient") or "noncontributory", and, for an inline cue without a
  colon, the end of its sentence;
- a family member ("mother", "her sister", "maternal grandfather", "husband") as the subject of a clause
  scopes the conditions after it in that clause ("Mother has diabetes and hypertension"): the clause ends at
  a sentence end, a contrast ("but"), the patient as a new subject ("she", "patient"), a reporting verb
  ("mother reports he has fever": the fever is the patient's) or a doubt ("mum is unsure whether", "can't
  remember if"), the clinician's plan ("consider", "start",
  "continue", …: "father has panic disorder consider CBT if the anxiety persists"), a dose unit (a new
  prescription line: "… drinks heavily zopiclone 7.5 mg at night"), "his own" / "her own" not of the member's
  gender ("his wife has lupus and his own asthma …"), a "no" right after a noun (a run-on's new clause: "father
  has copd no night cough", :mod:`medscribe.run_on`), or 8 tokens after the last condition;
- a condition followed by "in / of" and a family member is theirs ("breast cancer in her mother"), and so is one
  said to run in the family ("Lynch syndrome runs in the family", "diabetes in her family"; not "the family
  doctor", "family history").

Scores: 0.9 for a member in the same clause, 0.85 inside a family-history section, minus 0.01 per token
between cue and condition (floor 0.6).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from medscribe.offline.ner.text import Doc, Span, clip
from medscribe.run_on import opens_negated_clause

Mark = Callable[[Span, float], None]

MEMBERS = frozenset(
    {
        "mother", "father", "mom", "dad", "mum", "parent", "parents", "sister", "sisters", "brother", "brothers",
        "sibling", "siblings", "aunt", "aunts", "uncle", "uncles", "grandmother", "grandfather", "grandma",
        "grandpa", "grandparent", "grandparents", "cousin", "cousins", "son", "sons", "daughter", "daughters",
        "niece", "nephew", "twin", "husband", "wife", "spouse", "stepmother", "stepfather", "half-sister",
        "half-brother", "grandson", "granddaughter",
    }
)  # fmt: skip
# a member's gender, where the word says it: "his own" after "wife" is another person's (the patient's)
_GENDER = {"her": frozenset({"mother", "mom", "mum", "sister", "sisters", "aunt", "aunts", "grandmother", "grandma",
                             "daughter", "daughters", "niece", "wife", "stepmother", "half-sister", "granddaughter"}),
           "his": frozenset({"father", "dad", "brother", "brothers", "uncle", "uncles", "grandfather", "grandpa",
                             "son", "sons", "nephew", "husband", "stepfather", "half-brother", "grandson"})}  # fmt: skip
_KIN_MODIFIERS = frozenset({"maternal", "paternal", "her", "his", "their", "the", "patient's", "pt's", "a", "older",
                            "younger", "twin", "biological", "both", "s"})  # fmt: skip
_STOPS = frozenset(
    {
        "but", "however", "although", "though", "whereas", "while", "patient", "pt", "she", "he", "i", "we",
        "reports", "reported", "states", "stated", "says", "said", "notes", "noted", "thinks", "worries",
        "worried", "concerned", "brought", "brings", "denies", "denied", "denying", "endorses", "complains",
        "presents", "admits",
        # the member's doubt about the patient is a report too ("mum is unsure whether there was any wheeze")
        "unsure", "uncertain", "sure", "certain", "remember", "recall",
        # the clinician's plan, or a new dosed line: "… takes pregabalin consider CBT if the anxiety persists"
        "consider", "recommend", "recommended", "start", "continue", "prescribe", "mg", "milligrams", "micrograms",
    }
)  # fmt: skip
# "FH" alone is also familial hypercholesterolaemia: only a header with its colon
_HEADER_RE = re.compile(
    r"\bfamily\s+(?:medical\s+)?(?:history|hx)\b\s*(:|-)?|\b(?:fhx|fh)\s*(:)", re.IGNORECASE
)
# the section that follows a family history: dictated with or without a colon
_NEXT_SECTION_RE = re.compile(
    r"(?:\n\s*\n|\b(?:social\s+history|soc\s+hx|past\s+(?:medical|surgical)\s+history|pmh|medications?|meds|"
    r"allergies|review\s+of\s+systems|ros|physical\s+exam(?:ination)?|exam|assessment|plan|impression|"
    r"history\s+of\s+present\s+illness|hpi|vitals?)\b\s*:?)",
    re.IGNORECASE,
)
_STATEMENT_RE = re.compile(r"\s*(?:is|was|are|were|seems|looks|remains)\b", re.IGNORECASE)
# "family history is significant for diabetes", "is positive for": it still lists the family's conditions
_LISTS_RE = re.compile(r"\s*\w+\s+(?:\w+\s+){0,2}?(?:for|of|with|includes?)\b", re.IGNORECASE)
_NOTHING = frozenset({"noncontributory", "non-contributory", "unremarkable", "unknown", "none", "negative"})
_WINDOW = 8
# a member named as the source of the history ("per her daughter", "according to his wife", "history from
# her son") is not the subject of what follows
_SOURCE_CUES = {"per": (), "to": ("according",), "from": ("history", "collateral", "information", "obtained")}
MEMBER_SCORE = 0.9
SECTION_SCORE = 0.85


def family_traits(doc: Doc, entities: list[Span]) -> None:
    conditions = [e for e in entities if e.category == "MEDICAL_CONDITION"]
    if not conditions:
        return
    found: dict[int, float] = {}

    def mark(c: Span, score: float) -> None:
        found[id(c)] = max(found.get(id(c), 0.0), clip(score, 0.6))

    for m in _HEADER_RE.finditer(doc.text):
        header = bool(m.group(1) or m.group(2))  # "Family history:": the whole section
        if not header and _STATEMENT_RE.match(doc.text, m.end()) and not _LISTS_RE.match(doc.text, m.end()):
            continue  # "so the family history is significant": a statement about it, not its heading
        t0, _ = doc.tok_range(m.start(), m.end())
        sent = doc.sent[t0] if t0 < len(doc.sent) else -1
        nxt = _NEXT_SECTION_RE.search(doc.text, m.end())
        limit = nxt.start() if nxt else len(doc.text)
        # "family history noncontributory she has asthma": the patient is the subject again
        stop = next(
            (t.begin for t in doc.toks[t0:] if t.begin >= m.end() and t.norm in _STOPS | _NOTHING), limit
        )
        for c in conditions:
            if m.end() <= c.begin < min(limit, stop) and (header or doc.sentence_of(c) == sent):
                mark(c, SECTION_SCORE - 0.005 * (c.t0 - t0))
    norms = [t.norm for t in doc.toks]
    for i, word in enumerate(norms):
        if word == "family":
            _in_the_family(doc, i, conditions, mark)
        if word not in MEMBERS:
            continue
        _forward(doc, i, conditions, mark)
        _backward(doc, i, conditions, mark)
    for c in conditions:
        if id(c) in found and all(name != "PERTAINS_TO_FAMILY" for name, _ in c.traits):
            c.traits.append(("PERTAINS_TO_FAMILY", found[id(c)]))


def _forward(doc: Doc, i: int, conditions: list[Span], mark: Mark) -> None:
    """ "Mother has diabetes and hypertension": the conditions of the member's clause ("a mother of two with
    asthma": a description of the patient, not a subject)."""
    if i + 1 < len(doc.toks) and doc.toks[i + 1].norm == "of":
        return
    k = i - 1
    while k >= 0 and doc.toks[k].norm in _KIN_MODIFIERS:
        k -= 1
    cue = _SOURCE_CUES.get(doc.toks[k].norm) if k >= 0 and doc.sent[k] == doc.sent[i] else None
    if cue is not None and (not cue or (k > 0 and doc.toks[k - 1].norm in cue)):
        return  # "more muddled per her daughter history of ...": the member tells, the patient has
    if _patient_listed_first(doc, k):
        return  # "she and her twin brother both have psoriasis": the patient's too
    sent = doc.sent[i]
    last = i + 1
    by_start = {c.t0: c for c in conditions}
    j = i + 1
    while j < len(doc.toks) and doc.sent[j] == sent and j - last <= _WINDOW:
        hit = by_start.get(j)
        if hit is not None:
            mark(hit, MEMBER_SCORE - 0.01 * (j - i))
            last = j = hit.t1
            continue
        if doc.toks[j].norm in _STOPS or _anothers_own(doc, i, j):
            return
        if opens_negated_clause(doc.text, doc.toks[j].begin, doc.toks[i].end):
            return  # "… has copd no night cough": a run-on's new negated clause (:mod:`medscribe.run_on`)
        j += 1


_LIST_GLUE = frozenset({"and", ",", "&"})
_PATIENT_PRONOUNS = frozenset({"she", "he", "i"})
_LIST_WORDS = MEMBERS | _KIN_MODIFIERS | _LIST_GLUE | {"my", "our"}


def _patient_listed_first(doc: Doc, k: int) -> bool:
    """The tokens up to ``k`` end a list of people that the patient opens ("she and her brother", "he, his wife and
    his son"): kin words, their modifiers and list glue back to a patient pronoun followed by the glue."""
    while k >= 0 and doc.toks[k].norm in _LIST_WORDS:
        if doc.toks[k].norm in _LIST_GLUE and k > 0 and doc.toks[k - 1].norm in _PATIENT_PRONOUNS:
            return doc.sent[k - 1] == doc.sent[k]
        k -= 1
    return False


def _anothers_own(doc: Doc, member: int, j: int) -> bool:
    """ "his own" / "her own" at token ``j`` whose possessive is the other gender than the member's word."""
    if doc.toks[j].norm != "own" or j == 0:
        return False
    owner = doc.toks[j - 1].norm
    other = {"her": "his", "his": "her"}.get(owner)
    return other is not None and doc.toks[member].norm in _GENDER[other]


def _backward(doc: Doc, i: int, conditions: list[Span], mark: Mark) -> None:
    """ "Breast cancer in her mother", "diabetes (mother)": the condition right before the member."""
    k = i - 1
    while k >= 0 and doc.toks[k].norm in _KIN_MODIFIERS:
        k -= 1
    if k < 0 or doc.sent[k] != doc.sent[i]:
        return
    prep = doc.toks[k].norm in ("in", "of", "from")
    end = k if prep else k + 1
    if not prep and not re.match(r"\s*[(\-]", doc.text[doc.toks[k].end : doc.toks[k + 1].begin + 1]):
        return
    for c in conditions:
        if c.t1 == end and doc.sentence_of(c) == doc.sent[i]:
            mark(c, MEMBER_SCORE - 0.01 * (i - c.t1))


# "family" followed by these is another noun's qualifier ("the family doctor"), not the family itself
_FAMILY_NOUN = frozenset({"history", "hx", "member", "members", "doctor", "gp", "planning", "therapy", "support",
                          "home", "meeting", "tree", "friend", "friends", "car", "pet", "dog"})  # fmt: skip
_RUNS = frozenset({"runs", "run", "ran", "running", "is", "are"})


def _in_the_family(doc: Doc, i: int, conditions: list[Span], mark: Mark) -> None:
    """ "Lynch syndrome runs in the family", "heart disease in her family": the condition right before "(runs)
    in the family" is the family's."""
    if i + 1 < len(doc.toks) and doc.sent[i + 1] == doc.sent[i] and doc.toks[i + 1].norm in _FAMILY_NOUN:
        return
    k = i - 1
    while k >= 0 and doc.toks[k].norm in _KIN_MODIFIERS:
        k -= 1
    if k < 0 or doc.toks[k].norm != "in" or doc.sent[k] != doc.sent[i]:
        return
    end = k - 1 if k > 0 and doc.toks[k - 1].norm in _RUNS else k
    for c in conditions:
        if c.t1 == end and doc.sentence_of(c) == doc.sent[i]:
            mark(c, MEMBER_SCORE - 0.01 * (i - c.t1))
