"""The dose change or taper of one medication mention, read from its stretch of text (:mod:`.dosechange`).

- the stretch runs from the drug named before the mention to the drug named after it, within its sentence;
- every change said in the stretch is read, in order: a conditional one ("if sugars are high increase to
  1000 mg") or one planned for later ("to be increased to 500 mg after two weeks") goes to the plan; of those
  made now the last said is the instruction ("was increased from 18 to 27 mg last month, raise to 36 mg"), the
  one before it its "was", and the row is flagged DOSE_CHANGE_UNATTACHED: the later change names no drug;
- a change whose new amount has no unit ("increase the dose to 20") takes the unit of the mention's own dose,
  flagged DOSE_UNIT_UNSAID; with no dose of its own to take it from, the row is flagged and keeps its dose.
"""

from __future__ import annotations

from medscribe.logic.document.context import DOSE_TYPES, DraftContext
from medscribe.logic.document.dosechange import ChangeFound, conditioned, find_changes, planned
from medscribe.logic.document.evidence import Span
from medscribe.logic.document.normalise import normalise
from medscribe.logic.document.taper import find_taper
from medscribe.shapes import Entity


def stretch(ctx: DraftContext, entity: Entity, own: Span) -> tuple[int, int]:
    """The mention's stretch of its sentence: from the drug named before it to the drug named after it."""
    low = max([own.begin, *(e for b, e in ctx.medication_spans if e <= entity.BeginOffset)])
    high = min([own.end, *(b for b, e in ctx.medication_spans if b >= entity.EndOffset)])
    return low, high


def _own_unit(entity: Entity) -> str | None:
    """The unit of the mention's own dose ("10 mg" -> "mg"), when it has one."""
    for a in entity.Attributes:
        value = normalise(a.Type, a.Text).value if a.Type in DOSE_TYPES else None
        if value and len(value.split()) == 2:
            return value.split()[1]
    return None


def read_change(ctx: DraftContext, entity: Entity, own: Span | None) -> tuple[int, int] | None:
    """Record the mention's dose change or taper; the phrases' span (their attributes are not the row's)."""
    if own is None or not ctx.at(entity):
        return None
    low, high = stretch(ctx, entity, own)
    # After another drug, a schedule said wholly before this mention is that drug's ("taper quetiapine 100 mg
    # … then 50 mg … can occur with lithium"): only a phrase reaching past the mention is its own.
    after_other = low > own.begin
    taper = find_taper(ctx.text, low, high)
    if taper is not None and after_other and taper.end <= entity.BeginOffset:
        taper = None
    if taper is not None:
        ctx.tapers[entity.Id] = taper
        if taper.unit_unsaid:
            ctx.flag(
                "DOSE_UNIT_UNSAID",
                entity.Text,
                f"{entity.Text}: a step of the taper was said with no unit: shown in {taper.unit_unsaid}, the unit "
                "of the step before it, check",
                entity_id=entity.Id,
            )
        return taper.begin, taper.end
    unit = _own_unit(entity)
    found = [
        c
        for c in find_changes(ctx.text, low, high, unit)
        if not (after_other and c.end <= entity.BeginOffset)
    ]
    if not found:
        return None
    own_condition = ctx.scope.conditional(entity.BeginOffset, entity.EndOffset)[0]
    now: list[ChangeFound] = []
    for change in found:
        condition = ctx.scope.conditional(change.begin, change.end)[0]
        later = None if condition else planned(ctx.text, change, high)
        if later is not None:  # "to be increased to 500 mg after two weeks": the plan's, not today's dose
            change, condition = later, later.change.phrase
        iffy = None if condition else conditioned(ctx.text, change, high)
        if iffy is not None:  # "reduce the evening dose to 12 units if she has another hypo"
            change, condition = iffy, iffy.change.phrase
        if condition and condition != own_condition:  # "…, and if sugars are high increase to 1000 mg"
            ctx.conditional_changes.append((entity, condition))
            ctx.conditional_spans.append((change.begin, change.end))
        else:
            now.append(change)
    if now:
        _record(ctx, entity, now)
    return found[0].begin, max(c.end for c in found)


def _record(ctx: DraftContext, entity: Entity, now: list[ChangeFound]) -> None:
    last = now[-1]
    if last.change.unit_unsaid and len(last.change.new.split()) < 2:  # no unit to take: not applied
        ctx.flag(
            "DOSE_UNIT_UNSAID",
            entity.Text,
            f"{entity.Text}: a new dose was said with no unit (“{last.change.phrase}”): not applied, the dose "
            "shown is the one before it, check",
            entity_id=entity.Id,
        )
        now = now[:-1]
        if not now:
            return
        last = now[-1]
    if len(now) > 1:
        if last.change.previous is None and now[-2].change.new:
            last = ChangeFound(
                last.begin, last.end, last.change.model_copy(update={"previous": now[-2].change.new})
            )
        ctx.flag(
            "DOSE_CHANGE_UNATTACHED",
            entity.Text,
            f"{entity.Text}: a later dose change names no drug (“{last.change.phrase}”): shown as this drug's "
            "current dose, check",
            entity_id=entity.Id,
        )
    if last.change.unit_unsaid:
        ctx.flag(
            "DOSE_UNIT_UNSAID",
            entity.Text,
            f"{entity.Text}: the new dose was said with no unit (“{last.change.phrase}”): shown in "
            f"{last.change.new.split()[-1]}, the unit of the dose before it, check",
            entity_id=entity.Id,
        )
    ctx.changes[entity.Id] = last
    ctx.change_spans += [(c.begin, c.end) for c in now]
