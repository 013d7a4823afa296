"""The review-flag kinds of the draft: its own (:data:`FlagKind` with the guards' kinds of :mod:`.guard_kinds`),
and how the "Needs review" list introduces each (:data:`FLAG_HEADINGS`)."""

from __future__ import annotations

from typing import Literal

from medscribe.logic.document.guard_kinds import GUARD_HEADINGS, GuardFlagKind

_CoreFlagKind = Literal[
    "LOW_SCORE",  # an entity or attribute scored below the review threshold
    "LOW_ASR_CONFIDENCE",  # a transcript word heard with low confidence inside a medication sentence
    "ORPHAN_ATTRIBUTE",  # a dose/strength/frequency... with no medication (UnmappedAttributes)
    "BLANK_CELL",  # a prescription row without dose, route or frequency
    "CONTRADICTION",  # mentions of one drug that disagree (taking/not taking, two doses)
    "NOT_NORMALISED",  # an attribute whose text could not be read with certainty
    "OTHER_SENTENCE",  # an attribute linked to a medication from another sentence: not used
    "OTHER_CLAUSE",  # an attribute linked to a medication from another clause of its sentence: not used
    "DROPPED_MEDICATION",  # a medication mention below the keep threshold: not drafted
    "ALLERGY_CONFLICT",  # a drug named as an allergy and also as taken (or beside "NKDA"): not prescribed
    "DOSE_CHANGE_UNATTACHED",  # "raise to 36 mg" with no drug named: the drug before it may be at that dose
    "ALLERGY_UNCLEAR",  # an allergy whose substance was said as a guess ("possibly a penicillin")
    "CONDITIONAL_HOLD",  # "hold X if/for …": prescribed with the hold shown as a qualifier, to be checked
    "DOSE_RANGE",  # a dose said as a range ("1 to 2 tablets"): printed as a range, the clinician picks
    "NEGATION_SCOPE_UNCLEAR",  # the words cannot say whether a negation reaches the item
    "SUBJECT_UNCLEAR",  # the words cannot say whether the item is the patient's or another person's
    "CONDITION_SCOPE_UNCLEAR",  # the words cannot say whether the item belongs to an "if …" instruction
    "ALLERGY_CLASS_CONFLICT",  # a prescribed drug in the class of a stated allergy (amoxicillin / penicillins)
    "HYPOTHETICAL_PRESCRIBED",  # a drug said only conditionally, also in a prescribed row
    "PARTIAL_AMOUNT",  # an amount whose words go on beyond what was detected ("1 and 1/2" read as "1/2")
    "GUARD_NOT_RUN",  # a check of the draft could not run: the draft is not known to be complete
    "DOSE_TITRATION",  # a titration step ("up by 2 units every 3 days"), not a dose: the dose is to be set
    "DOSE_STRENGTH_UNCLEAR",  # a strength and a tablet count: the words do not say whether it is the tablet's
    "DOSE_UNATTACHED",  # a dose said after a drug with no drug named: the row's dose may be the tablet strength
    "DOSE_UNIT_UNSAID",  # a new dose said with no unit ("increase the dose to 20")
    "NAME_UNCLEAR",  # a drug's name said as a guess ("possibly sumatriptan", "X or something like that")
    "HISTORY_SCOPE_UNCLEAR",  # marked past history, but the words do not show a past cue reaching it
    "GIVEN_ONCE",  # a drug given during the event ("was given X", "a stat dose of X"): not a prescription after it
    "UNCERTAIN",  # said with doubt ("not sure if", "might have had", "can't remember"): neither denied nor a fact
    "SELF_CORRECTION",  # a value taken back while dictating ("50 mg, sorry, 25 mg"): the later one drafted
    "CORRECTION_SCOPE_UNCLEAR",  # a retraction cue whose words do not say what it takes back
    "ABNORMAL_VALUE",  # a measurement said as a number outside its reference range (.abnormal): finding inferred
    "VALUE_UNCLEAR",  # a measurement whose unit or quantity the words do not say (.abnormal): not read
]
FlagKind = Literal[_CoreFlagKind, GuardFlagKind]  # with the guards' kinds (.guard_kinds)


FLAG_HEADINGS: dict[str, str] = {  # how each kind is introduced in the "Needs review" list
    "LOW_SCORE": "Low score",
    "LOW_ASR_CONFIDENCE": "Unclear audio",
    "ORPHAN_ATTRIBUTE": "No medication",
    "BLANK_CELL": "Blank cell",
    "CONTRADICTION": "Contradiction",
    "NOT_NORMALISED": "Not understood",
    "OTHER_SENTENCE": "Other sentence",
    "OTHER_CLAUSE": "Other clause",
    "DROPPED_MEDICATION": "Dropped",
    "ALLERGY_CONFLICT": "Allergy conflict",
    "ALLERGY_UNCLEAR": "Allergy unclear",
    "DOSE_CHANGE_UNATTACHED": "Dose change with no drug",
    "CONDITIONAL_HOLD": "Conditional hold",
    "DOSE_RANGE": "Dose range",
    "NEGATION_SCOPE_UNCLEAR": "Negation scope unclear",
    "SUBJECT_UNCLEAR": "Whose",
    "CONDITION_SCOPE_UNCLEAR": "Condition scope unclear",
    "ALLERGY_CLASS_CONFLICT": "Allergy class",
    "HYPOTHETICAL_PRESCRIBED": "Hypothetical prescribed",
    "PARTIAL_AMOUNT": "Partial amount",
    "GUARD_NOT_RUN": "Not checked",
    "DOSE_TITRATION": "Titration",
    "DOSE_STRENGTH_UNCLEAR": "Dose or strength",
    "DOSE_UNATTACHED": "Dose with no drug",
    "DOSE_UNIT_UNSAID": "Dose with no unit",
    "NAME_UNCLEAR": "Drug name unclear",
    "HISTORY_SCOPE_UNCLEAR": "Past or current",
    "GIVEN_ONCE": "Given once",
    "UNCERTAIN": "Said with doubt",
    "SELF_CORRECTION": "Corrected while dictating",
    "CORRECTION_SCOPE_UNCLEAR": "Correction unclear",
    "ABNORMAL_VALUE": "Abnormal value",
    "VALUE_UNCLEAR": "Value unclear",
    **GUARD_HEADINGS,
}
