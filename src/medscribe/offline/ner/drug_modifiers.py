"""A drug word that is a modifier of another name, by the grammar of the words around it, not by knowing the drug.

- **An enzyme's substrate.** An enzyme is named by its substrate and an "-ase" word ("glucose-6-phosphate
  dehydrogenase", "thiopurine methyltransferase", "HMG-CoA reductase"): a drug word right before the "-ase" word
  (numbers, "phosphate" and hyphens between) names the enzyme, not a drug. An enzyme the drug dictionary holds
  ("dihydropyrimidine dehydrogenase", "hydroxylase": it lists enzymes that are medicines) said before "activity"
  or "assay" is the test of it, as "digoxin level" is (``products``).
- **A deficiency.** Any MEDICATION right before "deficiency" / "insufficiency" names the condition with it
  ("growth hormone deficiency", "factor VIII deficiency", "alpha-1 antitrypsin deficiency"), as the nutrients'
  deficiencies already are (``not_drugs``; ICD-10-CM's titles name each so); an enzyme's deficiency is read first
  by ``deficiencies`` ("21-hydroxylase deficiency"), this rule takes what is left.
- **A class said with its class noun.** A drug word followed by a plural class noun ("quinolone antibiotics",
  "cephalosporin drugs", "macrolide antibiotics") is one class name as said, as "sulfa drugs" is (PROCEDURE.md
  sections 8 and 26: a class name is the whole class word as said); a singular noun after a drug ("trimethoprim
  antibiotic tablets") is its description and stays apart.

Closed word classes only (the common English words ending in "-ase" that are no enzyme; the class nouns), never a
drug's name.
"""

from __future__ import annotations

from medscribe.offline.ner.not_drugs import DEFICIENCY_SCORE
from medscribe.offline.ner.text import Doc, Span

# common English words of six letters or more ending in "-ase" that name no enzyme (written out here; a shorter
# word is never read as an enzyme)
_NOT_ENZYMES = frozenset({
    "chase", "cease", "crease", "erase", "phrase", "please", "tease", "release", "increase", "decrease",
    "disease", "purchase", "database", "showcase", "suitcase", "staircase", "briefcase", "bookcase", "unease",
    "appease", "uppercase", "lowercase", "debase", "encase", "airbase", "nutcase", "rephrase",
})  # fmt: skip
_ENZYME_MIN = 6  # "lipase", "kinase": the shortest enzyme words
# words of an enzyme's substrate said between the drug word and the "-ase" word ("glucose-6-phosphate")
_SUBSTRATE_PARTS = frozenset({"phosphate", "diphosphate", "coa", "co", "a", "-"})
_SUBSTRATE_REACH = 4  # tokens after the drug word where the "-ase" word may be
_ENZYME_TESTS = frozenset({"activity", "assay", "assays"})
_DEFICIENCY = frozenset({"deficiency", "insufficiency", "deficiencies"})
# plural class nouns that make a drug word before them one class name
_CLASS_NOUNS = frozenset({
    "antibiotics", "drugs", "agents", "medicines", "medications", "antifungals", "antivirals", "antidepressants",
    "antipsychotics", "antiepileptics", "anticonvulsants", "antihistamines", "diuretics", "analgesics",
})  # fmt: skip
_KEPT = 0.5  # the pipeline's keep threshold: a weak guess is never made a class name
ENZYME_TEST_SCORE = 0.9


def is_enzyme_word(word: str) -> bool:
    return len(word) >= _ENZYME_MIN and word.endswith("ase") and word not in _NOT_ENZYMES


def _same_run(doc: Doc, a: int, b: int) -> bool:
    """Tokens a..b are in one sentence, with nothing but spaces or hyphens between them."""
    if doc.sent[a] != doc.sent[b]:
        return False
    return all(not doc.text[doc.toks[k].end : doc.toks[k + 1].begin].strip(" -") for k in range(a, b))


def _enzyme_after(doc: Doc, s: Span) -> bool:
    """The drug word at ``s`` is an enzyme's substrate: an "-ase" word follows it, only substrate parts between."""
    for k in range(s.t1, min(s.t1 + _SUBSTRATE_REACH, len(doc.toks))):
        if not _same_run(doc, s.t1 - 1, k):
            return False
        word = doc.toks[k].norm
        if is_enzyme_word(word):
            return True
        if not (word.isdigit() or word in _SUBSTRATE_PARTS):
            return False
    return False


def _next_word(doc: Doc, s: Span) -> str:
    k = s.t1
    if k < len(doc.toks) and _same_run(doc, s.t1 - 1, k):
        return doc.toks[k].norm
    return ""


def _as_deficiency(doc: Doc, s: Span, taken: list[bool]) -> None:
    """ "growth hormone deficiency": the condition named with the substance, a number joined before it
    ("21-hydroxylase") kept in the name."""
    k = s.t1
    if s.t0 > 0 and doc.toks[s.t0 - 1].norm.isdigit() and _same_run(doc, s.t0 - 1, s.t0):
        s.t0 -= 1
        s.begin = doc.toks[s.t0].begin
    s.category, s.type, s.score = "MEDICAL_CONDITION", "DX_NAME", DEFICIENCY_SCORE
    s.traits = [("DIAGNOSIS", DEFICIENCY_SCORE)]
    s.attributes = []
    s.t1, s.end = k + 1, doc.toks[k].end
    taken[k] = True


def _class_noun_end(doc: Doc, s: Span, found: list[Span]) -> int:
    """The token index after a plural class noun said right after ``s`` ("quinolone antibiotics"), or -1."""
    k = s.t1
    if k >= len(doc.toks) or doc.toks[k].norm not in _CLASS_NOUNS or doc.sent[k] != doc.sent[s.t0]:
        return -1
    if doc.text[s.end : doc.toks[k].begin] != " ":
        return -1  # "quinolone, antibiotics", "aspirin-antibiotics": not one name
    if any(o is not s and o.category != "MEDICATION" and o.t0 <= k < o.t1 for o in found):
        return -1
    return k + 1


def modifiers(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """``found`` with each drug word that modifies another name read as that name (module doc)."""
    gone: set[int] = set()  # ids of the spans no longer said as a drug
    for s in found:
        if s.category != "MEDICATION" or id(s) in gone:
            continue
        after = _next_word(doc, s)
        if after in _DEFICIENCY and not taken[s.t1]:
            _as_deficiency(doc, s, taken)
        elif _enzyme_after(doc, s):
            gone.add(id(s))  # "glucose" of "glucose-6-phosphate dehydrogenase": no drug said
        elif after in _ENZYME_TESTS and is_enzyme_word(doc.toks[s.t1 - 1].norm):
            s.category, s.type, s.score = "TEST_TREATMENT_PROCEDURE", "TEST_NAME", ENZYME_TEST_SCORE
            s.traits, s.attributes = [], []
        elif s.score >= _KEPT and (end := _class_noun_end(doc, s, found)) > 0:
            # "antibiotics" found on its own is now part of the class name (its score with it)
            inside = [o for o in found if o is not s and o.category == "MEDICATION" and s.t1 <= o.t0 < end]
            gone.update(id(o) for o in inside)
            s.t1, s.end = end, doc.toks[end - 1].end
            s.score = max([s.score, *(o.score for o in inside)])
            for k in range(s.t0, end):
                taken[k] = True
    return [s for s in found if id(s) not in gone]
