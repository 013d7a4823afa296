"""Prescribing abbreviations ("nocte", "bd", "prn", "stat"): timing, frequency and route shorthand, never a drug.

The list is ``data/ner/prescribing_abbreviations.txt`` (BNF Latin abbreviations, ISMP error-prone
abbreviations). The detector's drug matchers all ask ``is_abbreviation`` first: the exact dictionary match,
the fuzzy matcher (which took "nocte" for the brand "Noctec"), and the unknown-name rule before a dose
("nocte 7.5 mg" read as a drug "nocte"). The word then stays free for the FREQUENCY / ROUTE_OR_MODE patterns.
"""

from __future__ import annotations

import functools

from medscribe.offline import ner_lexicon as lex


@functools.cache
def abbreviations() -> frozenset[str]:
    rows = lex._read_pipe_file("prescribing_abbreviations.txt")
    return frozenset(lex.normalize(row[0]) for row in rows)


def is_abbreviation(word: str) -> bool:
    """Is this normalised token a prescribing abbreviation (never a drug name)?"""
    return word in abbreviations()
