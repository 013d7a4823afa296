"""Dictionaries behind the offline entity detector (``medscribe.offline.ner``), loaded lazily and cached.

- Drug names: the ``drug-named-entity-recognition`` package's dictionary (~20k drugs, ~107k name variants
  from MedlinePlus, DrugBank, MeSH and Wikipedia). We read its data file directly instead of importing the
  package: importing ``drug_named_entity_recognition`` builds a trigram index of every variant at import
  time (seconds, and memory we don't need), and its own fuzzy mode is broken (see ``_fuzzy_note``).
- Conditions, tests/procedures/treatments and anatomy: small curated lexicons shipped in ``data/ner/``.
- English words: the CMU pronouncing dictionary that ships inside ``pocketsphinx`` (the offline ASR
  backend, installed with the same ``local`` extra) when present. Only used to keep ordinary words out of
  fuzzy drug matching; without it fuzzy matching is simply more conservative (stopwords only).

Nothing here runs at import time: every loader is a ``functools.cache``'d function.
"""

from __future__ import annotations

import bz2
import functools
import importlib.resources
import importlib.util
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def normalize(text: str) -> str:
    """The matching key of a phrase: lower-case word tokens joined by one space ("X-Ray" -> "x ray")."""
    return " ".join(m.group(0).lower() for m in WORD_RE.finditer(text.replace("\u2019", "'")))


def _data_path(name: str) -> Path:
    return Path(__file__).parent / "data" / "ner" / name


@dataclass(frozen=True)
class Concept:
    """A lexicon entry: Comprehend Medical category/type, canonical name, and the DX trait if any."""

    category: str
    type: str
    canonical: str
    trait: str | None = None


@dataclass(frozen=True)
class DrugName:
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
    fuzzy_choices: list[str]  # well-known single-word names, targets of fuzzy matching


def _read_pipe_file(name: str) -> list[list[str]]:
    rows = []
    for line in _data_path(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append([part.strip() for part in line.split("|") if part.strip()])
    return rows


@functools.cache
def clinical_lexicon() -> Lexicon:
    """Conditions, tests/procedures/treatments and anatomy; first listing of a phrase wins."""
    phrases: dict[str, Concept] = {}

    def add(surface: str, concept: Concept) -> None:
        phrases.setdefault(normalize(surface), concept)

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
    return Lexicon(phrases=phrases, max_tokens=max(len(k.split()) for k in phrases))


@functools.cache
def drug_overrides() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(blocked variants, extra brand names, extra generic names) from ``data/ner/drug_overrides.txt``."""
    sections: dict[str, set[str]] = {"block": set(), "brand": set(), "generic": set()}
    for kind, *names in _read_pipe_file("drug_overrides.txt"):
        sections[kind].update(normalize(n) for n in names)
    return frozenset(sections["block"]), frozenset(sections["brand"]), frozenset(sections["generic"])


def _package_dictionary() -> dict[str, Any]:
    # drug-named-entity-recognition 2.0.9: ``find_drugs(..., is_fuzzy_match=True)`` raises
    # UnboundLocalError (``lookup_name`` is read before assignment on the two-token fuzzy path). This is the
    # ONE place we work around it: we never call ``find_drugs`` at all and read the package's dictionary
    # file, doing exact matching ourselves and fuzzy matching with rapidfuzz (see ``ner._fuzzy_drugs``).
    resource = importlib.resources.files("drug_named_entity_recognition").joinpath("drug_ner_dictionary.pkl.bz2")
    with resource.open("rb") as raw, bz2.open(raw, "rb") as f:
        data: dict[str, Any] = pickle.load(f)  # noqa: S301 - data file of a pinned, installed package
    return data


def _looks_generic(variant: str) -> bool:
    return variant.endswith(_GENERIC_SUFFIXES)


@functools.cache
def drug_lexicon() -> DrugLexicon:
    data = _package_dictionary()
    canonical_data: dict[str, dict[str, Any]] = data["drug_canonical_to_data"]
    variant_data: dict[str, dict[str, Any]] = data["drug_variant_to_variant_data"]
    blocked, brands, generics = drug_overrides()
    clinical = clinical_lexicon().phrases
    from drug_named_entity_recognition.util import stopwords  # a plain set literal, cheap to import

    names: dict[str, DrugName] = {}
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        key = normalize(variant)
        if not key or key in blocked or key in stopwords or key in clinical or len(key) < 3:
            continue
        tokens = key.split()
        if len(tokens) > 4 or tokens[0].isdigit() or tokens[-1].isdigit():
            continue
        canonical = canonicals[0]
        info = canonical_data.get(canonical, {})
        tier = 2 if ("medline_plus_id" in info or "nhs_url" in info) else 1 if "drugbank_id" in info else 0
        flag = variant_data.get(variant, {}).get("is_brand")
        if key in brands:
            is_brand, tier = True, 2
        elif key in generics or key == normalize(canonical):
            is_brand = False
        elif flag is not None:
            is_brand = bool(flag)
        else:
            is_brand = len(tokens) == 1 and key.isalpha() and not _looks_generic(key)
        display = str(info.get("name") or canonical)
        current = names.get(key)
        if current is None or tier > current.tier:
            names[key] = DrugName(canonical=display, is_brand=is_brand, tier=tier)
    fuzzy = sorted(k for k, v in names.items() if v.tier == 2 and k.isalpha() and len(k) >= 5)
    return DrugLexicon(names=names, max_tokens=4, fuzzy_choices=fuzzy)


@functools.cache
def english_words() -> frozenset[str]:
    """Ordinary English words (CMU dictionary from pocketsphinx when installed) — never fuzzy-matched."""
    from drug_named_entity_recognition.util import stopwords

    words: set[str] = set(stopwords)
    spec = importlib.util.find_spec("pocketsphinx")
    if spec is not None and spec.origin is not None:
        cmudict = Path(spec.origin).parent / "model" / "en-us" / "cmudict-en-us.dict"
        if cmudict.is_file():
            with cmudict.open(encoding="utf-8", errors="replace") as f:
                for line in f:
                    word = line.split(" ", 1)[0]
                    if "(" not in word:
                        words.add(word.lower())
    return frozenset(words)
