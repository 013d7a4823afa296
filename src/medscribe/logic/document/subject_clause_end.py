"""Where a relation's clause ends before a mention, for :mod:`.scope_subject`: the relation speaks of a pronoun,
the clinician plans, a new negated clause, "her own" / "his own", a new dosed line the clause does not join to
itself; and a subject pronoun of the other gender than the relation's."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from medscribe.logic.document.relation_words import (
    BARE_TAKING,
    DOSED,
    FEMALE,
    JOINED,
    MALE,
    OWN,
    OWNER_BEFORE,
    PATIENT_POSSESSIVE,
    PLANNED,
    POSSESSIVE,
    REPORTING,
    SAYS,
    SPEAKS,
    SUBJECT_JOIN,
    TAKES_DRUG,
)
from medscribe.run_on import negated_clause_start

if TYPE_CHECKING:
    from medscribe.logic.document.scope import TextScope
    from medscribe.logic.document.scope_subject import Owner


def clause_ended(scope: TextScope, relation: str, span: tuple[int, int], begin: int) -> Owner | None:
    """The patient's when the clause of ``relation`` (said at ``span``) ended before the mention at ``begin``:
    the relation speaks of a pronoun (flagged, naming the speaker), the clinician plans, a new dosed line
    starts (flagged); None while the clause goes on."""
    text = scope.text
    low = span[1]
    said = SPEAKS.match(text, low)
    if said is not None and said.end() <= begin and not _speaker_own(text, relation, span[0], said, begin):
        return "patient", relation, True, relation, ""
    if PLANNED.search(text, low, begin):
        return "patient", relation, False, "", ""
    if negated_clause_start(text, low, begin) is not None:  # "… has copd no night cough": a new clause
        return "patient", relation, False, "", ""
    own = _own(text, relation, span[0], low, begin)
    if own is not None:
        return own
    owned = text[span[0] : span[1]].endswith("'s")  # "his wife's atenolol 50 mg": owned, said so
    line = _new_prescription_line(scope, low, begin, owned)
    if line:
        return (
            "patient",
            relation,
            True,
            "",
            f"said as a new dosed line after the {relation}'s clause, {line}",
        )
    return None


def _speaker_own(text: str, relation: str, start: int, said: re.Match[str], begin: int) -> bool:
    """The pronoun after the reporting verb, or one said later, or a possessive right before the mention, is the
    speaker's own by gender: "his wife says she's on Rybelsus herself" (the patient is "his"), "mum says he has
    a cough and she has pemphigoid", "grandma said he sometimes has her Seretide"."""
    speaker = _gender(relation)
    if speaker is None:
        return False
    pronoun = said["pronoun"].lower()
    if pronoun == speaker:
        patient = PATIENT_POSSESSIVE.search(text, max(0, start - 30), start)
        return patient is not None and POSSESSIVE[patient["own"].lower()] != speaker
    later = {p.lower() for p in re.findall(r"\b(?:she|he)\b", text[said.end() : begin], re.IGNORECASE)}
    own = OWNER_BEFORE.search(text, max(0, begin - 8), begin)
    return speaker in later or (own is not None and POSSESSIVE[own["own"].lower()] == speaker)


def _own(text: str, relation: str, start: int, low: int, begin: int) -> Owner | None:
    """ "her own" / "his own" before the mention, in the relation's clause: the patient's when its gender is not
    the relation's ("his wife is on statins and his own cholesterol is high"); the relation's (None: the clause
    goes on) when it is not the patient's, said by a possessive before the relation ("her brother is on
    omalizumab for his own asthma"); otherwise the words cannot say ("her mother has diabetes and her own
    sugars are fine"): drafted as the patient's, flagged."""
    said = [m for m in OWN.finditer(text, low, begin)]
    if not said:
        return None
    own = POSSESSIVE[said[-1]["own"].lower()]
    patient = PATIENT_POSSESSIVE.search(text, max(0, start - 30), start)
    patients = patient is None or POSSESSIVE[patient["own"].lower()] == own  # may be the patient's
    relations = _gender(relation) in (None, own)  # may be the relation's
    if relations and not patients:
        return None
    if patients and not relations:
        return "patient", relation, False, "", ""
    why = f"said after “{said[-1].group(0).lower()}” in the {relation}'s clause"
    return "patient", relation, True, "", why


# a subject pronoun opening a clause of its own: "… she takes sertraline", "… he has a cough"
_PRONOUN_SUBJECT = re.compile(
    r"\b(?P<pronoun>she|he)\s+(?:also\s+|now\s+|still\s+|herself\s+|himself\s+)?(?:has|had|takes|took|is|was"
    r"|uses|used|gets|got|reports|complains|developed|suffers|needs|started)\b",
    re.IGNORECASE,
)


# a relation's report or belief before the pronoun: the pronoun is what the relation says or thinks
_BELIEF = re.compile(
    rf"\b(?:{SAYS}|{REPORTING}|thinks?|thought|believes?|reckons?|feels?|knows?|asks?|asked|wonders?|wondered"
    r"|hopes?|suspects?|suggests?|mentions?|mentioned|tells?|told)\b",
    re.IGNORECASE,
)


def other_gender_subject(text: str, relation: str, low: int, begin: int) -> bool:
    """Between the relation's words (ending at ``low``) and the mention at ``begin``, a subject pronoun of the other
    gender than the relation's opens a clause ("his mother has angina he has a cough"): not the relation's clause,
    unless a possessive of the relation's gender owns the mention ("… and she gives him his insulin")."""
    gender = _gender(relation)
    said = list(_PRONOUN_SUBJECT.finditer(text, low, begin))
    if gender is None or not said or said[-1]["pronoun"].lower() == gender:
        return False
    if _BELIEF.search(text, low, said[-1].start()):
        return (
            False  # "his wife thinks he takes a water tablet": her report, read as such elsewhere (flagged)
        )
    owner = OWNER_BEFORE.search(text, max(0, begin - 8), begin)
    return owner is None or POSSESSIVE[owner["own"].lower()] != gender


def _gender(relation: str) -> str | None:
    word = relation.lower().split()[-1]
    return "she" if word in FEMALE else "he" if word in MALE else None


_GIVES_REACH = 3  # words between a word giving the relation a drug ("on", "takes") and the drug it gives
# "on Saturdays", "with her": a preposition of a time or of a person gives nobody a drug
_NOT_GIVING = re.compile(
    r"\s+(?:him|her|them|me|us|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?|holiday)\b",
    re.IGNORECASE,
)


def gives_drug(text: str, low: int, high: int) -> list[re.Match[str]]:
    """The words in ``text[low:high]`` that give a relation a drug ("takes", "is on", "uses", …)."""
    return [m for m in TAKES_DRUG.finditer(text, low, high) if not _NOT_GIVING.match(text, m.end())]


def _new_prescription_line(scope: TextScope, low: int, begin: int, owned: bool) -> str:
    """A drug with a dose of its own at ``begin`` that the relation's clause (from ``low``) does not join to
    itself: no conjunction or verb of taking after its last concept ("… his own asthma montelukast 10 mg"), or,
    with no concept before it, no word giving the relation a drug ("his brother drinks heavily too zopiclone
    7.5 mg"; "her husband is on warfarin 5 mg" is his). What the words lack, or "" when it is no new line."""
    drug = next((e for b, e in scope.medications if b == begin), None)
    if drug is None or DOSED.match(scope.text, drug) is None:
        return ""
    first = bisect.bisect_left(scope.concepts, (low, -1))
    before = [c for c in scope.concepts[first:] if c[1] <= begin]
    if not before:
        if owned:
            return ""
        giving = gives_drug(scope.text, low, begin)
        if not giving:
            return "whose words give them no drug (no “takes”, “on”, “uses”, …)"
        apart = len(scope.text[giving[-1].end() : begin].split())
        # "her sister drives her to Bristol on Saturdays methotrexate 15 mg": an "on" far from the drug gives the
        # sister no drug; "her husband is on warfarin 5 mg", "takes his usual warfarin 5 mg" do
        return (
            f"whose “{giving[-1].group(0).lower()}” is {apart} words before it"
            if apart > _GIVES_REACH
            else ""
        )
    gap = scope.text[before[-1][1] : begin]
    if JOINED.search(gap) is None:
        return "joined to it by no “and” or verb of taking"
    bare = BARE_TAKING.search(gap)
    if bare is not None and SUBJECT_JOIN.search(gap) is None:
        # "her sister had lupus takes amlodipine 5 mg": a run-on's verb with no subject of its own after the
        # relation's concept: the relation's next clause, or the patient's ("Takes amlodipine") — unclear
        return f"after “{bare.group(0).lower()}” with no subject of its own"
    return ""
