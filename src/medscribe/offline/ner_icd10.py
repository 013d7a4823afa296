"""Condition names derived from the ICD-10-CM tabular list, for the offline detector's condition lexicon.

Source: the ICD-10-CM tabular list (CDC / NCHS, FY2026 release of April 1 2026; a US government work in the
public domain) as shipped in the ``simple-icd-10-cm`` package (1.5.0, MIT licence, pinned in the ``dev``
extra), read by :mod:`medscribe.offline.icd10cm` (shared with the condition guard's terms). The detector never
imports that package: :func:`build` turns the tabular list's titles into
``data/ner/conditions_icd10cm.txt`` once (``python scripts/build_icd10_lexicon.py``), and the file is committed,
dated and sourced in its header; a test rebuilds it and compares when the package is installed. The build
also reads the English word list of ``ner_lexicon.english_words`` (pocketsphinx's CMU dictionary), so rebuild
where pocketsphinx is installed.

What is kept (general rules, no note-specific words): the description and inclusion terms of every code of
chapters A00-R99 (diseases, and symptoms / signs / abnormal findings), each cleaned to the name a clinician
says: parentheses dropped ("Essential (primary) hypertension" -> "essential hypertension"), cut at the first
comma and before qualifiers ("due to", "with", "without", "in", "of", ...: "Acute bronchiolitis due to RSV" ->
"acute bronchiolitis"), acuity split off too ("acute bronchiolitis" also gives "bronchiolitis"); kept when it
has 1 to 4 words, no residual-category word ("other", "unspecified", "NEC"), is not an anatomy or test phrase,
and (single words) has at least 5 letters and is not a generic head ("disease", "disorder", "lesion").
DX trait: chapter R00-R69 SYMPTOM, R70-R99 SIGN, others DIAGNOSIS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from medscribe.offline import icd10cm, ner_icd10_adjectives

SOURCE = (
    "ICD-10-CM tabular list FY2026 (April 1 2026), CDC/NCHS, public domain; via simple-icd-10-cm 1.5.0 (MIT)"
)
PACKAGE = icd10cm.PACKAGE

_CUT = re.compile(
    r"\s+(?:due\s+to|with|without|in|of|on|following|complicating|affecting|associated|from|by|at|of|after|"
    r"during|involving|not|except|and\s+other|or\s+other)\b.*$",
    re.IGNORECASE,
)
_REJECT = re.compile(
    r"\b(?:other|others|unspecified|specified|elsewhere|nec|nos|sequela|sequelae|encounter|history|status|"
    r"screening|observation|classified|certain|type|site|sites|part|parts|region|multiple|personal|family|"
    r"findings?|result|results|stage|care|use|abuse|dependence|poisoning|exposure|contact|injury|underdosing|"
    r"effect|effects|reaction|complications?|procedure|ill|defined|conditions?|mention|involvement|level|"
    r"levels|phase|episode|single|recurrent|unknown|cause|origin|score|right|left|bilateral|unilateral|"
    r"or|[a-z]*\d[a-z0-9]*|i|ii|iii|iv)\b",
    re.IGNORECASE,
)
_ACUITY = ("acute ", "chronic ", "subacute ")
# a subtype numeral after a name ("Complex regional pain syndrome I", "Familial aldosteronism II"): the
# clinician says the name, the subtype is a grade (AWS's QUALITY, "stage or grade")
_SUBTYPE = re.compile(r"\s+(?:i|ii|iii|iv)\s*$", re.IGNORECASE)
# the names of chapter F10-F19 (mental and behavioural disorders due to psychoactive substance use) that _REJECT
# would drop for "use" / "abuse" / "dependence": a substance use disorder is a condition AWS names as said
_SUBSTANCE_NAME = re.compile(r"\s+(?:dependence|abuse|use\s+disorders?)\s*$", re.IGNORECASE)
# acuity / quality words (AWS attributes) before a curated name: the name is curated, the word an attribute
# (with the course words of a rhythm's classification, "permanent" / "longstanding persistent atrial fibrillation":
# AWS's ACUITY examples are "chronic, acute, sudden, persistent, or gradual")
_QUALIFIERS = frozenset({
    "acute", "chronic", "subacute", "persistent", "sudden", "gradual", "recurrent", "severe", "mild",
    "moderate", "productive", "dry", "permanent", "longstanding",
})  # fmt: skip
# single words too generic or too ordinary to be a condition on their own
_GENERIC = frozenset({
    "disease", "diseases", "disorder", "disorders", "syndrome", "syndromes", "lesion", "lesions", "anomaly",
    "anomalies", "abnormality", "abnormalities", "deformity", "deficiency", "failure", "infection",
    "infections", "inflammation", "mass", "masses", "malformation", "malformations", "neoplasm", "neoplasms",
    "tumor", "tumors", "carrier", "carriers", "complication", "disturbance", "disturbances", "acute",
    "chronic", "subacute", "absent", "absence", "dysfunction", "insufficiency", "obstruction", "stenosis",
    "degeneration", "atrophy", "hypertrophy", "hyperplasia", "cyst", "cysts", "dermatitis", "arthritis",
    "ulcer", "ulcers", "pain", "fever", "shock", "stress", "tension", "anxiety", "depression", "mania",
    "weakness", "retention", "discharge", "hemorrhage", "bleeding", "collapse", "arrest", "block", "spasm",
    "cramp", "cramps", "wasting", "fussy", "crying", "irritability", "nervousness", "restlessness",
    "agitation", "unhappiness", "demoralization", "apathy", "sadness", "jealousy", "suspiciousness",
    "hostility", "violence", "impulsiveness", "sleeplessness", "alcoholism", "smoking", "tobacco", "drowning",
    "fall", "falls", "frostbite", "heat", "cold", "burn", "burns", "bite", "bites",
})  # fmt: skip
# a single word that is an ordinary English word is kept only with a medical suffix ("bronchiolitis", not "canal")
_MEDICAL_SUFFIX = (
    "itis", "osis", "iasis", "emia", "aemia", "oma", "omas", "pathy", "algia", "plasia", "trophy", "cele", "uria",
    "phobia", "rrhea", "ectasis", "spasm", "plegia", "paresis", "megaly", "lithiasis", "penia", "cytosis",
)  # fmt: skip
_AND_HEADS = ("disease", "syndrome", "fever")
# a last word that shows the cleaned text is a fragment or a finding's context, not a condition's name
# ("deletions identified", "obeys commands", "old age", "aortic arch", "inadequate sample")
_NOT_A_NAME_END = frozenset({
    "identified", "resulting", "presenting", "complicated", "affected", "form", "forms", "causes", "factors",
    "also", "institutes", "commands", "sample", "application", "area", "hole", "margin", "angle", "age",
    "product", "amount", "spacing", "medium", "contours", "morphology", "restoration", "aesthetic", "tissue",
    "responder", "incision", "complex", "chromosomes", "words", "sounds", "reading", "articulation", "bridge",
    "fluids", "portions", "products", "pad", "body", "arch", "ring", "molar", "density", "newborn", "delivery",
    "abrasion", "rotation", "displacement", "deviation", "lesions", "defect", "defects", "drop", "change",
    "alteration", "elevation", "color", "odor", "neurological", "omental", "predominantly", "grade", "division",
})  # fmt: skip
# a Latin word naming who has the condition, which a clinician drops in speech ("hyperemesis gravidarum" is said
# "hyperemesis"): the name without it names the same condition. Not "neonatorum" / "infantum": "ophthalmia",
# "roseola" alone would give the adjective "ophthalmic", a service word ("ophthalmic clinic")
_LATIN_POPULATION = frozenset({"gravidarum", "gestationis", "puerperalis"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# a residual category's leading word names no condition itself: "Other seborrheic keratosis" is the name
# "seborrheic keratosis" (its residual code holds the plain disease), "Unspecified cataract" is "cataract"
_RESIDUAL_HEAD = re.compile(r"^(?:other|unspecified)\s+(?!specified\b|and\b|or\b)", re.IGNORECASE)


def _norm(text: str) -> str:
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    while words and words[0] in ("a", "an", "the"):
        words = words[1:]
    return " ".join(words)


# "not otherwise specified" after an inclusion term: the term names the condition itself ("Hemophilia NOS" is
# hemophilia, "Sickle-cell anemia NOS" is sickle-cell anemia), so the mark is dropped, not the term
_NOS = re.compile(r"\s+NOS\b")


def surface_forms(text: str, *, substance: bool = False) -> Iterator[str]:
    """The condition names a tabular description or inclusion term yields, normalised (maybe none); with
    ``substance`` (a code of F10-F19), "<substance> dependence / abuse / use disorder" is a name too."""
    text = _NOS.sub("", re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text))
    whole = _norm(text)  # "Hand, foot and mouth disease": a name that holds commas
    if whole.endswith(_AND_HEADS) and len(whole.split()) <= 5 and not _REJECT.search(whole):
        yield whole
    text = text.split(",")[0].split(";")[0].split(":")[0]
    text = _CUT.sub("", _RESIDUAL_HEAD.sub("", text.strip()))
    text = _SUBTYPE.sub("", text)  # "Complex regional pain syndrome I": the name said without its subtype
    found = _SUBSTANCE_NAME.search(text) if substance else None
    if found is not None:
        # "Opioid dependence, uncomplicated", "Cannabis use disorder, mild": the substance must pass the rules
        # below on its own ("other stimulant" has lost "other" already; "psychoactive substance" passes)
        substance_words = _norm(text[: found.start()])
        if substance_words and not _REJECT.search(substance_words) and len(substance_words.split()) <= 2:
            yield f"{substance_words} {_norm(found.group(0))}"
        return
    if _REJECT.search(text):
        return
    key = _norm(text)
    words = key.split()
    if "and" in words and not key.endswith(_AND_HEADS):
        return
    if words and words[-1] in _NOT_A_NAME_END:
        return
    if not 1 <= len(words) <= 4:
        return
    yield key
    if len(words) > 1 and words[-1] in _LATIN_POPULATION:
        yield " ".join(words[:-1])  # "hyperemesis gravidarum" is said "hyperemesis"
    for prefix in _ACUITY:
        if key.startswith(prefix) and len(words) > 1:
            yield key[len(prefix) :]


def _trait(code: str) -> str:
    if code.startswith("R"):
        return "SYMPTOM" if code[1:3] < "70" else "SIGN"
    return "DIAGNOSIS"


# a whole title of one English word names its code ("Vitiligo", "Measles", "Callus"), unless it is an -ing word or
# names no condition in speech
_NOT_A_CONDITION_WORD = frozenset(
    {
        "loneliness",
        "worries",
        "transgender",
        "senescence",
        "tokelau",
        "felon",
        "plague",
        "pinta",
        "amelia",
        "death",
        "worms",
        "infestation",
        "tetanus",
    }
)  # fmt: skip  (the last five name their code as "<word> NOS": a first name, an outcome, everyday senses, and
# "tetanus", said of the immunisation ("tetanus status", "tetanus up to date") far more than of the disease)


def _names_the_code(key: str, term: str) -> bool:
    """The term is this one word alone (its code is named by it), and the word is not a gerund or a listed non-name."""
    whole = _norm(_NOS.sub("", re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", term)))  # "Hemophilia NOS"
    return whole == key and not key.endswith("ing") and key not in _NOT_A_CONDITION_WORD


def build(xml_path: Path, excluded: frozenset[str], english: frozenset[str]) -> list[tuple[str, str]]:
    """(trait, name) rows, first code wins, sorted by name; names in ``excluded`` (anatomy, tests, curated
    conditions, drugs) are left out, and single ``english`` words without a medical suffix."""
    found: dict[str, str] = {}
    for code, term in icd10cm.titles(xml_path):
        if not ("A00" <= code[:3] <= "R99"):
            continue
        for key in surface_forms(term, substance="F10" <= code[:3] <= "F19"):
            single = " " not in key
            if key in excluded or (single and (len(key) < 5 or key in _GENERIC)):
                continue
            head, _, rest = key.partition(" ")
            while head in _QUALIFIERS and rest not in excluded and " " in rest:
                head, _, rest = rest.partition(" ")  # "longstanding persistent atrial fibrillation"
            if head in _QUALIFIERS and rest in excluded:
                continue  # "chronic pain", "persistent cough": a curated name with an attribute
            if (
                single
                and key in english
                and not key.endswith(_MEDICAL_SUFFIX)
                and not _names_the_code(key, term)
            ):
                continue
            found.setdefault(key, _trait(code))
    return sorted(((trait, key) for key, trait in found.items()), key=lambda row: row[1])


def render(rows: list[tuple[str, str]]) -> str:
    head = [
        "# Condition names derived from ICD-10-CM (medscribe.offline.ner_icd10; do not edit by hand: rebuild with",
        "# python scripts/build_icd10_lexicon.py). Loaded after conditions.txt, which wins on a shared phrase.",
        f"# Source: {SOURCE}.",
        "# Format as conditions.txt: TRAIT|name",
    ]
    return "\n".join([*head, *(f"{trait}|{name}" for trait, name in rows)]) + "\n"


OUTPUT_NAME = "conditions_icd10cm.txt"


def rebuilt_text() -> str:
    """What ``conditions_icd10cm.txt`` holds when rebuilt from the installed package now."""
    from medscribe.offline import ner_lexicon as lex

    curated = lex.curated_phrases()
    english = lex.english_words()
    rows = build(icd10cm.tabular_xml(), curated, english)
    conditions = [
        (c.trait or "DIAGNOSIS", k) for k, c in lex._curated().items() if c.category == "MEDICAL_CONDITION"
    ]
    taken = curated | {name for _trait, name in rows}
    attested = ner_icd10_adjectives.attested_words() | english
    forms = ner_icd10_adjectives.adjectives([*conditions, *rows], taken, attested)
    return render(sorted([*rows, *forms], key=lambda row: row[1]))


def write_lexicon() -> int:
    from medscribe.offline import ner_lexicon as lex

    text = rebuilt_text()
    lex.data_path(OUTPUT_NAME).write_text(text, encoding="utf-8")
    print(f"{OUTPUT_NAME}: {text.count(chr(10)) - 4} names")
    return 0
