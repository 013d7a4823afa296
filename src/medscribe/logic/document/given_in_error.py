"""A drug said as dispensed or given in error (issue 15: a drug that is not the prescription is never stated as
current, unflagged).

"The pharmacy dispensed aziTHROmycin in error", "she was given carbimazole by mistake", "the chemist supplied
sertraline instead of": the drug is the object of a verb of supplying (:data:`SUPPLIED`, at most two words before
it) and its clause says the supply was a mistake (:data:`IN_ERROR`, within :data:`REACH` characters after it). A
wrong drug dispensed is most often one drug confused for another (the ISMP's wrong-drug errors); what the patient
takes now the words do not say. So the row is not moved: it is flagged ``NOT_VERIFIED_CURRENT``, quoting the words
and naming both questions: which drug was meant (a CONFUSED, look-alike name?) and whether any was taken.
"""

from __future__ import annotations

import re

from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.document.pronoun_stop import not_current

# a verb of supplying right before the drug ("dispensed", "was given", "supplied her", "sent the")
SUPPLIED = re.compile(
    r"\b(?:dispensed|supplied|issued|sent|handed\s+out|gave|given|delivered|labelled|prescribed)\s+"
    r"(?:(?:her|him|them|the|a|an|some)\s+){0,2}$",
    re.IGNORECASE,
)
# the words saying the supply was a mistake
IN_ERROR = re.compile(
    r"\b(?:in\s+error|by\s+mistake|by\s+accident|mistakenly|wrongly|erroneously|instead\s+of)\b",
    re.IGNORECASE,
)
REACH = 40  # characters after the drug its clause's "in error" may stand
_BEFORE = 40  # characters before the drug its verb of supplying may start
_CLAUSE_END = re.compile(r"[.!?;,]")


def given_in_error(text: str, mention: tuple[int, int]) -> str:
    """The words saying the drug at ``mention`` was dispensed or given in error, or ""."""
    begin, end = mention
    supplied = SUPPLIED.search(text, max(0, begin - _BEFORE), begin)
    if supplied is None:
        return ""
    stop = _CLAUSE_END.search(text, end, end + REACH)
    error = IN_ERROR.search(text, end, stop.start() if stop else min(len(text), end + REACH))
    if error is None:
        return ""
    return " ".join(text[supplied.start() : error.end()].split())


def flag(name: str, mention: tuple[int, int], said: str) -> ReviewFlag:
    why = (
        f"it is said as supplied in error (“{said}”): a wrong drug, perhaps CONFUSED with the one meant "
        "(a look-alike name?); NOT_TAKING? check which drug is meant and whether any was taken"
    )
    return not_current(name, mention, why)
