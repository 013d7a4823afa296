"""The condition names the offline detector's lexicon reads after its curated lists: the ICD-10-CM derived names
(``conditions_icd10cm.txt``, built by :mod:`medscribe.offline.ner_icd10`) and the condition abbreviations said as
letters with their expansions (``condition_abbreviations.txt``: "LVH", "CLL", "heart failure with reduced
ejection fraction"; sourced and dated in its header), and last the sign and symptom names of the Human Phenotype
Ontology (``conditions_hpo.txt``, built by :mod:`medscribe.offline.ner_hpo`), and after every other list the
disease names of the Human Disease Ontology (``conditions_doid.txt``, built by :mod:`medscribe.offline.ner_doid`);
before those, the finding nouns that head ICD-10-CM titles of many sites (``conditions_icd10cm_heads.txt``,
:mod:`medscribe.offline.ner_icd10_heads`: "stenosis", "occlusion", "infarct").

Every name is added under its normalised and its British spelling and as a UK clinician says it
(:func:`uk_name`); a phrase listed earlier (the curated conditions, tests, anatomy) keeps its first meaning.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medscribe.offline.ner_lexicon import Concept

ICD10CM_FILE = "conditions_icd10cm.txt"
HPO_FILE = "conditions_hpo.txt"
DOID_FILE = "conditions_doid.txt"
ABBREVIATIONS_FILE = "condition_abbreviations.txt"
HEADS_FILE = "conditions_icd10cm_heads.txt"  # medscribe.offline.ner_icd10_heads
_MAX_ABBREVIATION = 5  # letters of an abbreviation whose plural is added ("utis", "tias", "dvts")


_RENAL = re.compile(r"\brenal\b")
_MISCARRIAGE = re.compile(
    r"\b(?:(threatened|missed|incomplete|complete|inevitable) )?(?:spontaneous )?abortion\b"
)


def uk_name(key: str) -> str:
    """A condition name as a UK clinician says it: "renal" as "kidney", the usage since KDIGO and NICE renamed the
    renal names ("end stage renal disease" -> "end stage kidney disease"), and ICD-10-CM's spontaneous
    "abortion" as "miscarriage" (RCOG and NICE usage: "threatened abortion" -> "threatened miscarriage",
    "spontaneous abortion" -> "miscarriage"); an abortion with no such word ("tubal abortion") stays."""
    key = _RENAL.sub("kidney", key)
    m = _MISCARRIAGE.search(key)
    if m and (m.group(1) or "spontaneous" in m.group(0)):
        key = key[: m.start()] + " ".join(filter(None, (m.group(1), "miscarriage"))) + key[m.end() :]
    return key


def abbreviation_rows() -> list[tuple[str, list[str]]]:
    """(trait, surfaces) of every row of the abbreviations file, surfaces normalised."""
    from medscribe.offline import ner_lexicon as lex

    return [
        (trait, [lex.normalize(s) for s in surfaces])
        for trait, *surfaces in lex._read_pipe_file(ABBREVIATIONS_FILE)
    ]


def add_condition_names(phrases: dict[str, Concept], *, disease_ontology: bool = True) -> None:
    """Add the ICD-10-CM names, then the abbreviations and their expansions, then the HPO sign and symptom names
    (``conditions_hpo.txt``, :mod:`medscribe.offline.ner_hpo`) and their adjectives, then (unless
    ``disease_ontology`` is false: the build of that file) the Disease Ontology names (``conditions_doid.txt``,
    :mod:`medscribe.offline.ner_doid`; no adjective forms) to ``phrases`` (first listing wins)."""
    from medscribe.offline import ner_lexicon as lex

    def add(surface: str, concept: Concept) -> None:
        phrases.setdefault(surface, concept)
        phrases.setdefault(lex.british_spelling(surface), concept)
        phrases.setdefault(uk_name(surface), concept)  # "end stage kidney disease"

    for trait, canonical in lex._read_pipe_file(ICD10CM_FILE):
        add(canonical, lex.Concept("MEDICAL_CONDITION", "DX_NAME", canonical, trait))
    for trait, surfaces in abbreviation_rows():
        expansions = [s for s in surfaces if " " in s] or surfaces
        known = next((phrases[s] for s in expansions if s in phrases), None)
        concept = known or lex.Concept("MEDICAL_CONDITION", "DX_NAME", expansions[0], trait)
        for surface in surfaces:
            add(surface, concept)
    _add_abbreviation_plurals(phrases, lex.english_words())
    heads: set[str] = set()
    for trait, canonical, *head in lex._read_pipe_file(
        HPO_FILE
    ):  # last: every earlier list keeps its meaning
        add(canonical, lex.Concept("MEDICAL_CONDITION", "DX_NAME", canonical, trait))
        if (
            head
        ):  # a finding named for many sites ("spasms"): no adjective forms ("perforation", not "perforated")
            heads.add(canonical)
    add_adjectives(phrases, frozenset(heads))
    for key, concept in list(phrases.items()):  # "hep B", "hep C": hepatitis as clinicians shorten it
        if concept.category == "MEDICAL_CONDITION" and key.startswith("hepatitis ") and len(key.split()) == 2:
            phrases.setdefault("hep " + key.split()[1], concept)
    # the finding heading ICD-10-CM titles of many sites, said alone ("stenosis", "infarct"; no adjective forms)
    from medscribe.offline.ner_icd10_heads import add_lesion_names

    rows = lex._read_pipe_file(HEADS_FILE)
    for trait, canonical, *_process in rows:
        add(canonical, lex.Concept("MEDICAL_CONDITION", "DX_NAME", canonical, trait))
    add_lesion_names(phrases, rows)
    if disease_ontology:
        for trait, canonical in lex._read_pipe_file(DOID_FILE):  # last: every other list keeps its meaning
            add(canonical, lex.Concept("MEDICAL_CONDITION", "DX_NAME", canonical, trait))


def add_adjectives(phrases: dict[str, Concept], skip: frozenset[str] = frozenset()) -> None:
    """ "hypothermic", "oliguric", "tachypnoeic": every condition name of every list gives its regular adjectives
    (``ner_icd10_adjectives.every_form``), as the name's concept; a listed phrase keeps its meaning. The
    adjective is the entity's text, as AWS names the word said. Names in ``skip`` give none."""
    from medscribe.offline import ner_lexicon as lex
    from medscribe.offline.ner_icd10_adjectives import every_form

    names = [k for k, c in phrases.items() if c.category == "MEDICAL_CONDITION" and k not in skip]
    for name, form in every_form(names):
        concept = phrases[name]
        derived = lex.Concept(concept.category, concept.type, form, concept.trait)
        phrases.setdefault(form, derived)
        phrases.setdefault(lex.british_spelling(form), derived)


def _add_abbreviation_plurals(phrases: dict[str, Concept], english: frozenset[str]) -> None:
    """ "recurrent UTIs", "two TIAs": an abbreviation's plural (a one-word condition key of 2-5 letters that is not
    an English word) names the same condition, unless the plural is itself a word or a listed phrase."""
    for key, concept in list(phrases.items()):
        if (
            concept.category != "MEDICAL_CONDITION"
            or not (2 <= len(key) <= _MAX_ABBREVIATION)
            or not key.isalpha()
        ):
            continue
        plural = f"{key}s"
        if key not in english and plural not in english:
            phrases.setdefault(plural, concept)
