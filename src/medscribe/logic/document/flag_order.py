"""The order of an item's flags: the most serious reason first (docs/draft.md, "Flags on an item").

An item carries every flag about it; a clinician reads the first one first, so a reason that says the row may not
be the patient's current fact at all (another person's, conditional, denied, stopped, an allergen) comes before
one that says which drug it is, then what dose, and last what is merely missing (a blank cell). Kinds of equal
rank keep the order they were raised in. Every kind of :data:`.flag_kinds.FlagKind` and the section kinds of
``sections.ELSEWHERE`` has a rank (``tests/unit/test_flag_order.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

# 0: the row may not be the patient's current fact; 1: which drug or whose words; 2: its dose or value;
# 3: how it was read or linked; 4: what is missing from it; 5: about the draft as a whole
RANK: dict[str, int] = {
    **dict.fromkeys(
        (
            "ALLERGY_CONFLICT",
            "ALLERGY_CLASS_CONFLICT",
            "ALLERGY",
            "PERTAINS_TO_FAMILY",
            "OTHER_PERSON",
            "HYPOTHETICAL",
            "HYPOTHETICAL_PRESCRIBED",
            "NEGATION",
            "NOT_TAKING",
            "NOT_VERIFIED_CURRENT",
            "GIVEN_ONCE",
            "CONTRADICTION",
            "SUBJECT_UNCLEAR",
            "NEGATION_SCOPE_UNCLEAR",
            "CONDITION_SCOPE_UNCLEAR",
            "HISTORY_SCOPE_UNCLEAR",
            "CONDITIONAL_HOLD",
            "UNCERTAIN",
            "PLACEMENT_UNVERIFIED",
        ),
        0,
    ),
    **dict.fromkeys(
        (
            "LOOK_ALIKE",
            "SOUND_ALIKE",
            "NAME_UNCLEAR",
            "SELF_CORRECTION",
            "CORRECTION_SCOPE_UNCLEAR",
            "ALLERGY_UNCLEAR",
            "LOW_ASR_CONFIDENCE",
        ),
        1,
    ),
    **dict.fromkeys(
        (
            "DOSE_NUMBER_UNCLEAR",
            "PARTIAL_AMOUNT",
            "DOSE_RANGE",
            "DOSE_STRENGTH_UNCLEAR",
            "DOSE_UNATTACHED",
            "DOSE_UNIT_UNSAID",
            "DOSE_TITRATION",
            "DOSE_CHANGE_UNATTACHED",
            "ABNORMAL_VALUE",
            "VALUE_UNCLEAR",
            "NOT_NORMALISED",
        ),
        2,
    ),
    **dict.fromkeys(
        ("LOW_SCORE", "ORPHAN_ATTRIBUTE", "OTHER_SENTENCE", "OTHER_CLAUSE", "DROPPED_MEDICATION"), 3
    ),
    **dict.fromkeys(
        (
            "BLANK_CELL",
            "POSSIBLE_MEDICATION_NOT_CAPTURED",
            "POSSIBLE_ALLERGY_NOT_CAPTURED",
            "POSSIBLE_CONDITION_NOT_CAPTURED",
            "NOT_DRAFTED",
        ),
        4,
    ),
    **dict.fromkeys(("TRANSCRIPT_MAY_BE_UNINTELLIGIBLE", "GUARD_NOT_RUN", "REVIEW"), 5),
}
UNRANKED = 3  # a kind with no rank (none is meant to have none) sits among the reading kinds

T = TypeVar("T")


def rank(kind: str) -> int:
    return RANK.get(kind, UNRANKED)


def most_serious_first(flags: Sequence[T]) -> list[T]:
    """``flags`` (review flags with a ``kind``, or kind strings) ordered most serious first, stably."""
    return sorted(flags, key=lambda f: rank(f if isinstance(f, str) else str(getattr(f, "kind", ""))))
