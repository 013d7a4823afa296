"""A condition name said in its Latin or Greek plural: "renal calculi", "bullae", "diverticula", "varices".

Medical English keeps the classical plurals of its nouns (-us -> -i, -a -> -ae, -um / -on -> -a, -is -> -es,
-ix / -ex -> -ices, -ma -> -mata), while the name lists (ICD-10-CM, HPO, Disease Ontology) write most names in the
singular ("renal calculus", "bulla", "diverticulum", "varix"). :func:`singulars` gives the singular keys a phrase's
last word may stand for, by these regular rules of the classical declensions (as any medical terminology text
teaches them); the matcher reads a phrase no list holds as the condition its singular names, the entity's text
staying the words said. Only a MEDICAL_CONDITION is read so (the plural of a site or a test keeps its own
handling); a plural that is itself a listed phrase keeps its own meaning, as the matcher looks it up first.
"""

from __future__ import annotations

from collections.abc import Iterator

# (plural ending, singular ending), longest first within a shared ending
_ENDINGS = (
    ("ices", "ix"),  # varices -> varix
    ("ices", "ex"),  # cortices -> cortex
    ("mata", "ma"),  # carcinomata -> carcinoma
    ("ae", "a"),  # bullae -> bulla
    ("es", "is"),  # metastases -> metastasis, keratoses -> keratosis
    ("i", "us"),  # calculi -> calculus, thrombi -> thrombus
    ("a", "um"),  # diverticula -> diverticulum, milia -> milium
    ("a", "on"),  # ganglia -> ganglion
)
_MIN_LETTERS = 5  # of the plural word: "bullae", "milia"; never "hi", "area"'s kin by length alone


def singulars(key: str) -> Iterator[str]:
    """The keys ``key`` (normalised words) names in the singular, its last word declined back by each rule."""
    head, _, last = key.rpartition(" ")
    if len(last) < _MIN_LETTERS or not last.isalpha():
        return
    for plural, singular in _ENDINGS:
        if last.endswith(plural):
            word = last[: -len(plural)] + singular
            yield f"{head} {word}" if head else word
