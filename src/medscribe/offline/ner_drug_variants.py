"""Other spellings of the offline NER's drug names (``ner_lexicon.drug_lexicon``): how a recogniser writes a
letter-and-number name once spoken numbers are digits again ("adcal d3" -> "adcal d 3", "vitamin b12" ->
"vitamin b 12"; "one" and "two" stay words: "vitamin b1" -> "vitamin b one", "sglt2" -> "sglt two"), British spellings the package lacks ("morphine sulfate" -> "morphine sulphate", "amlodipine
besylate" -> "amlodipine besilate"), and a "co-" name written as one word ("co-codamol" -> "cocodamol")."""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T")

_LETTER_DIGIT = re.compile(r"\b([a-z]{1,3})(\d+)\b")
_SMALL_WORDS = {"1": "one", "2": "two"}
_SPOKEN_SMALL = re.compile(r"(?<=[a-z] )([12])\b")
_UK_DRUG_SPELLING = (
    (re.compile(r"sulf(?=a|i|o)"), "sulph"),
    (re.compile(r"\bestr(?=a|i|o)"), "oestr"),
    (re.compile(r"(?<=bes|mes|tos)ylate\b"), "ilate"),  # BAN salt spellings: "amlodipine besilate"
)
_CO_NAME = re.compile(
    r"^co ([a-z]{5,})$"
)  # a BAN "co-" combination name, also written as one word: "cocodamol"


def drug_name_variants(names: dict[str, T], curated: frozenset[str]) -> dict[str, T]:
    """``names`` plus each name's spoken letter-and-number form (only for ``curated`` product names and vitamins:
    never a code name of the package, "at10" -> "at 10") and its British spelling; a variant never replaces a
    name of its own."""
    out = dict(names)
    for key, drug in names.items():
        if key in curated or key.startswith("vitamin "):
            split = _LETTER_DIGIT.sub(r"\1 \2", key)
            if split != key and len(split.split()) <= 4:
                out.setdefault(split, drug)
            # the pipeline's normalisation leaves "one" and "two" as words ("vitamin b one", "sglt two")
            if len(split.split()) <= 4:
                out.setdefault(_SPOKEN_SMALL.sub(lambda m: _SMALL_WORDS[m.group(1)], split), drug)
        uk = key
        for pattern, repl in _UK_DRUG_SPELLING:
            uk = pattern.sub(repl, uk)
        if uk != key:
            out.setdefault(uk, drug)
        co = _CO_NAME.match(key)
        if co is not None:
            out.setdefault("co" + co.group(1), drug)
    return out
