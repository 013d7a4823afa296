"""Dictionaries behind the offline entity detector (``medscribe.offline.ner``), loaded lazily and cached.

- Drug names: the ``drug-named-entity-recognition`` package's dictionary (~20k drugs, ~107k name variants
  from MedlinePlus, DrugBank, MeSH and Wikipedia). We read its data file directly instead of importing the
  package: importing ``drug_named_entity_recognition`` builds a trigram index of every variant at import
  time (~9 s and ~400 MB), and its own fuzzy mode is broken (see ``_package_dictionary``).
- Conditions, tests/procedures/treatments and anatomy: small curated lexicons shipped in ``data/ner/``.
- English words: the CMU pronouncing dictionary that ships inside ``pocketsphinx`` (the offline ASR
  backend, installed with the same ``local`` extra) when present. Only used to keep ordinary words out of
  fuzzy drug matching; without it only stopwords are kept out (other words then rarely pass the
  similarity cut-off anyway).

Nothing here runs at import time: every loader is a ``functools.cache``'d function. Reading the package's
pickle takes ~5 s, so the derived drug table (name -> canonical, brand flag, tier; ~80k rows) is cached as gzipped JSON in ``$MEDSCRIBE_NER_CACHE_DIR`` (default ``~/.cache/medscribe``, falling
back to the temp dir), keyed by the package version, this module and ``data/ner/``; later processes
load it in a fraction of a second. A missing, stale or unreadable cache is rebuilt.
"""

from __future__ import annotations

import ast
import bz2
import functools
import gzip
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from medscribe.number_words import DIGITS
from medscribe.offline.ner_drug_variants import drug_name_variants

_CACHE_FORMAT = 1
WORD_RE = re.compile(r"\d+(?:\.\d+)?|[a-z0-9]+(?:'[a-z]+)?", re.IGNORECASE)

# Generic (INN/USAN) stems: a dictionary synonym without an explicit brand flag that ends like this is
# treated as a generic name (e.g. "salbutamol"); other plain-word synonyms are brand names ("tylenol").
_GENERIC_SUFFIXES = (
    "ol", "ine", "ide", "pril", "sartan", "statin", "mab", "nib", "azole", "cillin", "mycin", "cycline",
    "floxacin", "olol", "pine", "one", "ate", "ane", "ium", "lol", "vir", "tide", "parin", "xaban", "gliptin",
    "gliflozin", "glutide", "prazole", "tidine", "oxetine", "aline", "azepam", "zolam", "barbital", "profen",
    "sone", "olone", "asone", "semide", "thiazide", "dipine", "terol", "tropium", "lukast", "fenac", "coxib",
    "in", "il", "an", "en", "ic", "acid", "sodium", "potassium", "hydrochloride", "oxide", "um",
)  # fmt: skip


# Dose-form and route words: a dictionary "drug" made only of these ("nasal spray") is a FORM, not a drug.
_FORM_WORDS = frozenset(
    (
        "nasal", "spray", "sprays", "oral", "tablet", "tablets", "cream", "ointment", "solution", "injection",
        "injectable", "drops", "eye", "ear", "gel", "patch", "lotion", "powder", "suspension", "syrup", "topical",
        "inhaler", "inhalation", "vaginal", "rectal", "suppository", "capsule", "capsules", "liquid", "chewable",
        "extended", "release", "delayed", "film", "coated", "dose", "pack", "kit",
    )
)  # fmt: skip


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
        (r"\bcelia", "coelia"),
        (r"\bhem(?!i)", "haem"),
        (r"(?<=[a-z])emi(a|c)\b", r"aemi\1"),
        (r"(?<=[a-z])emias\b", "aemias"),
        (r"\b(an|orthop|gyn|p)e(sth|dic|dia|co|di)", r"\1ae\2"),
        (r"(?<=[a-z])pnea", "pnoea"),
        (r"(?<=[a-z])rrhe(?=a|ic)", "rrhoe"),  # "diarrhoea", "seborrhoeic"
        (r"(?<=[a-z]{3})iz(e|ed|ing|ation)\b", r"is\1"),
        (r"\b(tum|behavi)or", r"\1our"),
    )
)


def british_spelling(key: str) -> str:
    """The British spelling of a normalised American phrase ("generalized anxiety" -> "generalised anxiety")."""
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
    return frozenset(_added_drugs())


def _added_drugs() -> dict[str, DrugName]:
    """Common names the package's dictionary lacks (``add_brand`` / ``add_generic`` lines)."""
    out: dict[str, DrugName] = {}
    for kind, *entries in _drug_rows():
        if kind in ("add_brand", "add_generic"):
            for entry in entries:
                name, _, canonical = entry.partition("=")
                out[normalize(name)] = DrugName(canonical.strip() or name, kind == "add_brand", 2)
    return out


def _package_dir() -> Path:
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
    tree = ast.parse((_package_dir() / "util.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "stopwords" for t in node.targets):
            return frozenset(str(w) for w in ast.literal_eval(node.value))
    return frozenset()


def _package_dictionary() -> dict[str, Any]:
    # drug-named-entity-recognition 2.0.9: ``find_drugs(..., is_fuzzy_match=True)`` raises
    # UnboundLocalError (``lookup_name`` is read before assignment on the two-token fuzzy path). This is the
    # ONE place we work around it: we never call ``find_drugs`` at all and read the package's dictionary
    # file, doing exact matching ourselves and fuzzy matching with rapidfuzz (see ``ner._fuzzy_drugs``).
    with bz2.open(_package_dir() / "drug_ner_dictionary.pkl.bz2", "rb") as f:
        data: dict[str, Any] = pickle.load(f)  # the data file of a pinned, installed package
    return data


def _looks_generic(variant: str) -> bool:
    return variant.endswith(_GENERIC_SUFFIXES)


def _build_drug_names() -> dict[str, DrugName]:
    """Drug names from the package dictionary, filtered and classified (slow: ~5 s)."""
    data = _package_dictionary()
    canonical_data: dict[str, dict[str, Any]] = data["drug_canonical_to_data"]
    variant_data: dict[str, dict[str, Any]] = data["drug_variant_to_variant_data"]
    blocked, brands, generics = drug_overrides()
    clinical = clinical_lexicon().phrases
    stop = stopwords()
    names: dict[str, DrugName] = {}
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        key = normalize(variant)
        if not key or key in blocked or key in stop or key in clinical or len(key) < 3:
            continue
        tokens = key.split()
        if len(tokens) > 4 or tokens[0].isdigit() or tokens[-1].isdigit() or set(tokens) <= _FORM_WORDS:
            continue
        canonical = canonicals[0]
        info = canonical_data.get(canonical, {})
        tier = 2 if ("medline_plus_id" in info or "nhs_url" in info) else 1 if "drugbank_id" in info else 0
        flag = variant_data.get(variant, {}).get("is_brand")
        if key in brands:
            is_brand, tier = True, 2
        elif key in generics:
            is_brand, tier = False, 2
        elif key == normalize(canonical):
            is_brand = False
        elif flag is not None:
            is_brand = bool(flag)
        else:
            is_brand = len(tokens) == 1 and key.isalpha() and not _looks_generic(key)
        display = str(info.get("name") or canonical)
        current = names.get(key)
        if current is None or tier > current.tier:
            names[key] = DrugName(canonical=display, is_brand=is_brand, tier=tier)
    # A commonly prescribed drug of the package (a MedlinePlus / NHS monograph) that no variant spells out
    # ("thiamine", "testosterone", "oxytocin" are canonical names only): its own one-word name. Longer canonical
    # names carry an indication ("doxepin insomnia") and would swallow a condition; they are left out.
    for canonical, info in canonical_data.items():
        key = normalize(canonical)
        common = "medline_plus_id" in info or "nhs_url" in info
        if not common or not key.isalpha() or len(key) < 3 or key in names:
            continue
        if key in blocked or key in stop or key in clinical:
            continue
        names[key] = DrugName(canonical=str(info.get("name") or canonical), is_brand=key in brands, tier=2)
    for key, drug in _added_drugs().items():
        names.setdefault(key, drug)
    return names


def _cache_file() -> Path:
    """Where the derived drug table is cached, keyed by package version and our data files' contents."""
    digest = hashlib.sha256(
        f"{_CACHE_FORMAT}:{importlib.metadata.version('drug-named-entity-recognition')}".encode()
    )
    digest.update(Path(__file__).read_bytes())  # the build rules themselves
    for name in sorted(p.name for p in _data_path("").iterdir()):
        digest.update(name.encode() + _data_path(name).read_bytes())
    base = os.environ.get("MEDSCRIBE_NER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "medscribe"
    )
    return Path(base) / f"drug-names-{digest.hexdigest()[:16]}.json.gz"


def _load_drug_names() -> dict[str, DrugName]:
    """The derived table from the cache when valid, else built from the package and cached (best effort)."""
    path = _cache_file()
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            rows = json.load(f)
        return {k: DrugName(c, bool(b), int(t)) for k, c, b, t in rows}
    except (OSError, ValueError, TypeError):
        pass
    names = _build_drug_names()
    rows = [[k, v.canonical, int(v.is_brand), v.tier] for k, v in names.items()]
    candidates = [path, Path(tempfile.gettempdir()) / "medscribe" / path.name]
    for target in candidates:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            with gzip.open(tmp, "wt", encoding="utf-8") as f:
                json.dump(rows, f, separators=(",", ":"))
            os.replace(tmp, target)
            for stale in target.parent.glob("drug-names-*.json.gz"):
                if stale != target:
                    stale.unlink(missing_ok=True)  # tables of older package / lexicon versions
            break
        except OSError:
            continue
    return names


@functools.cache
def drug_lexicon() -> DrugLexicon:
    names = drug_name_variants(_load_drug_names(), curated_drug_names())
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
