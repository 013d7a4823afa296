"""A disk cache of the offline detector's two derived lexicons (``ner_lexicon.clinical_lexicon`` and
``ner_lexicon.drug_lexicon``): building them from the data files (ICD-10-CM, HPO and Disease Ontology names with
their adjective, plural and British forms; the drug table with its spoken variants) took ~0.6 s of CPU in every
process that detects entities (each ``medscribe draft``, each entity worker of ``run`` / ``serve``). They are cached
as gzipped JSON beside the drug table (``$MEDSCRIBE_NER_CACHE_DIR``, else ``~/.cache/medscribe``), keyed by every
file of the ``medscribe`` package (its code and data) and every installed distribution's version, so a change to a
rule, a list or a dependency builds them again; a missing, stale or unreadable file is rebuilt and written best
effort (never a failure). The drug table's own cache is ``ner_drug_table``'s."""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.metadata
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medscribe.offline.ner_lexicon import DrugLexicon, Lexicon

_CACHE_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[1]  # the medscribe package


@functools.cache
def cache_key() -> str:
    """A digest of the package's own files (code and data) and of the installed distributions' versions."""
    digest = hashlib.sha256(f"{_CACHE_FORMAT}".encode())
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    base = os.environ.get("MEDSCRIBE_NER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "medscribe"
    )
    return Path(base)


def _cached(
    name: str, build: Callable[[], Any], encode: Callable[[Any], Any], decode: Callable[[Any], Any]
) -> Any:
    path = cache_dir() / f"{name}-{cache_key()}.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return decode(json.load(f))
    except (OSError, ValueError, TypeError, KeyError, EOFError):
        pass
    value = build()
    for target in (path, Path(tempfile.gettempdir()) / "medscribe" / path.name):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            with gzip.open(tmp, "wt", encoding="utf-8") as f:
                json.dump(encode(value), f, separators=(",", ":"))
            os.replace(tmp, target)
            for stale in target.parent.glob(f"{name}-*.json.gz"):
                if stale != target:
                    stale.unlink(missing_ok=True)  # built by older code, data or dependencies
            break
        except OSError:
            continue
    return value


def cached_clinical_lexicon(build: Callable[[], Lexicon]) -> Lexicon:
    from medscribe.offline.ner_lexicon import Concept, Lexicon

    def encode(lexicon: Lexicon) -> Any:
        return {
            "max_tokens": lexicon.max_tokens,
            "phrases": [[k, c.category, c.type, c.canonical, c.trait] for k, c in lexicon.phrases.items()],
        }

    def decode(data: Any) -> Lexicon:
        phrases = {
            k: Concept(category, kind, canonical, trait)
            for k, category, kind, canonical, trait in data["phrases"]
        }
        return Lexicon(phrases=phrases, max_tokens=int(data["max_tokens"]))

    lexicon: Lexicon = _cached("clinical-lexicon", build, encode, decode)
    return lexicon


def cached_drug_lexicon(build: Callable[[], DrugLexicon]) -> DrugLexicon:
    from medscribe.offline.ner_lexicon import DrugLexicon, DrugName

    def encode(lexicon: DrugLexicon) -> Any:
        return {
            "max_tokens": lexicon.max_tokens,
            "names": [[k, d.canonical, int(d.is_brand), d.tier] for k, d in lexicon.names.items()],
            "fuzzy_choices": lexicon.fuzzy_choices,
        }

    def decode(data: Any) -> DrugLexicon:
        names = {
            k: DrugName(canonical, bool(brand), int(tier)) for k, canonical, brand, tier in data["names"]
        }
        fuzzy = {str(k): [str(v) for v in values] for k, values in data["fuzzy_choices"].items()}
        return DrugLexicon(names=names, max_tokens=int(data["max_tokens"]), fuzzy_choices=fuzzy)

    lexicon: DrugLexicon = _cached("drug-lexicon", build, encode, decode)
    return lexicon
