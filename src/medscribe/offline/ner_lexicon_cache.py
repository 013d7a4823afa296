"""A disk cache of the offline detector's two derived lexicons (``ner_lexicon.clinical_lexicon`` and
``ner_lexicon.drug_lexicon``). Building them from the data files (the ICD-10-CM, HPO and Disease Ontology names
with their adjective, plural and British forms; the drug table with its spoken variants) costs every process that
detects entities (each ``medscribe draft``, each entity worker of ``run`` / ``serve``) more CPU than reading them.

What is read is what a build makes, by construction:

- **Written only by a fresh interpreter** (:func:`write_cache`, run by :func:`load_lexicons` on a miss as
  ``python -I``): nothing a process did to itself (a patched list, a cleared or primed ``functools`` cache, a
  module attribute a test changed) can reach the file; a process whose writer failed builds for itself and never
  writes what it built.
- **Pickled whole** (the ``Lexicon`` and ``DrugLexicon`` objects, every field, the order of every dict, and which
  phrases share one ``Concept`` object: ``ner.matching`` compares concepts by identity, so a synonym list read
  back as equal but separate objects reads "acute sinusitis" whole) and read with an unpickler that builds only
  those four classes of ``ner_lexicon`` and the built-in containers (the Python docs' "Restricting Globals").
- **Keyed** by every file of the ``medscribe`` package (code and data), the versions of the distributions whose
  files a build reads (:data:`READS`) and the Python version; the key is also inside the file, so a file renamed
  or copied from another key is never taken for this one. A missing, stale, foreign or unreadable file is built
  again; the three newest files are kept, older ones removed.

Where: ``$MEDSCRIBE_NER_CACHE_DIR``, else ``$XDG_CACHE_HOME/medscribe`` (``~/.cache/medscribe``), beside the drug
table (``ner_drug_table``); never in the package, so never in a Lambda layer. A directory that cannot be written is
no error: every process then builds."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import io
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medscribe.offline.ner_lexicon import DrugLexicon, Lexicon

_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[1]  # the medscribe package
# Distributions whose installed files a build reads: the drug dictionary and its stop words
# (``ner_drug_table``, ``ner_lexicon.stopwords``), the CMU word list (``ner_lexicon.english_words``).
# tests/offline/test_ner_lexicon_cache.py fails on a file a build opens outside these, the package and the stdlib.
READS = ("drug-named-entity-recognition", "pocketsphinx")
_KEEP = 3  # newest cache files kept (two checkouts, or a branch switched back and forth, each keep theirs)
WRITE_TIMEOUT_SECONDS = 600.0  # a cold build (drug table included) on a loaded machine
_CLASSES = frozenset(("Concept", "DrugName", "Lexicon", "DrugLexicon"))


def cache_dir() -> Path:
    """``$MEDSCRIBE_NER_CACHE_DIR``, else ``$XDG_CACHE_HOME/medscribe`` (default ``~/.cache/medscribe``)."""
    base = os.environ.get("MEDSCRIBE_NER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "medscribe"
    )
    return Path(base)


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


@functools.cache
def cache_key() -> str:
    """A digest of the package's files (code and data), :data:`READS`' versions and the Python version."""
    digest = hashlib.sha256(f"{_FORMAT}\0{sys.version}\0".encode())
    for name in READS:
        digest.update(f"{name}=={_version(name)}\0".encode())
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()[:20]


def cache_file(directory: Path | None = None) -> Path:
    return (directory or cache_dir()) / f"lexicons-{cache_key()}.pickle"


class _Unpickler(pickle.Unpickler):
    """Builds the lexicons' own classes and nothing else: no function is ever called by name."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "medscribe.offline.ner_lexicon" and name in _CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a lexicon")


def read_cache(path: Path) -> tuple[Lexicon, DrugLexicon] | None:
    """The lexicons in ``path`` when it holds this key's, else None (missing, foreign, damaged)."""
    from medscribe.offline.ner_lexicon import DrugLexicon, Lexicon

    try:
        data = path.read_bytes()
        key, clinical, drugs = _Unpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - any damage to a cache file (truncated, garbage, refused class) means build
        return None
    if key != cache_key() or type(clinical) is not Lexicon or type(drugs) is not DrugLexicon:
        return None
    return clinical, drugs


def write_cache(directory: Path) -> Path:
    """Build both lexicons here and write them to ``directory`` (what the fresh interpreter of
    :func:`load_lexicons` runs); one writer at a time, and none when the file is there already."""
    from medscribe.offline.ner_lexicon import build_lexicons

    target = cache_file(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "lexicons.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process's writer is building the same file: wait for it
        if read_cache(target) is None:
            clinical, drugs = build_lexicons(write_drug_table=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps((cache_key(), clinical, drugs), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, target)
        for leftover in directory.glob("lexicons-*.tmp"):  # a writer killed mid-write (none is writing now)
            leftover.unlink(missing_ok=True)
        others = sorted(
            (p for p in directory.glob("lexicons-*.pickle") if p != target),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in others[_KEEP - 1 :]:
            old.unlink(missing_ok=True)  # older code, data or dependencies
    return target


def _run_writer(directory: Path) -> None:
    """:func:`write_cache` in a fresh interpreter of this Python (isolated: no PYTHON* variables, no user site,
    no working directory on its path; no bytecode written), importing this package from where this process did."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        "from medscribe.offline.ner_lexicon_cache import write_cache; write_cache(Path(sys.argv[2]))"
    )
    if not sys.executable:
        return  # an embedded interpreter: the caller builds for itself
    # no interpreter to start, or it took too long: the caller builds for itself
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [sys.executable, "-I", "-B", "-c", code, str(_PACKAGE.parent), str(directory)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=WRITE_TIMEOUT_SECONDS,
            check=False,
        )


def _writable(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(directory, os.W_OK | os.X_OK)


def load_lexicons() -> tuple[Lexicon, DrugLexicon]:
    """The lexicons from the cache; on a miss a fresh interpreter writes it first; if it still cannot be read
    (a directory that cannot be written, a writer that failed), built here and not written."""
    directory = cache_dir()
    path = cache_file(directory)
    found = read_cache(path)
    if found is None and _writable(directory):
        _run_writer(directory)
        found = read_cache(path)
    if found is not None:
        return found
    from medscribe.offline.ner_lexicon import build_lexicons

    return build_lexicons()
