"""Adjective forms of condition names, for the ICD-10-CM derived lexicon (build time, ``ner_icd10.rebuilt_text``).

A clinician says a condition as an adjective as often as a noun: "hypotensive", "psychotic", "anaemic",
"jaundiced", "constipated", "hypothyroid", "asthmatic". AWS returns such a word as a MEDICAL_CONDITION (DX_NAME)
named by the word said. Each one-word condition name (curated or ICD-10-CM derived) gives its adjective by the
regular English suffix rules below, and the form is kept only when it is attested as a word: in the ICD-10-CM
tabular list's own text or in the English word list (pocketsphinx's CMU dictionary) — no form is invented —
except "-oidism" -> "-oid" ("hyperthyroid", "hypoparathyroid"), which is always regular.
Forms that name a course or another sense rather than a condition are left out (``_NOT_CONDITIONS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from medscribe.offline import icd10cm

# noun ending -> adjective ending (regular medical English)
_RULES = (
    ("osis", "otic"),  # psychosis -> psychotic, cyanosis -> cyanotic
    ("osis", "osed"),  # cyanosis -> cyanosed, thrombosis -> thrombosed (UK usage)
    ("etes", "etic"),  # diabetes -> diabetic, prediabetes -> prediabetic
    ("esis", "etic"),  # paresis -> paretic, hemiparesis -> hemiparetic
    ("psis", "ptic"),  # sepsis -> septic
    ("psia", "ptic"),  # dyspepsia -> dyspeptic, eclampsia -> eclamptic
    ("exia", "ectic"),  # cachexia -> cachectic
    ("pathy", "pathic"),  # neuropathy -> neuropathic
    ("trophy", "trophic"),  # dystrophy -> dystrophic
    ("ism", "istic"),  # autism -> autistic
    ("us", "ic"),  # icterus -> icteric
    ("ea", "eic"),  # dyspnea -> dyspneic, tachypnea -> tachypneic, apnea -> apneic
    ("ia", "ial"),  # pyrexia -> pyrexial
    ("igo", "iginous"),  # vertigo -> vertiginous
    ("itis", "itic"),  # arthritis -> arthritic
    ("lysis", "lytic"),  # hemolysis -> hemolytic
    ("epsy", "eptic"),  # epilepsy -> epileptic
    ("ia", "ic"),  # anemia -> anemic, hypoxia -> hypoxic, neutropenia -> neutropenic
    ("ma", "matic"),  # asthma -> asthmatic
    ("ium", "ious"),  # delirium -> delirious
    ("ice", "iced"),  # jaundice -> jaundiced
    ("ence", "ent"),  # incontinence -> incontinent
    ("oidism", "oid"),  # hypothyroidism -> hypothyroid
    ("tension", "tensive"),  # hypotension -> hypotensive
    ("ation", "ated"),  # constipation -> constipated
    ("ession", "essed"),  # depression -> depressed
)
# attested forms that describe a course or something else, not a condition
_NOT_CONDITIONS = frozenset(
    {
        "exacerbated",
        "decompensated",
        "recessed",
        "mosaic",
        "ectopic",
        "hypertonic",
        "eosinophilic",
        "basophilic",
        "osteopathic",
        "homeopathic",
        "naturopathic",
        "diagnosed",
        "anorectic",
        "emetic",
        "miotic",
        "micrographic",
        "clonic",
    }
)  # fmt: skip  ("hypertonic saline", "eosinophilic asthma": a product's or another name's word)
_MIN_LETTERS = 6
_MIN_STEM = 2  # letters before the ending: "sepsis" -> "septic"
# endings whose adjective is regular enough to need no attestation ("hyperthyroidism" -> "hyperthyroid")
_ALWAYS_REGULAR = frozenset({"oidism"})
# a generic head after the adjective makes one name with it, as AWS spans it ("dystonic reaction", "psychotic
# episode", "hypertensive crisis"): the adjective alone would leave the head out
_HEADS = ("reaction", "episode", "episodes", "crisis", "features", "symptoms")


def attested_words() -> frozenset[str]:
    """Every lower-case word of the ICD-10-CM tabular list's titles."""
    words: set[str] = set()
    for _code, title in icd10cm.titles():
        words.update(re.findall(r"[a-z]+", title.lower()))
    return frozenset(words)


def adjectives(
    names: Iterable[tuple[str, str]], taken: frozenset[str], attested: frozenset[str]
) -> list[tuple[str, str]]:
    """(trait, adjective) for every one-word ``names`` row whose regular adjective is attested and not ``taken``
    (a phrase the lexicon already lists, any category), and the adjective with each generic head ("psychotic
    episode"); each keeps its noun's trait."""
    out: dict[str, str] = {}
    for trait, name in names:
        if " " in name:
            continue
        for noun_end, adj_end in _RULES:
            if not name.endswith(noun_end) or len(name) - len(noun_end) < _MIN_STEM:
                continue
            adjective = name[: -len(noun_end)] + adj_end
            if (
                len(adjective) >= _MIN_LETTERS
                and (adjective in attested or noun_end in _ALWAYS_REGULAR)
                and adjective not in taken
                and adjective not in _NOT_CONDITIONS
            ):
                out.setdefault(adjective, trait)
                for head in _HEADS:
                    if f"{adjective} {head}" not in taken:
                        out.setdefault(f"{adjective} {head}", trait)
    return sorted(((trait, adjective) for adjective, trait in out.items()), key=lambda row: row[1])


# a bound prefix said as its own word before a one-word name ("pre eclampsia", "pre diabetes" -> "pre eclamptic")
_PREFIXES = ("pre ", "post ")


def regular_forms(name: str) -> Iterator[str]:
    """Every adjective the suffix rules make from a one-word name (or a bound prefix and one word), attested or not."""
    prefix = next((p for p in _PREFIXES if name.startswith(p)), "")
    word = name[len(prefix) :]
    if " " in word:
        return
    for noun_end, adj_end in _RULES:
        if word.endswith(noun_end) and len(word) - len(noun_end) >= _MIN_STEM:
            form = prefix + word[: -len(noun_end)] + adj_end
            if len(form) >= _MIN_LETTERS and form not in _NOT_CONDITIONS:
                yield form


def every_form(names: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(name, adjective) for every regular adjective of ``names``, attested or not ("hypothermic", "oliguric",
    "lymphopenic", "tachypneic", "cachectic", "prediabetic"): the lexicon's load step adds them for every list,
    the HPO names too. A form that is no English word cannot be mistaken for an everyday one; the few that are
    English words and not yet listed ("autistic", "dyslexic") are reviewed (a test lists them)."""
    for name in names:
        for form in regular_forms(name):
            yield name, form
