"""The clause guards: what the words around an item say about it, read by structure, not by knowing the item.

``current_unverified``: a Problems or Medications item every one of whose mentions stands in a clause that holds a
cue making it something other than the patient's current fact — another person as the clause's subject (a
relation, an other-gender pronoun, "his own"), a condition or option ("if", "should", "consider", "may be an
option"), a stop ("was never started", "Stopped:"), an allergy statement (a Problem said as an allergy's
reaction) — is flagged ``NOT_VERIFIED_CURRENT`` naming each cue's category, whether or not the item was flagged
for another reason (a blank route does not say what is wrong with a conditional drug).

``placement_unverified`` (the same clause words, for Denied and Family-history items) is in
:mod:`.placement_guard`.
Both: docs/guards.md ("What the clause does not verify").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from medscribe.logic.document import clause_words as w
from medscribe.logic.document.clause_reach import (
    Span,
    clause_after,
    clause_start,
    is_other_gender,
    own_clause_after,
    patient_gender,
    resets,
    shown_flags,
)
from medscribe.logic.document.drug_in_condition import flag as condition_flag
from medscribe.logic.document.drug_in_condition import in_condition
from medscribe.logic.document.given_in_error import flag as error_flag
from medscribe.logic.document.given_in_error import given_in_error
from medscribe.logic.document.max_dose import limit_at
from medscribe.logic.document.model import PrescriptionRow, ReviewFlag
from medscribe.logic.document.past_course import flag as past_flag
from medscribe.logic.document.past_course import past_course
from medscribe.logic.document.pronoun_stop import flag as pronoun_flag
from medscribe.logic.document.pronoun_stop import not_current, pronoun_stop, skipped_dose, skipped_flag
from medscribe.logic.document.reason_cues import (
    LOADING_AFTER_WORDS,
    after_list,
    later_condition_cue,
    loading_cue,
    past_reaction_cue,
)
from medscribe.logic.document.scope_words import DOUBT_SAID, UNCERTAIN_CUE
from medscribe.logic.document.side_effect import flag as side_flag
from medscribe.logic.document.side_effect import side_effect
from medscribe.logic.document.susceptibility import organism_cue

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput

RANGE_SAID = re.compile(r"\d\s*(?:[a-z]+\s+)?(?:to|or|-|up\s+to)\s+\d", re.I)
# The doubt words of the negation reader ("not sure if", "can't remember whether"): the "if" they take is the
# doubt's, not a condition's (the item is flagged UNCERTAIN for it)
DOUBT = re.compile(UNCERTAIN_CUE, re.I)
DOUBT_REACH = 40  # characters before an "if" a doubt said with it may start
# A relation who doubts ("mum is unsure whether", "dad can't remember if") speaks of the patient, like "mum says"
DOUBTER_AFTER = re.compile(rf"^\s*(?:(?:is|was)\s+)?{DOUBT_SAID}", re.I)

CATEGORY_TEXT = {
    "other person": "another person is the subject of its clause ({cue}): OTHER_PERSON, check whose it is",
    "conditional": "its clause is conditional ({cue}): CONDITIONAL / HYPOTHETICAL, check it applies now",
    "stopped": "its clause says it is stopped or not started ({cue}): STOPPED / NOT_TAKING, check it is taken",
    "allergy": "it is said in an allergy statement ({cue}): ALLERGY, it may be the reaction, not a problem",
    "allergen": "it is said after an allergy cue ({cue}): ALLERGY, it may be an allergen, not a prescription",
    "dose": "several doses are said for it ({cue}): DOSE, check which is the current one",
    "loading": "a loading dose is said for it ({cue}): DOSE, the first amount is given once; check the dose to continue",
    "reaction": "it is said to have caused a reaction in the past ({cue}): an intolerance? STOPPED / NOT_TAKING, "
    "check it is still taken",
}


@dataclass(frozen=True)
class Cue:
    category: str
    said: str
    begin: int


def current_unverified(inp: GuardInput) -> list[ReviewFlag]:
    text = inp.text
    gender = patient_gender(text)
    out: list[ReviewFlag] = []
    raised = (*inp.draft.flags, *inp.raised)
    items: list[tuple[str, str, Sequence[int], Sequence[Span]]] = [
        ("medication", r.name, r.ids, r.spans) for r in inp.draft.prescriptions
    ]
    shown_doses = {r.name: " ".join((r.dose_text, *r.taper, *_previous(r))) for r in inp.draft.prescriptions}
    items += [("condition", c.name, c.ids, c.spans) for c in inp.draft.problems]
    # drugs drafted in another section (not taking, another person's) end a clause too
    elsewhere = [sp for n in inp.draft.not_taking for sp in n.spans]
    elsewhere += [sp for o in inp.draft.other_people for sp in o.spans]
    drugs = sorted(
        [sp for r in inp.draft.prescriptions for sp in r.spans]
        + [sp for n in inp.draft.not_taking for sp in n.spans]
    )
    for kind, name, ids, spans in items:
        if not name.strip():  # an unidentified drug's row: flagged by the draft itself
            continue
        mentions = sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text))
        if not mentions:
            continue
        others = [b for _, _, _, s in items for b, _ in s if not any(b == m[0] for m in mentions)]
        others += [b for b, _ in elsewhere if not any(b == m[0] for m in mentions)]
        cues = [clause_cues(text, b, e, kind, gender, others) for b, e in mentions]
        if all(cues):  # no mention of it is said plainly as the patient's: not verified as current
            # every mention's cues are named, not only the first's ("her sister takes X … she stopped X")
            out.append(_current_flag(name, mentions[0], [c for said in cues for c in said]))
            continue
        if kind == "medication" and all(given_in_error(text, m) for m in mentions):
            out.append(
                error_flag(name, mentions[0], given_in_error(text, mentions[0]))
            )  # "dispensed X in error"
            continue
        if kind == "medication" and (said := pronoun_stop(text, mentions[-1], drugs)):
            out.append(pronoun_flag(name, mentions[-1], said))  # "… at night. She stopped it last week."
            continue
        if kind == "medication" and (said := skipped_dose(text, mentions[-1], drugs)):
            out.append(skipped_flag(name, mentions[-1], said))  # "…; he misses the morning dose on the day"
            continue
        stops = [c for c in cues[-1] if c.category == "stopped"]
        if (
            kind == "medication"
            and stops
            and all(c.category != "conditional" for c in cues[-1])
            and not any(f.kind == "CONDITIONAL_HOLD" for f in shown_flags(ids, mentions, raised))
        ):
            # its last word is a stop, said after a plain mention ("30 of his own dosulepin tablets … His
            # dosulepin will not be restarted"): the latest statement is not verified as current (a stop said
            # under a condition, "hold metformin if she is vomiting", is a sick-day rule, not a stop now: the row
            # names it CONDITIONAL_HOLD)
            out.append(_current_flag(name, mentions[-1], stops))
            continue
        if kind == "medication" and all(past_course(text, m) for m in mentions):
            out.append(
                past_flag(name, mentions[0], past_course(text, mentions[0]))
            )  # "… ago, treated with X"
            continue
        if kind == "medication" and all(side_effect(text, m) for m in mentions):
            out.append(side_flag(name, mentions[0], side_effect(text, mentions[0])))  # "X gave him aches"
            continue
        if kind == "medication" and all(in_condition(text, m) for m in mentions):
            out.append(
                condition_flag(name, mentions[0], in_condition(text, mentions[0]), text)
            )  # "lithium toxicity"
            continue
        shown = shown_flags(ids, mentions, raised)
        if shown and not any(_names_doses(f) for f in shown):
            # flagged already, for another reason: the flag must also name the doses said for it
            doses = shown_doses.get(name, "") if kind == "medication" else ""
            named = [c for b, e in mentions for c in flagged_cues(text, b, e, kind, others, doses)]
            if named:
                out.append(_current_flag(name, mentions[0], named))
    return out


def _names_doses(flag: ReviewFlag) -> bool:
    """The flag already names the doses said for its drug (a dose, taper, range or strength flag, or a dose
    corrected while dictating: "dose 50 mg → 25 mg")."""
    kinds = ("DOSE", "TAPER", "RANGE", "STRENGTH")
    return any(k in flag.kind for k in kinds) or (
        flag.kind == "SELF_CORRECTION" and ": dose " in flag.message
    )


def _previous(row: PrescriptionRow) -> tuple[str, ...]:
    """The old dose of the row's change, printed beside the new one ("10 mg (was 5 mg: dose increased)"): with
    the new dose it accounts for both amounts of "from 5 mg to 10 mg", which name no doubt of their own."""
    return (row.change.previous,) if row.change and row.change.new and row.change.previous else ()


def _current_flag(name: str, span: Span, cues: list[Cue]) -> ReviewFlag:
    by_category: dict[str, list[str]] = {}
    for cue in cues:
        by_category.setdefault(cue.category, []).append(f"“{cue.said}”")
    reasons = "; ".join(
        CATEGORY_TEXT[c].format(cue=", ".join(dict.fromkeys(said))) for c, said in by_category.items()
    )
    return not_current(name, span, reasons)


def clause_cues(
    text: str, begin: int, end: int, kind: str, gender: str | None, others: Sequence[int] = ()
) -> list[Cue]:
    """The cues of the item's clause (``text[begin:end]`` is the item) that make it not a current fact."""
    start = clause_start(text, begin)
    before = text[start:begin]
    after = clause_after(text, end)
    cues: list[Cue] = []
    for m in w.RELATION.finditer(before):
        if _companion_or_speaker(text, start + m.start(), start + m.end()):
            continue
        if m.group(0).lower().endswith("'s") and len(w.WORD.findall(text[start + m.end() : begin])) > 2:
            continue  # "her flatmate's zopiclone": a possessive owns the noun after it, no more
        if not resets(text[start + m.end() : begin], gender):
            cues.append(Cue("other person", m.group(0), start + m.start()))
    if gender is not None:
        for m in w.SUBJECT_PRONOUN.finditer(before):
            if is_other_gender(m.group("pronoun"), gender) and not resets(
                text[start + m.end() : begin], None
            ):
                cues.append(Cue("other person", m.group(0), start + m.start()))
        for m in w.OWN.finditer(before + text[end : end + len(after)]):
            if is_other_gender(m.group("pronoun"), gender):
                cues.append(Cue("other person", m.group(0), begin))
    for m in w.CONDITIONAL_BEFORE.finditer(before):
        if _doubts(text, start + m.start(), start + m.end()):
            continue  # "not sure if she had a fever": a doubt, flagged UNCERTAIN, not a condition
        if not resets(text[start + m.end() : begin], None):
            cues.append(Cue("conditional", m.group(0), start + m.start()))
    m_after = w.CONDITIONAL_AFTER.search(after)
    later = None if m_after else later_condition_cue(clause_after(text, end, LOADING_AFTER_WORDS))
    if m_after or later:
        cues.append(Cue("conditional", m_after.group(0).strip(" ,") if m_after else str(later), end))
    if kind == "medication":
        for m in w.STOPPED_BEFORE.finditer(before):
            if not resets(text[start + m.end() : begin], None, verbs=True):
                cues.append(Cue("stopped", m.group(0).rstrip(" :"), start + m.start()))
        m_old = w.STOPPED_RIGHT_BEFORE.search(before)
        if m_old:
            cues.append(Cue("stopped", m_old.group(0).strip(), start + m_old.start()))
        state = own_clause_after(text, end, others)
        m_stop = w.STOPPED_AFTER.search(state)
        listed = None if m_stop else after_list(text, end, others)
        if listed is not None:  # "her thyroxine and sertraline are held": the list's state is each item's
            state = own_clause_after(text, listed, others)
            m_stop = w.STOPPED_AFTER.search(state)
        if m_stop and _own_state(state[: m_stop.start()]):
            cues.append(Cue("stopped", m_stop.group(0).strip(" ,"), end))
        wide = clause_after(text, end, LOADING_AFTER_WORDS)
        loading = loading_cue(before, own_clause_after(text, end, others) if others else wide)
        if loading:
            cues.append(Cue("loading", loading, begin))
        reaction = past_reaction_cue(wide)
        if reaction:
            cues.append(Cue("reaction", reaction, end))
        for m in w.ALLERGY_TO.finditer(before):
            if organism_cue(text, start + m.start(), m.group(0)):
                continue  # "E. coli sensitive to X": a culture's result
            between = text[start + m.end() : begin]
            near = len(w.WORD.findall(between)) <= w.ALLERGEN_REACH_WORDS or w.ALLERGY_LIST_AND.search(
                between
            )
            if near and not resets(between, None, verbs=True):
                cues.append(Cue("allergen", m.group(0).rstrip(" :"), start + m.start()))
    else:
        for m in w.ALLERGY.finditer(before):
            between = text[start + m.end() : begin]
            if w.REACTION_VERB.search(between) and not resets(between, None):
                cues.append(Cue("allergy", m.group(0), start + m.start()))
    return sorted(cues, key=lambda c: -c.begin)  # nearest first


def flagged_cues(
    text: str, begin: int, end: int, kind: str, others: Sequence[int] = (), shown: str = ""
) -> list[Cue]:
    """More cues read only for a drug flagged already (its flag must name the real problem, adding no flagged
    item): two amounts of one unit said for it in its own clause ("glipizide 5 mg once daily, reduced from
    10 mg")."""
    if kind != "medication":
        return []
    by_unit: dict[str, list[str]] = {}
    clause = own_clause_after(text, end, others)
    ranged = RANGE_SAID.search(clause)
    if ranged and not re.search(r"\bfrom\s+\S+\s*$", clause[: ranged.start() + 1]):
        # "40 mg to 80 mg", "1 or 2 tablets": a range, flagged as one (not "from 5 mg to 10 mg": a change)
        return []
    for m in w.DOSE.finditer(clause):
        if limit_at(clause, m.start(), m.end()) is not None:
            continue  # "maximum 4 g in 24 hours": the row's limit, shown as its qualifier
        said = " ".join(m.group(0).lower().split())
        by_unit.setdefault(said.split()[-1].rstrip("s"), []).append(said)
    several = [d for doses in by_unit.values() if len(set(doses)) > 1 for d in dict.fromkeys(doses)]
    if all(re.search(rf"(?<![\d.]){re.escape(d.split()[0])}(?![\d.])", shown) for d in several):
        # the row shows every one (a taper's steps; a change's new dose and the old one it prints as "was")
        return []
    return [Cue("dose", ", ".join(several), end)] if several else []


def _own_state(between: str) -> bool:
    """The words between a drug and a state said after it are the drug's own statement: its dose, form, route,
    schedule (no other clause's verb, no other word the state could be said of)."""
    said = [m.group(0).lower() for m in w.WORD.finditer(between)]
    return not w.FINITE.search(between) and all(x[0].isdigit() or x in w.OWN_STATEMENT for x in said)


def _companion_or_speaker(text: str, begin: int, end: int) -> bool:
    after = text[end : end + 80]
    return bool(w.COMPANION_BEFORE.search(text[max(0, begin - 40) : begin])) or bool(
        w.SPEAKER_AFTER.search(after) or DOUBTER_AFTER.search(after)
    )


def _doubts(text: str, begin: int, end: int) -> bool:
    """The cue word at ``text[begin:end]`` ("if") is part of a doubt said around it (:data:`DOUBT`)."""
    low = max(0, begin - DOUBT_REACH)
    return any(d.start() <= begin and end <= d.end() for d in DOUBT.finditer(text, low, end + DOUBT_REACH))
