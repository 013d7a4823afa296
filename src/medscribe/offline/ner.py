"""Offline stand-in for Amazon Comprehend Medical ``DetectEntitiesV2``: dictionaries + rules.

``OfflineEntityDetector().detect_entities(text)`` returns a dict in exactly the DetectEntitiesV2 response
shape (``Entities``, ``UnmappedAttributes``, ``ModelVersion``; validated by
``medscribe.shapes.DetectEntitiesV2Response``), with exact offsets (``text[BeginOffset:EndOffset] == Text``).

What it finds
-------------
- MEDICATION (GENERIC_NAME / BRAND_NAME): exact, case-insensitive, whole-token matches of the
  drug-named-entity-recognition dictionary (up to 4 tokens, longest first), corrected by
  ``data/ner/drug_overrides.txt``; plus fuzzy matches for ASR/typing errors (rapidfuzz ``ratio`` against
  the commonly prescribed single-word names with the same first letter; single tokens that are not
  English words, or two adjacent tokens joined: "met formin"). Attributes DOSAGE, STRENGTH, FREQUENCY,
  ROUTE_OR_MODE, DURATION, FORM, RATE (digits or spelled-out numbers), each linked to its governing drug:
  the nearest drug before it in the same sentence (within 15 tokens), or the next one when the attribute
  reads "<amount> of <drug>" or no drug precedes it (within 4 tokens); never across a sentence end,
  another drug, or a verb that opens a new instruction ("start", "continue", "recheck", ...). Unlinked
  ones go to UnmappedAttributes (a DURATION with no drug near becomes a condition's time expression).
- MEDICAL_CONDITION (DX_NAME, traits DIAGNOSIS / SYMPTOM / SIGN) from ``data/ner/conditions.txt`` with
  ACUITY ("acute", "chronic", "recurrent") and SYSTEM_ORGAN_SITE ("pain in the left knee") attributes.
- TEST_TREATMENT_PROCEDURE (TEST_NAME / PROCEDURE_NAME / TREATMENT_NAME) from
  ``data/ner/tests_procedures.txt``, with TEST_VALUE / TEST_UNIT ("A1c of 7.2 percent", "BP 140/90").
- ANATOMY (SYSTEM_ORGAN_SITE) from ``data/ner/anatomy.txt``.
- PROTECTED_HEALTH_INFORMATION: AGE (the number of "54 year old" / "fifty four year old"), DATE, NAME
  (after Mr./Mrs./Ms./Dr., "patient named", "name is"), PHONE_OR_FAX, EMAIL, ID (MRN, SSN-like numbers).
- TIME_EXPRESSION ("three days ago", "yesterday", "since last week") as attributes of the nearest
  condition / medication / test (Type TIME_TO_DX_NAME, TIME_TO_MEDICATION_NAME, ..., RelationshipType
  OVERLAP), unmapped when nothing is near.
- NEGATION trait (NegEx-style): pre-triggers ("no", "denies", "negative for", "without", "rule out", and
  for medications "not taking", "stopped", "discontinue", "hold", ...) negate conditions/medications
  that follow within the trigger's scope; post-triggers ("was ruled out", "was discontinued") look back.
  The scope ends at a sentence end, a terminator ("but", "however", "which", "reports", "started", ...),
  another trigger, an entity of another kind than the ones it already negated (a condition list does
  not run on into a medication), or 6 tokens after the trigger or after the last entity it negated (so
  lists like "denies fever, chills, nausea or vomiting" are all negated). Unpunctuated ASR text is handled by that
  token window.

What the scores mean
--------------------
Scores are heuristic confidences in [0, 1], ordered so that the pipeline's ``Score >= 0.5`` filter keeps
what is reliable and drops guesses:

- Medication, exact match: 0.97 generic / 0.95 brand for a commonly prescribed drug (one with a
  MedlinePlus or NHS monograph, or a listed brand); 0.9 for other DrugBank drugs; 0.75 for a
  dictionary-only name (chemical / MeSH name); x0.8 for names of 3 letters ("asa"); 0.45 for a
  dictionary-only multi-word name made of ordinary English words (kept, but filtered).
- Medication, fuzzy match: ``0.9 * similarity * length_factor`` (similarity = rapidfuzz ratio / 100,
  >= 0.8; length factor 0.45 for 5 letters, 0.6 for 6, 0.75 for 7, 0.85 for 8, 0.95 for 9+), times 0.85
  when the match joins two ASR tokens ("met formin"). So "metforman" -> 0.76, while a 5-letter near-miss
  scores about 0.3-0.4 and is dropped by the 0.5 filter. Always below the exact-match score of the same
  drug.
- Conditions / tests / anatomy (curated lexicon): 0.95 for multi-word phrases, 0.92 for single words,
  0.8 for abbreviations of 4 letters or fewer that are not English words ("htn", "cbc").
- Attributes: ``Score`` is the strength of the pattern (0.97 "500 mg"; 0.95 "twice daily"; 0.9 "BID",
  "by mouth", "for 7 days"; 0.85 "daily", forms; 0.8 "a tablet"). ``RelationshipScore`` decays with the
  token distance to the linked entity: 0.99 - 0.025 per token between them (floor 0.55); 0.95 for
  "<amount> of <drug>"; 0.9 - 0.03 per token for a drug that follows without "of".
- NEGATION: the trigger's strength (0.97 "denies" / "negative for", 0.95 "no", 0.75 "rule out", ...)
  minus 0.02 per token between trigger and entity (floor 0.6). DX traits: 0.85.
- PHI: 0.99 email, 0.95 phone / digit ages, 0.9 dates / spelled ages / IDs, 0.85 names after a title.

Performance (2-core machine): constructing the detector does nothing; the first call loads the
dictionaries and keeps them for the process: ~1 s from the on-disk drug table cache, ~5 s when that cache
must first be built from the package's data (see ``medscribe.offline.ner_lexicon``); ~40 MB. Then about
0.1-0.3 s per 1,000 words, linear in the text length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from medscribe.offline import ner_lexicon as lex

MODEL_VERSION = "medscribe-offline-ner-1.0"

# ---------------------------------------------------------------------------------------------------------
# Number and attribute patterns (case-insensitive, on the original text so offsets are exact)
# ---------------------------------------------------------------------------------------------------------
_NUMW = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand)"
)
_NUM = (
    rf"(?:(?<![\w.])\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?"
    rf"|\b(?:a\s+)?half\b"
    rf"|\b{_NUMW}(?:(?:\s+|-)(?:and\s+)?{_NUMW})*(?:\s+point\s+(?:{_NUMW}|oh)(?:\s+{_NUMW})*)?"
    rf"(?:\s+and\s+a\s+half)?\b)"
)
_NUMR = rf"{_NUM}(?:\s*(?:-|to|or)\s*{_NUM})?"
_END = r"(?![\w])"

_STRENGTH_RE = re.compile(
    rf"{_NUMR}\s*(?:mg|mgs|milligrams?|mcg|mcgs|micrograms?|µg|g|gm|grams?|meq|milliequivalents?|iu|"
    rf"international\s+units|mg\s*/\s*ml|mg\s*/\s*kg|milligrams?\s+per\s+(?:kilogram|milliliter)){_END}",
    re.IGNORECASE,
)
_DOSAGE_RE = re.compile(
    rf"(?:{_NUMR}|\ban?\b)\s*(?:tablets?|tabs?|capsules?|caps?|pills?|puffs?|drops?|sprays?|units?|ml|mls|"
    rf"milliliters?|cc|teaspoons?|tablespoons?|tsp|tbsp|patch(?:es)?|injections?|inhalations?|vials?|"
    rf"packets?|suppositor(?:y|ies)|lozenges?|doses?|sachets?|ampules?){_END}",
    re.IGNORECASE,
)
_RATE_RE = re.compile(
    rf"{_NUMR}\s*(?:mg|ml|units?|mcg|cc|milligrams?|milliliters?)(?:\s*(?:/|per)\s*(?:kg|kilogram))?"
    rf"\s*(?:/|per|an|a)\s*(?:hr|hour|h|min|minute)"
    rf"{_END}",
    re.IGNORECASE,
)
_TIMES = rf"(?:once|twice|thrice|{_NUMR}\s+times?)"
_PERIOD = r"(?:day|week|month|night|morning|evening|hour)"
_FREQ_STRONG_RE = re.compile(
    rf"\b(?:{_TIMES}\s+(?:a|per|each|every)\s+{_PERIOD}|{_TIMES}\s+(?:daily|weekly|monthly|nightly)"
    rf"|every\s+(?:other\s+)?(?:{_NUMR}\s+)?(?:hours?|hrs?|days?|weeks?|months?|morning|evening|night|bedtime)"
    rf"|(?:at|before)\s+(?:bedtime|night|bed)|in\s+the\s+(?:morning|evening)"
    rf"|(?:with|before|after)\s+(?:meals|each\s+meal|breakfast|dinner|supper|lunch)"
    rf"|as\s+needed|when\s+needed|if\s+needed){_END}",
    re.IGNORECASE,
)
_FREQ_ABBR_RE = re.compile(
    r"\b(?:q\s?\d+\s?(?:h|hr|hrs|hours)|q\.\s?(?:am|pm|hs|d|day|wk|week|od)\.?|q(?:am|pm|hs|d|day|wk|od)|qhs|"
    r"qam|qpm|qod|qd|[btq]\.i\.d\.?|p\.r\.n\.?|bid|tid|qid|prn|[btq]\s+i\s+d|p\s+r\s+n)(?![\w])",
    re.IGNORECASE,
)
_FREQ_WEAK_RE = re.compile(
    r"\b(?:daily|nightly|weekly|monthly|every\s+day|a\s+day|per\s+day)\b", re.IGNORECASE
)
_ROUTE_RE = re.compile(
    r"\b(?:by\s+mouth|orally|oral|p\.?\s?o\.?|per\s+os|intravenous(?:ly)?|i\.?\s?v\.?|intramuscular(?:ly)?|"
    r"subcutaneous(?:ly)?|sub\s?-?q|s\.?q\.?|topical(?:ly)?|inhaled|via\s+(?:inhaler|nebulizer)|"
    r"by\s+inhalation|sublingual(?:ly)?|per\s+rectum|rectal(?:ly)?|transdermal(?:ly)?|intranasal(?:ly)?|"
    r"nasal(?:ly)?|in\s+each\s+nostril|vaginal(?:ly)?|by\s+injection|ophthalmic|in\s+(?:each|both)\s+eyes?)"
    r"(?![\w])|\b(?:IM|SC|SL)\b",
    re.IGNORECASE,
)
_ROUTE_CASED = {"im", "sc", "sl"}  # only in upper case ("IM"), never the words "im"/"sc"
_DURATION_RE = re.compile(
    rf"\b(?:(?:for|x|times|over)\s+(?:the\s+next\s+|another\s+|a\s+total\s+of\s+|an?\s+additional\s+)?"
    rf"(?:{_NUMR}|an?|another)\s+(?:more\s+)?(?:days?|weeks?|months?|years?|doses?)"
    rf"|{_NUMR}[\s-]+(?:days?|weeks?|months?)[\s-]+(?:course|supply|trial))\b",
    re.IGNORECASE,
)
_FORM_RE = re.compile(
    r"\b(?:(?:extended|delayed|immediate)[\s-]+release\s+)?(?:tablets?|tabs|capsules?|pills?|injection|"
    r"inhaler|cream|ointment|patch|solution|suspension|nasal\s+spray|spray|gel|lotion|syrup|suppository|"
    r"lozenge|pen|elixir|liquid|eye\s+drops|ear\s+drops|drops|chewable|extended[\s-]+release|"
    r"delayed[\s-]+release)\b|\b(?:XR|ER|SR|XL|ODT|HFA)\b",
    re.IGNORECASE,
)
_FORM_CASED = {"xr", "er", "sr", "xl", "odt", "hfa"}
_ACUITY_RE = re.compile(r"\b(?:acute|chronic|subacute|recurrent|acute\s+on\s+chronic)\b", re.IGNORECASE)
_TIME_RE = re.compile(
    rf"\b(?:(?:{_NUMR}|an?|a\s+few|few|several|a\s+couple\s+of|couple\s+of)\s+(?:days?|weeks?|months?|"
    rf"years?|hours?)\s+ago|yesterday|last\s+(?:night|week|month|year|visit)|this\s+(?:morning|week)|"
    rf"(?:since|for\s+the\s+(?:past|last))\s+(?:(?:{_NUMR}|a\s+few|several|a\s+couple\s+of)\s+)?"
    rf"(?:days?|weeks?|months?|years?)|since\s+(?:yesterday|last\s+(?:night|week|month|year))|"
    rf"today|tonight)\b",
    re.IGNORECASE,
)
_TEST_PREFIX_RE = re.compile(
    r"(?:\s*[:=,]?\s*(?:of|is|was|were|are|at|today|now|reading|measured|came\s+back|level|levels|value|"
    r"about|around|approximately|down\s+to|up\s+to|improved\s+to|increased\s+to|decreased\s+to|to)\b)*"
    r"\s*[:=]?\s*",
    re.IGNORECASE,
)
_TEST_VALUE_RE = re.compile(
    rf"(?:\d{{2,3}}\s*(?:/|over)\s*\d{{2,3}}(?![\w])"
    rf"|\b{_NUMW}(?:[\s-]+(?:and\s+)?{_NUMW})*\s+over\s+{_NUMW}(?:[\s-]+{_NUMW})*\b"
    rf"|{_NUM}|\b(?:normal|abnormal|elevated|high|low|negative|positive|unremarkable|"
    rf"within\s+normal\s+limits)\b)",
    re.IGNORECASE,
)
_TEST_UNIT_RE = re.compile(
    r"\s*(?:percent|%|mg\s*/\s*dl|milligrams?\s+per\s+deciliter|mmol\s*/\s*l|mm\s?hg|millimeters\s+of\s+"
    r"mercury|bpm|beats\s+per\s+minute|breaths\s+per\s+minute|kg|kilograms?|lbs?|pounds?|degrees(?:\s+"
    r"(?:fahrenheit|celsius|f|c))?|ml\s*/\s*min|units?\s*/\s*l|ng\s*/\s*ml|miu\s*/\s*l|g\s*/\s*dl)(?![\w])",
    re.IGNORECASE,
)

# PHI
_AGE_RE = re.compile(
    rf"(?P<n>{_NUM})[\s-]*(?:years?|yrs?|y)[\s-]*(?:/\s*)?(?:old|o|of\s+age)\b"
    rf"|(?P<n2>(?<![\w.])\d{{1,3}})\s*(?:yo|y/o|y\.o\.)(?![\w])"
    rf"|\b(?:aged?|age\s+of)\s+(?P<n3>{_NUM})",
    re.IGNORECASE,
)
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
_ORD = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[\s-]first)"
)
_YEAR = rf"(?:\d{{4}}|(?:nineteen|twenty)(?:[\s-]+{_NUMW}){{1,2}}|two\s+thousand(?:[\s-]+(?:and\s+)?{_NUMW}){{0,2}})"
_DATE_RE = re.compile(
    rf"\b(?:{_MONTHS}\.?\s+{_ORD}(?:,?\s+{_YEAR})?|{_ORD}\s+(?:of\s+)?{_MONTHS}(?:,?\s+{_YEAR})?|"
    rf"{_MONTHS}\s+\d{{4}})\b|(?<![\w/])\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?![\w/])|\b\d{{4}}-\d{{2}}-\d{{2}}\b",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"(?<![\w])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\w])")
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_ID_RE = re.compile(
    r"\b(?:mrn|medical\s+record\s+(?:number|no)|record\s+number|patient\s+id|id\s+number|account\s+number|"
    r"member\s+id|ssn|social\s+security\s+number)\s*(?:is|:|#|number)?\s*(?P<id>[A-Z0-9][A-Z0-9-]{3,})\b"
    r"|\b(?P<ssn>\d{3}-\d{2}-\d{4})\b",
    re.IGNORECASE,
)
_NAME_CUE_RE = re.compile(
    r"\b(?:(?:mr|mrs|ms|dr)\.?|mister|missus|miss|doctor|patient\s+named|named|name\s+is)\s+", re.IGNORECASE
)
_NAME_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]+")

# Negation (NegEx-style), on normalized tokens.
_NEG_PRE = {
    "no": 0.95, "not": 0.9, "denies": 0.97, "denied": 0.95, "deny": 0.93, "denying": 0.95, "without": 0.9,
    "negative for": 0.97, "no evidence of": 0.97, "no signs of": 0.96, "no sign of": 0.96,
    "no history of": 0.93, "free of": 0.9, "absence of": 0.92, "rule out": 0.75, "rules out": 0.75,
    "ruled out": 0.8, "r o": 0.7, "never had": 0.9, "does not have": 0.93, "doesn't have": 0.93,
    "did not have": 0.92, "didn't have": 0.92, "no longer has": 0.88, "no complaints of": 0.93, "nor": 0.85,
    "resolution of": 0.8,
}  # fmt: skip
_NEG_PRE_MED = {
    "not taking": 0.95, "not on": 0.9, "no longer taking": 0.95, "no longer on": 0.92, "stopped": 0.9,
    "stop": 0.88, "stopping": 0.88, "discontinue": 0.93, "discontinued": 0.93, "discontinuing": 0.92,
    "dc": 0.8, "d c": 0.75, "hold": 0.8, "held": 0.8, "holding": 0.8, "off": 0.75, "quit": 0.85,
    "quit taking": 0.9, "stopped taking": 0.93, "does not take": 0.93, "doesn't take": 0.93,
    "never took": 0.88, "allergic to": 0.0,
}  # fmt: skip
_NEG_POST = {
    "is negative": 0.9, "was negative": 0.9, "were negative": 0.9, "ruled out": 0.85, "was ruled out": 0.88,
    "has been ruled out": 0.88, "unlikely": 0.75, "is unlikely": 0.78, "not present": 0.88,
    "is absent": 0.88, "was absent": 0.88, "denied": 0.85,
}  # fmt: skip
_NEG_POST_MED = {
    "was discontinued": 0.92, "were discontinued": 0.92, "has been discontinued": 0.92,
    "was stopped": 0.9, "were stopped": 0.9, "has been stopped": 0.9, "is on hold": 0.85,
}  # fmt: skip
_PSEUDO = {
    "no change", "no changes", "no increase", "no further", "not only", "not certain", "not sure",
    "without difficulty", "no new", "not necessarily", "gram negative", "no longer", "not been", "no more",
}  # fmt: skip
_TERMINATORS = {
    "but", "however", "although", "though", "except", "aside", "apart", "which", "who", "whom", "whose",
    "because", "secondary", "due", "presents", "presenting", "reports", "reported", "reporting", "complains",
    "complaining", "states", "endorses", "endorsing", "admits", "has", "have", "had", "is", "was", "are",
    "were", "start", "started", "starting", "begin", "began", "continue", "continued", "continues",
    "continuing", "resume", "resumed", "increase", "increased", "decrease", "decreased", "add", "added",
    "prescribed", "prescribe", "switch", "switched", "change", "changed", "will", "plan", "also", "yes",
    "positive", "takes", "uses", "using", "then", "recommend", "recommended", "given", "ordered",
    "stable", "well", "controlled", "she", "he", "patient", "use", "take", "give", "apply", "try",
}  # fmt: skip
_CLAUSE_VERBS = {
    "start", "started", "starting", "continue", "continued", "recheck", "check", "checked", "follow", "return",
    "schedule", "order", "ordered", "obtain", "repeat", "add", "added", "increase", "increased", "decrease",
    "decreased", "stop", "stopped", "restart", "begin", "discontinue", "discontinued", "hold", "resume",
    "switch", "switched", "change", "refill", "prescribe", "prescribed", "give", "use", "take", "takes",
}  # fmt: skip
_NEG_WINDOW = 6
_MAX_PHRASE = 6

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "vs", "approx", "etc", "e.g", "i.e", "pt", "no"}
_SENT_END_RE = re.compile(r"[.!?;]+(?=\s|$)|\n\s*\n|\n(?=\s*[A-Z-])")
_TOKEN_RE = lex.WORD_RE

_TRAIT_SCORE = 0.85
_SYMPTOM_HEADS = {
    "pain", "weakness", "swelling", "numbness", "tingling", "rash", "tenderness", "stiffness", "redness",
    "itching", "bleeding", "cramps", "discomfort", "pressure", "tightness", "infection", "ulcer", "wound",
    "edema", "bruising", "erythema", "effusion", "fracture", "sprain", "strain",
}  # fmt: skip
_NUMBER_WORDS = set(_NUMW[3:-1].split("|")) | {"and", "point", "half", "a", "oh"}


@dataclass
class _Tok:
    begin: int
    end: int
    norm: str


@dataclass
class _Span:
    begin: int
    end: int
    category: str
    type: str
    score: float
    t0: int = 0  # token index range [t0, t1)
    t1: int = 0
    traits: list[tuple[str, float]] = field(default_factory=list)
    attributes: list[tuple[_Span, str, float]] = field(default_factory=list)
    id: int = -1


def _clip(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return round(max(lo, min(hi, x)), 4)


class OfflineEntityDetector:
    """Dictionary + rules DetectEntitiesV2 (see the module docstring for what it finds and its scores).

    Construction is free; dictionaries load on the first ``detect_entities`` call and are cached per
    process. ``fuzzy=False`` disables fuzzy drug matching (exact dictionary matches only).
    """

    def __init__(self, *, fuzzy: bool = True, model_version: str = MODEL_VERSION) -> None:
        self._fuzzy = fuzzy
        self._model_version = model_version

    # ---- public -----------------------------------------------------------------------------------------
    def detect_entities(self, text: str) -> dict[str, Any]:
        doc = _Doc(text)
        entities = doc.find_entities(fuzzy=self._fuzzy)
        attrs = doc.find_attributes(entities)
        unmapped = doc.link(entities, attrs)
        doc.negate(entities)
        return _render(text, entities, unmapped, self._model_version)


# ---------------------------------------------------------------------------------------------------------
class _Doc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = [
            _Tok(m.start(), m.end(), m.group(0).lower().replace("\u2019", "'"))
            for m in _TOKEN_RE.finditer(text)
        ]
        self.starts = [t.begin for t in self.toks]
        self.ends = [t.end for t in self.toks]
        bounds = []
        for m in _SENT_END_RE.finditer(text):
            if m.group(0).startswith(".") and re.match(r"\s*[a-z]", text[m.end() : m.end() + 3]):
                continue  # "b.i.d. for 7 days", "Dr. smith": a sentence does not start lower-case
            if m.group(0).startswith("."):
                before = text[max(0, m.start() - 5) : m.start()].lower().split()
                if before and before[-1].strip("(") in _ABBREVIATIONS and len(m.group(0)) == 1:
                    continue
            bounds.append(m.start())
        self.sent = [bisect.bisect_right(bounds, t.begin) for t in self.toks]
        self._entities: list[_Span] = []

    # ---- token helpers ----------------------------------------------------------------------------------
    def tok_range(self, begin: int, end: int) -> tuple[int, int]:
        t0 = bisect.bisect_left(self.ends, begin + 1)
        t1 = bisect.bisect_left(self.starts, end)
        return t0, max(t0, t1)

    def span(self, begin: int, end: int, category: str, type_: str, score: float) -> _Span:
        t0, t1 = self.tok_range(begin, end)
        return _Span(begin, end, category, type_, _clip(score), t0, t1)

    def sentence_of(self, span: _Span) -> int:
        if span.t0 < len(self.sent):
            return self.sent[span.t0]
        return self.sent[-1] if self.sent else 0

    # ---- entities ---------------------------------------------------------------------------------------
    def find_entities(self, *, fuzzy: bool) -> list[_Span]:
        phi = self._phi()
        taken = [False] * len(self.toks)
        for s in phi:
            for i in range(s.t0, s.t1):
                taken[i] = True
        found = self._merge_site_symptoms(self._phrases(taken))
        if fuzzy:
            found += self._fuzzy_drugs(taken)
        return sorted(phi + found, key=lambda s: s.begin)

    def _phrases(self, taken: list[bool]) -> list[_Span]:
        clinical = lex.clinical_lexicon()
        drugs = lex.drug_lexicon()
        english = lex.english_words()
        out: list[_Span] = []
        n_toks = len(self.toks)
        i = 0
        while i < n_toks:
            if taken[i]:
                i += 1
                continue
            best: _Span | None = None
            for n in range(min(_MAX_PHRASE, n_toks - i), 0, -1):
                if any(taken[i : i + n]):
                    continue
                key = " ".join(t.norm for t in self.toks[i : i + n])
                begin, end = self.toks[i].begin, self.toks[i + n - 1].end
                concept = clinical.phrases.get(key)
                if concept is None and key.endswith("s") and len(key) > 4:
                    concept = clinical.phrases.get(key[:-1])  # plural of a lexicon phrase ("blood sugars")
                if concept is not None:
                    best = self._concept_span(begin, end, key, concept)
                    break
                drug = drugs.names.get(key) if n <= drugs.max_tokens else None
                if drug is not None:
                    best = self._drug_span(begin, end, key, drug, english)
                    break
            if best is None:
                i += 1
                continue
            out.append(best)
            for k in range(best.t0, best.t1):
                taken[k] = True
            i = best.t1
        return out

    def _merge_site_symptoms(self, spans: list[_Span]) -> list[_Span]:
        """Anatomy directly followed by a bare symptom word is one condition ("facial pain", "leg weakness")."""
        out: list[_Span] = []
        for s in spans:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.category == "ANATOMY"
                and s.category == "MEDICAL_CONDITION"
                and prev.t1 == s.t0
                and self.text[s.begin : s.end].lower() in _SYMPTOM_HEADS
            ):
                s.begin, s.t0 = prev.begin, prev.t0
                s.score = 0.9
                out[-1] = s
                continue
            out.append(s)
        return out

    def _concept_span(self, begin: int, end: int, key: str, concept: lex.Concept) -> _Span:
        if " " in key:
            score = 0.95
        elif len(key) <= 4 and key not in lex.english_words():
            score = 0.8
        else:
            score = 0.92
        s = self.span(begin, end, concept.category, concept.type, score)
        if concept.trait:
            s.traits.append((concept.trait, _TRAIT_SCORE))
        return s

    def _drug_span(
        self, begin: int, end: int, key: str, drug: lex.DrugName, english: frozenset[str]
    ) -> _Span:
        if drug.tier == 2:
            score = 0.95 if drug.is_brand else 0.97
        elif drug.tier == 1:
            score = 0.9
        elif " " in key and all(w in english for w in key.split()):
            score = 0.45
        else:
            score = 0.75
        if len(key) <= 3:
            score *= 0.8
        return self.span(begin, end, "MEDICATION", "BRAND_NAME" if drug.is_brand else "GENERIC_NAME", score)

    def _fuzzy_drugs(self, taken: list[bool]) -> list[_Span]:
        from rapidfuzz import fuzz, process

        drugs = lex.drug_lexicon()
        english = lex.english_words()
        clinical = lex.clinical_lexicon().phrases
        out: list[_Span] = []

        def usable(i: int) -> bool:
            t = self.toks[i]
            return not taken[i] and t.norm.isalpha() and t.norm not in clinical

        i = 0
        while i < len(self.toks):
            best: tuple[float, int, str] | None = None  # (score, n tokens, matched name)
            if usable(i):
                cands: list[tuple[int, str]] = []
                word = self.toks[i].norm
                if len(word) >= 5 and word not in english:
                    cands.append((1, word))
                if i + 1 < len(self.toks) and usable(i + 1) and len(word) >= 3:
                    joined = word + self.toks[i + 1].norm
                    if (
                        len(joined) >= 7
                        and joined not in english
                        and self.toks[i + 1].norm not in _NUMBER_WORDS
                    ):
                        cands.append((2, joined))
                for n, query in cands:
                    cutoff = 80 if n == 1 else 88
                    # Only names with the same initial: ASR and typing errors rarely change the first letter,
                    # and it makes fuzzy matching ~20x cheaper.
                    choices = drugs.fuzzy_choices.get(query[0], [])
                    hit = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
                    if hit is None:
                        continue
                    name, ratio, _ = hit
                    score = _fuzzy_score(query, ratio / 100.0, joined=n == 2)
                    if best is None or score > best[0]:
                        best = (score, n, name)
            if best is None:
                i += 1
                continue
            score, n, name = best
            drug = drugs.names[name]
            begin, end = self.toks[i].begin, self.toks[i + n - 1].end
            s = self.span(begin, end, "MEDICATION", "BRAND_NAME" if drug.is_brand else "GENERIC_NAME", score)
            out.append(s)
            for k in range(i, i + n):
                taken[k] = True
            i += n
        return out

    def _phi(self) -> list[_Span]:
        text = self.text
        spans: list[_Span] = []
        for m in _EMAIL_RE.finditer(text):
            spans.append(self.span(m.start(), m.end(), "PROTECTED_HEALTH_INFORMATION", "EMAIL", 0.99))
        for m in _PHONE_RE.finditer(text):
            spans.append(self.span(m.start(), m.end(), "PROTECTED_HEALTH_INFORMATION", "PHONE_OR_FAX", 0.95))
        for m in _ID_RE.finditer(text):
            g = "id" if m.group("id") else "ssn"
            if g == "id" and not any(c.isdigit() for c in m.group("id")):
                continue
            spans.append(self.span(m.start(g), m.end(g), "PROTECTED_HEALTH_INFORMATION", "ID", 0.9))
        for m in _DATE_RE.finditer(text):
            spans.append(self.span(m.start(), m.end(), "PROTECTED_HEALTH_INFORMATION", "DATE", 0.9))
        for m in _AGE_RE.finditer(text):
            g = next(k for k in ("n", "n2", "n3") if m.group(k))
            score = 0.95 if m.group(g)[0].isdigit() else 0.9
            spans.append(self.span(m.start(g), m.end(g), "PROTECTED_HEALTH_INFORMATION", "AGE", score))
        spans.extend(self._names())
        return _non_overlapping(spans)

    def _names(self) -> list[_Span]:
        out: list[_Span] = []
        clinical = lex.clinical_lexicon().phrases
        stopwords = lex.stopwords()
        for m in _NAME_CUE_RE.finditer(self.text):
            pos = m.end()
            words: list[re.Match[str]] = []
            cased = m.group(0)[0].isupper()
            while len(words) < 3:
                w = _NAME_WORD_RE.match(self.text, pos)
                if w is None:
                    break
                low = w.group(0).lower()
                if low in stopwords or low in clinical or low in _TERMINATORS or low in _NUMBER_WORDS:
                    break
                if cased and not w.group(0)[0].isupper():
                    break
                words.append(w)
                gap = re.match(r"[ \t]+", self.text[w.end() :])
                if gap is None:
                    break
                pos = w.end() + gap.end()
            if words:
                score = 0.85 if words[0].group(0)[0].isupper() else 0.7
                out.append(
                    self.span(
                        words[0].start(), words[-1].end(), "PROTECTED_HEALTH_INFORMATION", "NAME", score
                    )
                )
        return out

    # ---- attributes -------------------------------------------------------------------------------------
    def find_attributes(self, entities: list[_Span]) -> list[_Span]:
        text = self.text
        occupied = bytearray(len(text) + 1)  # 1 where an entity or a kept attribute already is
        for e in entities:
            if e.category != "ANATOMY":
                occupied[e.begin : e.end] = b"\x01" * (e.end - e.begin)
        found: list[_Span] = []

        def add(begin: int, end: int, category: str, type_: str, score: float) -> None:
            found.append(self.span(begin, end, category, type_, score))

        # Test values right after a test name (claimed before medication patterns see the numbers).
        for e in entities:
            if e.type != "TEST_NAME":
                continue
            pre = _TEST_PREFIX_RE.match(text, e.end)
            pos = pre.end() if pre else e.end
            v = _TEST_VALUE_RE.match(text, pos)
            if v is None or v.end() == v.start() or pos - e.end > 40:
                continue
            add(v.start(), v.end(), "TEST_TREATMENT_PROCEDURE", "TEST_VALUE", 0.9)
            u = _TEST_UNIT_RE.match(text, v.end())
            if u is not None:
                ub = u.start() + (len(u.group(0)) - len(u.group(0).lstrip()))
                add(ub, u.end(), "TEST_TREATMENT_PROCEDURE", "TEST_UNIT", 0.9)
        med_patterns: list[tuple[re.Pattern[str], str, float]] = [
            (_RATE_RE, "RATE", 0.9),
            (_STRENGTH_RE, "STRENGTH", 0.97),
            (_DOSAGE_RE, "DOSAGE", 0.9),
            (_DURATION_RE, "DURATION", 0.9),
            (_FREQ_STRONG_RE, "FREQUENCY", 0.95),
            (_FREQ_ABBR_RE, "FREQUENCY", 0.9),
            (_FREQ_WEAK_RE, "FREQUENCY", 0.85),
            (_ROUTE_RE, "ROUTE_OR_MODE", 0.9),
            (_FORM_RE, "FORM", 0.85),
        ]
        for pattern, type_, score in med_patterns:
            for m in pattern.finditer(text):
                word = m.group(0).lower()
                if pattern is _ROUTE_RE and word in _ROUTE_CASED and not m.group(0).isupper():
                    continue
                if pattern is _FORM_RE and word in _FORM_CASED and not m.group(0).isupper():
                    continue
                s = score
                if type_ == "DOSAGE" and re.match(r"an?\b", word):
                    s = 0.8
                if type_ == "STRENGTH" and not word[0].isdigit():
                    s = 0.95
                add(m.start(), m.end(), "MEDICATION", type_, s)
        for m in _ACUITY_RE.finditer(text):
            add(m.start(), m.end(), "MEDICAL_CONDITION", "ACUITY", 0.9)
        for m in _TIME_RE.finditer(text):
            add(m.start(), m.end(), "TIME_EXPRESSION", "TIME_EXPRESSION", 0.85)
        # Longest first; an attribute never overlaps an entity or an earlier (longer / stronger) attribute.
        order = sorted(range(len(found)), key=lambda k: (-(found[k].end - found[k].begin), k))
        kept: list[_Span] = []
        for k in order:
            a = found[k]
            if 1 in occupied[a.begin : a.end]:
                continue
            occupied[a.begin : a.end] = b"\x01" * (a.end - a.begin)
            kept.append(a)
        # "every six hours" + "as needed" is one FREQUENCY ("every six hours as needed").
        kept.sort(key=lambda s: s.begin)
        merged: list[_Span] = []
        for a in kept:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and prev.type == a.type == "FREQUENCY"
                and not text[prev.end : a.begin].strip()
                and re.fullmatch(r"(?:as|when|if)\s+needed|p\.?\s?r\.?\s?n\.?", text[a.begin : a.end], re.I)
            ):
                merged[-1] = self.span(prev.begin, a.end, "MEDICATION", "FREQUENCY", min(prev.score, a.score))
                continue
            merged.append(a)
        kept = merged
        # An attribute wins over anatomy inside it ("by mouth", "eye drops"); otherwise anatomy stays.
        for e in [e for e in entities if e.category == "ANATOMY"]:
            clash = [a for a in kept if a.begin < e.end and e.begin < a.end]
            if any(a.category == "MEDICATION" for a in clash):
                entities.remove(e)
            else:
                kept = [a for a in kept if a not in clash]
        return sorted(kept, key=lambda s: s.begin)

    # ---- linking ----------------------------------------------------------------------------------------
    def link(self, entities: list[_Span], attrs: list[_Span]) -> list[_Span]:
        """Attach attributes to entities; returns the unmapped ones."""
        self._entities = entities
        meds = [e for e in entities if e.category == "MEDICATION"]
        conditions = [e for e in entities if e.category == "MEDICAL_CONDITION"]
        tests = [e for e in entities if e.type == "TEST_NAME"]
        unmapped: list[_Span] = []
        for a in attrs:
            target: tuple[_Span, str, float] | None = None
            if a.category == "MEDICATION":
                target = self._link_med(a, meds)
                if target is None and a.type == "DURATION":
                    # "cough for five days": a duration with no drug near is a condition's time expression
                    target = self._link_time(a, conditions)
                    if target is not None:
                        a.category = "TIME_EXPRESSION"
            elif a.category == "TEST_TREATMENT_PROCEDURE":
                target = self._link_before(a, tests, a.type, max_gap=8)
            elif a.type == "ACUITY":
                target = self._link_after(a, conditions, "ACUITY", max_gap=2)
            elif a.category == "TIME_EXPRESSION":
                target = self._link_time(
                    a, [e for e in entities if e.category != "PROTECTED_HEALTH_INFORMATION"]
                )
            if target is None:
                unmapped.append(a)
                continue
            owner, rel, rel_score = target
            if a.category == "TIME_EXPRESSION":
                a.type = {
                    "MEDICATION": "TIME_TO_MEDICATION_NAME",
                    "MEDICAL_CONDITION": "TIME_TO_DX_NAME",
                }.get(owner.category, f"TIME_TO_{owner.type}")
            owner.attributes.append((a, rel, rel_score))
        # Anatomy right after a condition ("pain in the left knee") becomes its SYSTEM_ORGAN_SITE.
        for anatomy in [e for e in entities if e.category == "ANATOMY"]:
            hit = self._link_before(
                anatomy, conditions, "SYSTEM_ORGAN_SITE", max_gap=3, via={"in", "of", "on"}
            )
            if hit is not None:
                owner, rel, rel_score = hit
                owner.attributes.append((anatomy, rel, rel_score))
                entities.remove(anatomy)
        return unmapped

    def _between(self, a: int, b: int) -> list[str]:
        return [t.norm for t in self.toks[a:b]]

    def _link_med(self, a: _Span, meds: list[_Span]) -> tuple[_Span, str, float] | None:
        sent = self.sentence_of(a)
        k = bisect.bisect_left([m.t0 for m in meds], a.t0)  # meds are in text order
        p = meds[k - 1] if k > 0 and self.sentence_of(meds[k - 1]) == sent else None
        n = meds[k] if k < len(meds) and self.sentence_of(meds[k]) == sent else None
        if n is not None:
            gap = self._between(a.t1, n.t0)
            if len(gap) <= 3 and "of" in gap:
                return n, a.type, 0.95
        # Neither direction crosses a verb that opens a new instruction ("... every morning start glipizide",
        # "metformin twice daily recheck a1c every three months"): in unpunctuated ASR text those verbs are
        # the only clause boundaries left.
        if p is not None and a.t0 - p.t1 <= 15 and not _CLAUSE_VERBS.intersection(self._between(p.t1, a.t0)):
            return p, a.type, _clip(0.99 - 0.025 * (a.t0 - p.t1), 0.55)
        if (
            n is not None
            and n.t0 - a.t1 <= 4
            and not any(a.t1 <= e.t0 < n.t0 for e in self._entities)
            and not _CLAUSE_VERBS.intersection(self._between(a.t1, n.t0))
        ):
            return n, a.type, _clip(0.9 - 0.03 * (n.t0 - a.t1), 0.55)
        return None

    def _link_before(
        self, a: _Span, owners: list[_Span], rel: str, *, max_gap: int, via: set[str] | None = None
    ) -> tuple[_Span, str, float] | None:
        """Link ``a`` to the nearest owner ending before it in the same sentence."""
        sent = self.sentence_of(a)
        prev = [o for o in owners if o.t1 <= a.t0 and self.sentence_of(o) == sent]
        if not prev:
            return None
        o = prev[-1]
        gap = a.t0 - o.t1
        if gap > max_gap:
            return None
        if via is not None and (gap == 0 or self.toks[o.t1].norm not in via):
            return None
        return o, rel, _clip(0.99 - 0.025 * gap, 0.55)

    def _link_after(
        self, a: _Span, owners: list[_Span], rel: str, *, max_gap: int
    ) -> tuple[_Span, str, float] | None:
        nxt = [o for o in owners if o.t0 >= a.t1 and o.t0 - a.t1 <= max_gap]
        if not nxt or self.sentence_of(nxt[0]) != self.sentence_of(a):
            return None
        return nxt[0], rel, _clip(0.99 - 0.025 * (nxt[0].t0 - a.t1), 0.55)

    def _link_time(self, a: _Span, owners: list[_Span]) -> tuple[_Span, str, float] | None:
        sent = self.sentence_of(a)
        best: tuple[int, _Span] | None = None
        for o in owners:
            if self.sentence_of(o) != sent or o.category == "ANATOMY":
                continue
            dist = a.t0 - o.t1 if o.t1 <= a.t0 else o.t0 - a.t1
            if dist <= 6 and (best is None or dist < best[0]):
                best = (dist, o)
        if best is None:
            return None
        return best[1], "OVERLAP", _clip(0.9 - 0.03 * best[0], 0.55)

    # ---- negation ---------------------------------------------------------------------------------------
    def negate(self, entities: list[_Span]) -> None:
        targets = [e for e in entities if e.category in ("MEDICAL_CONDITION", "MEDICATION")]
        if not targets:
            return
        norms = [t.norm for t in self.toks]
        by_start = {e.t0: e for e in targets}
        entity_tok = [False] * len(norms)
        for e in entities:
            for k in range(e.t0, e.t1):
                entity_tok[k] = True
        negated: dict[int, float] = {}

        def phrase_at(i: int, table: dict[str, float] | set[str]) -> int:
            for n in (4, 3, 2, 1):
                if i + n <= len(norms) and " ".join(norms[i : i + n]) in table:
                    return n
            return 0

        i = 0
        while i < len(norms):
            if entity_tok[i]:
                i += 1
                continue
            pseudo = phrase_at(i, _PSEUDO)
            n_med = phrase_at(i, _NEG_PRE_MED)
            n_gen = phrase_at(i, _NEG_PRE)
            if pseudo and pseudo >= max(n_med, n_gen):
                i += pseudo
                continue
            if not (n_med or n_gen):
                i += 1
                continue
            med_only = n_med > n_gen
            n = n_med if med_only else n_gen
            base = (_NEG_PRE_MED if med_only else _NEG_PRE)[" ".join(norms[i : i + n])]
            j = i + n
            last = j
            sent = self.sent[i]
            chain: str | None = None  # a scope runs over a list of one kind: conditions, or medications
            while j < len(norms) and self.sent[j] == sent and j - last <= _NEG_WINDOW:
                if not entity_tok[j] and (
                    norms[j] in _TERMINATORS or phrase_at(j, _NEG_PRE) or phrase_at(j, _NEG_PRE_MED)
                ):
                    break
                hit = by_start.get(j)
                if hit is not None:
                    if chain is not None and hit.category != chain:
                        break
                    chain = hit.category
                    if base > 0 and not (med_only and hit.category != "MEDICATION"):
                        score = max(0.6, base - 0.02 * (j - i - n))
                        negated[id(hit)] = max(negated.get(id(hit), 0.0), score)
                    last = hit.t1
                    j = hit.t1
                    continue
                j += 1
            i += n
        # post-triggers look back
        for k in range(len(norms)):
            if entity_tok[k]:
                continue
            for table, med_only in ((_NEG_POST_MED, True), (_NEG_POST, False)):
                n = phrase_at(k, table)
                if not n:
                    continue
                base = table[" ".join(norms[k : k + n])]
                for e in targets:
                    if e.t1 <= k and k - e.t1 <= 4 and self.sent[e.t0] == self.sent[k]:
                        if med_only and e.category != "MEDICATION":
                            continue
                        between = norms[e.t1 : k]
                        if any(w in _TERMINATORS - {"is", "was", "were", "has"} for w in between):
                            continue
                        negated[id(e)] = max(negated.get(id(e), 0.0), base)
                break
        for e in targets:
            if id(e) in negated:
                e.traits.append(("NEGATION", _clip(negated[id(e)])))


def _fuzzy_score(query: str, similarity: float, *, joined: bool) -> float:
    length = len(query)
    factor = {5: 0.45, 6: 0.6, 7: 0.75, 8: 0.85}.get(length, 0.45 if length < 5 else 0.95)
    score = 0.9 * similarity * factor
    if joined:
        score *= 0.85
    return _clip(score)


def _non_overlapping(spans: list[_Span]) -> list[_Span]:
    """Keep the earliest-found, then longest, spans that don't overlap an already kept one."""
    kept: list[_Span] = []
    for s in sorted(spans, key=lambda s: -(s.end - s.begin)):
        if all(s.end <= k.begin or s.begin >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.begin)


def _render(text: str, entities: list[_Span], unmapped: list[_Span], model_version: str) -> dict[str, Any]:
    # Ids in text order over entities and attributes alike (Comprehend numbers both from one sequence).
    every: list[_Span] = list(entities) + list(unmapped)
    for e in entities:
        every.extend(a for a, _, _ in e.attributes)
    for n, s in enumerate(sorted(every, key=lambda s: (s.begin, s.end))):
        s.id = n

    def traits(s: _Span) -> list[dict[str, Any]]:
        return [{"Name": name, "Score": score} for name, score in s.traits]

    def attribute(a: _Span, rel: str | None, rel_score: float | None) -> dict[str, Any]:
        out: dict[str, Any] = {"Type": a.type, "Score": a.score}
        if rel is not None:
            out["RelationshipScore"] = rel_score
            out["RelationshipType"] = rel
        out.update(
            {
                "Id": a.id,
                "BeginOffset": a.begin,
                "EndOffset": a.end,
                "Text": text[a.begin : a.end],
                "Category": a.category,
                "Traits": traits(a),
            }
        )
        return out

    ents = []
    for e in sorted(entities, key=lambda s: s.begin):
        item: dict[str, Any] = {
            "Id": e.id,
            "BeginOffset": e.begin,
            "EndOffset": e.end,
            "Score": e.score,
            "Text": text[e.begin : e.end],
            "Category": e.category,
            "Type": e.type,
            "Traits": traits(e),
            "Attributes": [
                attribute(a, rel, rs) for a, rel, rs in sorted(e.attributes, key=lambda x: x[0].begin)
            ],
        }
        ents.append(item)
    return {
        "Entities": ents,
        "UnmappedAttributes": [{"Type": a.category, "Attribute": attribute(a, None, None)} for a in unmapped],
        "ModelVersion": model_version,
    }
