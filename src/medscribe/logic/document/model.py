"""The draft's data: what the clinician reads and signs, before any layout.

Built by :mod:`medscribe.logic.document.draft` from a DetectEntitiesV2 response (Comprehend Medical or the
offline detector) and the transcript; stored whole in the FilterEntities output (``entities/filtered.json``)
so the PDF, the stored flags and the PostgreSQL rows all say the same thing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from medscribe.logic.document.cell_text import MAX_NAME_CHARS, cell, clip
from medscribe.logic.document.flag_kinds import FLAG_HEADINGS, FlagKind
from medscribe.logic.document.guard_data import tall_man


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Frozen):
    """The transcript sentence a row came from, and the lowest score behind what the row shows."""

    sentence: str
    score: float
    begin_offset: int
    end_offset: int

    @property
    def label(self) -> str:
        return f"“{self.sentence}” (score {self.score:.2f})"


class ReviewFlag(_Frozen):
    kind: FlagKind
    subject: str  # the drug, attribute or word concerned (transcript text)
    message: str
    score: float | None = None
    entity_id: int | None = None
    begin_offset: int | None = None
    end_offset: int | None = None

    @property
    def label(self) -> str:
        score = f" (score {self.score:.2f})" if self.score is not None else ""
        return f"{self.message}{score}"

    @property
    def heading(self) -> str:
        return FLAG_HEADINGS[self.kind]

    def shown_on(self, ids: Collection[int], spans: Iterable[tuple[int, int]]) -> bool:
        """The flag is shown on the item with these entity ids and mention spans, as the sections attach flags: by
        entity id, or inside one of its mentions. The one rule for every reader (sections, clause guards, said_once)."""
        return (self.entity_id is not None and self.entity_id in ids) or (
            self.begin_offset is not None
            and self.end_offset is not None
            and any(b <= self.begin_offset and self.end_offset <= e for b, e in spans)
        )


class AttributeValue(_Frozen):
    type: str  # DetectEntitiesV2 attribute type: STRENGTH, DOSAGE, FREQUENCY, ROUTE_OR_MODE, DURATION, FORM
    raw: str  # the transcript text (widened to whole numbers such as "1 and 1/2 tabs")
    normalised: str | None  # None: could not be read with certainty (flagged)
    score: float
    per: str | None = None  # STRENGTH: the form it is the strength of, when said ("80 mg tablets": "tablet")

    @property
    def label(self) -> str:
        raw = clip(self.raw)
        if self.normalised is None:
            return f"“{raw}” (not understood: check)"
        if self.normalised.lower() == self.raw.lower():
            return clip(self.normalised)
        return f"{clip(self.normalised)} (said “{raw}”)"


MAX_EVIDENCE_SHOWN = 3


class DoseChange(_Frozen):
    """A dose change said as such ("increase atenolol from 25 to 50 mg", "reduce to 10 mg")."""

    new: str  # normalised new dose ("50 mg"); "" for a titration step ("up by 2 units"): no dose said
    previous: str | None = None  # normalised previous dose, when said
    direction: str = "changed"  # increased | decreased | changed
    phrase: str = ""  # the words that said it
    unit_unsaid: bool = (
        False  # "increase the dose to 20": the unit of ``new`` was not said (taken from before)
    )

    @property
    def label(self) -> str:
        return self.note(dose_shown=False)

    def note(self, *, dose_shown: bool) -> str:
        """What the row says of the change; a titration step beside a dose said before it keeps that dose."""
        if not self.new:  # a step, not a dose: "titrate up by 2 units every 3 days"
            return f"titration: “{self.phrase}”" + ("" if dose_shown else "; dose to be set")
        if self.previous:
            return f"was {self.previous}: dose {self.direction}"
        return f"dose {self.direction}; previous dose not stated"


class PrescriptionRow(_Frozen):
    name: str  # "" when the medication was not identified (an orphan dose)
    form: tuple[AttributeValue, ...] = ()
    dose: tuple[AttributeValue, ...] = ()  # STRENGTH then DOSAGE (and RATE)
    route: tuple[AttributeValue, ...] = ()
    frequency: tuple[AttributeValue, ...] = ()
    duration: tuple[AttributeValue, ...] = ()
    qualifiers: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    flagged: bool = False
    change: DoseChange | None = None  # "from 25 to 50 mg": the dose shown is the new one
    taper: tuple[str, ...] = ()  # "40 mg for 5 days", "20 mg for 5 days": every step, in order
    ids: tuple[int, ...] = ()  # the entity and attribute ids behind the row (flags attach by them)
    spans: tuple[tuple[int, int], ...] = ()  # the mentions' offsets in the transcript

    @property
    def label(self) -> str:
        name = clip(tall_man(self.name), MAX_NAME_CHARS) or "[medication not identified]"
        kinds = (
            [v for v in self.form if v.type != "STRENGTH"],
            [v for v in self.form if v.type == "STRENGTH"],
        )
        forms = " ".join(cell(tuple(k)) for k in kinds if k)  # "suspension 250 mg/5 mL": a liquid's strength
        text = f"{name}, {forms}" if forms else name
        text = f"{text} ({', '.join(self.qualifiers)})" if self.qualifiers else text
        return f"{text} [REVIEW]" if self.flagged else text

    @property
    def dose_text(self) -> str:
        return cell(self.dose)

    @property
    def route_text(self) -> str:
        return cell(self.route)

    @property
    def frequency_text(self) -> str:
        return cell(self.frequency)

    @property
    def duration_text(self) -> str:
        return cell(self.duration) if self.duration else "not stated"

    @property
    def evidence_text(self) -> str:
        shown = " ".join(e.label for e in self.evidence[:MAX_EVIDENCE_SHOWN])
        more = len(self.evidence) - MAX_EVIDENCE_SHOWN
        return f"{shown} (+{more} more mentions)" if more > 0 else shown


class MedicationNote(_Frozen):
    """A drug that is not prescribed: negated, past history only, hypothetical, family history, contradictory."""

    name: str
    reason: str
    details: str = ""
    evidence: tuple[Evidence, ...] = ()
    ids: tuple[int, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def label(self) -> str:
        details = f" ({self.details})" if self.details else ""
        return f"{tall_man(self.name)}{details}: {self.reason}"


class ConditionItem(_Frozen):
    name: str
    kind: str = ""  # diagnosis | symptom | sign | ""
    details: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    ids: tuple[int, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def label(self) -> str:
        parts = [self.name + (f" ({', '.join(self.details)})" if self.details else "")]
        if self.kind:
            parts.append(self.kind)
        parts.extend(self.qualifiers)
        return " — ".join(parts)


class ProcedureItem(_Frozen):
    name: str
    kind: str  # test | procedure | treatment
    value: str = ""
    unit: str = ""
    negated: bool = False
    qualifiers: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    ids: tuple[int, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def label(self) -> str:
        result = " ".join(p for p in (self.value, self.unit) if p)
        parts = [self.name + (f": {result}" if result else ""), self.kind]
        if self.negated:
            parts.append("negated / not done")
        parts.extend(self.qualifiers)
        return " — ".join(parts)


class AboutItem(_Frozen):
    """A mention that is not the patient's current fact: another person's (``whose``), conditional or future
    (``plan``), past history. ``text`` is what is printed ("sister: lupus", "return if a rash appears")."""

    text: str
    name: str
    kind: str  # medication | condition | procedure | social
    ids: tuple[int, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    evidence: tuple[Evidence, ...] = ()


class SocialItem(_Frozen):
    """A social-history statement of the patient's (:mod:`.social`): ``text`` the words as said ("still smoking
    10 a day"); ``topic`` and ``status`` are labels, not transcript words (never counted as held by a guard)."""

    topic: str  # Smoking | Alcohol | Recreational drugs | Vaping
    status: str  # current | ex | never | none | history | unclear
    text: str
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.topic} ({self.status}): {self.text}"


class AllergyItem(_Frozen):
    substance: str  # as said ("sulfa drugs", "penicillin")
    name: str  # normalised: the class ("sulfonamides", "penicillins") or the drug, lower case
    reaction: str = ""  # "rash", when said
    note: str = ""  # "intolerance: stopped because of it" (:mod:`.intolerance`), else ""
    ids: tuple[int, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    evidence: tuple[Evidence, ...] = ()

    @property
    def label(self) -> str:
        said = f"{self.substance} — {self.reaction}" if self.reaction else self.substance
        return f"{said} ({self.note})" if self.note else said


GuardStatus = Literal["ran", "not_applicable", "failed"]


class GuardRun(_Frozen):
    """One check of the draft: "Nothing flagged" is printed only when none of them failed to run."""

    name: str
    status: GuardStatus = "ran"
    note: str = ""


class Draft(_Frozen):
    min_score: float
    review_threshold: float
    asr_confidence_bound: float = 0.6  # ASR words below this in a medication sentence were flagged
    prescriptions: tuple[PrescriptionRow, ...] = ()
    not_taking: tuple[MedicationNote, ...] = ()
    problems: tuple[ConditionItem, ...] = ()
    denied: tuple[ConditionItem, ...] = ()
    procedures: tuple[ProcedureItem, ...] = ()
    flags: tuple[ReviewFlag, ...] = ()
    allergies: tuple[AllergyItem, ...] = ()
    no_known_allergies: str = ""  # the words that said so ("NKDA", "no known drug allergies"), when said
    family_history: tuple[AboutItem, ...] = ()  # family members' conditions and drugs
    other_people: tuple[
        AboutItem, ...
    ] = ()  # other people's (a flatmate's, a carer's …), never the patient's
    plan: tuple[AboutItem, ...] = ()  # conditional, hypothetical, future
    past_history: tuple[AboutItem, ...] = ()
    social_history: tuple[SocialItem, ...] = ()  # smoking, alcohol, recreational drugs, vaping (.social)
    guards: tuple[GuardRun, ...] = ()  # the draft's own checks (build_draft)
    guards_run: tuple[str, ...] = ()  # the registered guards (.guards) that ran to the end on this draft

    @property
    def complete(self) -> bool:
        """Every check ran (or did not apply) and every registered guard ran: only then can "Nothing
        flagged" be said."""
        from medscribe.logic.document.guards import all_guards_ran

        return (
            bool(self.guards)
            and all(g.status != "failed" for g in self.guards)
            and all_guards_ran(self.guards_run)
        )

    @property
    def nothing_flagged(self) -> bool:
        """No flag, and every registered guard ran: only then may the draft say "Nothing flagged"."""
        return not self.flags and self.complete
