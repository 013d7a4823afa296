"""Words that name people or salts, never a drug on their own.

- **People and relations** (``data/ner/person_words.txt``: "flatmate", "stepson", "nan", "carer"): the drug
  matchers all ask ``is_person`` first, like ``prescribing.is_abbreviation``: the exact dictionary match, the fuzzy
  matcher (which took "flatmate" for felbamate and "godson" for Geodon), the two-token join ("her nan" is no
  drug), and the unknown-name rule before a dose. A compound of an English word and a person word
  ("flat" + "mate", "house" + "mates", "work" + "mate") that is no dictionary drug name is a person word too:
  the CMU dictionary lacks many.
- **Salts** ("besilate", "mesilate", "fumarate", "hydrochloride"): the salt after a drug name is part of that
  name, as AWS returns "levothyroxine sodium" and "amlodipine besylate" (``products``); alone it is no drug (it
  was taken for an unknown name before "10 mg" in "amlodipine besilate 10 mg"). The class is closed but not
  hand-kept alone: besides :data:`SALTS`, every anion-shaped word ("-ate", "-ide", "-ite") the drug dictionary
  writes after at least :data:`SALT_HEADS` different drug names in its two-word names ("trospium chloride",
  "miconazole nitrate" …: ``derived_salts``), unless it is a drug name itself; and, after a drug name,
  ``salt_shaped``: an organic acid's salt or ester word no English dictionary holds and no drug list names
  ("hippurate", "undecanoate", "cipionate").
"""

from __future__ import annotations

import functools

from medscribe.offline import ner_lexicon as lex

# salt and ester words of approved names (BAN / INN modifiers) that name nothing on their own; the nutrient
# cations ("sodium", "potassium", "calcium") are left out: alone they are analytes or supplements
SALTS = frozenset(
    {"besilate", "besylate", "mesilate", "mesylate", "maleate", "fumarate", "succinate", "tartrate", "bitartrate",
     "citrate", "phosphate", "acetate", "bromide", "hydrobromide", "hydrochloride", "hcl", "sulfate", "sulphate",
     "dihydrate", "monohydrate", "trihydrate", "dipropionate", "propionate", "furoate", "valerate", "butyrate",
     "decanoate", "enanthate", "pamoate", "embonate", "gluconate", "lactate", "hyclate", "xinafoate", "tosilate",
     "tosylate", "dimesylate", "dimesilate", "mononitrate", "dinitrate", "trometamol", "carbonate"}
)  # fmt: skip
_MIN_PART = 3  # letters of each half of a compound person word ("flat" + "mate")
SALT_HEADS = 2  # different drug names a dictionary word must follow to be a salt of the class
ANION = ("ate", "ide", "ite")
# covalent parts of a molecule, not the anion of a salt ("X amide", "X riboside", "X peptide"); a dictionary name
# of an enzyme ("X dioxygenase") heads none
_NOT_ANION = ("amide", "peptide", "oside", "otide")
_ENZYME = "ase"
# the endings of an organic acid's salt or ester name ("hippurate", "undecanoate", "cipionate", "aceponate")
_ORGANIC_SALT = ("urate", "oate", "onate", "anate", "ylate", "ilate")


@functools.cache
def person_words() -> frozenset[str]:
    return frozenset(lex.normalize(row[0]) for row in lex._read_pipe_file("person_words.txt"))


def _single(word: str) -> bool:
    words = person_words()
    return word in words or (word.endswith("s") and word[:-1] in words)


@functools.cache
def is_person(word: str) -> bool:
    """Is this normalised token a word for a person or a relation ("flatmate", "stepsons"), never a drug?"""
    if _single(word):
        return True
    if word in lex.drug_lexicon().names:
        return False  # a brand that happens to end like one ("zonegran"): the dictionary knows it
    english = lex.english_words()
    return any(word[:k] in english and _single(word[k:]) for k in range(_MIN_PART, len(word) - _MIN_PART + 1))


@functools.cache
def derived_salts() -> frozenset[str]:
    """Anion-shaped words the drug dictionary writes after :data:`SALT_HEADS` or more drug names ("X chloride"),
    that are no drug name themselves."""
    names = lex.drug_lexicon().names
    heads: dict[str, set[str]] = {}
    for name in names:
        words = name.split()
        if len(words) != 2 or words[0] not in names or words[0].endswith(_ENZYME) or words[1] in names:
            continue
        if words[1].endswith(ANION) and not words[1].endswith(_NOT_ANION):
            heads.setdefault(words[1], set()).add(words[0])
    return frozenset(w for w, h in heads.items() if len(h) >= SALT_HEADS)


def is_salt(word: str) -> bool:
    """Is this normalised token a salt or ester word ("besilate"), part of a drug's name, never one alone?"""
    return word in SALTS or word in derived_salts()


def salt_shaped(word: str) -> bool:
    """After a drug name: an organic acid's salt or ester word ("hippurate") no English dictionary holds and no
    drug list names. Only when the English dictionary is installed (without it every word would be unknown)."""
    english = lex.english_words()
    return (
        word.endswith(_ORGANIC_SALT)
        and "separate" in english
        and word not in english
        and word not in lex.drug_lexicon().names
    )


def never_alone(word: str) -> bool:
    """A token that is never a drug by itself: a person word or a salt."""
    return is_salt(word) or is_person(word)
