"""Dictionaries behind the offline entity detector (``medscribe.offline.ner``), loaded lazily and cached.

- Drug names: the ``drug-named-entity-recognition`` package's dictionary (~20k drugs, ~107k name variants
  from MedlinePlus, DrugBank, MeSH and Wikipedia). We read its data file directly instead of importing the
  package: importing ``drug_named_entity_recognition`` builds a trigram index of every variant at import
  time (~9 s and ~400 MB), and its own fuzzy mode is broken (see
  ``ner_drug_table._package_dictionary``).
- Conditions, tests/procedures/treatments and anatomy: small curated lexicons shipped in ``data/ner/``.
- English words: the CMU pronouncing dictionary that ships inside ``pocketsphinx`` (the offline ASR
  backend, installed with the same ``local`` extra) when present. Only used to keep ordinary words out of
  fuzzy drug matching; without it only stopwords are kept out (other words then rarely pass the
  similarity cut-off anyway).

Nothing here runs at import time: every loader is a ``functools.cache``'d function. Reading the package's
pickle takes ~5 s, so the derived drug table (name -> canonical, brand flag, tier; ~80k rows; built in
:mod:`medscribe.offline.ner_drug_table`) is cached as gzipped JSON in ``$MEDSCRIBE_NER_CACHE_DIR`` (default
``~/.cache/medscribe``, falling back to the temp dir), keyed by the package version, the build rules (that module
and this one) and ``data/ner/``; later processes load it in a fraction of a second. A missing, stale or
unreadable cache is rebuilt.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from medscribe.number_words import DIGITS
from medscribe.offline.ner_drug_variants import drug_name_variants

WORD_RE = re.compile(r"\d+(?:\.\d+)?|[a-z0-9]+(?:'[a-z]+)?", re.IGNORECASE)


def normalize(text: str) -> str:
    """The matching key of a phrase: lower-case word tokens joined by one space ("X-Ray" -> "x ray")."""
    return " ".join(m.group(0).lower() for m in WORD_RE.finditer(text.replace("\u2019", "'")))


def data_path(name: str) -> Path:
    return Path(__file__).parent / "data" / "ner" / name


_data_path = data_path


@dataclass(frozen=True)
class Concept:
    """A lexicon entry: Comprehend Medical category/type, canonical name, and the DX trait if any."""

    category: str
    type: str
    canonical: str
    trait: str | None = None


class DrugName(NamedTuple):
    canonical: str
    is_brand: bool
    # 2: a commonly prescribed drug (MedlinePlus or NHS monograph, or a brand we list); 1: an approved or
    # investigational drug with a DrugBank id; 0: dictionary-only (MeSH chemical names, classes, ...).
    tier: int


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[str, Concept]
    max_tokens: int


@dataclass(frozen=True)
class DrugLexicon:
    names: dict[str, DrugName]
    max_tokens: int
    fuzzy_choices: dict[str, list[str]]  # common single-word names by initial letter: fuzzy-match targets


def _read_pipe_file(name: str) -> list[list[str]]:
    rows = []
    for line in _data_path(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append([part.strip() for part in line.split("|") if part.strip()])
    return rows


# American -> British (Commonwealth) medical spelling, applied to every lexicon phrase so that UK dictation
# ("oedema", "haemoptysis", "hyperkalaemia", "diarrhoea", "orthopnoea", "coeliac", "paediatric",
# "generalised", "tumour", "anaesthetic") finds the same concept. Order matters: specific stems first.
_BRITISH = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"\b(edema|esophag|estrogen)", r"o\1"),
        (r"(?<=[a-np-z])edema", "oedema"),  # "lymphoedema", "myxoedema"
        (r"\bmelen", "melaen"),  # "melaena"
        (r"\bfet(al|us|uses)\b", r"foet\1"),  # "foetal"
        (r"\bcelia", "coelia"),
        (r"\bnev(?=us\b|i\b|oid\b)", "naev"),  # "naevus", "spider naevi", "naevoid"
        (r"\bhem(?!i)", "haem"),
        (r"(?<=[a-z])emi(a|c)\b", r"aemi\1"),
        (r"(?<=[a-z])emias\b", "aemias"),
        (r"\b(an|orthop|gyn|p)e(sth|dic|dia|co|di)", r"\1ae\2"),
        (r"(?<=[a-z])pne(a|ic)", r"pnoe\1"),  # "dyspnoea", "tachypnoeic"
        (r"(?<=[a-z])rrhe(?=a|ic)", "rrhoe"),  # "diarrhoea", "seborrhoeic"
        (r"(?<=[a-z]{3})iz(e|ed|ing|ation)\b", r"is\1"),
        (r"\b(tum|behavi)or", r"\1our"),
    )
)


# Any of the patterns above: a phrase none of them matches is its own British spelling, as no substitution can
# then change it (most phrases of the lexicons: one search instead of thirteen substitutions at warm-up).
_BRITISH_ANY = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _BRITISH))


def british_spelling(key: str) -> str:
    """The British spelling of a normalised American phrase ("generalized anxiety" -> "generalised anxiety")."""
    if _BRITISH_ANY.search(key) is None:
        return key
    for pattern, repl in _BRITISH:
        key = pattern.sub(repl, key)
    return key


_LETTER_DIGIT_RE = re.compile(r"([a-z]+)(\d)([a-z]+)")


def spoken_abbreviation(key: str) -> tuple[str, ...]:
    """How a recogniser writes an abbreviation holding one digit ("t2dm", "hba1c"): letters and the digit apart,
    the digit as a word or a numeral ("t two dm", "t 2 dm"); nothing for other keys."""
    m = _LETTER_DIGIT_RE.fullmatch(key)
    if m is None:
        return ()
    head, digit, tail = m.groups()
    return (f"{head} {DIGITS[int(digit)]} {tail}", f"{head} {digit} {tail}")


@functools.cache
def clinical_lexicon() -> Lexicon:
    """Conditions, tests/procedures/treatments and anatomy, then the ICD-10-CM derived condition names
    (``conditions_icd10cm.txt``, see ``ner_icd10``) and body sites (``anatomy_icd10cm.txt``, see
    ``ner_icd10_sites``); first listing of a phrase wins."""
    from medscribe.offline.ner_condition_names import add_condition_names

    phrases = _curated()
    add_condition_names(phrases)  # ICD-10-CM names, then condition abbreviations and their expansions
    for (site,) in _read_pipe_file("anatomy_icd10cm.txt"):  # body sites of ICD-10-CM (``ner_icd10_sites``)
        phrases.setdefault(site, Concept("ANATOMY", "SYSTEM_ORGAN_SITE", site))
    return Lexicon(phrases=phrases, max_tokens=max(len(k.split()) for k in phrases))


def curated_phrases() -> frozenset[str]:
    """Every phrase of the hand-curated lexicons (conditions, tests/procedures, anatomy), normalised."""
    return frozenset(_curated())


def _curated() -> dict[str, Concept]:
    from medscribe.offline.ner_condition_names import uk_name

    phrases: dict[str, Concept] = {}

    def add(surface: str, concept: Concept) -> None:
        key = normalize(surface)
        phrases.setdefault(key, concept)
        phrases.setdefault(british_spelling(key), concept)  # "oedema", "haemoptysis", "generalised"
        for spoken in spoken_abbreviation(key):  # "t2dm" said as "t two dm"
            phrases.setdefault(spoken, concept)

    for trait, canonical, *synonyms in _read_pipe_file("conditions.txt"):
        concept = Concept("MEDICAL_CONDITION", "DX_NAME", canonical, trait)
        for surface in (canonical, *synonyms):
            add(surface, concept)
    for _trait, canonical, *synonyms in _read_pipe_file("conditions.txt"):  # after every listed name: it wins
        for surface in (canonical, *synonyms):
            add(uk_name(normalize(surface)), phrases[normalize(surface)])  # "end stage kidney disease"
    for type_, canonical, *synonyms in _read_pipe_file("tests_procedures.txt"):
        concept = Concept("TEST_TREATMENT_PROCEDURE", type_, canonical)
        for surface in (canonical, *synonyms):
            add(surface, concept)
    for canonical, *synonyms in _read_pipe_file("anatomy.txt"):
        concept = Concept("ANATOMY", "SYSTEM_ORGAN_SITE", canonical)
        for surface in (canonical, *synonyms):
            add(surface, concept)
    return phrases


# Corrections to the package's drug dictionary (block / brand / generic / add_* lines): the original overrides
# and the products file of session 7 (UK names, brands, vaccines, delivery devices).
_DRUG_FILES = ("drug_overrides.txt", "drug_products.txt")


def _drug_rows() -> list[list[str]]:
    return [row for name in _DRUG_FILES for row in _read_pipe_file(name)]


@functools.cache
def drug_overrides() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(blocked variants, brand names, generic names) from ``data/ner/drug_overrides.txt`` and
    ``drug_products.txt``."""
    sections: dict[str, set[str]] = {"block": set(), "brand": set(), "generic": set()}
    for kind, *names in _drug_rows():
        if kind in sections:
            sections[kind].update(normalize(n) for n in names)
    return frozenset(sections["block"]), frozenset(sections["brand"]), frozenset(sections["generic"])


@functools.cache
def drug_devices() -> frozenset[str]:
    """Delivery devices and monitors (``device`` lines: "flexpen", "respimat", "omnipod"): never a drug name."""
    return frozenset(normalize(n) for kind, *names in _drug_rows() if kind == "device" for n in names)


@functools.cache
def curated_drug_names() -> frozenset[str]:
    """The names our own lists add (``add_brand`` / ``add_generic``): product names as written ("emollient cream")."""
    return frozenset(added_drugs())


def added_drugs() -> dict[str, DrugName]:
    """Common names the package's dictionary lacks (``add_brand`` / ``add_generic`` lines)."""
    out: dict[str, DrugName] = {}
    for kind, *entries in _drug_rows():
        if kind in ("add_brand", "add_generic"):
            for entry in entries:
                name, _, canonical = entry.partition("=")
                out[normalize(name)] = DrugName(canonical.strip() or name, kind == "add_brand", 2)
    return out


def package_dir() -> Path:
    # Never import drug_named_entity_recognition: its __init__ loads the whole dictionary and builds a
    # trigram index (~9 s, ~400 MB). find_spec locates the package without executing it.
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "drug-named-entity-recognition is not installed (pip install medscribe[local])"
        )
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def stopwords() -> frozenset[str]:
    """The package's stopword set (English function words, countries, manufacturers), read from its source."""
    tree = ast.parse((package_dir() / "util.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "stopwords" for t in node.targets):
            return frozenset(str(w) for w in ast.literal_eval(node.value))
    return frozenset()


@functools.cache
def drug_lexicon() -> DrugLexicon:
    from medscribe.offline.ner_drug_table import load_drug_names  # it reads this module's lists

    names = drug_name_variants(load_drug_names(), curated_drug_names())
    fuzzy: dict[str, list[str]] = {}
    for k in sorted(names):
        if names[k].tier == 2 and k.isalpha() and len(k) >= 5:
            fuzzy.setdefault(k[0], []).append(k)
    return DrugLexicon(names=names, max_tokens=4, fuzzy_choices=fuzzy)


def cmudict_path() -> Path | None:
    spec = importlib.util.find_spec("pocketsphinx")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "model" / "en-us" / "cmudict-en-us.dict"
    return path if path.is_file() else None


@functools.cache
def english_words() -> frozenset[str]:
    """Ordinary English words (CMU dictionary from pocketsphinx when installed) — never fuzzy-matched."""
    words: set[str] = set(stopwords())
    cmudict = cmudict_path()
    if cmudict is not None:
        with cmudict.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                word = line.split(" ", 1)[0]
                if "(" not in word:
                    words.add(word.lower())
    return frozenset(words)
