"""Condition recall rules of session 11 (issue 15, item 9): every condition name of every list (the HPO names too)
gives its regular adjective forms ("prediabetic", "hypothermic", "tachypnoeic", "septic"); an ICD-10-CM inclusion
term "<name> NOS" names its condition ("Hemophilia NOS" -> hemophilia); British spellings inside a word
("lymphoedema", "melaena", "foetal"); a listed eponym said by its possessive alone ("Parkinson's"). Session 15: a
classical plural ("spider naevi", ``ner.latin_plurals``), an eponymous sign (``ner.eponyms``), an enzyme's
deficiency (``ner.deficiencies``), a condition said as a verb (``ner.verb_forms``). Each answer is read on AWS's
shape; each case failed before the rule."""

from __future__ import annotations

import pytest
from ner_support import check_offsets_and_ids, one, texts

from medscribe.offline import ner_icd10, ner_icd10_adjectives
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector


@pytest.mark.parametrize(
    ("text", "said", "trait"),
    [
        ("She is not diabetic but is prediabetic with an HbA1c of 45.", "prediabetic", "DIAGNOSIS"),
        ("On arrival he was hypothermic and oliguric.", "hypothermic", "SYMPTOM"),
        ("On arrival he was hypothermic and oliguric.", "oliguric", "DIAGNOSIS"),
        ("Tachypnoeic at 32 and cachectic.", "Tachypnoeic", "SIGN"),
        ("Lymphopenic on the last count.", "Lymphopenic", "SYMPTOM"),
        ("He is septic from a chest source.", "septic", "DIAGNOSIS"),
        ("Background of lymphoedema in the left arm.", "lymphoedema", "DIAGNOSIS"),
        ("His brother has haemophilia.", "haemophilia", "DIAGNOSIS"),
        ("Her father had Parkinson's.", "Parkinson's", "DIAGNOSIS"),
        ("known barrett's and coeliac disease", "barrett's", "DIAGNOSIS"),
        # session 15: a classical plural, the British "naevus", an eponymous sign, an enzyme's deficiency, a
        # condition said as a verb
        ("There are spider naevi on the chest.", "spider naevi", "DIAGNOSIS"),
        ("The CT shows hepatic metastases.", "hepatic metastases", "DIAGNOSIS"),
        ("A naevus on the back.", "naevus", "DIAGNOSIS"),
        ("On examination Murphy's sign is positive.", "Murphy's sign", "SIGN"),
        ("No splinter haemorrhages and no Janeway lesions.", "Janeway lesions", "SIGN"),
        ("Adrenal hyperplasia from 21-hydroxylase deficiency.", "21-hydroxylase deficiency", "DIAGNOSIS"),
        (
            "A boy with medium-chain acyl-CoA dehydrogenase deficiency.",
            "medium-chain acyl-CoA dehydrogenase deficiency",
            "DIAGNOSIS",
        ),
        ("from twenty one hydroxylase deficiency", "twenty one hydroxylase deficiency", "DIAGNOSIS"),
        ("Known G6PD deficiency.", "G6PD deficiency", "DIAGNOSIS"),
        ("A player who sprained the right acromioclavicular joint.", "sprained", "DIAGNOSIS"),
        ("Both hands have tingled since last winter.", "tingled", "SYMPTOM"),
        ("he was concussed he has no headache", "concussed", "DIAGNOSIS"),
    ],
)
def test_a_derived_form_nos_name_british_spelling_or_possessive_eponym_is_a_condition(
    detector: OfflineEntityDetector, text: str, said: str, trait: str
) -> None:
    # Given a dictated sentence holding the condition in that shape
    # When the detector reads it
    resp = detector.detect_entities(text)
    # Then the words said are one MEDICAL_CONDITION DX_NAME with its trait, on AWS's offsets
    check_offsets_and_ids(resp, text)
    entity = one(resp, said, "MEDICAL_CONDITION")
    assert entity["Type"] == "DX_NAME"
    assert text[entity["BeginOffset"] : entity["EndOffset"]] == said
    assert trait in {t["Name"] for t in entity["Traits"]}


def test_a_relatives_possessive_eponym_keeps_the_family_trait(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Her father had Parkinson's and no melaena.")
    assert "PERTAINS_TO_FAMILY" in {
        t["Name"] for t in one(resp, "Parkinson's", "MEDICAL_CONDITION")["Traits"]
    }


@pytest.mark.parametrize(
    "text",
    [
        "Wilson's daughter rang about the appointment.",
        "Mr Wilson's review is next week.",
        "Two tonic-clonic episodes were witnessed.",
        "Tetanus is up to date.",
        "Anti-emetics as needed.",
        "Referred for micrographic surgery.",
        "She was given alteplase. No deficiency of note.",
        "He guarded his answers.",
        "His family were worried.",
    ],
)
def test_a_person_s_possessive_a_type_word_or_a_drug_class_word_is_no_condition(
    detector: OfflineEntityDetector, text: str
) -> None:
    # Given a possessive of a person, a seizure's type word, an immunisation, a drug class, a procedure's word
    resp = detector.detect_entities(text)
    # Then none of them is a condition
    assert texts(resp, "MEDICAL_CONDITION") == []


def test_an_inclusion_term_not_otherwise_specified_names_its_condition() -> None:
    # Given ICD-10-CM inclusion terms marked NOS
    # Then the mark is dropped, not the term
    assert list(ner_icd10.surface_forms("Hemophilia NOS")) == ["hemophilia"]
    assert "sickle cell anemia" in list(ner_icd10.surface_forms("Sickle-cell anemia NOS"))
    assert ner_icd10._names_the_code("hemophilia", "Hemophilia NOS")


def test_british_spelling_inside_a_word() -> None:
    assert lex.british_spelling("lymphedema") == "lymphoedema"
    assert lex.british_spelling("edema") == "oedema"
    assert lex.british_spelling("melena") == "melaena"
    assert lex.british_spelling("fetal distress") == "foetal distress"
    assert lex.british_spelling("tachypneic") == "tachypnoeic"
    assert lex.british_spelling("apneas") == "apnoeas"


def test_the_regular_forms_follow_the_suffix_rules() -> None:
    forms = {
        n: set(ner_icd10_adjectives.regular_forms(n)) for n in ("sepsis", "prediabetes", "vertigo", "icterus")
    }
    assert {"septic"} <= forms["sepsis"]
    assert {"prediabetic"} <= forms["prediabetes"]
    assert {"vertiginous"} <= forms["vertigo"]
    assert {"icteric"} <= forms["icterus"]
    assert "pre eclamptic" in set(ner_icd10_adjectives.regular_forms("pre eclampsia"))


def test_the_english_words_the_load_step_adds_are_the_reviewed_ones() -> None:
    # Given the lexicon as loaded: every derived form that is an English word and that no list held is reviewed
    # here (a form that is no English word cannot be confused with an everyday one)
    phrases = lex.clinical_lexicon().phrases
    english = lex.english_words()
    derived = {
        k
        for k, c in phrases.items()
        if c.category == "MEDICAL_CONDITION" and c.canonical == k and k in english and " " not in k
    }
    listed = {name for _trait, name in lex._read_pipe_file("conditions_icd10cm.txt")}
    listed |= {lex.normalize(s) for row in lex._read_pipe_file("conditions.txt") for s in row[1:]}
    listed |= {name for _trait, name, *_head in lex._read_pipe_file("conditions_hpo.txt")}
    listed |= {s for row in lex._read_pipe_file("condition_abbreviations.txt") for s in row[1:]}
    listed |= {name for _trait, name in lex._read_pipe_file("conditions_doid.txt")}
    listed |= {row[1] for row in lex._read_pipe_file("conditions_icd10cm_heads.txt")}
    reviewed = {"autistic", "dyslexic", "dysphoric", "paralytic", "amyotrophic", "hyperkinetic"}
    assert derived - listed == reviewed


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Known IVDU with hepatitis C.", "IVDU"),
        ("Background of SIADH.", "SIADH"),
        ("known ivdu and asthma", "ivdu"),
        ("Known Kienbock's.", "Kienbock's"),  # ("Meniere's" is listed since the Disease Ontology names)
        ("Query SIADH.", "SIADH"),
    ],
)
def test_an_unlisted_abbreviation_or_eponym_after_a_history_head_is_a_condition(
    detector: OfflineEntityDetector, text: str, said: str
) -> None:
    # Given a history head ("Known", "Background of", "Query") before a word no list holds
    resp = detector.detect_entities(text)
    # Then the word is a condition, with a guess's score (at least AWS's threshold, below a lexicon match)
    check_offsets_and_ids(resp, text)
    entity = one(resp, said, "MEDICAL_CONDITION")
    assert 0.5 <= entity["Score"] < 0.8


@pytest.mark.parametrize(
    "text",
    [
        "Known to the team.",
        "Known ABC score of 3.",
        "History of her mother's stroke.",
        "Status post CABG in 2019.",
        "History of ETOH excess.",
    ],
)
def test_an_english_word_a_phrase_s_first_word_a_relative_or_a_procedure_after_a_head_is_not(
    detector: OfflineEntityDetector, text: str
) -> None:
    resp = detector.detect_entities(text)
    assert not {"to", "abc", "mother's", "cabg", "etoh"} & {
        t.lower() for t in texts(resp, "MEDICAL_CONDITION")
    }
