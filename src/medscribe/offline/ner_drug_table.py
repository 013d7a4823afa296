"""The derived drug table of the offline entity detector (``ner_lexicon.drug_lexicon``): the
``drug-named-entity-recognition`` package's dictionary read from its data file (never by importing the package:
``ner_lexicon`` says why), filtered and classified as brand or generic name with our override lists, and cached
as gzipped JSON in ``$MEDSCRIBE_NER_CACHE_DIR``, keyed by the package version, the build rules (this module and
``ner_lexicon``), ``data/ner/`` and the clinical lexicon's phrases (none of which is a drug); a missing, stale or
unreadable cache is rebuilt (~5 s). Only the lexicon cache's writer (``ner_lexicon_cache``) writes it."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import importlib.metadata
import json
import os
import pickle
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from medscribe.offline import ner_lexicon
from medscribe.offline.ner_lexicon import (
    DrugName,
    added_drugs,
    data_path,
    drug_overrides,
    normalize,
    package_dir,
    stopwords,
)

_CACHE_FORMAT = 2  # 2: keyed by the clinical phrases too

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


def _package_dictionary() -> dict[str, Any]:
    # drug-named-entity-recognition 2.0.9: ``find_drugs(..., is_fuzzy_match=True)`` raises
    # UnboundLocalError (``lookup_name`` is read before assignment on the two-token fuzzy path). This is the
    # ONE place we work around it: we never call ``find_drugs`` at all and read the package's dictionary
    # file, doing exact matching ourselves and fuzzy matching with rapidfuzz (see ``ner.fuzzy_drugs``).
    with bz2.open(package_dir() / "drug_ner_dictionary.pkl.bz2", "rb") as f:
        data: dict[str, Any] = pickle.load(f)  # the data file of a pinned, installed package
    return data


def _looks_generic(variant: str) -> bool:
    return variant.endswith(_GENERIC_SUFFIXES)


def _build_drug_names(clinical: Collection[str]) -> dict[str, DrugName]:
    """Drug names from the package dictionary, filtered (never a ``clinical`` phrase) and classified (~5 s)."""
    data = _package_dictionary()
    canonical_data: dict[str, dict[str, Any]] = data["drug_canonical_to_data"]
    variant_data: dict[str, dict[str, Any]] = data["drug_variant_to_variant_data"]
    blocked, brands, generics = drug_overrides()
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
    for key, drug in added_drugs().items():
        names.setdefault(key, drug)
    return names


def _cache_file(clinical: Collection[str]) -> Path:
    """Where the derived drug table is cached, keyed by package version, our data files' contents and the clinical
    phrases it leaves out (their lists are read by other modules, ``ner_condition_names`` and its rules)."""
    from medscribe.offline.ner_lexicon_cache import cache_dir

    digest = hashlib.sha256(
        f"{_CACHE_FORMAT}:{importlib.metadata.version('drug-named-entity-recognition')}".encode()
    )
    digest.update("\n".join(sorted(clinical)).encode() + b"\0")
    for rules in (
        Path(__file__),
        Path(ner_lexicon.__file__),
    ):  # the build rules themselves, and the lists they read
        digest.update(rules.read_bytes())
    for name in sorted(p.name for p in data_path("").iterdir()):
        digest.update(name.encode() + data_path(name).read_bytes())
    return cache_dir() / f"drug-names-{digest.hexdigest()[:16]}.json.gz"


def load_drug_names(clinical: Collection[str], *, write: bool = False) -> dict[str, DrugName]:
    """The derived table from the cache when valid, else built from the package and, when ``write``, cached (best
    effort)."""
    path = _cache_file(clinical)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            rows = json.load(f)
        return {k: DrugName(c, bool(b), int(t)) for k, c, b, t in rows}
    except (OSError, ValueError, TypeError):
        pass
    names = _build_drug_names(clinical)
    if not write:
        return names
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
