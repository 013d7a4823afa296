"""Whose a mention is: the one reader of which subject owns a span of the transcript (the subject part of
:class:`.scope.TextScope`; its words: :mod:`.relation_words`).

The marks before the mention (:mod:`.scope_marks`) are read backwards. A section header, an instruction or the
patient as subject ("patient", "I", "denies", …) gives the mention to the patient; a "family history" header
reaches later sentences too, a relation ("mother", "her husband", …) only its own. A relation's clause reaches
the mention unless one of these ends it first, in this order (:func:`_relation_clause`; the ends read by
:mod:`.subject_clause_end`):

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

from medscribe.logic.document import subject_clause_end, subject_lists
from medscribe.logic.document.allergy_cues import allergy_cues
from medscribe.logic.document.relation_words import (
    COMPANION,
    FH_GLUE,
    HAS_CONCEPT,
    OWNED_FORM,
    POSSESSIVE_REACH_WORDS,
    RECIPIENT,
    RELATION_REACH_WORDS,
    REPORTED_BY,
    REPORTER,
)
from medscribe.logic.document.scope_words import CLOSING_TIME, CONDITION_AFTER

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
    if subject_lists.patient_listed(scope, mark):
        return PATIENTS  # "She and her twin brother both have psoriasis": hers too
    ended = subject_clause_end.clause_ended(scope, relation, (mark.begin, mark.end), begin)
    if ended is not None:  # "dad says he …", "… consider CBT", "… asthma montelukast 10 mg"
        return ended
    if subject_clause_end.other_gender_subject(text, relation, mark.end, begin):
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
        and not subject_clause_end.gives_drug(text, mark.end, begin)
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
    return kind, subject_lists.listed_relations(scope, mark, relation), unclear, "", ""


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
