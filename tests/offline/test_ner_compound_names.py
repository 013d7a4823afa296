"""Compound condition names (PROCEDURE.md section 4, condition names): a word that says which condition it is — a
cause, a course, a named antigen, "<agent>-induced", a trailing "disease" — is part of the name, and a quality word
is outside it (its QUALITY attribute), in both forms of a note. Each positive case failed on the code before
``medscribe.offline.ner.compound_names`` (the head alone was returned, or the quality word kept)."""

from __future__ import annotations

import re

import pytest
from ner_support import check_offsets_and_ids, one, texts

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner.compound_names import word_classes

CONDITION = "MEDICAL_CONDITION"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Known IgA nephropathy with proteinuria.", "IgA nephropathy"),
        ("He had an alcohol withdrawal seizure in May.", "alcohol withdrawal seizure"),
        ("Rebound headache from the codeine.", "Rebound headache"),
        ("Cold-induced urticaria in winter.", "Cold-induced urticaria"),
        ("She has non-alcoholic fatty liver disease.", "non-alcoholic fatty liver disease"),
        ("Hereditary angioedema since childhood.", "Hereditary angioedema"),  # inheritance: which condition
        ("Readmitted with a wound infection.", "wound infection"),  # a KIND head: the condition says which
        ("Known reflux nephropathy.", "reflux nephropathy"),
        ("He went into septic shock.", "septic shock"),  # the head found by no list
        ("Known myotonic dystrophy type 1.", "myotonic dystrophy type 1"),  # a subtype after the name
        ("Probably a viral illness.", "viral illness"),  # a cause word and a KIND head no list holds
        ("She has post-stroke depression.", "post-stroke depression"),  # a condition after another
    ],
)
@pytest.mark.parametrize("spoken", [False, True])
def test_a_compound_name_is_one_condition(
    detector: OfflineEntityDetector, text: str, name: str, spoken: bool
) -> None:
    # Given a compound condition name, punctuated or as the recogniser writes it
    said = recogniser_form(text) if spoken else text
    resp = detector.detect_entities(said)
    check_offsets_and_ids(resp, said)
    # Then the whole name is one MEDICAL_CONDITION, never its head alone
    whole = recogniser_form(name) if spoken else name
    assert one(resp, whole, CONDITION)
    head = whole.split()[-1]
    assert head not in texts(resp, CONDITION)


@pytest.mark.parametrize(
    ("text", "name", "quality"),
    [
        ("Productive cough for a week.", "cough", "Productive"),
        ("Pitting oedema to the knees.", "oedema", "Pitting"),
        ("Watery diarrhoea since Sunday.", "diarrhoea", "Watery"),
    ],
)
def test_a_quality_word_is_an_attribute_outside_the_name(
    detector: OfflineEntityDetector, text: str, name: str, quality: str
) -> None:
    # Given a condition said after a quality word (AWS: QUALITY, "any descriptive term of the medical condition")
    resp = detector.detect_entities(text)
    check_offsets_and_ids(resp, text)
    # Then the condition is named without it and carries it as its QUALITY attribute
    entity = one(resp, name, CONDITION)
    assert ("QUALITY", quality) in {(a["Type"], a["Text"]) for a in entity["Attributes"]}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a predicate, then a clause; a hedge, then a clause
        ("He is diabetic. Hypertension is controlled.", ["diabetic", "hypertension"]),
        ("On warfarin, related bruising.", ["bruising"]),  # a drug is never a cause word of the name
        ("Syncope, likely vasovagal. Head injury with a cut.", ["syncope", "head injury"]),
        ("He is penicillin allergic, rash with Augmentin.", ["rash"]),  # the adjective of the word before it
        ("Mild cognitive impairment.", ["mild cognitive impairment"]),  # a fixed name keeps its first word
        ("He has a cough. Infection markers are raised.", ["cough", "infection"]),  # a symptom names no kind
        ("He is septic. Shock was treated.", ["septic"]),  # a predicate ends its clause
        ("An infective exacerbation of COPD.", ["copd"]),  # "of" names the condition
        ("Post STEMI in 2021. Depression since.", ["stemi", "depression"]),  # "post" alone: history
    ],
)
def test_no_compound_across_a_clause_or_over_a_drug(
    detector: OfflineEntityDetector, text: str, names: list[str]
) -> None:
    # Given words that only look like a compound once the recogniser drops the punctuation
    said = recogniser_form(text)
    resp = detector.detect_entities(said)
    # Then each condition keeps its own name, and a drug stays a medication
    assert texts(resp, CONDITION) == names
    if "warfarin" in said:
        assert one(resp, "warfarin", "MEDICATION")


def _titles() -> set[str]:
    names: set[str] = set()
    for file in ("conditions.txt", "conditions_icd10cm.txt", "conditions_hpo.txt"):
        for line in lex.data_path(file).read_text(encoding="utf-8").splitlines():
            if not line.startswith("#") and "|" in line:
                names.update(lex.normalize(n) for n in line.split("|")[1:])
    return names


def test_every_cause_and_antigen_word_opens_a_published_title() -> None:
    # Given the package's ICD-10-CM, HPO and base condition names
    titles = _titles()
    # Then every cause and antigen word opens a longer title there (British spellings by their US forms)
    for word in word_classes()["CAUSE"] | word_classes()["ANTIGEN"]:
        forms = {word, re.sub(r"[ao]e", "e", word), word.replace("post ", "post")}
        assert any(t.startswith(f + " ") for t in titles for f in forms), word
