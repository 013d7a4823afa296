"""MEDICAL_CONDITION entities -> problems and denied symptoms; TEST_TREATMENT_PROCEDURE -> tests/procedures."""

from __future__ import annotations

from collections.abc import Sequence

from medscribe.logic.document.context import TRAIT_MIN_SCORE, DraftContext
from medscribe.logic.document.model import ConditionItem, ProcedureItem
from medscribe.shapes import Entity

CONDITION_KINDS = ("DIAGNOSIS", "SYMPTOM", "SIGN")
PROCEDURE_TYPES = {"TEST_NAME": "test", "PROCEDURE_NAME": "procedure", "TREATMENT_NAME": "treatment"}


def conditions(
    ctx: DraftContext, entities: Sequence[Entity]
) -> tuple[list[ConditionItem], list[ConditionItem]]:
    """(problems, denied): a condition with the NEGATION trait is a denied symptom, never a problem."""
    items = [(condition(ctx, e), e) for e in entities if e.Category == "MEDICAL_CONDITION"]
    denied = [c for c, e in items if "NEGATION" in ctx.traits(e)]
    problems = [c for c, _ in items if c not in denied]
    return problems, denied


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
        name=entity.Text,
        kind=kinds[0].Name.lower() if kinds else "",
        details=details,
        qualifiers=ctx.qualifiers(entity),
        evidence=(ctx.evidence(entity, entity.Score),),
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
    )
