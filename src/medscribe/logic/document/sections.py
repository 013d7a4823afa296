"""The draft as the clinician reads it: ``{"sections": [{"title", "items": [{"text", "flags", …}]}]}`` in print
order (docs/draft.md; the JSON contract of ``medscribe draft``). The PDF is rendered from this same object.

- "Needs review" is always first: one item per review flag (its ``flags`` hold the flag's kind). When no flag
  was raised it holds exactly "Nothing flagged" — and only when every guard of the draft ran
  (:attr:`Draft.complete`); a guard that could not run is listed instead ("GUARD_NOT_RUN").
- "Problems" and "Medications" hold only the patient's current problems and current / new medications; every
  other mention has its own section (Allergies, Family history, Other people, Plan and conditional, Denied, Not taking, Past
  history, Social history, Tests and procedures).
- An item's ``flags`` are the kinds of the review flags about it (by entity id, or by offsets inside its
  mentions): empty exactly when the item is stated as fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from medscribe.logic.document.allergies import ALLERGY_REASON
from medscribe.logic.document.allergy_list import class_of, classes
from medscribe.logic.document.cell_text import MAX_CELL_VALUES, MAX_NAME_CHARS, clip
from medscribe.logic.document.flag_order import most_serious_first
from medscribe.logic.document.guard_data import tall_man
from medscribe.logic.document.model import (
    AttributeValue,
    ConditionItem,
    Draft,
    PrescriptionRow,
    ReviewFlag,
)

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
NEEDS_REVIEW = "Needs review"
NOTHING_FLAGGED = "Nothing flagged"
TITLES = (
    NEEDS_REVIEW,
    "Problems",
    "Medications",
    "Allergies",
    "Family history",
    "Other people",
    "Plan and conditional",
    "Denied",
    "Not taking",
    "Past history",
    "Social history",
    "Tests and procedures",
)
FLAG_WORDS = {  # "[REVIEW: dose range]" beside an item on the page
    "DOSE_RANGE": "dose range",
    "NEGATION_SCOPE_UNCLEAR": "negation scope unclear",
    "SUBJECT_UNCLEAR": "whose unclear",
    "CONDITION_SCOPE_UNCLEAR": "condition scope unclear",
    "ALLERGY_CLASS_CONFLICT": "allergy class",
    "ALLERGY_CONFLICT": "allergy",
    "ALLERGY_UNCLEAR": "allergy",
    "DOSE_CHANGE_UNATTACHED": "dose change, no drug",
    "BLANK_CELL": "blank cell",
    "LOW_SCORE": "low score",
    "LOW_ASR_CONFIDENCE": "unclear audio",
    "NOT_NORMALISED": "not understood",
    "PARTIAL_AMOUNT": "partial amount",
    "CONTRADICTION": "contradiction",
    "CONDITIONAL_HOLD": "conditional hold",
    "ORPHAN_ATTRIBUTE": "no medication",
    "DOSE_TITRATION": "titration",
    "DOSE_STRENGTH_UNCLEAR": "dose or strength",
    "DOSE_UNATTACHED": "dose with no drug",
    "DOSE_UNIT_UNSAID": "dose with no unit",
    "NAME_UNCLEAR": "drug name unclear",
    "HISTORY_SCOPE_UNCLEAR": "past or current",
    "GIVEN_ONCE": "given once",
    "UNCERTAIN": "said with doubt",
    "PERTAINS_TO_FAMILY": "a relative's too",
    "OTHER_PERSON": "another person's too",
    "HYPOTHETICAL": "conditional too",
    "NEGATION": "denied too",
    "NOT_TAKING": "not taken too",
    "ALLERGY": "allergy too",
}


class SectionItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str  # exactly as printed
    flags: list[str] = []  # empty exactly when the item is stated as fact
    kind: str | None = None  # medication | condition | allergy | procedure | social | note
    name: str | None = None  # lower case
    dose: str | None = None  # the (new) dose
    reasons: list[str] | None = None  # the flags' messages
    evidence: list[str] | None = None  # the transcript words behind it

    @property
    def review_label(self) -> str:
        """ "[REVIEW: dose range, low score]" (the page's mark beside a flagged item), or ""."""
        if not self.flags:
            return ""
        return (
            "[REVIEW: " + ", ".join(FLAG_WORDS.get(f, f.lower().replace("_", " ")) for f in self.flags) + "]"
        )


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    items: list[SectionItem]


class Sections(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sections: list[Section]

    def as_json(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude_none=True)

    def section(self, title: str) -> Section:
        return next(s for s in self.sections if s.title == title)


def _about(
    flags: Sequence[ReviewFlag], ids: Iterable[int], spans: Iterable[tuple[int, int]]
) -> list[ReviewFlag]:
    ids, spans = set(ids), list(spans)
    return [f for f in flags if f.shown_on(ids, spans)]


def _item(
    draft: Draft,
    text: str,
    *,
    ids: Iterable[int] = (),
    spans: Iterable[tuple[int, int]] = (),
    kind: str,
    name: str,
    extra: Sequence[str] = (),
    evidence: Iterable[str] = (),
    dose: str | None = None,
) -> SectionItem:
    about = most_serious_first(_about(draft.flags, ids, spans))
    kinds = most_serious_first(list(dict.fromkeys([*(f.kind for f in about), *extra])))
    return SectionItem(
        text=text,
        flags=kinds,
        kind=kind,
        name=" ".join(name.lower().split()),
        dose=dose,
        reasons=[f.label for f in about] or None,
        evidence=list(dict.fromkeys(evidence)) or None,
    )


def _entry(draft: Draft, entry: Any, text: str, kind: str) -> SectionItem:
    """The item for a draft entry that carries ids, spans, name and evidence (conditions, notes, procedures,
    allergies, other people's and conditional mentions)."""
    evidence = [e.label for e in entry.evidence]
    return _item(draft, text, ids=entry.ids, spans=entry.spans, kind=kind, name=entry.name, evidence=evidence)


def _value(v: AttributeValue) -> str:
    """The normalised value; the words said beside it when its numbers were read from other characters
    ("0.5 tablet (said “½ tab”)", "1.5 tablets (said “one and a half tablets”)"): a misread is visible."""
    if v.normalised is None:
        return f"“{clip(v.raw)}” (not understood)"
    if _DIGITS.findall(v.normalised) != _DIGITS.findall(v.raw):
        return f"{clip(v.normalised)} (said “{clip(v.raw)}”)"
    return clip(v.normalised)


def _values(values: Sequence[AttributeValue]) -> str:
    """Normalised values, each cut visibly; more than a row holds are counted, never dropped silently."""
    shown = " / ".join(_value(v) for v in values[:MAX_CELL_VALUES])
    more = len(values) - MAX_CELL_VALUES
    return f"{shown} (+{more} more)" if more > 0 else shown


def dose_text(values: Sequence[AttributeValue]) -> str:
    """Strengths, then the dose in units of the form in brackets: "10 mg (1 tablet)"; a count of tablets of a
    said strength with the dose it makes: "1.5 tablets = 120 mg" (:mod:`.unitdose`)."""
    totals = [v for v in values if v.type == "TOTAL"]
    strengths = [v for v in values if v.type not in ("DOSAGE", "TOTAL")]
    dosages = [v for v in values if v.type == "DOSAGE"]
    if totals and dosages and not strengths:
        return f"{_values(dosages)} = {_values(totals)}"
    if strengths and dosages:
        return f"{_values(strengths)} ({_values(dosages)})"
    return _values(values)


def medication_text(row: PrescriptionRow, unclear: str = "") -> str:
    """ "atenolol 50 mg by mouth once daily (was 25 mg: dose increased)"; a taper keeps every step. ``unclear``:
    the dose cell as said when its numbers could not be read (:func:`unclear_dose`)."""
    parts = [clip(tall_man(row.name), MAX_NAME_CHARS) or "[medication not identified]"]
    if (
        row.form
    ):  # the form, then a liquid's strength ("suspension 250 mg/5 mL"), a comma before the volume taken
        forms = [v for v in row.form if v.type != "STRENGTH"]
        strengths = [v for v in row.form if v.type == "STRENGTH"]
        said = " ".join(_values(x) for x in (forms, strengths) if x)
        parts.append(said + ("," if strengths and (unclear or row.taper or row.dose) else ""))
    if unclear:
        parts.append(unclear)
    elif row.taper:
        parts.append(", then ".join(row.taper))
    elif row.dose:
        parts.append(dose_text(row.dose))
    parts += [_values(v) for v in (row.route, row.frequency) if v]
    if row.duration:
        parts.append("for " + _values(row.duration))
    text = " ".join(parts)
    notes = [*row.qualifiers, *([row.change.note(dose_shown=bool(row.dose))] if row.change else [])]
    return f"{text} ({'; '.join(notes)})" if notes else text


def unclear_dose(flags: Sequence[ReviewFlag], row: PrescriptionRow) -> str:
    """The dose cell of a row whose spoken numbers run together (``DOSE_NUMBER_UNCLEAR``): the words as said
    ("unclear: “thirty over five hundred two tablets”"), never one reading of them; "" when none is about it."""
    said = [f.subject for f in _about(flags, row.ids, row.spans) if f.kind == "DOSE_NUMBER_UNCLEAR"]
    return f"unclear: “{clip(' / '.join(dict.fromkeys(said)))}”" if said else ""


def _condition_text(item: ConditionItem) -> str:
    text = item.name + (f" ({', '.join(item.details)})" if item.details else "")
    return " — ".join([text, *item.qualifiers])


def build_sections(draft: Draft) -> Sections:
    """The draft's sections in print order (every title present; a section may have no items)."""
    ev = lambda evidence: [e.label for e in evidence]  # noqa: E731
    items: dict[str, list[SectionItem]] = {t: [] for t in TITLES}
    for row in draft.prescriptions:
        unclear = unclear_dose(draft.flags, row)
        dose = (
            unclear
            or (row.taper and ", then ".join(row.taper))
            or (dose_text(row.dose) if row.dose else None)
        )
        extra = ["REVIEW"] if row.flagged and not _about(draft.flags, row.ids, row.spans) else []
        items["Medications"].append(
            _item(
                draft,
                medication_text(row, unclear),
                ids=row.ids,
                spans=row.spans,
                kind="medication",
                name=row.name,
                extra=extra,
                evidence=ev(row.evidence),
                dose=dose or None,
            )
        )
    for title, conditions in (("Problems", draft.problems), ("Denied", draft.denied)):
        items[title] += [_entry(draft, c, _condition_text(c), "condition") for c in conditions]
    for a in draft.allergies:
        aliases = classes().aliases
        cls = aliases.get(a.name) or class_of(a.name)
        text = a.label if not cls or cls == a.name else f"{a.label} (class: {cls})"
        items["Allergies"].append(_entry(draft, a, text, "allergy"))
    if draft.no_known_allergies and not items["Allergies"]:
        # "NKDA": said, so shown (an empty section would not tell "none" from "not asked")
        said = draft.no_known_allergies
        text = "No known drug allergies"
        if " ".join(said.lower().split()) != text.lower():
            text += f" (said “{said}”)"
        items["Allergies"].append(SectionItem(text=text, kind="note", name="no known allergies"))
    for title, about in (
        ("Family history", draft.family_history),
        ("Other people", draft.other_people),
        ("Plan and conditional", draft.plan),
        ("Past history", draft.past_history),
    ):
        items[title] += [_entry(draft, x, x.text, x.kind) for x in about]
    items["Social history"] = [
        _item(draft, s.label, spans=s.spans, kind="social", name=s.topic, evidence=[s.text])
        for s in draft.social_history
    ]
    for n in draft.not_taking:
        if n.reason.startswith(ALLERGY_REASON):
            continue  # shown under Allergies (its conflicts stay in Needs review)
        items["Not taking"].append(_entry(draft, n, n.label, "medication"))
    items["Tests and procedures"] += [_entry(draft, p, p.label, "procedure") for p in draft.procedures]
    items[NEEDS_REVIEW] = _needs_review(draft)
    for title in ("Problems", "Medications"):
        items[title] = [_name_elsewhere(item, items) for item in items[title]]
    return Sections(sections=[Section(title=t, items=items[t]) for t in TITLES])


# A current item also said in another section: the kind naming that section's category, and why.
ELSEWHERE = {
    "Family history": ("PERTAINS_TO_FAMILY", "also said as a family member's (Family history)"),
    "Other people": ("OTHER_PERSON", "also said as another person's (Other people)"),
    "Plan and conditional": ("HYPOTHETICAL", "also said conditionally (Plan and conditional)"),
    "Denied": ("NEGATION", "also said as denied (Denied)"),
    "Not taking": ("NOT_TAKING", "also said as not taken (Not taking)"),
    "Allergies": ("ALLERGY", "also named as an allergy (Allergies)"),
}


def _name_elsewhere(item: SectionItem, items: dict[str, list[SectionItem]]) -> SectionItem:
    """A flagged current item whose name another section also holds: its flags name that section's category
    too, whatever else flagged it (a blank route, a low score), so the real problem is never left unnamed.
    An unflagged item is left as it is (no new flag on an item stated as fact)."""
    if not item.flags or not item.name:
        return item
    extra = [
        ELSEWHERE[title]
        for title in ELSEWHERE
        if any(other.name == item.name for other in items[title]) and ELSEWHERE[title][0] not in item.flags
    ]
    if not extra:
        return item
    return item.model_copy(  # the section's category names what the row may not be: most serious, so first
        update={
            "flags": most_serious_first([*(kind for kind, _ in extra), *item.flags]),
            "reasons": [*(f"{item.name}: {why}" for _, why in extra), *(item.reasons or [])],
        }
    )


def _needs_review(draft: Draft) -> list[SectionItem]:
    out = [SectionItem(text=f"{f.heading}: {f.label}", flags=[f.kind], kind="note") for f in draft.flags]
    if not draft.guards:
        out.append(
            SectionItem(
                text="Not checked: this draft records no checks", flags=["GUARD_NOT_RUN"], kind="note"
            )
        )
    for g in draft.guards:
        if g.status == "failed":
            note = f" ({g.note})" if g.note else ""
            out.append(
                SectionItem(
                    text=f"Not checked: {g.name} could not run{note}", flags=["GUARD_NOT_RUN"], kind="note"
                )
            )
    if not out and not draft.complete:  # e.g. a draft stored before the guards existed
        out.append(
            SectionItem(
                text="Not checked: not every check of this draft ran", flags=["GUARD_NOT_RUN"], kind="note"
            )
        )
    return out or [SectionItem(text=NOTHING_FLAGGED, flags=[])]
