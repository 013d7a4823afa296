"""The review-flag kinds raised by the draft guards (:mod:`.guards`), and how the "Needs review" list names them.

Kept apart from :mod:`.flag_kinds` so the guards can grow without touching the draft's core kinds:
``flag_kinds.FlagKind`` is the union of its own kinds and these.
"""

from __future__ import annotations

from typing import Literal

GuardFlagKind = Literal[
    "LOOK_ALIKE",  # a look-alike / sound-alike drug pair (ISMP / FDA lists): both in the draft, or one heard unsure
    "SOUND_ALIKE",  # a hypo-/hyper- condition word heard with low confidence: the prefix may be the wrong one
    "POSSIBLE_MEDICATION_NOT_CAPTURED",  # a transcript word like a known drug name that no draft item holds
    "POSSIBLE_ALLERGY_NOT_CAPTURED",  # an allergy statement whose substance no draft item holds
    "POSSIBLE_CONDITION_NOT_CAPTURED",  # a transcript word or phrase naming a condition that no draft item holds
    "TRANSCRIPT_MAY_BE_UNINTELLIGIBLE",  # the transcript reads like noise or holds no clinical content
    "DOSE_NUMBER_UNCLEAR",  # spoken numbers before a count that read two ways ("five hundred two tablets")
    "NOT_VERIFIED_CURRENT",  # a current item whose every clause holds a cue that it is not current (.clause_guard)
    "PLACEMENT_UNVERIFIED",  # a Denied / Family-history item whose clause does not show what placed it there
    "NOT_DRAFTED",  # clauses that may say something clinical of which the draft holds nothing (.coverage)
    "GUARD_NOT_RUN",  # a guard raised or was skipped: the draft was not fully checked
]

GUARD_HEADINGS: dict[str, str] = {
    "LOOK_ALIKE": "Look-alike drug",
    "SOUND_ALIKE": "Sound-alike word",
    "POSSIBLE_MEDICATION_NOT_CAPTURED": "Possible medication not captured",
    "POSSIBLE_ALLERGY_NOT_CAPTURED": "Possible allergy not captured",
    "POSSIBLE_CONDITION_NOT_CAPTURED": "Possible condition not captured",
    "TRANSCRIPT_MAY_BE_UNINTELLIGIBLE": "May be unintelligible",
    "DOSE_NUMBER_UNCLEAR": "Dose numbers unclear",
    "NOT_VERIFIED_CURRENT": "Not verified as current",
    "PLACEMENT_UNVERIFIED": "Placement not verified",
    "NOT_DRAFTED": "Said but not drafted",
    "GUARD_NOT_RUN": "Check not run",
}
