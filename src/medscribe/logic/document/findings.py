"""MEDICAL_CONDITION entities -> problems and denied symptoms; TEST_TREATMENT_PROCEDURE -> tests/procedures."""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.context import TRAIT_MIN_SCORE, DraftContext
from medscribe.logic.document.corrections import corrected
from medscribe.logic.document.cue_words import NON_PREFIX
from medscribe.logic.document.drug_in_condition import condition_name, condition_start
from medscribe.logic.document.model import ConditionItem, ProcedureItem
from medscribe.shapes import Entity

CONDITION_KINDS = ("DIAGNOSIS", "SYMPTOM", "SIGN")
PROCEDURE_TYPES = {"TEST_NAME": "test", "PROCEDURE_NAME": "procedure", "TREATMENT_NAME": "treatment"}
# A measurement said with a change of the patient's state before it ("she has lost weight", "has put on weight"):
# a finding, not a test that was done.
CHANGED = re.compile(
    r"\b(?:lost|losing|loses|gained|gaining|gains|put\s+on|putting\s+on)\s+(?:(?:some|a\s+lot\s+of|a\s+little)\s+)?$",
    re.IGNORECASE,
)

# A measurement said with an abnormal state after it ("pedal pulses absent", "his weight has fallen from the 50th
# centile", "potassium low on Friday", "her ferritin was raised"): a finding; a result said as a number ("HbA1c has
# fallen to 52") stays a test
CHANGED_AFTER = re.compile(
    r"\s+(?:(?:is|are|was|were|has|have|had)\s+)?(?:been\s+|now\s+)*"
    r"(?:absent|reduced|diminished|impalpable|fallen|dropped|falling|dropping|low|high|raised|elevated)\b"
    r"(?!\s+(?:to|by)\s+\d)",
    re.IGNORECASE,
)

# The same abnormal states said before the measurement, at most two words of its site or kind between ("absent
# foot pulses", "reduced left radial pulse", "a raised potassium", "low sodium"): a finding; the measurement as a
# kind of diet or goal ("a low potassium diet", "a high blood pressure target") is none
STATE_BEFORE = re.compile(
    r"\b(?:absent|reduced|diminished|impalpable|weak|faint|low|high|raised|elevated|decreased|increased)\s+"
    r"(?:(?!(?:and|or|but|with|of|the|a|an|in|on|at|to|for|from|is|was|are|were|no|not)\b)[a-z]+\s+){0,2}$",
    re.IGNORECASE,
)
_NOT_A_FINDING_AFTER = re.compile(
    r"\s*(?:diet|intake|targets?|goals?|threshold|supplements?|foods?|meals?|drinks?|dose|settings?)\b",
    re.IGNORECASE,
)

# A measurement named as what a dosed drug is for ("amlodipine 5 mg daily for blood pressure", "… to control her
# blood pressure"): the condition it treats, not a test done; "sent for potassium", "for blood pressure checks" stay
INDICATION_BEFORE = re.compile(
    r"\b(?:for|to\s+(?:control|lower|treat|help))\s+(?:(?:his|her|their|the)\s+)?$", re.IGNORECASE
)
# a dose said in digits or words ("2.5 mg", "two point five milligrams": the recogniser's words reach this unread)
DOSE_SAID = re.compile(
    r"\b(?:mg|mcg|micrograms?|milligrams?|units?|g|grams?|ml|millilitres?|tablets?|puffs?)\b", re.IGNORECASE
)
TEST_WORD_AFTER = re.compile(
    r"\s*(?:check|checks|checked|monitoring|test|tests|measurement|readings?|review|levels?|results?|of\s+\d)\b",
    re.IGNORECASE,
)
_SENTENCE_STOP = re.compile(r"[.;!?](?:\s|$)")


def _indication(text: str, e: Entity) -> bool:
    """``e`` (a test with no value) is named as what a drug dosed earlier in its sentence is for."""
    if any(a.Type == "TEST_VALUE" for a in e.Attributes) or TEST_WORD_AFTER.match(text, e.EndOffset):
        return False
    if INDICATION_BEFORE.search(text, max(0, e.BeginOffset - 40), e.BeginOffset) is None:
        return False
    low = max(0, e.BeginOffset - 150)
    stops = list(_SENTENCE_STOP.finditer(text, low, e.BeginOffset))
    return DOSE_SAID.search(text, stops[-1].end() if stops else low, e.BeginOffset) is not None


def as_finding(text: str, e: Entity) -> Entity:
    """A TEST_NAME read as the patient's finding when a change verb or an abnormal state (:data:`STATE_BEFORE`) is
    said right before it, spanning both words ("lost weight", "absent foot pulses": a condition), or an abnormal
    state right after it ("pedal pulses absent", "weight has fallen");
    read as the condition a drug treats when named as what a dosed drug is for ("… 5 mg for blood pressure");
    any other entity unchanged."""
    if (
        e.Category != "TEST_TREATMENT_PROCEDURE"
        or e.Type != "TEST_NAME"
        or text[e.BeginOffset : e.EndOffset] != e.Text
    ):
        return e
    if _indication(text, e):
        return e.model_copy(update={"Category": "MEDICAL_CONDITION", "Type": "DX_NAME"})
    m = CHANGED.search(text, max(0, e.BeginOffset - 40), e.BeginOffset)
    if m is None and not _NOT_A_FINDING_AFTER.match(text, e.EndOffset):
        m = STATE_BEFORE.search(text, max(0, e.BeginOffset - 40), e.BeginOffset)
    if m is None:
        after = CHANGED_AFTER.match(text, e.EndOffset)
        if after is None:
            return e
        return e.model_copy(
            update={
                "Category": "MEDICAL_CONDITION",
                "Type": "DX_NAME",
                "EndOffset": after.end(),
                "Text": text[e.BeginOffset : after.end()],
            }
        )
    return e.model_copy(
        update={
            "Category": "MEDICAL_CONDITION",
            "Type": "DX_NAME",
            "BeginOffset": m.start(),
            "Text": text[m.start() : e.EndOffset],
        }
    )


def conditions(
    ctx: DraftContext, entities: Sequence[Entity]
) -> tuple[list[ConditionItem], list[ConditionItem]]:
    """(problems, denied). Negation is decided by the words (:mod:`.scope`: a cue whose reach holds the
    condition) and the NEGATION trait together: either one alone denies it; where the words cannot decide,
    or a trait's negation was cut off by the words, the item is flagged NEGATION_SCOPE_UNCLEAR (under Denied
    when the trait negates it, under Problems otherwise) — not the second of a pair the cue opens ("denies X or
    Y": :func:`negated_pair`), which is the negation's own, under Denied. A doubt's cue reaching it ("not sure
    if", "might have had") is never a denial, whatever the trait: a problem, flagged UNCERTAIN. A condition the speaker corrects to a sound-alike
    one (:mod:`.corrections`) is in neither list, only flagged."""
    problems: list[ConditionItem] = []
    denied: list[ConditionItem] = []
    wrong = corrected(ctx, entities)  # "hyperthyroidism, sorry, hypothyroidism": the first is no problem
    for e in entities:
        if e.Category != "MEDICAL_CONDITION" or e.Id in wrong:
            continue
        item = condition(ctx, e)
        trait = "NEGATION" in ctx.traits(e)
        start = condition_start(ctx.text, e.Text, e.BeginOffset, ctx.medication_spans)  # "digoxin toxicity"
        words, cue = ctx.scope.negation(start, e.EndOffset) if ctx.at(e) else ("none", "")
        # "non-tender": the sign's own negation
        if NON_BEFORE.search(ctx.text, max(0, e.BeginOffset - 5), e.BeginOffset):
            words = "negated"
        if words == "uncertain":  # "not sure her sugar's been high": doubt, flagged UNCERTAIN by .about
            trait, words = False, "none"
        unclear = words == "unclear" or (words == "out" and trait)
        if unclear and (trait or words == "negated") and negated_pair(ctx.text, e.BeginOffset):
            unclear = False  # "denies X or Y": Y is the negated list's own, listed under Denied
        if unclear:
            where = "Denied" if trait else "Problems"
            ctx.flag_item(
                "NEGATION_SCOPE_UNCLEAR",
                e,
                f"“{e.Text}”: the words do not say whether “{cue}” applies to it: listed under {where}, check",
            )
        (denied if trait or words == "negated" else problems).append(item)
    return problems, denied


NON_BEFORE = re.compile(NON_PREFIX, re.IGNORECASE)  # the prefix said right before a sign ("non-tender")
# "denies chest pain or haemoptysis", "no tongue biting or incontinence": the second of a pair closed by "or" /
# "nor" right after the negation cue (the first at most three words) is the negation's own, whatever follows the
# pair (the cue's reach past the pair may be unclear).
NEGATED_PAIR = re.compile(
    r"\b(?:no|denies|denied|denying|without|negative\s+for)\s+(?:any\s+)?[\w'-]+(?:\s+[\w'-]+){0,2}"
    r"\s*,?\s+(?:or|nor)\s+(?:any\s+)?$",
    re.IGNORECASE,
)


def negated_pair(text: str, begin: int) -> bool:
    """The condition at ``begin`` is the second of "<negation> X or Y" (:data:`NEGATED_PAIR`)."""
    return NEGATED_PAIR.search(text, max(0, begin - 60), begin) is not None


def condition(ctx: DraftContext, entity: Entity) -> ConditionItem:
    kinds = sorted(
        (t for t in entity.Traits if t.Name in CONDITION_KINDS and t.Score >= TRAIT_MIN_SCORE),
        key=lambda t: -t.Score,
    )
    details = tuple(
        dict.fromkeys(
            a.Text for a in sorted(entity.Attributes, key=lambda a: a.BeginOffset) if a.Score >= ctx.min_score
        )
    )
    if entity.Score < ctx.review:
        ctx.flag_item("LOW_SCORE", entity, f"condition “{entity.Text}” has a low score")
    return ConditionItem(
        name=condition_name(ctx.text, entity.Text, entity.BeginOffset, ctx.medication_spans),
        kind=kinds[0].Name.lower() if kinds else "",
        details=details,
        qualifiers=ctx.qualifiers(entity),
        evidence=(ctx.evidence(entity, entity.Score),),
        ids=(entity.Id, *(a.Id for a in entity.Attributes)),
        spans=((entity.BeginOffset, entity.EndOffset),),
    )


def procedures(ctx: DraftContext, entities: Sequence[Entity]) -> list[ProcedureItem]:
    return [
        procedure(ctx, e)
        for e in entities
        if e.Category == "TEST_TREATMENT_PROCEDURE" and e.Type in PROCEDURE_TYPES
    ]


def procedure(ctx: DraftContext, entity: Entity) -> ProcedureItem:
    def texts(kind: str) -> str:
        return ", ".join(
            dict.fromkeys(a.Text for a in entity.Attributes if a.Type == kind and a.Score >= ctx.min_score)
        )

    if entity.Score < ctx.review:
        ctx.flag_item("LOW_SCORE", entity, f"{PROCEDURE_TYPES[entity.Type]} “{entity.Text}” has a low score")
    return ProcedureItem(
        name=entity.Text,
        kind=PROCEDURE_TYPES[entity.Type],
        value=texts("TEST_VALUE"),
        unit=texts("TEST_UNIT"),
        negated="NEGATION" in ctx.traits(entity),
        qualifiers=ctx.qualifiers(entity),
        evidence=(ctx.evidence(entity, entity.Score),),
        ids=(entity.Id, *(a.Id for a in entity.Attributes)),
        spans=((entity.BeginOffset, entity.EndOffset),),
    )
