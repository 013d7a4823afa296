"""Whose a mention is: the one reader of which subject owns a span of the transcript (the subject part of
:class:`.scope.TextScope`; its words: :mod:`.relation_words`).

The marks before the mention (:mod:`.scope_marks`) are read backwards. A section header, an instruction or the
patient as subject ("patient", "I", "denies", …) gives the mention to the patient; a "family history" header
reaches later sentences too, a relation ("mother", "her husband", …) only its own. A relation's clause reaches
the mention unless one of these ends it first, in this order (:func:`_relation_clause`):

- **another relation speaks of it** ("the daughter says her mother is confused"): may be the patient, flagged;
- **the relation reports** ("Dad says the wheeze …", or doubts: "mum is unsure whether there was any wheeze"):
  the patient's, flagged; **the relation acts on the
  patient** ("mum gives him salbutamol"): the patient's; **the relation is present** ("his daughter is with
  him", "her husband on speakerphone"): no subject at all;
- **a possessive owns one noun** ("her mother's furosemide for ankle swelling"): no subject beyond that noun;
- **the relation speaks of a pronoun** ("dad says he is not sleeping", "her neighbour brought her in and
  mentioned she is on …"): what follows is the patient's or the relation's — the words cannot say which:
  drafted as the patient's, flagged; unless gender gives the pronoun to the speaker ("his wife says she's on
  Rybelsus", "mum says he has a cough and she has pemphigoid", "grandma said he has her Seretide");
- **the clinician's plan** ("… takes pregabalin consider CBT if the anxiety persists"): the patient's;
- **a new negated clause**: "no" right after a noun ("her father has copd no night cough", :mod:`medscribe.run_on`):
  the patient's;
- **a new prescription line**: a drug with a dose of its own after a concept of the relation's clause, joined
  to it by no conjunction and no verb of taking ("… his own asthma montelukast ten milligrams at night"): a
  recogniser's next line or the relation's list: drafted as the patient's, flagged;
- **the reach fades**: more than ``RELATION_REACH_WORDS`` words on: the patient's, flagged.

Within its clause the mention is the relation's, flagged when a pronoun, a juxtaposed concept or a drug the
clause gives the relation no verb for ("his brother drinks heavily too zopiclone") leaves it open.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Literal

from medscribe.logic.document.mention_context import allergy_cues
from medscribe.logic.document.relation_words import (
    BARE_TAKING,
    COMPANION,
    DOSED,
    FEMALE,
    FH_GLUE,
    HAS_CONCEPT,
    JOINED,
    MALE,
    OWN,
    OWNED_FORM,
    OWNER_BEFORE,
    PATIENT_POSSESSIVE,
    PLANNED,
    POSSESSIVE,
    POSSESSIVE_REACH_WORDS,
    RECIPIENT,
    RELATION_REACH_WORDS,
    REPORTED_BY,
    REPORTER,
    REPORTING,
    SAYS,
    SPEAKS,
    SUBJECT_JOIN,
    TAKES_DRUG,
)
from medscribe.logic.document.scope_words import CLOSING_TIME, CONDITION_AFTER
from medscribe.run_on import negated_clause_start

if TYPE_CHECKING:
    from medscribe.logic.document.scope import TextScope
    from medscribe.logic.document.scope_marks import Mark

Subject = Literal["patient", "family", "other"]
# (whose, the relation, unclear, who spoke of it: "daughter" of "the daughter says her mother …", why the words
# leave whose open when the reader can name it: "a new dosed line after the brother's clause")
Owner = tuple[Subject, str, bool, str, str]
PATIENTS: Owner = ("patient", "", False, "", "")


def subject(scope: TextScope, begin: int) -> Owner:
    """Who the mention at ``begin`` is about (see the module's docstring)."""
    pronoun = False
    crossed = False  # a sentence end lies between: only a "family history" header still reaches
    later_pronoun = False  # "Family history: mum has asthma. He's had no fever. X": whose X is, unclear
    for mark in reversed(scope.marks[: bisect.bisect_right(scope._mark_ends, begin)]):
        if mark.kind in ("header", "patient", "action"):
            # the patient as subject or an instruction ends a "family history" header's reach in a later
            # sentence too ("Family history: … . Start sertraline … . Early morning waking most days.")
            return PATIENTS
        if mark.kind == "stop":
            crossed = True
        elif mark.kind == "pronoun":
            pronoun, later_pronoun = pronoun or not crossed, later_pronoun or crossed
        elif mark.kind in ("family", "other") and not crossed:
            owner = _relation_clause(scope, mark, begin, pronoun)
            if owner is not None:
                return owner
        elif mark.kind == "fh_inline" and not crossed:
            if _listed_after(scope, mark.end, begin):  # "family history of diabetes and stroke"
                return "family", "family history", pronoun, "", ""
            return PATIENTS
        elif mark.kind == "fh_header":
            return "family", "family history", pronoun or later_pronoun, "", ""
    return PATIENTS


def _relation_clause(scope: TextScope, mark: Mark, begin: int, pronoun: bool) -> Owner | None:
    """Whose the mention at ``begin`` is when ``mark`` (a relation) is the nearest subject before it; None when
    the relation is no subject of it (present, or the owner of one noun only): read on backwards."""
    text = scope.text
    spoken = REPORTED_BY.search(text, max(0, mark.begin - 120), mark.begin)
    if spoken is not None:  # "the daughter says her mother is confused": may be the patient
        return "patient", mark.text.removesuffix("'s"), True, spoken["speaker"].lower(), ""
    if (report := REPORTER.match(text, mark.end)) and report.end() <= begin and not pronoun:
        return "patient", mark.text, True, mark.text, ""  # "Dad says the wheeze …": reported, flagged
    acts = RECIPIENT.match(text, mark.end)
    if acts is not None and acts.end() <= begin and not pronoun:  # "mum gives him salbutamol"
        return PATIENTS
    if COMPANION.match(text, mark.end):
        return None  # "his daughter is with him": present, not the subject of what follows
    kind: Subject = "family" if mark.kind == "family" else "other"
    if mark.text.endswith("'s") and not _possessed(scope, mark.end, begin):
        if pronoun and len(text[mark.end : begin].split()) <= POSSESSIVE_REACH_WORDS:
            # "his wife's prescriptions and she is on methotrexate": whose is unclear
            return kind, mark.text.removesuffix("'s"), True, "", ""
        return None  # "her mother's furosemide for ankle swelling": the owner of one noun only
    relation = mark.text.removesuffix("'s")
    if _patient_listed(scope, mark):
        return PATIENTS  # "She and her twin brother both have psoriasis": hers too
    ended = _clause_ended(scope, relation, (mark.begin, mark.end), begin)
    if ended is not None:  # "dad says he …", "… consider CBT", "… asthma montelukast 10 mg"
        return ended
    if _other_gender_subject(text, relation, mark.end, begin):
        # "her husband is allergic to penicillin she takes sertraline": she is not the husband (a relation who
        # speaks or reports is read above: "his wife thinks he takes …" stays flagged)
        return PATIENTS
    if len(text[mark.end : begin].split()) > RELATION_REACH_WORDS:
        return "patient", mark.text, True, "", ""  # far from "her mother …": the patient's, flagged
    condition = CONDITION_AFTER.search(text, mark.end, begin)
    if condition is not None:
        # "his brother has eczema and uses epimax cream if the wheeze keeps coming back …": a condition opens a
        # clause of its own, most often the clinician's safety net for the patient; with a pronoun between
        # ("… if she gets wheezy") it may be the relation's
        why = f"said in a condition (“{condition.group(0).lower()} …”) after the {relation}'s clause"
        return ("patient" if not pronoun else kind), relation, True, "", why
    # a drug after a relation's clause that gives them no drug ("his brother drinks heavily too zopiclone
    # 7.5 mg"): the run-on may have moved on to the patient
    untaken = (
        begin in scope._drug_starts
        and not mark.text.endswith("'s")  # "his wife's atenolol": owned, said so
        and not gives_drug(text, mark.end, begin)
        and not allergy_cues(text, mark.end, begin)  # "her husband is allergic to penicillin": his allergen
    )
    # a condition or test after a relation's clause whose words give them none ("daughter morgan collects the
    # blister packs from lloyds stroke clinic", "her sister drives her to bristol six sessions of cbt"): the
    # relation's clause was about what they do; the run-on may have moved on to the patient
    unhad = (
        begin not in scope._drug_starts
        and _in_concept(scope, begin)  # a detected concept, not a habit's verb ("his partner also drinks")
        and not mark.text.endswith("'s")
        and bool(text[mark.end : begin].split())
        and HAS_CONCEPT.search(text, mark.end, begin) is None
    )
    unclear = pronoun or _juxtaposed(scope, mark.end, begin) or untaken or unhad
    return kind, _listed_relations(scope, mark, relation), unclear, "", ""


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


def _listed_relations(scope: TextScope, mark: Mark, relation: str) -> str:
    """``relation`` with the relations listed before it as one subject ("mother and father both had strokes": the
    strokes are both parents', not the father's alone; "his wife and daughter have covid": both)."""
    names = [m.text for m in _listed(scope, mark)[:-1]] + [relation]
    return relation if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _patient_listed(scope: TextScope, mark: Mark) -> bool:
    """The patient is named first in the list of people ``mark`` ends ("He and his brother both have asthma")."""
    first = _listed(scope, mark)[0]
    return _PATIENT_LISTED.search(scope.text, max(0, first.begin - 20), first.begin) is not None


def _clause_ended(scope: TextScope, relation: str, span: tuple[int, int], begin: int) -> Owner | None:
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


def _other_gender_subject(text: str, relation: str, low: int, begin: int) -> bool:
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


def _in_concept(scope: TextScope, begin: int) -> bool:
    i = bisect.bisect_right(scope.concepts, (begin, len(scope.text) + 1))
    return bool(i) and scope.concepts[i - 1][0] <= begin < scope.concepts[i - 1][1]


def _juxtaposed(scope: TextScope, low: int, begin: int) -> bool:
    """Between ``low`` and ``begin`` a concept is followed by nothing but spaces (or a time that closes it) before
    the next concept or ``begin`` ("her sister has lupus rash on the cheeks"): a recogniser's run-on; the
    relation's list or a new clause, for everything said after it."""
    first = bisect.bisect_left(scope.concepts, (low, -1))
    between = [
        c
        for c in scope.concepts[first : bisect.bisect_right(scope.concepts, (begin, begin))]
        if c[1] <= begin
    ]
    if not between:
        return False
    ends = [b for b, _ in between[1:]] + [begin]
    # "big brother had hand foot and mouth disease last week dioralyte …": a time said after the relation's
    # concept closes what was said of it; the next concept may be a new statement about the patient
    return any(
        not scope.text[e:nxt].strip() or CLOSING_TIME.fullmatch(scope.text, e, nxt) is not None
        for (_, e), nxt in zip(between, ends, strict=True)
    )


# "also" / "as well" after a possessive: the possessive owned the noun said before it ("like his father's"), and
# what follows is a new item of the patient's
_NEW_ITEM = re.compile(r"\b(?:also|as\s+well|plus)\b", re.IGNORECASE)


def _possessed(scope: TextScope, low: int, begin: int) -> bool:
    """``begin`` is the noun a possessive ending at ``low`` owns: no other concept and at most two words
    ("mother's blood pressure tablets") lie between."""
    between = [c for c in scope.concepts if low <= c[0] and c[1] <= begin]
    if _NEW_ITEM.search(scope.text, low, begin):  # "a tremor like his father's also tennis elbow": elliptical
        return False
    if OWNED_FORM.fullmatch(
        scope.text, low, begin
    ):  # "the carer's blood pressure tablets, bendroflumethiazide"
        return True
    return not between and len(scope.text[low:begin].split()) <= 2


def _listed_after(scope: TextScope, low: int, begin: int) -> bool:
    """Only concepts and list words lie in ``text[low:begin]`` (the list an inline cue opens)."""
    chars = list(scope.text[low:begin])
    for b, e in scope.concepts:
        if low <= b and e <= begin:
            chars[b - low : e - low] = [","] * (e - b)
    return FH_GLUE.fullmatch("".join(chars)) is not None
