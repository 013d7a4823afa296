"""DetectEntitiesV2 response + transcript -> :class:`Draft` (rows, sections, evidence, review flags).

Built on the DetectEntitiesV2 shape only, so it is the same with Comprehend Medical or the offline detector:

- entities below ``min_score`` are not drafted (a dropped MEDICATION is flagged); kept entities and
  attributes below ``review_threshold`` are flagged;
- medications (:mod:`.medications`): attributes used only within the medication's clause, widened to whole
  numbers and normalised; one row per drug; negated, hypothetical, family and history-only drugs never
  prescribed; contradictions flagged; UnmappedAttributes become a flagged row, never disappear;
- allergies (:mod:`.allergies`, read from the transcript): never prescribed, shown under "Not taking";
  conditional holds ("hold X if …") stay a flagged row with the hold shown (:mod:`.medications`);
- conditions and procedures (:mod:`.findings`): problems, denied symptoms, tests and procedures;
- low-confidence ASR words (below ``asr_bound``) in medication sentences are flagged;
- whose and when (:mod:`.about`, :mod:`.scope`): family members', other people's, conditional, hypothetical,
  future and past-history mentions go to their own sections before any row or problem is built;
- dose changes and tapers (:mod:`.dosechange`), dose ranges flagged;
- the Allergies section (:mod:`.allergy_list`): substances and classes with their reactions; a prescribed drug
  in an allergy's class is flagged;
- ``guards``: every check that ran; "Nothing flagged" is said only when none failed to run (:mod:`.sections`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from medscribe.errors import InvalidInput
from medscribe.logic.document import selfcorrect
from medscribe.logic.document.abnormal import abnormal_values
from medscribe.logic.document.about import Routed, add, names_a_person, route
from medscribe.logic.document.allergies import ALLERGY_REASON, withhold_allergens
from medscribe.logic.document.allergy_list import (
    Allergen,
    AllergyReading,
    class_of,
    classes,
    cross_reacts,
    read_allergies,
)
from medscribe.logic.document.allergy_retract import no_known_allergies_said, taken_back
from medscribe.logic.document.answered import with_answers
from medscribe.logic.document.context import TRAIT_MIN_SCORE, DraftContext
from medscribe.logic.document.evidence import uncertain_words
from medscribe.logic.document.findings import as_finding, conditions, procedures
from medscribe.logic.document.guards import run_guards
from medscribe.logic.document.intolerance import intolerances
from medscribe.logic.document.medications import medications
from medscribe.logic.document.model import (
    AboutItem,
    AllergyItem,
    Draft,
    GuardRun,
    MedicationNote,
    PrescriptionRow,
    SocialItem,
)
from medscribe.logic.document.orphans import orphans
from medscribe.logic.document.planned import with_plans
from medscribe.logic.document.reaction_event import unnamed_reactions
from medscribe.logic.document.scope import TextScope
from medscribe.logic.document.social import SocialStatement, consume, read_social
from medscribe.logic.document.unitdose import adopt
from medscribe.shapes import DetectEntitiesV2Response, Entity, TranscriptItem

__all__ = [
    "ASR_CONFIDENCE_BOUND",
    "DEFAULT_REVIEW_THRESHOLD",
    "TRAIT_MIN_SCORE",
    "build_draft",
    "parse_response",
]

DEFAULT_REVIEW_THRESHOLD = 0.7
ASR_CONFIDENCE_BOUND = 0.6  # transcript words below this inside a medication sentence are flagged


def parse_response(response: dict[str, Any]) -> DetectEntitiesV2Response:
    try:
        return DetectEntitiesV2Response.model_validate(
            {"ModelVersion": "unknown", **response, "Entities": response.get("Entities", [])}
        )
    except ValidationError as exc:
        raise InvalidInput(
            f"entities do not match the DetectEntitiesV2 shape ({exc.error_count()} errors)"
        ) from exc


def build_draft(
    response: dict[str, Any],
    transcript_text: str,
    *,
    min_score: float = 0.5,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    asr_items: Sequence[TranscriptItem] = (),
    asr_bound: float = ASR_CONFIDENCE_BOUND,
) -> Draft:
    """The draft from a whole DetectEntitiesV2 response (not pre-filtered: dropped medications are flagged)."""
    parsed = parse_response(response)
    ctx = DraftContext(transcript_text, min_score, max(review_threshold, min_score))
    social = read_social(transcript_text)  # "smokes 10 a day": its amounts are no drug's (.social)
    said_entities, said_unmapped = consume(social, parsed.Entities, parsed.UnmappedAttributes)
    adopted, unmapped = adopt(transcript_text, said_entities, said_unmapped)
    entities = sorted((as_finding(transcript_text, e) for e in adopted), key=lambda e: (e.BeginOffset, e.Id))
    entities = [e for e in entities if not names_a_person(e)]  # "flatmate" read as a drug is a person
    ctx.medication_spans = [
        (e.BeginOffset, e.EndOffset) for e in entities if e.Category == "MEDICATION" and ctx.at(e)
    ]
    corrected = selfcorrect.apply(ctx, entities, unmapped)  # "50 mg, sorry, 25 mg": the later value drafted
    entities, unmapped = corrected.entities, corrected.unmapped
    ctx.medication_spans = [
        (e.BeginOffset, e.EndOffset) for e in entities if e.Category == "MEDICATION" and ctx.at(e)
    ]
    _flag_dropped_medications(ctx, entities)
    kept = [e for e in entities if e.Score >= min_score]
    located = [e for e in kept if ctx.at(e)]
    ctx.scope = TextScope(
        selfcorrect.without_fillers(transcript_text, corrected.unsaid),
        _concepts(located),
        ctx.medication_spans,
        [(e.BeginOffset, e.EndOffset) for e in located if e.Category == "MEDICAL_CONDITION"],
    )
    kept = with_answers(ctx, kept)  # "Still on X? No.": X not taken (.answered)
    kept = with_plans(ctx, kept)  # "due to start X next month", "declined X": not yet taken (.planned)
    reading = read_allergies(
        transcript_text,
        [(e.BeginOffset, e.EndOffset) for e in located if e.Category == "MEDICATION"],
        [(e.BeginOffset, e.EndOffset) for e in located if e.Category == "MEDICAL_CONDITION"],
    )
    # "penicillin allergy, sorry, I mean amoxicillin" (.allergy_retract): the allergen taken back is no statement at
    # all, and the one said instead an allergen, not a prescription
    gone, instead = taken_back(
        ctx, reading.allergens, [(e.BeginOffset, e.EndOffset) for e in located if e.Category == "MEDICATION"]
    )
    reading.allergens = [a for a in reading.allergens if a not in gone]
    unsaid = {(a.begin, a.end) for a in (*gone, *instead)}
    kept = [e for e in kept if (e.BeginOffset, e.EndOffset) not in unsaid]
    others = [a for a in reading.allergens if _someone_elses(ctx, a.begin)]
    reading.allergens = [
        a for a in reading.allergens if a not in others
    ]  # "her brother has a peanut allergy"
    ctx.allergens = {
        (a.begin, a.end): _statement(transcript_text, a.begin, reading) for a in reading.allergens
    }
    routed = route(ctx, kept, reading.regions)
    drafted = {span for item in (*routed.family, *routed.others) for span in item.spans}
    for a in others:
        if (a.begin, a.end) not in drafted:
            add(
                routed.others if ctx.scope.subject(a.begin)[0] == "other" else routed.family,
                _others_allergy(ctx, a),
            )
    mine = routed.patient
    rows, notes = medications(ctx, [e for e in mine if e.Category == "MEDICATION"])
    rows = withhold_allergens(ctx, rows, notes, mine)
    allergies = [a for a in _allergies(ctx, reading, notes, kept) if a.name not in {g.name for g in gone}]
    allergies += intolerances(ctx, [e for e in mine if e.Category == "MEDICATION"], allergies)
    rows = _flag_allergy_classes(ctx, rows, allergies)
    rows += orphans(ctx, (u.Attribute for u in unmapped))
    problems, denied = conditions(ctx, mine)
    allergies += unnamed_reactions(ctx, reading, problems, routed.past)  # "treated as anaphylaxis"
    found, inferred = abnormal_values(ctx, mine, procedures(ctx, mine), problems)  # "temperature 38.9"
    problems += inferred
    habits = _social(ctx, social, routed)  # before the sections of other people are frozen
    guards = [GuardRun(name=n) for n in CORE_GUARDS]
    if asr_items:
        _flag_uncertain_words(ctx, asr_items, asr_bound)
        guards.append(GuardRun(name="asr_confidence"))
    else:
        guards.append(
            GuardRun(name="asr_confidence", status="not_applicable", note="no ASR word confidences")
        )
    flags = sorted(
        dict.fromkeys(ctx.flags), key=lambda f: f.begin_offset if f.begin_offset is not None else -1
    )
    draft = Draft(
        min_score=min_score,
        review_threshold=ctx.review,
        asr_confidence_bound=asr_bound,
        prescriptions=tuple(sorted(rows, key=lambda r: r.evidence[0].begin_offset if r.evidence else 0)),
        not_taking=_unique(notes),
        problems=_unique(problems),
        denied=_unique(denied),
        procedures=_unique(found),
        flags=tuple(flags),
        allergies=tuple(allergies),
        no_known_allergies=no_known_allergies_said(transcript_text) or "",
        family_history=tuple(routed.family),
        other_people=tuple(routed.others),
        plan=tuple(routed.plan) + tuple(_conditional_changes(ctx)),
        past_history=tuple(routed.past),
        social_history=tuple(habits),
        guards=tuple(guards),
    )
    return run_guards(draft, transcript_text, entities=entities, asr_items=asr_items, asr_bound=asr_bound)


# The checks build_draft always runs (the guards of other modules add their own GuardRun).
CORE_GUARDS = ("scores", "clauses", "whose", "conditional", "negation_scope", "dose_change", "allergies")


def _social(ctx: DraftContext, statements: Sequence[SocialStatement], routed: Routed) -> list[SocialItem]:
    """The patient's social-history statements; another person's ("his partner also drinks heavily") goes to
    Family history / Other people as said, never the patient's (an unclear subject keeps it the patient's)."""
    out = []
    for s in statements:
        if _someone_elses(ctx, s.begin):
            subject, relation = ctx.scope.subject(s.begin)[:2]
            item = AboutItem(
                text=f"{relation or 'family'}: {s.said}",
                name=" ".join(s.said.lower().split()),
                kind="social",
                spans=((s.begin, s.end),),
            )
            add(routed.others if subject == "other" else routed.family, item)
            continue
        out.append(SocialItem(topic=s.topic, status=s.status, text=s.said, spans=((s.begin, s.end),)))
    return out


def _conditional_changes(ctx: DraftContext) -> list[AboutItem]:
    """Dose changes said only under a condition: shown in the plan, never applied to the row."""
    return [
        AboutItem(
            text=f"{e.Text}: {condition}",
            name=" ".join(e.Text.lower().split()),
            kind="medication",
            ids=(e.Id,),
            spans=((e.BeginOffset, e.EndOffset),),
            evidence=(ctx.evidence(e, e.Score),),
        )
        for e, condition in ctx.conditional_changes
    ]


def _concepts(entities: Sequence[Entity]) -> list[tuple[int, int]]:
    """Clinical concepts' spans: the entity with its site / direction / quality words next to it."""
    spans = []
    for e in entities:
        if e.Category not in ("MEDICATION", "MEDICAL_CONDITION", "TEST_TREATMENT_PROCEDURE", "ANATOMY"):
            continue
        begin, end = e.BeginOffset, e.EndOffset
        for a in e.Attributes:
            near = (a.EndOffset <= begin and begin - a.EndOffset <= 25) or (
                a.BeginOffset >= end and a.BeginOffset - end <= 3
            )
            if a.Type in ("SYSTEM_ORGAN_SITE", "DIRECTION", "QUALITY", "ACUITY") and near:
                begin, end = min(begin, a.BeginOffset), max(end, a.EndOffset)
        spans.append((begin, end))
    return spans


def _someone_elses(ctx: DraftContext, begin: int) -> bool:
    """Another person is plainly the subject (an unclear subject keeps an allergy the patient's: never lost)."""
    subject, _, unclear, _ = ctx.scope.subject(begin)
    return subject != "patient" and not unclear


def _others_allergy(ctx: DraftContext, a: Allergen) -> AboutItem:
    """Another person's allergy ("her older brother has a peanut allergy"): Family history (Other people for
    someone not family), never the patient's."""
    relation = ctx.scope.subject(a.begin)[1] or "family"
    reaction = f" ({a.reaction})" if a.reaction else ""
    return AboutItem(
        text=f"{relation}: {a.substance} allergy{reaction}",
        name=a.name,
        kind="allergy",
        spans=((a.begin, a.end),),
    )


def _statement(text: str, begin: int, reading: AllergyReading) -> str:
    region = next(((b, e) for b, e in reading.regions if b <= begin < e), (begin, begin))
    return " ".join(text[region[0] : region[1]].split())


def _allergies(
    ctx: DraftContext, reading: AllergyReading, notes: Sequence[MedicationNote], entities: Sequence[Entity]
) -> list[AllergyItem]:
    """The Allergies section: what the text reader found, and any drug the mention reader named as an
    allergy that it did not (both readers share their cues)."""
    by_span = {(e.BeginOffset, e.EndOffset): e for e in entities if e.Category == "MEDICATION"}
    items = []
    for a in reading.allergens:
        e = by_span.get((a.begin, a.end))
        reaction_ids = [x.Id for x in entities if (x.BeginOffset, x.EndOffset) in a.reaction_spans]
        items.append(
            AllergyItem(
                substance=a.substance,
                name=a.name,
                reaction=a.reaction,
                ids=((e.Id,) if e else ()) + tuple(reaction_ids),
                spans=((a.begin, a.end),),
                evidence=(ctx.evidence(e, e.Score),) if e else (),
            )
        )
    seen = {i.name for i in items}
    for note in notes:
        if note.reason.startswith(ALLERGY_REASON) and note.name.lower() not in seen:
            seen.add(note.name.lower())
            items.append(
                AllergyItem(
                    substance=note.name,
                    name=note.name.lower(),
                    ids=note.ids,
                    spans=note.spans,
                    evidence=note.evidence,
                )
            )
    return items


def _flag_allergy_classes(
    ctx: DraftContext, rows: list[PrescriptionRow], allergies: Sequence[AllergyItem]
) -> list[PrescriptionRow]:
    """A prescribed drug in the class of a stated allergy (amoxicillin with a penicillin allergy), or in a class
    that may cross-react with it (cefalexin with a penicillin allergy): flagged."""
    c = classes()
    of = {a.name: c.aliases.get(a.name) or class_of(a.name) for a in allergies}
    out = []
    for row in rows:
        drug = " ".join(row.name.lower().split())
        cls = class_of(drug) or c.aliases.get(drug)
        same = [a for a in allergies if cls and of[a.name] == cls]
        cross = [a for a in allergies if cls and cross_reacts(cls, of[a.name], f"{a.reaction} {ctx.text}")]
        said = next(iter(same or cross), None)
        if said is None or said.name == drug:
            out.append(row)
            continue
        why = "" if same else f", which may cross-react with {of[said.name]}"
        kind = "an intolerance" if said.note else "an allergy"
        where = row.spans[0] if row.spans else (None, None)
        ctx.flag(
            "ALLERGY_CLASS_CONFLICT",
            row.name,
            f"{row.name} is in the class {cls}{why}; the transcript names {kind} to {said.substance}: check",
            entity_id=row.ids[0] if row.ids else None,
            begin=where[0],
            end=where[1],
        )
        out.append(row.model_copy(update={"flagged": True}))
    return out


def _flag_dropped_medications(ctx: DraftContext, entities: Sequence[Entity]) -> None:
    for e in entities:
        if e.Category == "MEDICATION" and e.Score < ctx.min_score:
            ctx.flag_item(
                "DROPPED_MEDICATION",
                e,
                f"possible medication “{e.Text}” below the keep threshold: not drafted",
            )


def _flag_uncertain_words(ctx: DraftContext, items: Sequence[TranscriptItem], bound: float) -> None:
    for word in uncertain_words(ctx.text, items, bound, ctx.spans):
        if word.sentence is not None and word.sentence in ctx.medication_sentences:
            ctx.flag(
                "LOW_ASR_CONFIDENCE",
                word.content,
                f"word “{word.content}” was heard with low confidence in: "
                f"“{ctx.text[word.sentence.begin : word.sentence.end]}”",
                score=round(word.confidence, 4),
                begin=word.sentence.begin,
                end=word.sentence.end,
            )


def _unique(items: Sequence[Any]) -> tuple[Any, ...]:
    by_label: dict[str, Any] = {}
    for item in items:
        by_label.setdefault(item.label.lower(), item)
    return tuple(by_label.values())
