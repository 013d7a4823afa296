"""Words a drug matcher must never take for a drug, and drug names said as a lab result.

- A route of administration ("intravitreal", "intrathecal", "subcutaneously": ``data/ner/routes_of_administration.txt``)
  is no drug name: the unknown-name rule took "intravitreal" of "2 mg intravitreal injections" for a new drug.
- Two tokens joined by the fuzzy matcher ("met formin") are never a function word and its neighbour: "above
  target in three months" read "target in" as a brand.
- A hormone, vitamin or mineral that is both a medicine and a routine blood test (``ANALYTES``) is the test,
  as AWS returns "potassium" of "potassium 3.1" (TEST_NAME), when it is said as a result: followed by a value
  that is no drug dose ("cortisol was 40", "vitamin D 22"), a result word ("is low", "was normal"), or a
  verb of a value's change ("drops below 3.5"); or qualified by a sampling time or state ("9 am cortisol",
  "fasting insulin"), or listed with a test or a shared level word ("Cortisol and ACTH", "Lithium and thyroid
  levels"); after a result adjective it names the abnormal level, a condition ("low testosterone", "a raised
  calcium"). "Vitamin D 800 units", "take calcium", "insulin 10 units" stay medicines. Right before "deficiency"
  it is part of the condition's name ("vitamin b 12 deficiency" in recogniser form, as the punctuated "vitamin
  B12 deficiency" is found whole).
Closed word classes only, never one note's words.
"""

from __future__ import annotations

import functools
import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.text import Doc, Span

# English function words (articles, prepositions, pronouns, conjunctions, auxiliaries): a closed class
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "in", "on", "at", "to", "of", "by", "for", "from", "with", "as", "up", "off", "out", "into",
    "onto", "over", "under", "per", "via", "than", "and", "or", "but", "nor", "so", "if", "he", "she", "it", "we",
    "they", "i", "you", "me", "him", "her", "his", "its", "our", "their", "my", "your", "us", "them", "is", "was",
    "are", "were", "be", "been", "am", "do", "did", "has", "had", "have", "no", "not", "all", "any", "this",
    "that", "these", "those",
})  # fmt: skip

# hormones, vitamins and minerals that are medicines and routine blood tests (the analytes UK laboratories
# report by the medicine's own name); the electrolytes' supplement forms are decided in ``context_matching``
ANALYTES = frozenset({
    "cortisol", "testosterone", "oestradiol", "estradiol", "progesterone", "thyroxine", "insulin", "vitamin d",
    "vitamin b12", "vitamin b 12", "b12", "b 12", "folate", "vitamin a", "vitamin e", "iron", "zinc", "copper",
    "selenium", "magnesium", "calcium", "potassium", "sodium", "phosphate", "glucose", "ferritin", "lithium",
})  # fmt: skip
# words between the analyte and its value ("cortisol was 40", "vitamin D of 22", "potassium is now 5.9")
_TO_VALUE = frozenset({
    "is", "was", "were", "are", "of", "at", "now", "still", "only", "just", "today", "remains", "remained",
    "has", "had", "been", "came", "back", "level", "levels", "result", "reading",
})  # fmt: skip
# result words said of a value; verbs of a value's change
_RESULT_WORDS = frozenset({
    "low", "high", "normal", "raised", "elevated", "reduced", "borderline", "deficient", "insufficient",
    "undetectable", "suppressed", "abnormal", "unrecordable", "okay", "fine", "ok",
    "drops", "dropped", "drop", "falls", "fell", "fallen", "rises", "rose", "risen", "rising", "falling",
    "dropping", "climbs", "climbed",
})  # fmt: skip
# result adjectives said before the analyte ("low testosterone", "a raised calcium"): an abnormal level, not a medicine
_RESULT_BEFORE = frozenset(
    {
        "low",
        "high",
        "raised",
        "elevated",
        "reduced",
        "abnormal",
        "borderline",
        "suppressed",
        "undetectable",
        "deranged",
    }
)
# a change word followed by one of these is decided by the value after it
_CHANGE_TO = frozenset({"to", "from", "by"})
# a sampling time or state before the analyte ("9 am cortisol", "fasting insulin", "serum calcium")
_SAMPLED = frozenset(
    {"am", "pm", "morning", "midnight", "fasting", "random", "serum", "plasma", "trough", "peak"}
)
# a drug unit after a value makes it a dose ("vitamin D 800 units", "insulin 10 units")
_DOSE_UNIT = re.compile(
    r"\s*(?:mg|milligrams?|mcg|micrograms?|µg|g|grams?|units?|iu|international|ml|mls|millilitres?|tablets?|"
    r"tabs?|capsules?|caps?|sachets?|drops?|puffs?|mmol|millimoles?)\b(?!\s*/\s*(?:l|dl|ml|litre|liter)\b)",
    re.IGNORECASE,
)
_VALUE = re.compile(r"\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")  # "50,000"
# a value said right after the name is a result only where its clause ends there ("Calcium 2.7, so stop"), or
# with a lab unit: "thyroxine 100 once daily" is a dose dictated without its unit ("50,000 units": one number)
_CLAUSE_END = re.compile(
    r"\s*(?:[.;:)]|,(?!\d)|$|(?:and|so|but|which|then)\b|[mnp]mol\s*/|micromol\s*/)", re.IGNORECASE
)
_REACH = 3  # words between an analyte and its value
RESULT_TEST_SCORE = 0.9
DEFICIENCY_SCORE = 0.9
_LIST_WORDS = frozenset({"and", "or", "plus"})
_LEVEL_WORDS = frozenset({"level", "levels", "concentration", "concentrations"})
_LEVEL_REACH = 3  # words after the conjunction up to the shared level word ("and thyroid levels")
_ANALYTE_WORDS = frozenset(w for name in ANALYTES for w in name.split()) | {
    "alcohol",
    "salicylate",
    "ethanol",
}
# verbs of giving a drug: a drug right after one is given, not measured
_TAKING = frozenset({
    "start", "started", "starting", "continue", "continued", "take", "takes", "taking", "took", "give", "given",
    "restart", "restarted", "add", "added", "increase", "increased", "reduce", "reduced", "stop", "stopped",
    "on", "prescribe", "prescribed",
})  # fmt: skip
_DEFICIENCY = frozenset({"deficiency", "insufficiency"})


@functools.cache
def route_words() -> frozenset[str]:
    """Route names and their hyphenated parts, normalised."""
    words: set[str] = set()
    for row in lex._read_pipe_file("routes_of_administration.txt"):
        name = lex.normalize(row[0])
        words.add(name.replace("-", ""))
        words.update(part for part in re.split(r"[- ]", name) if len(part) >= 4)
    return frozenset(words)


def is_route(word: str) -> bool:
    return word in route_words()


def joinable(first: str, second: str) -> bool:
    """May the fuzzy matcher join these two tokens into one drug name ("met formin")?"""
    return first not in FUNCTION_WORDS and second not in FUNCTION_WORDS


def _key(doc: Doc, t0: int, t1: int) -> str:
    return " ".join(t.norm for t in doc.toks[t0:t1])


def said_as_result(doc: Doc, t0: int, t1: int) -> bool:
    """Is the analyte at tokens [t0, t1) said as a result (a value, a result word, a sampling time)?"""
    sent = doc.sent[t0]
    if t0 > 0 and doc.sent[t0 - 1] == sent and doc.toks[t0 - 1].norm in _SAMPLED:
        return True
    k = t1
    while k < len(doc.toks) and doc.sent[k] == sent and k - t1 <= _REACH:
        tok = doc.toks[k]
        if tok.norm in _RESULT_WORDS:
            nxt = doc.toks[k + 1].norm if k + 1 < len(doc.toks) and doc.sent[k + 1] == sent else ""
            if nxt not in _CHANGE_TO:
                return True
            k += 2  # "reduced to 10 units" is a dose change, "dropped to 3.1" a result: the value decides
            continue
        if _VALUE.match(tok.norm):
            grouped = _GROUPED.match(doc.text, tok.begin)
            end = grouped.end() if grouped else tok.end
            if _DOSE_UNIT.match(doc.text, end):
                return False
            return k > t1 or _CLAUSE_END.match(doc.text, end) is not None
        if tok.norm not in _TO_VALUE or doc.text[doc.toks[k - 1].end : tok.begin].strip():
            return False  # another word, or punctuation between ("calcium, 2 tablets")
        k += 1
    return False


def _coordinated_test(doc: Doc, s: Span, tests: set[int], named: set[int], analyte: bool) -> bool:
    """ "Digoxin and potassium levels": a drug sharing a list's level word names a level, as "digoxin level"
    does (``products``); an analyte listed with a test ("Cortisol and TSH") is a test too."""
    k = s.t1
    if k >= len(doc.toks) or doc.sent[k] != doc.sent[s.t0] or doc.toks[k].norm not in _LIST_WORDS:
        return False
    if s.t0 > 0 and doc.sent[s.t0 - 1] == doc.sent[s.t0] and doc.toks[s.t0 - 1].norm in _TAKING:
        return False  # "start lithium and thyroid levels": the drug is given
    if analyte and k + 1 < len(doc.toks) and k + 1 in tests:
        return True
    for j in range(k + 1, min(k + 1 + _LEVEL_REACH, len(doc.toks))):
        if doc.sent[j] != doc.sent[s.t0] or re.search(
            r"[.,;:]", doc.text[doc.toks[j - 1].end : doc.toks[j].begin]
        ):
            return False
        if doc.toks[j].norm in _LEVEL_WORDS:
            return True
        if j not in named and doc.toks[j].norm not in _ANALYTE_WORDS:
            return False  # "start lithium and check levels": a verb, no second analyte
    return False


def _deficiency(doc: Doc, s: Span, taken: list[bool]) -> bool:
    """ "vitamin b 12 deficiency": a nutrient's deficiency is one condition (ICD-10-CM's titles name it so)."""
    k = s.t1
    if k >= len(doc.toks) or taken[k] or doc.toks[k].norm not in _DEFICIENCY or doc.sent[k] != doc.sent[s.t0]:
        return False
    if doc.text[s.end : doc.toks[k].begin].strip():
        return False
    s.category, s.type, s.score = "MEDICAL_CONDITION", "DX_NAME", DEFICIENCY_SCORE
    s.traits = [("DIAGNOSIS", DEFICIENCY_SCORE)]
    s.t1, s.end = k + 1, doc.toks[k].end
    taken[k] = True
    return True


def _abnormal_level(doc: Doc, s: Span, taken: list[bool]) -> bool:
    """ "low testosterone", "a raised calcium": a result adjective right before the analyte names an abnormal level,
    a condition said with the analyte (as "hypokalaemia" is), not a medicine."""
    k = s.t0 - 1
    if k < 0 or taken[k] or doc.sent[k] != doc.sent[s.t0] or doc.toks[k].norm not in _RESULT_BEFORE:
        return False
    if doc.text[doc.toks[k].end : s.begin] != " ":
        return False
    s.category, s.type, s.score = "MEDICAL_CONDITION", "DX_NAME", RESULT_TEST_SCORE
    s.traits = [("SIGN", RESULT_TEST_SCORE)]
    s.attributes = []
    s.t0, s.begin = k, doc.toks[k].begin
    taken[k] = True
    return True


def results_as_tests(doc: Doc, found: list[Span], taken: list[bool]) -> None:
    """An analyte MEDICATION said as a result or listed with a test, and a drug sharing a list's level word,
    become the TEST_NAME they are; a nutrient right before "deficiency" the condition it names."""
    tests = {k for s in found if s.category == "TEST_TREATMENT_PROCEDURE" for k in range(s.t0, s.t1)}
    named = {k for s in found for k in range(s.t0, s.t1)}
    for s in found:
        if s.category != "MEDICATION":
            continue
        analyte = _key(doc, s.t0, s.t1) in ANALYTES
        if analyte and (_deficiency(doc, s, taken) or _abnormal_level(doc, s, taken)):
            continue
        if (analyte and said_as_result(doc, s.t0, s.t1)) or _coordinated_test(doc, s, tests, named, analyte):
            s.category, s.type, s.score = "TEST_TREATMENT_PROCEDURE", "TEST_NAME", RESULT_TEST_SCORE
            s.traits = []
