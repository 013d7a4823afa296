"""The offline detector's derived lexicons cached on disk (medscribe.offline.ner_lexicon_cache): what a process
reads from the cache is what it would have built, a broken file is rebuilt, and any change to the package's files
makes a new key."""

from __future__ import annotations

import dataclasses
import gzip
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from medscribe.offline import ner_lexicon as lex
from medscribe.offline import ner_lexicon_cache as cache
from medscribe.offline.ner import OfflineEntityDetector


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDSCRIBE_NER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_lexicon_read_from_the_cache_is_the_one_built_entry_for_entry_in_order(cache_dir: Path) -> None:
    # Given the lexicons built from the data files
    clinical, drugs = lex.build_clinical_lexicon(), lex.build_drug_lexicon()
    # When each is read through an empty cache (built and written), then read back from the file written
    for _ in range(2):
        read_clinical = cache.cached_clinical_lexicon(lex.build_clinical_lexicon)
        read_drugs = cache.cached_drug_lexicon(lex.build_drug_lexicon)
        # Then both equal what was built: every phrase with its category, type, canonical name and trait, in order
        assert read_clinical == clinical
        assert list(read_clinical.phrases) == list(clinical.phrases)
        assert read_drugs == drugs
        assert list(read_drugs.names) == list(drugs.names)
    key = cache.cache_key()
    assert (cache_dir / f"clinical-lexicon-{key}.json.gz").is_file()
    assert (cache_dir / f"drug-lexicon-{key}.json.gz").is_file()
    assert any(c.trait for c in clinical.phrases.values())  # the trait is part of what is compared


def test_an_unreadable_cache_file_is_built_again_and_replaced(cache_dir: Path) -> None:
    # Given a cache file for this key that is not gzipped JSON
    path = cache_dir / f"drug-lexicon-{cache.cache_key()}.json.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a lexicon")
    # When the drug lexicon is read, Then it is the built one and the file now holds it
    assert cache.cached_drug_lexicon(lex.build_drug_lexicon) == lex.build_drug_lexicon()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        assert f.read(1) == "{"


def test_the_key_changes_with_any_file_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a copy of the package's offline data, keyed
    package = tmp_path / "medscribe"
    shutil.copytree(Path(cache.__file__).parent / "data" / "ner", package / "offline" / "data" / "ner")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    cache.cache_key.cache_clear()
    try:
        before = cache.cache_key()
        # When one list gains a line
        listed = next(iter(sorted((package / "offline" / "data" / "ner").glob("*.txt"))))
        listed.write_text(listed.read_text(encoding="utf-8") + "a new name\n", encoding="utf-8")
        cache.cache_key.cache_clear()
        # Then the key is another one (the old cache file is never read for it)
        assert cache.cache_key() != before
    finally:
        cache.cache_key.cache_clear()


# ---- what a process reads is what it would build (the cause of the fresh-clone failures) ----------------------
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
    lex.clinical_lexicon.cache_clear()
    lex.drug_lexicon.cache_clear()


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty lexicon cache holding the session's drug table, and this process's lexicons forgotten."""
    directory = tmp_path / "fresh"
    directory.mkdir()
    for table in cache.cache_dir().glob("drug-names-*.json.gz"):
        shutil.copy(table, directory)
    monkeypatch.setenv("MEDSCRIBE_NER_CACHE_DIR", str(directory))
    _clear_loaded()
    yield directory
    _clear_loaded()


def test_the_lexicons_read_from_the_cache_are_the_built_ones_object_for_object(fresh_cache: Path) -> None:
    # Given the lexicons loaded through an empty cache (built and written), then loaded again (read)
    lex.clinical_lexicon(), lex.drug_lexicon()
    _clear_loaded()
    read = (lex.clinical_lexicon(), lex.drug_lexicon())
    # Then they are what a build makes: every entry in order with every field, and the same sharing of one
    # concept among its synonyms ("acute sinusitis" and "sinusitis" are one Concept object)
    assert lexicons_shape(*read) == lexicons_shape(lex.build_clinical_lexicon(), lex.build_drug_lexicon())
    phrases = read[0].phrases
    assert phrases["acute sinusitis"] is phrases["sinusitis"]


def test_a_condition_said_with_its_acuity_or_quality_is_read_alike_from_the_cache(fresh_cache: Path) -> None:
    # Given the lexicons read from a warm cache
    lex.clinical_lexicon(), lex.drug_lexicon()
    _clear_loaded()
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
    written = cache.cached_clinical_lexicon(lambda: pytest.fail("no file was written"))
    assert "sinusitis" in written.phrases
