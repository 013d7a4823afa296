"""Words that name people or salts, never a drug on their own.

- **People and relations** (``data/ner/person_words.txt``: "flatmate", "stepson", "nan", "carer"): the drug
  matchers all ask ``is_person`` first, like ``prescribing.is_abbreviation``: the exact dictionary match, the fuzzy
  matcher (which took "flatmate" for felbamate and "godson" for Geodon), the two-token join ("her nan" is no
  drug), and the unknown-name rule before a dose. A compound of an English word and a person word
  ("flat" + "mate", "house" + "mates", "work" + "mate") that is no dictionary drug name is a person word too:
  the CMU dictionary lacks many.
- **Salts** ("besilate", "mesilate", "fumarate", "hydrochloride"): the salt after a drug name is part of that
  name, as AWS returns "levothyroxine sodium" and "amlodipine besylate" (``products``); alone it is no drug (it
  was taken for an unknown name before "10 mg" in "amlodipine besilate 10 mg").
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


def is_salt(word: str) -> bool:
    """Is this normalised token a salt or ester word ("besilate"), part of a drug's name, never one alone?"""
    return word in SALTS


def never_alone(word: str) -> bool:
    """A token that is never a drug by itself: a person word or a salt."""
    return is_salt(word) or is_person(word)
