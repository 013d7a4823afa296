"""MEDICATION entities -> prescription rows and "Not taking" notes; UnmappedAttributes -> flagged rows.

- a mention's attributes are used only when they lie in the medication's clause (others are flagged and left
  out: another sentence, a new clause such as ", denies cough at night", another drug named in between),
  widened to whole numbers and normalised beside the raw text;
- one row per drug: mentions merged; NEGATION, HYPOTHETICAL, PERTAINS_TO_FAMILY and PAST_HISTORY-only drugs
  are never prescribed; a drug both taken and not taken, or with two different doses, is a contradiction;
- blank dose / route / frequency cells are flagged;
- allergy and hold context is read from the transcript (:mod:`.mention_context`), before the traits:
  - a drug named as an allergy ("allergic to X", "X allergy", "allergies: X, Y", …) is never prescribed: a
    "Not taking" note "ALLERGY: never prescribe" with the words that said so (:mod:`.allergies`), flagged
    ALLERGY_CONFLICT when the drug is also mentioned as taken or the transcript says "NKDA";
  - a denied allergy ("not allergic to X") is not a prescription mention either;
  - "hold X" with no condition (or "for now") stops the drug: "on hold: not prescribed" (like NEGATION);
  - a conditional hold ("hold X if eGFR below 30", "hold X for 5 days before surgery") means the patient is on
    the drug with an instruction to stop it in a situation. Whatever trait the backend gave it (the offline
    detector says NEGATION, others HYPOTHETICAL or nothing) it is neither dropped nor silently prescribed: the
    drug keeps (or gets) its prescription row, the row carries the qualifier "hold <condition>" and [REVIEW],
    and a CONDITIONAL_HOLD flag quotes the instruction in "Needs review". Attributes inside the condition
    ("for 5 days") belong to the hold, not the row, so they are not used as the row's duration.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from medscribe.logic.document.allergies import allergy_note
from medscribe.logic.document.allergy_retract import no_known_allergies_said
from medscribe.logic.document.claimed import claimed
from medscribe.logic.document.context import ATTRIBUTE_WORDS, DOSE_TYPES, DraftContext
from medscribe.logic.document.evidence import linked
from medscribe.logic.document.given_once import given_once
from medscribe.logic.document.max_dose import limit_at
from medscribe.logic.document.medication_rows import MED_ATTRIBUTE_TYPES, Fields, build_row
from medscribe.logic.document.mention_context import MentionContext, mention_context
from medscribe.logic.document.model import Evidence, MedicationNote, PrescriptionRow
from medscribe.logic.document.pronoun_stop import certain_stop
from medscribe.logic.document.restart import restarted
from medscribe.logic.document.rowchange import read_change, stretch
from medscribe.logic.document.unitdose import unread_fraction
from medscribe.shapes import Attribute, Entity

NOT_PRESCRIBED = {
    "NEGATION": "not taking",
    "HYPOTHETICAL": "hypothetical only: not prescribed",
    "PERTAINS_TO_FAMILY": "family history: not prescribed",
    "PAST_HISTORY": "past history only: not prescribed",
}
NOT_PRESCRIBED_CONTEXT = {
    "hold": "on hold: not prescribed",
    "stop": "stopped: not prescribed",
    "allergy_denied": "allergy denied (not an allergy, not a prescription): not prescribed",
}


def medications(
    ctx: DraftContext, entities: Sequence[Entity]
) -> tuple[list[PrescriptionRow], list[MedicationNote]]:
    """One row per prescribed drug (mentions merged by name), one note per drug that is not prescribed."""
    groups: dict[str, list[Entity]] = {}
    for entity in entities:
        groups.setdefault(" ".join(entity.Text.lower().split()), []).append(entity)
    rows: list[PrescriptionRow] = []
    notes: list[MedicationNote] = []
    nkda = no_known_allergies_said(ctx.text)
    for mentions in groups.values():
        name = mentions[0].Text
        for m in mentions:
            if m.Score < ctx.review:
                ctx.flag_item("LOW_SCORE", m, f"medication “{m.Text}” has a low score")
        said = {m.Id: _context(ctx, m) for m in mentions}
        kinds = {m.Id: c.kind if c else None for m, c in ((m, said[m.Id]) for m in mentions)}
        for m in mentions:
            context = said[m.Id]
            if (
                context is not None
                and context.kind in ("hold", "stop", "allergy_denied")
                and context.uncertain
            ):
                ctx.flag_item(
                    "NEGATION_SCOPE_UNCLEAR",
                    m,
                    f"“{m.Text}”: said right after “{context.phrase}” with nothing between (or after “then”, a "
                    "step of the drug before): the words do not say whether that reaches it too: listed under Not "
                    "taking, check",
                )
        holds = [m for m in mentions if kinds[m.Id] == "conditional_hold"]
        allergic = [m for m in mentions if kinds[m.Id] == "allergy"]
        plain = [m for m in mentions if kinds[m.Id] is None]
        restarts = [m for m in mentions if kinds[m.Id] == "restart"]
        parsed = [(m, *_mention(ctx, m, said[m.Id])) for m in mentions]
        # "previously on X 20 mg, now 40 mg": a past-history trait on a drug whose change says it is taken now
        affirmed = (
            holds
            + restarts
            + [
                m
                for m in plain
                if not ctx.traits(m) & set(NOT_PRESCRIBED)
                or (m.Id in ctx.changes and ctx.traits(m) & set(NOT_PRESCRIBED) == {"PAST_HISTORY"})
            ]
        )
        affirmed.sort(key=lambda m: (m.BeginOffset, m.Id))
        evidence = tuple(e for _, _, e in parsed)
        for m in allergic:
            context = said[m.Id]
            if context is not None and context.uncertain:
                ctx.flag_item(
                    "ALLERGY_UNCLEAR",
                    m,
                    f"allergy: “{context.phrase}”: the substance is not certain: listed as an allergy, "
                    "not prescribed, check",
                )
        if allergic:
            notes.append(allergy_note(ctx, name, allergic, affirmed, said, evidence, nkda))
            continue
        negated = [m for m in plain if "NEGATION" in ctx.traits(m)] + [
            m for m in mentions if kinds[m.Id] in ("hold", "stop")
        ]
        if restarts:  # "ran out of X … restart X": the stop before the restart is its history
            negated = [m for m in negated if m.BeginOffset > max(r.BeginOffset for r in restarts)]
        if affirmed and negated:
            ctx.flag(
                "CONTRADICTION",
                name,
                f"{name}: mentioned both as taken and as not taken: not prescribed",
                entity_id=negated[0].Id,
                begin=negated[0].BeginOffset,
                end=negated[0].EndOffset,
            )
            notes.append(
                MedicationNote(
                    name=name,
                    reason="contradictory mentions (taking / not taking)",
                    evidence=evidence,
                    ids=_ids(mentions),
                    spans=_spans(mentions),
                )
            )
            continue
        if not affirmed:
            reasons = [r for t, r in NOT_PRESCRIBED.items() if any(t in ctx.traits(m) for m in plain)]
            reasons += [
                NOT_PRESCRIBED_CONTEXT[k] for k in ("hold", "stop", "allergy_denied") if k in kinds.values()
            ]
            until = next(
                (c.condition for c in said.values() if c and c.kind in ("hold", "stop") and c.condition), ""
            )
            reasons = [
                r.replace(": not", f" {until}: not", 1)
                if until and r in NOT_PRESCRIBED_CONTEXT.values()
                else r
                for r in reasons
            ]
            notes.append(
                MedicationNote(
                    name=name,
                    reason=reasons[0],
                    details=_summary(f for _, f, _ in parsed),
                    evidence=evidence,
                    ids=_ids(mentions),
                    spans=_spans(mentions),
                )
            )
            continue
        for m in holds:
            context = said[m.Id]
            assert context is not None
            ctx.flag_item(
                "CONDITIONAL_HOLD",
                m,
                f"{name}: conditional hold “{context.phrase}”: prescribed with the hold shown, check the "
                "instruction",
            )
        _flag_given_once(ctx, name, affirmed)
        _flag_claimed(ctx, name, affirmed)
        extra = tuple(f"hold {c.condition}" for m in holds if (c := said[m.Id]) is not None)
        extra += ("restarted",) if restarts else ()
        rows.append(build_row(ctx, name, [(m, f, e) for m, f, e in parsed if m in affirmed], extra))
    return rows, notes


def _flag_given_once(ctx: DraftContext, name: str, affirmed: Sequence[Entity]) -> None:
    """A mention said as given during the event ("was given X", "received X", "a stat dose of X"): the row is
    flagged GIVEN_ONCE (:mod:`.given_once`), never a current prescription unflagged. When the drug is also said
    with no such cue ("given IV flucloxacillin … discharge medicines: flucloxacillin 1 g …") the given mention
    flags the row only if it says a dose of its own (the row may show it)."""
    given = []
    for m in affirmed:
        span = ctx.sentence(m.BeginOffset) if ctx.at(m) else None
        said = (
            given_once(ctx.text, span, (m.BeginOffset, m.EndOffset), ctx.medication_spans) if span else None
        )
        schedule = any(a.Type in ("FREQUENCY", "DURATION") for a in m.Attributes)
        if said is not None and not (
            said.bare and schedule
        ):  # "given hydroxyzine 25 mg at night": prescribed
            given.append((m, said, schedule))
    if not given:
        return
    dosed = [g for g in given if any(a.Type in DOSE_TYPES for a in g[0].Attributes)]
    if len(given) < len(affirmed) and not dosed:
        return
    m, said, schedule = (dosed or given)[0]
    more = (
        "; a schedule is said too: given during the stay, or a course to go on? check"
        if schedule
        else ": not a prescription after the visit unless it is said again, check"
    )
    ctx.flag_item("GIVEN_ONCE", m, f"{name}: given during the event (“{said.phrase}”){more}")


def _flag_claimed(ctx: DraftContext, name: str, affirmed: Sequence[Entity]) -> None:
    """Every mention is a record's claim ("the discharge letter says sitagliptin", :mod:`.claimed`): the row is
    flagged NAME_UNCLEAR, naming the drug said as taken beside it when there is one."""
    said = []
    for m in affirmed:
        span = ctx.sentence(m.BeginOffset) if ctx.at(m) else None
        found = (
            claimed(ctx.text, (m.BeginOffset, m.EndOffset), ctx.medication_spans, span.begin)
            if span
            else None
        )
        if found is None:
            return
        said.append((m, found))
    if not said:
        return
    m, (phrase, other, contrasted, contrasted_after) = said[0]
    beside = (
        f", beside {other} said as taken: the two names may be confused (look-alike?), check which is taken"
        if other
        else ": a record's word, not confirmed as taken, check"
    )
    ctx.flag_item("NAME_UNCLEAR", m, f"{name}: said as “{phrase}”{beside}")
    if (
        contrasted_after is not None
    ):  # "the list says X, but the box is Y": either may be the slip (:mod:`.claimed`)
        later = " ".join(ctx.text[contrasted_after[0] : contrasted_after[1]].split())
        ctx.flag(
            "NAME_UNCLEAR",
            later,
            f"{later}: said against {name}, which a record names (“{phrase}”): the two names may be confused "
            "(look-alike?), check which is taken",
            begin=contrasted_after[0],
            end=contrasted_after[1],
        )
    if contrasted is not None:  # "X …, but the list says Y": either may be the slip (:mod:`.claimed`)
        ctx.flag(
            "NAME_UNCLEAR",
            other,
            f"{other}: said beside {name}, which a record names (“{phrase}”): the two names may be confused "
            "(look-alike?), check which is taken",
            begin=contrasted[0],
            end=contrasted[1],
        )


def _context(ctx: DraftContext, entity: Entity) -> MentionContext | None:
    """The allergy / hold context of a mention (found by its text when its offsets do not point at it); an
    allergen of the Allergies section ("allergies penicillin codeine", as a recogniser writes it) too."""
    begin = entity.BeginOffset if ctx.at(entity) else ctx.text.find(entity.Text)
    span = ctx.sentence(begin) if begin >= 0 else None
    if span is None:
        return None
    again = restarted(ctx.text, span, (begin, begin + len(entity.Text)), ctx.medication_spans)
    if again and (begin, begin + len(entity.Text)) not in ctx.allergens:
        return MentionContext("restart", again)
    said = mention_context(ctx.text, span, (begin, begin + len(entity.Text)), ctx.medication_spans)
    statement = ctx.allergens.get((begin, begin + len(entity.Text)))
    if statement is not None and (said is None or said.kind not in ("allergy", "allergy_denied")):
        return MentionContext("allergy", statement)
    if said is not None and said.kind in ("hold", "stop"):
        condition = ctx.scope.conditional(begin, begin + len(entity.Text))[0]
        if condition:  # "should she develop a rash, stop lamotrigine": on it now, stopped only if
            return MentionContext("conditional_hold", said.phrase, condition=condition)
    if said is None and entity.Category == "MEDICATION":
        # "Atorvastatin 40 mg at night. She stopped it three weeks ago.": the pronoun can only mean this drug
        stopped = certain_stop(ctx.text, (begin, begin + len(entity.Text)), ctx.medication_spans)
        if stopped:
            return MentionContext("stop", stopped)
    return said


def held(ctx: DraftContext, entity: Entity) -> bool:
    """The mention is held ("hold X", "hold X if …"): :func:`medications` decides it, whatever its traits."""
    said = _context(ctx, entity)
    return said is not None and said.kind in ("hold", "stop", "conditional_hold")


def _mention(ctx: DraftContext, entity: Entity, said: MentionContext | None) -> tuple[Fields, Evidence]:
    """The attributes of one mention that may be used (flagging the others), and its evidence. In a conditional
    hold, attributes inside the condition ("hold aspirin for 5 days") are the hold's, not the row's: they are
    shown whole in the row's "hold …" qualifier instead."""
    own = ctx.sentence(entity.BeginOffset)
    if own is not None:
        ctx.medication_sentences.add(own)
    fields: Fields = {}
    lowest = entity.Score
    phrase = read_change(ctx, entity, own)
    if own is not None and ctx.at(entity):
        covered = [(a.BeginOffset, a.EndOffset) for a in entity.Attributes] + ctx.change_spans
        fraction = unread_fraction(ctx.text, entity, stretch(ctx, entity, own), [*covered, phrase or (0, 0)])
        if (
            fraction is not None
        ):  # "metoprolol 50 mg, take half daily": the detector took no amount from "half"
            ctx.flag_item(
                "PARTIAL_AMOUNT",
                entity,
                f"{entity.Text}: “{fraction.group(0)}” said after it is not in "
                "its dose: the dose shown may not be the dose taken, check",
            )
    limit_end = -1  # a frequency said inside a limit's words is its period ("max 8 puffs a day")
    for attribute in sorted(entity.Attributes, key=lambda a: a.BeginOffset):
        if attribute.Type not in MED_ATTRIBUTE_TYPES:
            continue
        if attribute.Type in DOSE_TYPES and ctx.at(attribute):
            limit = limit_at(ctx.text, attribute.BeginOffset, attribute.EndOffset)
            if limit is not None:
                amount = ctx.value(attribute, entity.Text)
                capped = " ".join(p for p in ("max", amount.normalised or amount.raw, limit.period) if p)
                fields.setdefault("LIMIT", []).append(
                    amount.model_copy(update={"type": "LIMIT", "normalised": capped})
                )
                limit_end = limit.end
                continue
        if attribute.Type == "FREQUENCY" and ctx.at(attribute) and attribute.BeginOffset < limit_end:
            continue
        if said is not None and 0 <= said.condition_begin <= attribute.BeginOffset and ctx.at(attribute):
            continue
        changed = attribute.Type in DOSE_TYPES or (entity.Id in ctx.tapers and attribute.Type == "DURATION")
        if phrase is not None and changed and ctx.at(attribute) and _inside(attribute, phrase):
            continue  # the change's or the taper's words: shown by the row's change / taper
        word = ATTRIBUTE_WORDS[attribute.Type]
        if ctx.at(attribute) and ctx.at(entity):
            condition = ctx.scope.conditional(attribute.BeginOffset, attribute.EndOffset)[0]
            if condition and condition != ctx.scope.conditional(entity.BeginOffset, entity.EndOffset)[0]:
                ctx.flag_item(
                    "OTHER_CLAUSE",
                    attribute,
                    f"{entity.Text}: {word} “{attribute.Text}” not used: it is in a conditional instruction "
                    f"(“{condition}”)",
                )
                continue
        if attribute.Score < ctx.min_score:
            ctx.flag_item(
                "LOW_SCORE",
                attribute,
                f"{entity.Text}: {word} “{attribute.Text}” below the keep threshold, not used",
            )
            continue
        if own is not None and ctx.at(entity) and ctx.at(attribute) and attribute.Id not in ctx.corrected_ids:
            if ctx.sentence(attribute.BeginOffset) != own:
                ctx.flag_item(
                    "OTHER_SENTENCE",
                    attribute,
                    f"{entity.Text}: {word} “{attribute.Text}” comes from another sentence, not used",
                )
                continue
            reason = linked(
                ctx.text,
                (entity.BeginOffset, entity.EndOffset),
                (attribute.BeginOffset, attribute.EndOffset),
                breaks=ctx.breaks,
                medications=ctx.medication_spans,
            )
            if reason is not None:
                ctx.flag_item(
                    "OTHER_CLAUSE", attribute, f"{entity.Text}: {word} “{attribute.Text}” not used: {reason}"
                )
                continue
        fields.setdefault(attribute.Type, []).append(ctx.value(attribute, entity.Text))
        lowest = min(lowest, attribute.Score)
    return fields, ctx.evidence(entity, lowest)


def _inside(attribute: Attribute, phrase: tuple[int, int]) -> bool:
    return phrase[0] <= attribute.BeginOffset and attribute.EndOffset <= phrase[1]


def _ids(mentions: Sequence[Entity]) -> tuple[int, ...]:
    return tuple(sorted({m.Id for m in mentions} | {a.Id for m in mentions for a in m.Attributes}))


def _spans(mentions: Sequence[Entity]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted({(m.BeginOffset, m.EndOffset) for m in mentions}))


def _summary(fields: Iterable[Fields]) -> str:
    parts = [v.normalised or v.raw for f in fields for k in MED_ATTRIBUTE_TYPES for v in f.get(k, [])]
    return ", ".join(dict.fromkeys(parts))
