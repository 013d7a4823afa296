"""Condition recall rules of session 9 (issue 15, item 9): abbreviations said as letters and their expansions
(condition_abbreviations.txt), ICD-10-CM names under a residual code's leading word, adjective forms of condition
names ("hypotensive", "anaemic"), British spellings of "-rrhe-" names, lay names of conditions, and a blood sugar
said to be high. Each answer is read on AWS's shape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ner_support import check_offsets_and_ids, one, texts

from medscribe.offline import ner_icd10, ner_icd10_adjectives
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner_condition_names import abbreviation_rows


@pytest.mark.parametrize(
    ("text", "said", "trait"),
    [
        ("Echo shows LVH and mild MR.", "LVH", "DIAGNOSIS"),
        ("Known CLL on watch and wait.", "CLL", "DIAGNOSIS"),
        ("cppd on the knee x ray", "cppd", "DIAGNOSIS"),
        ("On arrival he was hypotensive and jaundiced.", "hypotensive", "DIAGNOSIS"),
        ("She is anaemic and constipated.", "anaemic", "DIAGNOSIS"),
        ("She is anaemic and constipated.", "constipated", "SYMPTOM"),
        ("Seborrhoeic keratosis on the back.", "Seborrhoeic keratosis", "DIAGNOSIS"),
        ("He has piles and a squint.", "piles", "DIAGNOSIS"),
        ("Waterworks trouble for a year.", "Waterworks trouble", "SYMPTOM"),
        ("Dizzy spells when standing.", "Dizzy spells", "SYMPTOM"),
        ("Her sugars have been high since Christmas.", "sugars have been high", "SYMPTOM"),
        ("Her sugar's been high at the pharmacy check.", "sugar's been high", "SYMPTOM"),
        ("Recurrent UTIs despite prophylaxis.", "UTIs", "DIAGNOSIS"),
        ("She has vitiligo.", "vitiligo", "DIAGNOSIS"),
    ],
)
def test_a_condition_said_in_letters_lay_words_or_british_spelling_is_one_entity(
    detector: OfflineEntityDetector, text: str, said: str, trait: str
) -> None:
    # Given a dictated sentence holding the condition
    # When the detector reads it
    resp = detector.detect_entities(text)
    # Then the words said are one MEDICAL_CONDITION DX_NAME with its trait, on AWS's offsets
    check_offsets_and_ids(resp, text)
    entity = one(resp, said, "MEDICAL_CONDITION")
    assert entity["Type"] == "DX_NAME"
    assert text[entity["BeginOffset"] : entity["EndOffset"]] == said
    assert trait in {t["Name"] for t in entity["Traits"]}


def test_a_denied_lay_condition_keeps_its_negation(detector: OfflineEntityDetector) -> None:
    # Given a lay name denied
    resp = detector.detect_entities("No dizzy spells and no piles.")
    # Then both are conditions with NEGATION
    for said in ("dizzy spells", "piles"):
        assert "NEGATION" in {t["Name"] for t in one(resp, said, "MEDICAL_CONDITION")["Traits"]}


def test_a_high_reading_word_is_no_condition_without_its_finding_noun(
    detector: OfflineEntityDetector,
) -> None:
    # Given "high" beside nouns that are not a function or a body's output
    resp = detector.detect_entities(
        "She lives in a high rise flat, the risk is high and her fluid intake is high."
    )
    # Then nothing is a condition
    assert texts(resp, "MEDICAL_CONDITION") == []


def test_no_abbreviation_is_an_english_word_and_every_row_has_an_expansion() -> None:
    # Given the abbreviations file
    english = lex.english_words()
    for _trait, surfaces in abbreviation_rows():
        letters = [s for s in surfaces if " " not in s]
        # Then each row has letters and an expansion, and no abbreviation is an ordinary word ("all", "pad")
        assert letters, surfaces
        assert any(" " in s for s in surfaces), surfaces
        assert not set(letters) & english, letters


def test_an_abbreviation_never_takes_a_curated_meaning() -> None:
    # Given the lexicon and the file's rows
    phrases = lex.clinical_lexicon().phrases
    # Then a curated phrase keeps its concept ("copd" stays the curated COPD) and a new one is a condition
    assert phrases["copd"].canonical == "chronic obstructive pulmonary disease"
    assert phrases["lvh"].category == "MEDICAL_CONDITION"
    assert phrases["left ventricular hypertrophy"] is phrases["lvh"]


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("Other seborrheic keratosis", ["seborrheic keratosis"]),
        ("Unspecified cataract", ["cataract"]),
        ("Other specified disorders of bone", []),
    ],
)
def test_a_residual_codes_leading_word_is_not_part_of_the_name(title: str, names: list[str]) -> None:
    assert list(ner_icd10.surface_forms(title)) == names


def test_british_spelling_of_rrhe_names() -> None:
    assert lex.british_spelling("seborrheic keratosis") == "seborrhoeic keratosis"
    assert lex.british_spelling("diarrhea") == "diarrhoea"


def every_substitution(key: str) -> str:
    """The British spelling by running every substitution, with no shortcut."""
    for pattern, repl in lex._BRITISH:
        key = pattern.sub(repl, key)
    return key


# words that trigger a substitution, words that almost do, and plain words, joined by spaces or nothing
_FRAGMENTS = [
    "edema",
    "lymphedema",
    "esophagus",
    "estrogen",
    "melena",
    "fetal",
    "fetuses",
    "celiac",
    "hemi",
    "hematoma",
    "anemia",
    "anemic",
    "leukemias",
    "anesthesia",
    "pediatric",
    "gynecology",
    "apnea",
    "dyspneic",
    "diarrhea",
    "seborrheic",
    "organize",
    "organization",
    "tumor",
    "behavior",
    "size",
    "the",
    "pain",
    "or",
    "hem",
    "emi",
    "iz",
    "pne",
    "rrhe",
    "de",
    "a",
    "x",
    "1",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=6), st.sampled_from([" ", ""]))
def test_british_spelling_equals_every_substitution_run_in_turn(words: list[str], joiner: str) -> None:
    # Given a phrase of fragments that do and do not trigger a substitution; Then the shortcut (no pattern
    # matches: the phrase unchanged) changes nothing: the same as running each substitution in turn
    key = joiner.join(words)
    assert lex.british_spelling(key) == every_substitution(key)


def test_british_spelling_of_every_lexicon_phrase_equals_every_substitution() -> None:
    phrases = sorted(lex.clinical_lexicon().phrases)  # every condition, test and site phrase, both spellings
    assert len(phrases) > 10_000
    assert [lex.british_spelling(k) for k in phrases] == [every_substitution(k) for k in phrases]


def test_an_adjective_form_is_kept_only_when_attested_and_not_taken() -> None:
    # Given one-word condition names, a vocabulary of attested words, and a phrase already listed
    names = [
        ("DIAGNOSIS", "hypotension"),
        ("SYMPTOM", "psychosis"),
        ("DIAGNOSIS", "gastroparesis"),
        ("SIGN", "x"),
    ]
    attested = frozenset({"hypotensive", "psychotic", "gastroparetic"})
    # When their adjectives are derived
    rows = ner_icd10_adjectives.adjectives(names, frozenset({"gastroparetic"}), attested)
    # Then the regular adjectives keep their noun's trait; a taken phrase is left alone, nothing is invented
    assert ("DIAGNOSIS", "hypotensive") in rows
    assert ("SYMPTOM", "psychotic") in rows
    assert ("SYMPTOM", "psychotic episode") in rows  # with a generic head: one name, as AWS spans it
    assert not any(name.startswith("gastropare") for _trait, name in rows)


def test_a_one_word_title_names_its_code_even_when_it_is_an_english_word() -> None:
    # Given tabular terms of one English word: a whole title, and a word inside a longer title
    # Then the whole title is a name ("Vitiligo" is L80), a word cut from a longer title is not, nor a gerund
    assert ner_icd10._names_the_code("vitiligo", "Vitiligo")
    assert not ner_icd10._names_the_code("canal", "Canal of Nuck cyst")
    assert not ner_icd10._names_the_code("falling", "Falling")


def test_a_product_word_is_not_a_condition(detector: OfflineEntityDetector) -> None:
    # Given an adjective left out on purpose ("hypertonic" of hypertonia names a saline)
    resp = detector.detect_entities("Hypertonic saline nebulisers twice a day.")
    # Then it is no condition
    assert texts(resp, "MEDICAL_CONDITION") == []
