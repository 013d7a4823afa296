"""The offline detector's derived lexicons cached on disk (medscribe.offline.ner_lexicon_cache): what a process
reads is what a build makes, object for object (the detector compares concepts by identity: a synonym read back as
an equal but separate object reads "acute sinusitis" whole, which failed eight tests in a fresh-clone run); a
process never writes what it built itself, so one whose lists were patched poisons nothing; a stale, foreign or
damaged file is never read; and a build reads nothing the key does not cover, the same under any hash seed."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import pickle
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from medscribe.offline import ner_lexicon as lex
from medscribe.offline import ner_lexicon_cache as cache
from medscribe.offline.ner import OfflineEntityDetector

Shape = list[tuple[str, str, tuple[Any, ...], str]]


def _fields(value: Any) -> tuple[Any, ...]:
    if isinstance(value, tuple):  # DrugName
        return tuple(value)
    return tuple(getattr(value, f.name) for f in dataclasses.fields(value))  # Concept


def shape(mapping: Mapping[str, Any]) -> Shape:
    """Every entry in order: key, the value's class and fields, and the first key whose value is the same object."""
    first: dict[int, str] = {}
    return [(k, type(v).__name__, _fields(v), first.setdefault(id(v), k)) for k, v in mapping.items()]


def lexicons_shape(clinical: lex.Lexicon, drugs: lex.DrugLexicon) -> tuple[Any, ...]:
    # every field of both classes is compared (a field added later fails here until it is)
    assert [f.name for f in dataclasses.fields(lex.Lexicon)] == ["phrases", "max_tokens"]
    assert [f.name for f in dataclasses.fields(lex.DrugLexicon)] == ["names", "max_tokens", "fuzzy_choices"]
    return (
        shape(clinical.phrases),
        clinical.max_tokens,
        shape(drugs.names),
        drugs.max_tokens,
        list(drugs.fuzzy_choices.items()),
    )


def _clear_loaded() -> None:
    for loader in (lex.clinical_lexicon, lex.drug_lexicon, lex._lexicons):
        loader.cache_clear()


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty lexicon cache holding the session's drug table (only the lexicons are built here), and this
    process's loaded lexicons forgotten before and after (the next test reads the session's again)."""
    session = cache.cache_dir()
    directory = tmp_path / "cache"
    directory.mkdir()
    for table in session.glob("drug-names-*.json.gz"):
        shutil.copy(table, directory)
    monkeypatch.setenv("MEDSCRIBE_NER_CACHE_DIR", str(directory))
    _clear_loaded()
    yield directory
    _clear_loaded()


def _read_from_the_session_cache() -> tuple[lex.Lexicon, lex.DrugLexicon]:
    """This process's lexicons forgotten and loaded again: read from the session's cache file (a writer made it)."""
    lex.drug_lexicon()
    _clear_loaded()
    assert cache.read_cache(cache.cache_file()) is not None
    return lex.clinical_lexicon(), lex.drug_lexicon()


def test_the_lexicons_read_from_the_cache_are_the_built_ones_object_for_object() -> None:
    # Given the lexicons this process read from the cache
    read = _read_from_the_session_cache()
    # Then they are what a build makes: every entry in order with every field, and the same sharing of one
    # concept among its synonyms ("acute sinusitis" and "sinusitis" are one Concept object)
    assert lexicons_shape(*read) == lexicons_shape(*lex.build_lexicons())
    phrases = read[0].phrases
    assert phrases["acute sinusitis"] is phrases["sinusitis"]


def test_a_condition_said_with_its_acuity_or_quality_is_read_alike_from_the_cache() -> None:
    # Given the lexicons read from the cache
    _read_from_the_session_cache()
    # When the detector reads acuity and quality words before a condition
    resp = OfflineEntityDetector().detect_entities("Acute sinusitis. Productive cough. 2+ pitting oedema.")
    # Then each condition is named without them, as built lexicons name it (they were read whole)
    found = {e["Text"]: [a["Text"] for a in e.get("Attributes", [])] for e in resp["Entities"]}
    assert found == {"sinusitis": ["Acute"], "cough": ["Productive"], "oedema": ["pitting"]}


def test_a_process_whose_lists_were_patched_never_writes_its_lexicon(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a process whose conditions list lost a row (as a test might patch it)
    real = lex._read_pipe_file

    def without_sinusitis(name: str) -> list[list[str]]:
        return [row for row in real(name) if "sinusitis" not in row]

    monkeypatch.setattr(lex, "_read_pipe_file", without_sinusitis)
    assert "sinusitis" not in lex.build_clinical_lexicon().phrases
    # When it loads the lexicons through an empty cache
    lex.clinical_lexicon()
    # Then the file holds the data files' lexicon, not this process's
    written = cache.read_cache(cache.cache_file())
    assert written is not None
    assert "sinusitis" in written[0].phrases


def test_a_lexicon_a_process_built_for_itself_is_never_written(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a writer that fails (no interpreter could start, or it timed out)
    monkeypatch.setattr(cache, "_run_writer", lambda directory: None)
    # When a process loads the lexicons: Then it built them, and wrote nothing
    assert "sinusitis" in cache.load_lexicons()[0].phrases
    assert list(fresh_cache.glob("lexicons-*")) == []


@pytest.fixture(scope="module")
def written() -> bytes:
    """A cache file as a writer wrote it: the session's (this process read its lexicons from it)."""
    lex.drug_lexicon()
    return cache.cache_file().read_bytes()


def _copy(data: bytes, directory: Path) -> Path:
    path = cache.cache_file(directory)
    path.write_bytes(data)
    assert cache.read_cache(path) is not None
    return path


def test_an_unreadable_file_is_built_again_and_replaced(fresh_cache: Path, written: bytes) -> None:
    # Given the cache file of this key damaged (cut short)
    path = _copy(written, fresh_cache)
    path.write_bytes(written[:1000])
    # When the lexicons are loaded: Then they are whole, and so is the file now
    assert "sinusitis" in lex.clinical_lexicon().phrases
    assert cache.read_cache(path) is not None


def test_a_file_of_another_key_is_never_read_for_this_one(fresh_cache: Path, written: bytes) -> None:
    # Given this key's file replaced by one a writer made for another key (copied or renamed): other lexicons
    path = _copy(written, fresh_cache)
    other = (lex.Lexicon(phrases={}, max_tokens=1), lex.DrugLexicon(names={}, max_tokens=1, fuzzy_choices={}))
    path.write_bytes(pickle.dumps(("0" * 20, *other), protocol=pickle.HIGHEST_PROTOCOL))
    # Then it is not read (a load builds them again, as for a damaged file)
    assert cache.read_cache(path) is None
    # And the same lexicons under this key are (only the key differed)
    path.write_bytes(pickle.dumps((cache.cache_key(), *other), protocol=pickle.HIGHEST_PROTOCOL))
    assert cache.read_cache(path) is not None


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


def test_a_file_that_names_a_function_is_refused_without_calling_it(
    fresh_cache: Path, written: bytes, tmp_path: Path
) -> None:
    # Given this key's file replaced by a pickle that calls a function when loaded (a file planted in the cache)
    path = _copy(written, fresh_cache)
    marker = tmp_path / "called"
    path.write_bytes(pickle.dumps((cache.cache_key(), _Planted(marker), None)))
    # Then reading it refuses the function and never calls it (a load builds the lexicons again)
    assert cache.read_cache(path) is None
    assert not marker.exists()


def test_the_key_changes_with_any_file_of_the_package_and_a_read_distributions_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a copy of the package's offline data, keyed
    package = tmp_path / "medscribe"
    shutil.copytree(Path(cache.__file__).parent / "data" / "ner", package / "offline" / "data" / "ner")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    cache.cache_key.cache_clear()
    try:
        before = cache.cache_key()
        # When one list gains a line: Then the key is another one (the old file is never read for it)
        listed = sorted((package / "offline" / "data" / "ner").glob("*.txt"))[0]
        listed.write_text(listed.read_text(encoding="utf-8") + "a new name\n", encoding="utf-8")
        cache.cache_key.cache_clear()
        after_list = cache.cache_key()
        assert after_list != before
        # When the drug dictionary's distribution is another version: Then another key again
        monkeypatch.setattr(cache, "_version", lambda name: "0.0.1" if name == cache.READS[0] else "1")
        cache.cache_key.cache_clear()
        assert cache.cache_key() not in (before, after_list)
    finally:
        cache.cache_key.cache_clear()


_AUDITED_BUILD = """
import hashlib, json, sys
from medscribe.offline import ner_lexicon as lex
import test_ner_lexicon_cache as t
opened, recording = set(), [True]
def hook(event, args):
    if recording and event == "open" and isinstance(args[0], str):
        opened.add(args[0])
sys.addaudithook(hook)
built = lex.build_lexicons()
recording.clear()
shaped = t.lexicons_shape(*built)
print(json.dumps({"digest": hashlib.sha256(repr(shaped).encode()).hexdigest(), "opened": sorted(opened)}))
"""


def test_a_build_reads_only_what_the_key_covers_and_is_the_same_under_another_hash_seed() -> None:
    # Given the lexicons this process read from the cache (its writer cached the drug table every build reads)
    read = _read_from_the_session_cache()
    # When the lexicons are built in a fresh interpreter with another hash seed, every file it opens recorded
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    env = os.environ | {
        "PYTHONHASHSEED": seed,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path]),
    }
    out = subprocess.run(
        [sys.executable, "-c", _AUDITED_BUILD],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    built = json.loads(out.stdout)
    # Then it is the lexicon this process read, entry for entry and object for object
    assert built["digest"] == hashlib.sha256(repr(lexicons_shape(*read)).encode()).hexdigest()
    # And every file it read is the package's, the cached drug table, a distribution's of READS, or the stdlib's
    allowed = [Path(cache.__file__).resolve().parents[1], cache.cache_dir().resolve()]
    allowed += [Path(sysconfig.get_paths()[k]).resolve() for k in ("stdlib", "platstdlib")]
    read_files = {
        str(Path(str(dist.locate_file(f))).resolve())
        for name in cache.READS
        for dist in [importlib.metadata.distribution(name)]
        for f in dist.files or ()
    }
    outside = [
        p
        for p in built["opened"]
        # a path the import system probed ("python311.zip") and found missing: nothing read
        if Path(p).exists()
        and str(Path(p).resolve()) not in read_files
        and not any(Path(p).resolve().is_relative_to(a) for a in allowed)
    ]
    assert outside == []
    assert any(p.endswith("cmudict-en-us.dict") for p in built["opened"])  # the hook saw the builds' reads
