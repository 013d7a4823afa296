"""The offline detector's derived lexicons cached on disk (medscribe.offline.ner_lexicon_cache): what a process
reads from the cache is what it would have built, a broken file is rebuilt, and any change to the package's files
makes a new key."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from medscribe.offline import ner_lexicon as lex
from medscribe.offline import ner_lexicon_cache as cache


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
