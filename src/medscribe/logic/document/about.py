"""Whose and when: mentions that are not the patient's current facts are routed to their own sections before
the prescription and problem lists are built, so they can never reach them.

For each kept MEDICATION, MEDICAL_CONDITION and TEST_TREATMENT_PROCEDURE mention, the words around it
(:mod:`.scope`) and its traits decide, in this order:

- **whose**: PERTAINS_TO_FAMILY, or a blood relative as its subject -> Family history ("sister: lupus",
  "father: warfarin"); another person (a husband, wife, partner, friend, flatmate, carer, …) -> Other people
  ("flatmate: quetiapine"); unclear subject -> there too, flagged SUBJECT_UNCLEAR. A mention said twice of the
  same person is one item;
- **when**: HYPOTHETICAL / FUTURE, or a conditional trigger ("if", "return if", "should … develop",
  "consider", "may start", …) -> Plan and conditional; unclear reach -> there too, flagged
  CONDITION_SCOPE_UNCLEAR, unless the mention is the object of the condition's own verb ("if she develops ankle
  swelling": :func:`condition_object`);
- a condition inside an allergy statement is the allergy's reaction (Allergies), never a problem;
- a PAST_HISTORY condition or procedure -> Past history unless negated ("no history of …": Denied); a past-only
  medication stays a "Not taking" note; either is flagged HISTORY_SCOPE_UNCLEAR when the words do not show a past
  cue reaching it (:mod:`.past_scope`).

Everything else is the patient's, and goes on to :mod:`.medications` and :mod:`.findings`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from medscribe.logic.document.context import DOSE_TYPES, DraftContext
from medscribe.logic.document.drug_in_condition import in_condition
from medscribe.logic.document.guess import name_unsure
from medscribe.logic.document.medications import held
from medscribe.logic.document.model import AboutItem
from medscribe.logic.document.owned_after import owned_after
from medscribe.logic.document.past_scope import past_unclear
from medscribe.logic.document.relation_words import IN_THE_FAMILY, RELATION
from medscribe.logic.document.said_over import said_over
from medscribe.logic.document.scope import Scope
from medscribe.shapes import Entity

FAMILY_HISTORY = "Family history"
OTHER_PEOPLE = "Other people"
ROUTED = ("MEDICATION", "MEDICAL_CONDITION", "TEST_TREATMENT_PROCEDURE")
KINDS = {
    "MEDICATION": "medication",
    "MEDICAL_CONDITION": "condition",
    "TEST_TREATMENT_PROCEDURE": "procedure",
}


@dataclass
class Routed:
    patient: list[Entity] = field(default_factory=list)
    family: list[AboutItem] = field(default_factory=list)
    others: list[AboutItem] = field(default_factory=list)  # people who are not family (Other people)
    plan: list[AboutItem] = field(default_factory=list)
    past: list[AboutItem] = field(default_factory=list)


def route(
    ctx: DraftContext, entities: Sequence[Entity], allergy_regions: Sequence[tuple[int, int]]
) -> Routed:
    out = Routed()
    in_a_condition = _in_a_condition(ctx, entities)
    for e in entities:
        if e.Category not in ROUTED:
            out.patient.append(e)
            continue
        if (
            e in in_a_condition
        ):  # "Lithium 400 mg … No signs of lithium toxicity": the condition's word, not a mention
            continue
        located = ctx.at(e)
        scope = ctx.scope.at(e.BeginOffset, e.EndOffset) if located else None
        traits = ctx.traits(e)
        kind = KINDS[e.Category]
        unsure, reach_unclear = (
            name_unsure(ctx.text, e.BeginOffset, e.EndOffset, ctx.scope.concepts)
            if located and e.Category == "MEDICATION"
            else ("", False)
        )
        if reach_unclear:  # "maybe propranolol atenolol 50 mg": a run-on, the guess may end before it
            ctx.flag_item(
                "NAME_UNCLEAR",
                e,
                f"“{e.Text}”: the words do not say whether the guess (“{unsure}”) reaches it: check the drug",
            )
        elif (
            unsure
        ):  # "possibly sumatriptan or rizatriptan": a guessed name is never a prescription stated as fact
            ctx.flag_item(
                "NAME_UNCLEAR", e, f"“{e.Text}”: the name was said as a guess (“{unsure}”): check the drug"
            )
        if "LOW_CONFIDENCE" in traits:  # the detector's own doubt: never a fact stated without a flag
            ctx.flag_item("LOW_SCORE", e, f"{kind} “{e.Text}” was marked low confidence by the detector")
        if e.Category == "MEDICAL_CONDITION" and located and _inside(e, allergy_regions):
            continue  # an allergy's reaction: shown in Allergies
        owner = (
            owned_after(ctx.text, e.EndOffset, ctx.scope.concepts)
            if located and e.Category == "MEDICATION" and (scope is None or scope.subject == "patient")
            else None
        )
        if (
            owner is not None
        ):  # "she takes methotrexate 10 mg weekly too, and that is hers": never the patient's row
            add(
                out.family if owner.family else out.others, _item(ctx, e, f"{owner.relation}: {e.Text}", kind)
            )
            continue
        runs_in_family = (
            located and e.Category == "MEDICAL_CONDITION" and IN_THE_FAMILY.match(ctx.text, e.EndOffset)
        )
        if (
            "PERTAINS_TO_FAMILY" in traits
            or runs_in_family
            or (scope is not None and scope.subject != "patient")
        ):
            relation = scope.relation if scope is not None and scope.relation else "family"
            other = scope is not None and scope.subject == "other"
            where = OTHER_PEOPLE if other else FAMILY_HISTORY
            add(out.others if other else out.family, _item(ctx, e, f"{relation}: {e.Text}", kind))
            if scope is not None and scope.subject_unclear:
                ctx.flag_item(
                    "SUBJECT_UNCLEAR",
                    e,
                    f"“{e.Text}”: the words do not say whether it is the patient's or the {relation}'s: "
                    f"listed under {where}, check",
                )
            elif (
                scope is not None
                and scope.subject == "patient"
                and not IN_THE_FAMILY.match(ctx.text, e.EndOffset)
            ):
                named = ctx.scope.object_relation(e.BeginOffset)
                if named:  # the detector's trait and the words disagree: neither is taken on trust
                    ctx.flag_item(
                        "SUBJECT_UNCLEAR",
                        e,
                        f"“{e.Text}”: marked as a family member's by the detector, but “{named}” is not the "
                        "subject of its clause: listed under Family history, check whether it is the patient's",
                    )
            continue
        if e.Category == "MEDICATION" and held(ctx, e):
            out.patient.append(e)  # a hold instruction: a "hold" qualifier on its row or a "Not taking" note
            continue
        if scope is not None and scope.subject_unclear and scope.reported_by == scope.relation:
            ctx.flag_item(  # "dad says he is not sleeping": the relation speaks, of the patient or of itself
                "SUBJECT_UNCLEAR",
                e,
                f"“{e.Text}”: said after the {scope.relation} speaks, of the patient or of the {scope.relation}: "
                "drafted as the patient's, check whose it is",
            )
        elif scope is not None and scope.subject_unclear and scope.reported_by:
            ctx.flag_item(
                "SUBJECT_UNCLEAR",
                e,
                f"“{e.Text}”: the {scope.reported_by} speaks of “{scope.relation}”, who may be the patient or "
                "another person: drafted as the patient's, check",
            )
        elif scope is not None and scope.subject_unclear and scope.subject_why:  # the reader names why
            ctx.flag_item(
                "SUBJECT_UNCLEAR",
                e,
                f"“{e.Text}”: {scope.subject_why}, of the patient or of the {scope.relation}: drafted as the "
                "patient's, check whose it is",
            )
        elif scope is not None and scope.subject_unclear:  # far from a relation: the patient's, to check
            ctx.flag_item(
                "SUBJECT_UNCLEAR",
                e,
                f"“{e.Text}”: said some way after “{scope.relation}” with no sentence end between: drafted as "
                "the patient's, check",
            )
        doubt = scope.negation_cue if scope is not None and scope.negation == "uncertain" else ""
        hypothetical = traits & {"HYPOTHETICAL", "FUTURE"}
        planned = hypothetical or (scope is not None and scope.conditional)
        if (
            doubt and e.Category != "MEDICATION" and not planned
        ):  # a drug's doubt is its name's (NAME_UNCLEAR)
            ctx.flag_item(  # "not sure if he had a fever": neither denied nor a current fact ("query X": a plan)
                "UNCERTAIN",
                e,
                f"“{e.Text}”: said with doubt (“{doubt}”): not denied, not confirmed, check",
            )
        if hypothetical or (scope is not None and scope.conditional):
            said = scope.conditional if scope is not None and scope.conditional else ""
            said = said or ctx.planned.get((e.BeginOffset, e.EndOffset), "")  # (.planned)
            text = said or f"{e.Text} ({', '.join(sorted(t.lower() for t in hypothetical))})"
            out.plan.append(_item(ctx, e, text, kind))
            ended = ctx.scope.ended_condition(e.BeginOffset) if located and not said else ""
            if ended:
                ctx.flag_item(
                    "CONDITION_SCOPE_UNCLEAR",
                    e,
                    f"“{e.Text}”: marked {'/'.join(sorted(hypothetical)).lower()} by the detector, but the words "
                    f"“{ended} …” seem to end before it: listed under Plan and conditional, check",
                )
            elif (
                not said
                and hypothetical
                and e.Category == "MEDICATION"
                and any(a.Type in DOSE_TYPES for a in e.Attributes)
            ):  # "he will get GTN spray, 400 micrograms per dose as needed": a dosed drug, no conditional word
                ctx.flag_item(
                    "CONDITION_SCOPE_UNCLEAR",
                    e,
                    f"“{e.Text}”: marked {'/'.join(sorted(hypothetical)).lower()} by the detector, but no conditional "
                    "word is said with it and a dose is: listed under Plan and conditional, check whether it is "
                    "prescribed now",
                )
            if (
                scope is not None
                and scope.conditional_unclear
                and not condition_object(ctx.text, e.BeginOffset)
            ):
                ctx.flag_item(
                    "CONDITION_SCOPE_UNCLEAR",
                    e,
                    f"“{e.Text}”: the words do not say whether it belongs to “{said}”: listed under Plan and "
                    "conditional, not as a current fact, check",
                )
            continue
        negated = ("NEGATION" in traits and not doubt) or (scope is not None and scope.negation == "negated")
        if e.Category == "MEDICATION" and "NEGATION" in traits and scope is not None:
            _negation_disagrees(ctx, e, scope)
        if "PAST_HISTORY" in traits and not negated and located:
            _past_disagrees(ctx, e)
        if e.Category != "MEDICATION" and "PAST_HISTORY" in traits and not negated:
            out.past.append(_item(ctx, e, e.Text, kind))
            continue
        if e.Category == "MEDICAL_CONDITION" and not negated:
            _said_over(ctx, e)
        out.patient.append(e)
    return out


# "if she develops ankle swelling", "should he develop a tremor or rigidity", "unless he gets indigestion", "if
# there is discharge": the mention is the object of the condition's own verb (after "if" / "should" / "unless" and
# its subject), alone or joined by "or" / "and" to one said the same way; the words say it belongs to the condition.
_SUBJECT = r"(?:she|he|they|it|there|you|i|we|the\s+(?:child|baby|patient))"
_CONDITION_VERB = (
    r"(?:develops?|developed|gets?|got|has|have|had|is|are|was|becomes?|feels?|experiences?|notices?|spikes?)"
)
_DETERMINER = r"(?:(?:a|an|another|any|new|more|worse|worsening|further|symptoms\s+of|signs\s+of)\s+)*"
CONDITION_OBJECT = re.compile(
    rf"\b(?:if|should|unless)\s+{_SUBJECT}\s+{_CONDITION_VERB}\s+{_DETERMINER}"
    rf"(?:[\w'-]+(?:\s+[\w'-]+){{0,2}}\s+(?:or|and)\s+(?:becomes?\s+)?{_DETERMINER})?(?:[\w'-]+\s+)?$",
    re.IGNORECASE,
)


def condition_object(text: str, begin: int) -> bool:
    """The mention at ``begin`` is the object of its condition's verb, in the same clause (:data:`CONDITION_OBJECT`)."""
    return CONDITION_OBJECT.search(text, max(0, begin - 80), begin) is not None


def _negation_disagrees(ctx: DraftContext, e: Entity, scope: Scope) -> None:
    """A drug the detector marked negated whose negation the words end before it ("no longer taking aspirin
    now on clopidogrel"): it stays a "Not taking" note, flagged, never silently dropped from the prescription."""
    if (e.BeginOffset, e.EndOffset) in ctx.declined:  # "declined X" (.planned): the words say it
        return
    if scope.negation in ("out", "unclear", "none"):  # none: no negation cue in the words at all
        said = (
            f"the words do not say that “{scope.negation_cue}” reaches it"
            if scope.negation_cue
            else "no negation word is said before it"
        )
        ctx.flag_item(
            "NEGATION_SCOPE_UNCLEAR",
            e,
            f"“{e.Text}”: marked not taken by the detector, but {said}: listed under Not taking, check whether it "
            "is taken",
        )


def _past_disagrees(ctx: DraftContext, e: Entity) -> None:
    """A mention the detector marked past history whose words do not say so (:mod:`.past_scope`): it stays
    where the trait puts it (Past history, or a "Not taking" note), flagged, never silently out of the lists."""
    why = past_unclear(
        ctx.text, ctx.scope.concepts, e.BeginOffset, e.EndOffset, condition=e.Category == "MEDICAL_CONDITION"
    )
    if why:
        where = "Not taking" if e.Category == "MEDICATION" else "Past history"
        ctx.flag_item(
            "HISTORY_SCOPE_UNCLEAR",
            e,
            f"“{e.Text}”: marked past history by the detector, but {why}: listed under {where}, check whether "
            "it is current",
        )


def _said_over(ctx: DraftContext, e: Entity) -> None:
    """A current condition whose words then say it is over (:mod:`.said_over`): kept under Problems, flagged."""
    over = said_over(ctx.text, e.EndOffset, ctx.scope.concepts)
    if over:
        ctx.flag_item(
            "HISTORY_SCOPE_UNCLEAR",
            e,
            f"“{e.Text}”: said as over (“{over}”): listed under Problems, check whether it is current or past "
            "history",
        )


def names_a_person(e: Entity) -> bool:
    """A MEDICATION whose words are only a person ("flatmate", "her carer"): a detector's misreading of a relation
    as a drug name. It is no drug, so it is no row; the drug said beside it is read as that person's."""
    words = re.sub(r"^(?:the|her|his|their|a|an|my)\s+", "", " ".join(e.Text.lower().split()))
    return e.Category == "MEDICATION" and RELATION.fullmatch(words) is not None


def add(items: list[AboutItem], item: AboutItem) -> None:
    """``item`` into ``items``, or merged into the item that already says the same ("flatmate: quetiapine"
    said twice is one line, with both mentions' ids, spans and evidence)."""
    for i, old in enumerate(items):
        if old.text.lower() == item.text.lower():
            items[i] = old.model_copy(
                update={
                    "ids": tuple(dict.fromkeys((*old.ids, *item.ids))),
                    "spans": tuple(dict.fromkeys((*old.spans, *item.spans))),
                    "evidence": tuple(dict.fromkeys((*old.evidence, *item.evidence))),
                }
            )
            return
    items.append(item)


def _inside(e: Entity, regions: Sequence[tuple[int, int]]) -> bool:
    return any(b <= e.BeginOffset and e.EndOffset <= end for b, end in regions)


def _item(ctx: DraftContext, e: Entity, text: str, kind: str) -> AboutItem:
    if e.Score < ctx.review:
        ctx.flag_item("LOW_SCORE", e, f"{kind} “{e.Text}” has a low score")
    return AboutItem(
        text=" ".join(text.split()),
        name=" ".join(e.Text.lower().split()),
        kind=kind,
        ids=(e.Id, *(a.Id for a in e.Attributes)),
        spans=((e.BeginOffset, e.EndOffset),),
        evidence=(ctx.evidence(e, e.Score),),
    )


def _in_a_condition(ctx: DraftContext, entities: Sequence[Entity]) -> list[Entity]:
    """The drug mentions said only as part of a condition ("lithium toxicity") whose drug is also said elsewhere as
    a drug: they are the condition's words, never a mention the drug's taking or negation is read from. A drug said
    only in a condition keeps its mention (the clause guard flags it, :mod:`.drug_in_condition`)."""
    drugs = [e for e in entities if e.Category == "MEDICATION" and ctx.at(e)]
    inside = [e for e in drugs if in_condition(ctx.text, (e.BeginOffset, e.EndOffset))]
    said_as_drug = {e.Text.lower() for e in drugs if e not in inside}
    return [e for e in inside if e.Text.lower() in said_as_drug]
