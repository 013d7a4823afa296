"""The people a relation is listed with as one subject ("mother and father", "his wife and daughter"), and the
patient named first in such a list ("She and her twin brother both have psoriasis"), for :mod:`.scope_subject`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medscribe.logic.document.scope import TextScope
    from medscribe.logic.document.scope_marks import Mark


# between two relations of one list: "mother and father", "her mum, her sister and her aunt", a recogniser's "her
# mum her sister and her aunt" (a determiner of its own opens the next name)
_RELATIONS_GLUE = re.compile(
    r"\s*(?:,\s*|\s(?:and|&)\s+|,\s*and\s+)(?:(?:her|his|their|the|my)\s+)?"
    r"|\s+(?:her|his|their|my)\s+",
    re.IGNORECASE,
)
# the patient said first in a list of people ("She and her twin brother both have …", "he and his wife"): the
# patient is one of the subject's people
_PATIENT_LISTED = re.compile(
    r"(?:^|[.;:!?]\s*|\s)(?:she|he|i)\s*,?\s+(?:and|&)\s+(?:(?:her|his|my|the)\s+)?$", re.IGNORECASE
)


def _listed(scope: TextScope, mark: Mark) -> list[Mark]:
    """The relations listed as one subject, ending with ``mark`` ("mother and father", "his wife and daughter":
    family and other people alike)."""
    names = [mark]
    at = scope.marks.index(mark) if mark in scope.marks else -1
    while at > 0:
        before = scope.marks[at - 1]
        if before.kind not in ("family", "other") or before.text.endswith("'s"):
            break
        if _RELATIONS_GLUE.fullmatch(scope.text, before.end, scope.marks[at].begin) is None:
            break
        names.insert(0, before)
        at -= 1
    return names


def listed_relations(scope: TextScope, mark: Mark, relation: str) -> str:
    """``relation`` with the relations listed before it as one subject ("mother and father both had strokes": the
    strokes are both parents', not the father's alone; "his wife and daughter have covid": both)."""
    names = [m.text for m in _listed(scope, mark)[:-1]] + [relation]
    return relation if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def patient_listed(scope: TextScope, mark: Mark) -> bool:
    """The patient is named first in the list of people ``mark`` ends ("He and his brother both have asthma")."""
    first = _listed(scope, mark)[0]
    return _PATIENT_LISTED.search(scope.text, max(0, first.begin - 20), first.begin) is not None
