"""A correction said across a sentence or clause break (PROCEDURE.md section 23; issue 15, dictation behaviour).

Dictation takes a value back after a full stop as often as inside a sentence: "Furosemide 40 mg in the morning.
Make that 80 mg.", "Start amlodipine 5 mg once daily. Not amlodipine, lercanidipine 10 mg.", "Start zopiclone
3.75 mg at night. Actually, scratch that, hold off.". The detector does not join a value said after a full stop to
the drug before it (an unmapped attribute), and the recogniser form has no full stop at all. Read here, on the
DetectEntitiesV2 entities before any row is built:

- a dose, frequency or route said alone after a cue that opens the next sentence corrects the one drug of the
  sentence before that has a value of that slot (flagged ``SELF_CORRECTION`` quoting both);
- "not X, Y" with X said just before: X is taken back for Y (X's mentions dropped, Y flagged naming both);
- "scratch / strike / delete / cancel / forget that" after a drug's row with no drug or value after it: the drug
  is taken back with nothing in its place (its mention dropped, flagged ``SELF_CORRECTION`` naming it);
- where the words do not decide what the cue takes back — a cue after a row that follows another drug with a value
  of the same slot in its sentence, or a replacement of another type than the item before ("Diagnosis of gout.
  Sorry, I mean colchicine") — every candidate is flagged ``CORRECTION_SCOPE_UNCLEAR`` naming both and nothing is
  guessed: the values first said stay, the later value is quoted in the flag only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from medscribe.logic.document.allergy_retract import in_allergy_statement, replaced_in_list
from medscribe.logic.document.context import DOSE_TYPES, DraftContext
from medscribe.logic.document.corrections import taken_back
from medscribe.logic.document.normalise import normalise
from medscribe.logic.document.selfcorrect_cues import CUE, CUES, FILLERS, GLUE, SEP, VERB, cue_between
from medscribe.shapes import Attribute, Entity

if TYPE_CHECKING:
    from medscribe.logic.document.selfcorrect import Corrections

_KINDS = ("MEDICATION", "MEDICAL_CONDITION")
SLOTS = {**dict.fromkeys(DOSE_TYPES, "dose"), "FREQUENCY": "frequency", "ROUTE_OR_MODE": "route"}
ROW_REACH = 120  # characters from a drug's name to the last value of its row
# "scratch that", "strike that", "delete that", "cancel that", "forget that": "that" is what was said just before
TAKE_BACK_THAT = re.compile(
    rf"(?:{SEP}|\b(?:{'|'.join(CUES)}|{FILLERS}|{GLUE})\b)*?\b(?P<cue>(?:scratch|strike|delete|cancel|forget)\s+that)\b",
    re.IGNORECASE,
)
_GAP_WORDS = re.compile(rf"(?:{SEP}|\b(?:{'|'.join(CUES)}|{FILLERS}|{GLUE}|{VERB})\b)*", re.IGNORECASE)
_REFERS_BACK = re.compile(
    r"\b(?:the|that|this|its)\s+dose\s+(?:is|should\s+be|will\s+be|of)?\s*$", re.IGNORECASE
)
_NOT = re.compile(r"\bnot\s+$", re.IGNORECASE)  # searched up to the name


def _value(a: Attribute) -> str:
    return normalise(a.Type, a.Text).value or a.Text


def row_end(ctx: DraftContext, e: Entity) -> int:
    """Where the drug's row ends: its name or its last located value."""
    return max(
        [e.EndOffset, *(a.EndOffset for a in e.Attributes if ctx.at(a) and a.EndOffset > e.BeginOffset)]
    )


def _said(text: str) -> str:
    return " ".join(re.sub(r"[^\w'\u2019\s]", " ", text).split())


# what joins two drugs' rows into one list: a comma or a coordinator, and perhaps a verb of prescribing again
_LISTED = re.compile(
    rf"^[\s,;]*(?:(?:and|plus|with|as\s+well\s+as|also)\b[\s,]*)?(?:\b{VERB}\b\s*)?$", re.IGNORECASE
)


def rivals(ctx: DraftContext, entities: Sequence[Entity], e: Entity, slot: str | None) -> list[Entity]:
    """The drugs listed with ``e`` just before it — each row joined to the next by a comma or "and" in one sentence
    ("Start lisinopril 10 mg once daily and simvastatin 40 mg at night") — with a value of ``slot`` (any slot when
    ``slot`` is None): when a cue follows ``e``'s whole row, any of them may be the one taken back. A drug in an
    earlier sentence, or said with no value (an allergen), is none."""
    span = ctx.sentence(e.BeginOffset)
    low = max(span.begin if span is not None else 0, e.BeginOffset - ROW_REACH)
    before = sorted(
        (
            o
            for o in entities
            if o.Category == "MEDICATION" and ctx.at(o) and low <= o.BeginOffset < e.BeginOffset
        ),
        key=lambda o: o.BeginOffset,
    )
    out: list[Entity] = []
    head = e
    for o in reversed(before):
        gap = ctx.text[row_end(ctx, o) : head.BeginOffset]
        if (
            o.Id == e.Id
            or _LISTED.match(gap) is None
            or not re.search(r",|\b(?:and|plus|with|also)\b", gap, re.I)
        ):
            break
        if any(SLOTS.get(a.Type) == slot if slot else a.Type in SLOTS for a in o.Attributes if ctx.at(a)):
            out.append(o)
        head = o
    return out


def flag_unclear(ctx: DraftContext, items: Sequence[Entity], said: str) -> None:
    names = " / ".join(dict.fromkeys(i.Text for i in items))
    for i in items:
        ctx.flag_item(
            "CORRECTION_SCOPE_UNCLEAR",
            i,
            f"{i.Text}: “{said}”: the words do not say which of {names} it corrects: drafted as first said, "
            "self-correction unclear, check",
        )


def orphan_values(ctx: DraftContext, out: Corrections) -> None:
    """ "Furosemide 40 mg in the morning. Make that 80 mg.": a value left unmapped after a cue corrects the slot of
    the drug whose row ends just before the cue; with another dosed drug in that sentence, unclear."""
    text = ctx.text
    for u in list(out.unmapped):
        new, slot = u.Attribute, SLOTS.get(u.Attribute.Type)
        if slot is None or not ctx.at(new) or _REFERS_BACK.search(text, 0, new.BeginOffset):
            continue  # "Correction, the dose is 20 mg": read by selfcorrect._refers_back
        before = [
            e
            for e in out.entities
            if e.Category == "MEDICATION" and ctx.at(e) and row_end(ctx, e) <= new.BeginOffset
        ]
        if not before:
            continue
        drug = max(before, key=lambda e: row_end(ctx, e))
        cue = cue_between(text, row_end(ctx, drug), new.BeginOffset)
        if cue is None or not CUE.search(cue):
            continue
        olds = [a for a in drug.Attributes if SLOTS.get(a.Type) == slot and ctx.at(a)]
        if not olds or _value(olds[-1]) == _value(new):
            continue
        others = rivals(ctx, out.entities, drug, slot)
        out.unmapped = [x for x in out.unmapped if x.Attribute.Id != new.Id]
        if others:
            flag_unclear(ctx, [*others, drug], _said(text[row_end(ctx, drug) : new.EndOffset]))
            continue
        kept = [a for a in drug.Attributes if a.Id != olds[-1].Id] + [new]
        out.entities = [
            e.model_copy(update={"Attributes": kept}) if e.Id == drug.Id else e for e in out.entities
        ]
        out.joined.append((olds[-1].EndOffset, new.BeginOffset))
        ctx.corrected_ids.add(new.Id)
        ctx.flag_item(
            "SELF_CORRECTION",
            drug,
            f"{drug.Text}: corrected while dictating: {slot} {_value(olds[-1])} → {_value(new)} (“{cue}”): the "
            f"later {slot} is drafted, check",
        )
        _restated(ctx, out, drug.Id, new)


def _restated(ctx: DraftContext, out: Corrections, drug_id: int, new: Attribute) -> None:
    """ "Sorry, make that 25 mg once daily": the row's own values said again right after the corrected one (the
    detector leaves them unmapped too) are that row's, not an orphan row."""
    drug = next(e for e in out.entities if e.Id == drug_id)
    own = {(SLOTS.get(a.Type), _value(a)) for a in drug.Attributes if ctx.at(a)}
    at = new.EndOffset
    for u in sorted(out.unmapped, key=lambda x: x.Attribute.BeginOffset):
        a = u.Attribute
        if a.BeginOffset < at or not ctx.at(a):
            continue
        if (
            re.fullmatch(r"[\s,]*", ctx.text[at : a.BeginOffset]) is None
            or (SLOTS.get(a.Type), _value(a)) not in own
        ):
            break
        out.unmapped = [x for x in out.unmapped if x.Attribute.Id != a.Id]
        at = a.EndOffset


def not_x_y(ctx: DraftContext, out: Corrections) -> None:
    """ "Start amlodipine 5 mg. Not amlodipine, lercanidipine 10 mg.": the name said again after "not" and followed
    by another drug is taken back, with its mention said before."""
    text = ctx.text
    meds = sorted(
        (e for e in out.entities if e.Category == "MEDICATION" and ctx.at(e)), key=lambda e: e.BeginOffset
    )
    gone: set[int] = set()
    for i, x in enumerate(meds[:-1]):
        y = meds[i + 1]
        neg = _NOT.search(text, max(0, x.BeginOffset - 8), x.BeginOffset)
        if neg is None or y.Text.lower() == x.Text.lower():
            continue
        if in_allergy_statement(text, x.BeginOffset, ctx.medication_spans):
            continue  # "allergic to X and Y, sorry, not Y, it was Z": the allergy list's (.allergy_retract)
        gap = text[x.EndOffset : y.BeginOffset]
        if _GAP_WORDS.fullmatch(gap) is None:
            continue
        said = [
            m for m in meds[:i] if m.Text.lower() == x.Text.lower() and x.BeginOffset - m.BeginOffset <= 200
        ]
        if not said:
            continue  # "not warfarin, apixaban": no name said before to take back (a negation, read by the scope)
        gone |= {x.Id, *(m.Id for m in said)}
        out.joined.append((x.EndOffset, y.BeginOffset))
        out.unsaid.append((neg.start(), neg.start() + 3))  # the "not" of the take-back negates nothing
        ctx.flag_item(
            "SELF_CORRECTION",
            y,
            f"{x.Text} → {y.Text}: drug name corrected while dictating (“not {x.Text}”): {x.Text} is not drafted, "
            "check",
            subject=f"{x.Text} → {y.Text}",
        )
    out.entities = [e for e in out.entities if e.Id not in gone]


def conditions_taken_back(ctx: DraftContext, out: Corrections) -> None:
    """ "History of hypothyroidism. Sorry, hyperthyroidism.": a condition taken back for the next one is dropped
    before any routing (flagged by :func:`.corrections.taken_back`), so it is listed nowhere — not under Past
    history nor Family history either."""
    said = sorted(
        (e for e in out.entities if e.Category == "MEDICAL_CONDITION" and ctx.at(e)),
        key=lambda e: e.BeginOffset,
    )
    gone = {first.Id for first, second in pairwise(said) if taken_back(ctx, first, second)}
    out.entities = [e for e in out.entities if e.Id not in gone]


def _items_before(ctx: DraftContext, entities: Sequence[Entity], e: Entity) -> list[Entity]:
    """What "that" may point at beside ``e``: the other drugs (for a drug) or conditions (for a condition) said
    before it in its sentence."""
    if e.Category == "MEDICATION":
        return rivals(ctx, entities, e, None)
    span = ctx.sentence(e.BeginOffset)
    low = max(span.begin if span is not None else 0, e.BeginOffset - ROW_REACH)
    return [
        o
        for o in entities
        if o.Category == e.Category and o.Id != e.Id and ctx.at(o) and low <= o.BeginOffset < e.BeginOffset
    ]


def retracted_rows(ctx: DraftContext, out: Corrections) -> None:
    """ "Start zopiclone 3.75 mg at night. Actually, scratch that, hold off.", "Known epilepsy. Scratch that.": a drug
    or condition taken back with nothing in its place is not drafted (flagged naming it); after two drugs' rows or
    two conditions, which one is unclear (both kept, flagged)."""
    text = ctx.text
    said = [e for e in out.entities if e.Category in _KINDS and ctx.at(e)]
    starts = {e.BeginOffset for e in said}
    gone: set[int] = set()
    for e in said:
        end = row_end(ctx, e) if e.Category == "MEDICATION" else e.EndOffset
        m = TAKE_BACK_THAT.match(text, end)
        if m is None:
            continue
        rest = _GAP_WORDS.match(text, m.end())
        after = rest.end() if rest else m.end()
        if after in starts or re.match(r"\d", text[after:]):
            continue  # an item or a value follows: a correction of the name or of a slot, read in selfcorrect
        if any(e.BeginOffset < o.BeginOffset < m.start("cue") for o in said):
            continue  # another item said between: "that" is not this one
        if e.Category == "MEDICATION" and replaced_in_list(
            text, e.BeginOffset, m.end(), ctx.medication_spans
        ):
            continue  # an allergen of a list replaced by the one said next (.allergy_retract)
        said_words = _said(text[end : m.end()])
        others = _items_before(ctx, said, e)
        if others:
            flag_unclear(ctx, [*others, e], said_words)
            continue
        gone.add(e.Id)
        out.joined.append((end, m.end()))
        ctx.flag_item(
            "SELF_CORRECTION",
            e,
            f"{e.Text}: taken back while dictating (“{said_words}”) with nothing said in its place: not drafted, "
            "check",
        )
    out.entities = [e for e in out.entities if e.Id not in gone]


def type_changed(ctx: DraftContext, out: Corrections) -> None:
    """ "Diagnosis of gout. Sorry, I mean colchicine 500 micrograms": a cue between a condition and a drug (or a drug
    and a condition) replaces something of another type: whether the first is taken back is unclear, flagged."""
    text = ctx.text
    said = sorted(
        (e for e in out.entities if e.Category in ("MEDICATION", "MEDICAL_CONDITION") and ctx.at(e)),
        key=lambda e: e.BeginOffset,
    )
    for first, second in itertools.pairwise(said):
        if first.Category == second.Category:
            continue
        end = row_end(ctx, first) if first.Category == "MEDICATION" else first.EndOffset
        if end > second.BeginOffset:
            continue
        cue = cue_between(text, end, second.BeginOffset)
        if cue is None or not CUE.search(cue) or cue.lower() in ("no", "rather", "or rather"):
            continue  # "no" alone before a name is a negation ("Hypertension. No ankle swelling")
        last = list(CUE.finditer(text, end, second.BeginOffset))[-1]
        if re.search(r"[.!?]", text[last.end() : second.BeginOffset]) or any(
            f.entity_id == first.Id and f.kind == "CORRECTION_SCOPE_UNCLEAR" for f in ctx.flags
        ):
            continue  # "Digoxin 125 micrograms once daily, sorry. Palpitations …": the cue ends its sentence
        ctx.flag_item(
            "CORRECTION_SCOPE_UNCLEAR",
            first,
            f"{first.Text}: “{cue}” then {second.Text}: a correction that names another kind of item: whether "
            f"{first.Text} is taken back is not said, self-correction unclear, check",
        )


_NUMBER = r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|a\s+couple\s+of)"
_SPAN_OF_TIME = re.compile(
    rf"(?:for\s+|over\s+|about\s+|since\s+)*{_NUMBER}\s+(?:hours?|days?|nights?|weeks?|months?|years?)(?:\s+ago)?\b",
    re.IGNORECASE,
)


def times(ctx: DraftContext, out: Corrections) -> None:
    """ "Cough for two weeks. Sorry, three weeks.": a span of time taken back; the condition said with it is flagged
    quoting both (the time is no cell of the draft, so nothing else changes)."""
    text = ctx.text
    for t in out.entities:
        if t.Category != "TIME_EXPRESSION" or not ctx.at(t):
            continue
        gap = _GAP_WORDS.match(text, t.EndOffset)
        later = _SPAN_OF_TIME.match(text, gap.end()) if gap else None
        if gap is None or later is None or not CUE.search(gap.group(0)):
            continue
        cue = list(CUE.finditer(gap.group(0)))
        if [c.group(0).lower() for c in cue] in (["no"], ["rather"]):
            continue  # "three days no fever": a negation, not a take-back
        span = ctx.sentence(t.BeginOffset)
        low = max(span.begin if span is not None else 0, t.BeginOffset - ROW_REACH)
        said = [e for e in out.entities if e.Category == "MEDICAL_CONDITION" and ctx.at(e)]
        near = [e for e in said if low <= e.BeginOffset < t.BeginOffset]
        if not near:
            continue
        owner = near[-1]
        old = " ".join(text[t.BeginOffset : t.EndOffset].split())
        ctx.flag_item(
            "SELF_CORRECTION",
            owner,
            f"{owner.Text}: corrected while dictating: time {old} → {' '.join(later.group(0).split())} "
            f"(“{', '.join(c.group(0) for c in cue)}”): the later time is meant, check",
        )
