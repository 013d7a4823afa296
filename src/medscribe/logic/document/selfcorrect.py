"""A value the speaker takes back while dictating is never drafted silently (issue 15; PROCEDURE.md section 23).

"metoprolol 50 mg, sorry, 25 mg twice daily", "start amlodipine, no, I mean amitriptyline 10 mg at night",
"ramipril 10, scratch that, 5 mg", "Correction: the dose is 40 mg", "atorvastatin 40 — er — 80 mg": a
**retraction cue** (the closed list ``CUES``; a hesitation alone only between two different values) between two
values of one slot — dose, drug name, frequency, route — makes the later value the one drafted. Read on the
DetectEntitiesV2 entities (either backend) before any row is built:

- a slot's earlier value is taken off its drug (an attribute of the drug, or a bare amount said just before
  the later dose); the row keeps the later one and is flagged ``SELF_CORRECTION`` quoting both ("corrected
  while dictating: dose 50 mg → 25 mg");
- a drug name taken back is no prescription: its mention is dropped and the row of the name said after it is
  flagged ``SELF_CORRECTION`` naming both ("amlodipine → amitriptyline");
- "the dose is X" after a cue refers back: with one dosed drug before it, that drug's dose is corrected; with
  several, or a cue followed by no value at all ("digoxin 125 micrograms once daily, sorry."), what the cue takes
  back cannot be decided: the rows are flagged ``CORRECTION_SCOPE_UNCLEAR`` and nothing is guessed.

Cue words in their other sense are not cues: a negation ("at night, no suicidal thoughts" joins no two values of
one slot), "rather worried", "sorry to hear", "correction of her vitamin D deficiency".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from medscribe.logic.document import selfcorrect_across as across
from medscribe.logic.document.allergy_retract import in_allergy_statement, said_as_allergen
from medscribe.logic.document.context import DOSE_TYPES, DraftContext
from medscribe.logic.document.normalise import normalise
from medscribe.logic.document.selfcorrect_cues import (
    CUE,
    CUES,
    FILLER,
    FILLERS,
    GAP,
    PLAIN_CUE,
    SEP,
    TAKE_BACK_NO,
    VERB,
    cue_between,
    without_fillers,
)
from medscribe.logic.document.selfcorrect_sides import sides
from medscribe.shapes import Attribute, Entity, UnmappedAttribute

# "the dose is 40 mg": a value that refers back to whichever drug was dosed before
_REFERS = re.compile(r"\b(?:the|that|this|its)\s+dose\b", re.IGNORECASE)
_AMOUNT = r"\d+(?:\.\d+)?"
# a bare amount said just before a dose and taken back ("ramipril 10, scratch that, 5 mg", "40 — er — 80 mg")
_BARE_BEFORE = re.compile(
    rf"(?<![\w.])(?P<old>{_AMOUNT})(?:\s*(?P<unit>mg|mcg|micrograms?|milligrams?|units?|g|ml))?(?P<gap>{SEP}"
    rf"(?:{SEP}|\b(?:{'|'.join(CUES)}|{FILLERS})\b)*)$",
    re.IGNORECASE,
)
SLOTS = {**dict.fromkeys(DOSE_TYPES, "dose"), "FREQUENCY": "frequency", "ROUTE_OR_MODE": "route"}
REACH_WORDS = 14  # how far before "the dose is X" a dosed drug may be said to be the one it corrects


@dataclass
class Corrections:
    """What :func:`apply` found: the entities to draft, and the spans the cues join (no clause break there)."""

    entities: list[Entity]
    unmapped: list[UnmappedAttribute]
    joined: list[tuple[int, int]] = field(default_factory=list)
    unsaid: list[tuple[int, int]] = field(
        default_factory=list
    )  # words the scope readers pass over ("not X, Y")


def _value(a: Attribute) -> str:
    return normalise(a.Type, a.Text).value or a.Text


def apply(
    ctx: DraftContext, entities: Sequence[Entity], unmapped: Sequence[UnmappedAttribute]
) -> Corrections:
    """The entities with every value taken back removed (flagged), a retracted drug's mention dropped."""
    out = Corrections(list(entities), list(unmapped))
    _refers_back(ctx, out)
    across.orphan_values(ctx, out)  # "Furosemide 40 mg. Make that 80 mg.": a value the detector left unmapped
    out.entities = [_slots(ctx, e, out) if e.Category == "MEDICATION" else e for e in out.entities]
    across.conditions_taken_back(ctx, out)  # "History of hypothyroidism. Sorry, hyperthyroidism."
    across.not_x_y(ctx, out)
    _names(ctx, out)
    across.retracted_rows(ctx, out)
    across.type_changed(ctx, out)
    across.times(ctx, out)
    out.entities, joined = sides(ctx, out.entities)
    out.joined += joined
    out.entities = _unnegated(ctx.text, out)
    ctx.breaks = [b for b in ctx.breaks if not any(lo <= b < hi for lo, hi in out.joined)]
    return out


# a word that may start a negation; the last one before a negated item is the one that reaches it
_NEGATION_WORD = re.compile(
    r"\b(?:no|not|nil|denies|denied|deny|without|never|negative|stopped|off)\b", re.IGNORECASE
)


def _unnegated(text: str, out: Corrections) -> list[Entity]:
    """ "olanzapine, no, clozapine 250 mg at night", "400 mg, no, 600 mg": the cue's "no" negates nothing. An
    item whose nearest negation word before it is such a "no" loses its NEGATION trait (a detector may give it)."""
    cues = {
        lo + m.start() for lo, hi in out.joined for m in re.finditer(r"\bno\b", text[lo:hi], re.IGNORECASE)
    } | {lo for lo, _ in out.unsaid}
    cues |= {m.start() for m in TAKE_BACK_NO.finditer(text)}  # "asthma no sorry COPD" (a condition's slip)
    if not cues:
        return out.entities
    kept = []
    for e in out.entities:
        if any(t.Name == "NEGATION" for t in e.Traits):
            before = list(_NEGATION_WORD.finditer(text, max(0, e.BeginOffset - 200), e.BeginOffset))
            if before and before[-1].start() in cues:
                e = e.model_copy(update={"Traits": [t for t in e.Traits if t.Name != "NEGATION"]})
        kept.append(e)
    return kept


def _slots(ctx: DraftContext, e: Entity, out: Corrections) -> Entity:
    """One drug's slots: of two values of a slot joined by a cue, the earlier is taken off (flagged)."""
    text = ctx.text
    attrs = sorted(e.Attributes, key=lambda a: a.BeginOffset)
    dropped: set[int] = set()
    for later in attrs:
        slot = SLOTS.get(later.Type)
        if slot is None or not ctx.at(later):
            continue
        earlier = [a for a in attrs if a.EndOffset <= later.BeginOffset and SLOTS.get(a.Type) == slot]
        if earlier and earlier[-1].Id not in dropped:
            old = earlier[-1]
            skip = [(a.BeginOffset, a.EndOffset) for a in attrs if SLOTS.get(a.Type) != slot]
            cue = cue_between(text, old.EndOffset, later.BeginOffset, skip)
            if cue is not None and _value(old) != _value(later) and _row_final(ctx, old, later, skip):
                others = across.rivals(ctx, out.entities, e, slot)
                if others and CUE.search(cue):
                    dropped.add(later.Id)  # two drugs' values before the cue: which is corrected is not said
                    across.flag_unclear(
                        ctx, [*others, e], " ".join(text[old.BeginOffset : later.EndOffset].split())
                    )
                    continue
            if cue is not None and _value(old) != _value(later):
                dropped.add(old.Id)
                out.joined.append((old.EndOffset, later.BeginOffset))
                _flag(ctx, e, later, slot, _value(old), _value(later), cue)
            continue
        if slot == "dose" and not earlier:
            bare = _BARE_BEFORE.search(text, max(e.EndOffset, later.BeginOffset - 60), later.BeginOffset)
            if bare is not None and (CUE.search(bare["gap"]) or FILLER.search(bare["gap"])):
                cue = cue_between(text, bare.end("old"), later.BeginOffset) or bare["gap"].strip(" ,")
                unit = _value(later).split(" ", 1)[1:] if " " in _value(later) else []
                old_value = (
                    " ".join([bare["old"], *unit]) if not bare["unit"] else f"{bare['old']} {bare['unit']}"
                )
                if old_value != _value(later):
                    out.joined.append((bare.start(), later.BeginOffset))
                    _flag(ctx, e, later, slot, old_value, _value(later), cue)
    _unclear_after(ctx, e, [a for a in attrs if a.Id not in dropped])
    return e.model_copy(update={"Attributes": [a for a in e.Attributes if a.Id not in dropped]})


def _row_final(ctx: DraftContext, old: Attribute, later: Attribute, skip: Sequence[tuple[int, int]]) -> bool:
    """The cue follows the drug's whole row, not the value alone: another slot's value or a sentence break stands
    between the value and the cue ("amlodipine 5 mg and atorvastatin 20 mg at night. Sorry, 10 mg")."""
    between = any(old.EndOffset <= b and e <= later.BeginOffset for b, e in skip)
    return between or ctx.sentence(old.BeginOffset) != ctx.sentence(later.BeginOffset)


def _flag(ctx: DraftContext, e: Entity, later: Attribute, slot: str, old: str, new: str, cue: str) -> None:
    ctx.flag_item(
        "SELF_CORRECTION",
        e,
        f"{e.Text}: corrected while dictating: {slot} {old} → {new} (“{cue}”): the later {slot} is drafted, check",
    )


def _unclear_after(ctx: DraftContext, e: Entity, attrs: Sequence[Attribute]) -> None:
    """A cue said after the drug's words with no value, drug or other slot of it after it ("digoxin 125
    micrograms once daily, sorry.", "lactulose, I mean, no, leave that"): what it takes back is unclear."""
    if not ctx.at(e) or in_allergy_statement(ctx.text, e.BeginOffset, ctx.medication_spans):
        return  # an allergen's correction is the allergy list's (.allergy_retract)
    end = max([e.EndOffset, *(a.EndOffset for a in attrs if ctx.at(a))])
    m = re.compile(rf"(?:{SEP}|\b{FILLERS}\b)*(?P<cue>{PLAIN_CUE.pattern})", re.IGNORECASE).match(
        ctx.text, end
    )
    if m is None or across.TAKE_BACK_THAT.match(ctx.text, end):
        return  # "…, scratch that": the row taken back (read by :func:`.selfcorrect_across.retracted_rows`)
    rest = re.match(
        rf"(?:{SEP}|\b(?:{'|'.join(CUES)}|{FILLERS}|{VERB})\b)*", ctx.text[m.end() :], re.IGNORECASE
    )
    after = m.end() + (rest.end() if rest else 0)
    if any(b <= after < en or after == b for b, en in ctx.medication_spans):
        return  # a drug named after the cue: a name correction (read by :func:`_names`)
    if re.match(
        rf"{_AMOUNT}\b|(?:once|twice|three|four|every|at\s+night|as\s+needed|orally|by\s+mouth)",
        ctx.text[after:],
        re.IGNORECASE,
    ):
        return  # a value follows: read as a correction of its slot
    ctx.flag_item(
        "CORRECTION_SCOPE_UNCLEAR",
        e,
        f"{e.Text}: “{' '.join(m['cue'].split())}” said after it, but the words do not say what it takes back: "
        "drafted as first said, unclear, check",
    )


def _names(ctx: DraftContext, out: Corrections) -> None:
    """A drug name taken back ("start amlodipine, no, I mean amitriptyline"): its mention is dropped, the row of
    the name said after it flagged naming both."""
    meds = sorted(
        (e for e in out.entities if e.Category == "MEDICATION" and ctx.at(e)), key=lambda e: e.BeginOffset
    )
    gone: set[int] = set()
    for first, second in pairwise(meds):
        own = [(a.BeginOffset, a.EndOffset) for a in first.Attributes if ctx.at(a)]
        cue = cue_between(ctx.text, first.EndOffset, second.BeginOffset, own)
        if cue is None or not CUE.search(cue) or first.Text.lower() == second.Text.lower():
            continue
        if said_as_allergen(ctx.text, first.BeginOffset, first.EndOffset) or in_allergy_statement(
            ctx.text, first.BeginOffset, ctx.medication_spans
        ):
            continue  # "allergic to codeine, sorry, tramadol": an allergen corrected (.allergy_retract)
        gap = ctx.text[first.EndOffset : second.BeginOffset]
        if (
            cue.lower() == "no"
            and re.search(r"\bno\s+$", gap, re.IGNORECASE)
            and (own or re.search(r"[.;!?]", gap))
        ):
            continue  # "Paracetamol 1 g four times daily. No ibuprofen.": a negation of the next drug
        others = across.rivals(ctx, meds, first, None) if own else []
        if (
            others
        ):  # "lisinopril 10 mg and spironolactone 25 mg. Sorry, I mean ramipril": which one is not said
            across.flag_unclear(
                ctx,
                [*others, first, second],
                " ".join(ctx.text[first.BeginOffset : second.EndOffset].split()),
            )
            continue
        gone.add(first.Id)
        out.joined.append((first.EndOffset, second.BeginOffset))
        final = _final(meds, second, ctx.text)
        if first.Text.lower() == final.Text.lower():
            continue  # "doxazosin, sorry, amlodipine, sorry, doxazosin": the name first said is the one kept
        ctx.flag_item(  # the subject names both: the name taken back is held by the draft, not "not captured"
            "SELF_CORRECTION",
            final,
            f"{first.Text} → {final.Text}: drug name corrected while dictating (“{cue}”): {first.Text} is not "
            "drafted, check",
            subject=f"{first.Text} → {final.Text}",
        )
    out.entities = [e for e in out.entities if e.Id not in gone]


def _final(meds: Sequence[Entity], second: Entity, text: str) -> Entity:
    """The name a chain of corrections ends on ("doxazosin, sorry, amlodipine, sorry, doxazosin")."""
    at = list(meds).index(second)
    while at + 1 < len(meds):
        cue = cue_between(text, meds[at].EndOffset, meds[at + 1].BeginOffset)
        if cue is None or not CUE.search(cue):
            break
        at += 1
    return meds[at]


def _refers_back(ctx: DraftContext, out: Corrections) -> None:
    """ "Correction: the dose is 40 mg" / "…, sorry, that dose is 20 mg": the amount corrects the one drug dosed
    just before; with several dosed drugs there, the scope is unclear (all flagged, the amount used by none)."""
    text = ctx.text
    for m in _REFERS.finditer(text):
        cue = CUE.search(text, max(0, m.start() - 30), m.start())
        amount = re.compile(rf"\s*(?:is|should\s+be|will\s+be|of)?\s*(?P<a>{_AMOUNT})").match(text, m.end())
        if cue is None or amount is None or not GAP.match(text[cue.end() : m.start()]):
            continue
        at = amount.start("a")
        owner = next((e for e in out.entities for a in e.Attributes if a.BeginOffset == at), None)
        new = next((a for e in out.entities for a in e.Attributes if a.BeginOffset == at), None)
        new = new or next(
            (
                u.Attribute
                for u in out.unmapped
                if u.Attribute.BeginOffset == at and u.Attribute.Type in DOSE_TYPES
            ),
            None,
        )
        if new is None:
            continue
        low = _words_back(text, cue.start(), REACH_WORDS)
        dosed = [
            e
            for e in out.entities
            if e.Category == "MEDICATION"
            and low <= e.BeginOffset < cue.start()
            and any(a.Type in DOSE_TYPES and a.EndOffset <= cue.start() for a in e.Attributes)
        ]
        said = " ".join(text[cue.start() : amount.end()].split())
        if len(dosed) != 1:
            for e in dosed:
                ctx.flag_item(
                    "CORRECTION_SCOPE_UNCLEAR",
                    e,
                    f"{e.Text}: “{said}”: the words do not say which drug's dose is corrected: unclear, check the "
                    "dose",
                )
            out.entities = [_without(e, new.Id) for e in out.entities]
            continue
        drug = dosed[0]
        olds = [a for a in drug.Attributes if a.Type in DOSE_TYPES and a.EndOffset <= cue.start()]
        kept = [a for a in drug.Attributes if a not in olds and a.Id != new.Id] + [new]
        if owner is None:
            out.unmapped = [u for u in out.unmapped if u.Attribute.Id != new.Id]
        out.entities = [
            drug.model_copy(update={"Attributes": kept}) if e.Id == drug.Id else _without(e, new.Id)
            for e in out.entities
        ]
        out.joined.append((olds[-1].EndOffset, new.BeginOffset))
        ctx.corrected_ids.add(new.Id)
        _flag(ctx, drug, new, "dose", _value(olds[-1]), _value(new), " ".join(cue.group(0).split()))


def _without(e: Entity, attribute_id: int) -> Entity:
    if all(a.Id != attribute_id for a in e.Attributes):
        return e
    return e.model_copy(update={"Attributes": [a for a in e.Attributes if a.Id != attribute_id]})


def _words_back(text: str, end: int, words: int) -> int:
    m = re.search(rf"(?:\S+\s+){{0,{words}}}$", text[:end])
    return m.start() if m else 0


__all__ = ["CUES", "Corrections", "apply", "cue_between", "without_fillers"]
