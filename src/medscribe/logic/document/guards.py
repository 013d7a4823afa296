"""The draft's guards: checks that run on every finished draft and add review flags (issue 15 items 6-8).

Each guard is a function of :class:`GuardInput` returning the flags it raises; :data:`GUARDS` is the registry.
:func:`run_guards` runs every one, records in ``Draft.guards_run`` those that ran to the end, and turns a guard
that was skipped (:class:`GuardSkipped`, e.g. audio words without confidences) or that failed into its own
GUARD_NOT_RUN flag. ``Draft.nothing_flagged`` ("Nothing flagged" in the PDF) holds only when there is no flag
and every registered guard ran.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from medscribe.errors import MedscribeError
from medscribe.logic.document.clause_guard import current_unverified
from medscribe.logic.document.condition_guard import condition_not_captured
from medscribe.logic.document.cue_guard import cue_not_captured
from medscribe.logic.document.lasa import look_alike, sound_alike
from medscribe.logic.document.model import Draft, ReviewFlag
from medscribe.logic.document.not_captured import allergy_not_captured, medication_not_captured
from medscribe.logic.document.not_drafted import not_drafted
from medscribe.logic.document.number_guard import dose_number_unclear
from medscribe.logic.document.placement_guard import placement_unverified
from medscribe.logic.document.said_once import said_once
from medscribe.logic.document.unintelligible import transcript_doubts
from medscribe.shapes import Entity, TranscriptItem

__all__ = ["GUARDS", "GuardInput", "GuardSkipped", "HeardWord", "all_guards_ran", "run_guards"]

_TOKEN = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
# Keys of the draft whose text is not an item of the draft: a whole evidence sentence, a flag's prose, and the
# draft's own labels (a flag's or an item's kind, an attribute's type, the checks that ran): "BLANK_CELL" and
# "DOSAGE" held "frequency"-like words no item says ("frequent ventricular ectopics" passed by "frequency").
_NOT_ITEMS = frozenset({"sentence", "message", "kind", "type", "guards", "guards_run", "status", "topic"})
# What a guard may fail with and still leave the draft usable (the failure becomes a GUARD_NOT_RUN flag). Other
# errors (MemoryError, KeyboardInterrupt...) end the step as before.
GUARD_FAILURES: tuple[type[Exception], ...] = (
    MedscribeError,
    ArithmeticError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
)


class GuardSkipped(MedscribeError):
    """A guard could not check this draft (its input is missing): shown as a GUARD_NOT_RUN flag."""


@dataclass(frozen=True)
class HeardWord:
    content: str
    confidence: float


@dataclass(frozen=True)
class GuardInput:
    draft: Draft
    text: str  # the normalised transcript the entities were detected on
    entities: Sequence[Entity] = ()  # the whole DetectEntitiesV2 response (kept and dropped)
    asr_items: Sequence[TranscriptItem] = ()  # empty: a text draft, no audio
    asr_bound: float = 0.6
    raised: Sequence[ReviewFlag] = ()  # the flags the guards before this one raised (in registry order)

    @cached_property
    def captured_words(self) -> frozenset[str]:
        """Every lower-case word of the draft's items (names, values, notes, flag subjects): what it holds."""
        return frozenset(w for s in _item_strings(self.draft.model_dump()) for w in _TOKEN.findall(s.lower()))

    def heard_words(self) -> list[HeardWord]:
        """The ASR words with their confidence ([] for a text draft); GuardSkipped when audio words carry none."""
        words = [i for i in self.asr_items if i.type == "pronunciation" and i.alternatives]
        out: list[HeardWord] = []
        for item in words:
            alt = item.alternatives[0]
            try:
                out.append(HeardWord(alt.content, float(alt.confidence)))
            except ValueError:
                continue
        if words and not out:
            raise GuardSkipped("the transcript's words carry no confidence")
        return out


Guard = Callable[[GuardInput], list[ReviewFlag]]

GUARDS: dict[str, Guard] = {
    "look_alike": look_alike,
    "sound_alike": sound_alike,
    "medication_not_captured": medication_not_captured,
    "allergy_not_captured": allergy_not_captured,
    "condition_not_captured": condition_not_captured,
    "cue_not_captured": cue_not_captured,  # after the lexicon guards: it reads the flags they raised
    "intelligibility": transcript_doubts,
    "dose_number_unclear": dose_number_unclear,
    "current_unverified": current_unverified,
    "placement_unverified": placement_unverified,
    "not_drafted": not_drafted,  # last: a clause another guard's flag names is accounted for
}


def all_guards_ran(ran: Sequence[str]) -> bool:
    return set(GUARDS) <= set(ran)


def run_guards(
    draft: Draft,
    text: str,
    *,
    entities: Sequence[Entity] = (),
    asr_items: Sequence[TranscriptItem] = (),
    asr_bound: float = 0.6,
) -> Draft:
    """``draft`` with every guard's flags added (kept in transcript order), each problem of an item said once
    (:mod:`.said_once`), and the guards that ran recorded."""
    inp = GuardInput(draft, text, tuple(entities), tuple(asr_items), asr_bound)
    ran: list[str] = []
    added: list[ReviewFlag] = []
    for name, guard in GUARDS.items():
        try:
            added += guard(replace(inp, raised=tuple(added)) if added else inp)
        except GuardSkipped as exc:
            added.append(_not_run(name, f"skipped: {exc}"))
            continue
        except GUARD_FAILURES as exc:
            added.append(_not_run(name, f"failed ({type(exc).__name__})"))
            continue
        ran.append(name)
    flags = sorted(
        dict.fromkeys((*draft.flags, *added)),
        key=lambda f: f.begin_offset if f.begin_offset is not None else -1,
    )
    return said_once(draft.model_copy(update={"flags": tuple(flags), "guards_run": tuple(ran)}))


def _not_run(name: str, reason: str) -> ReviewFlag:
    label = name.replace("_", " ")
    return ReviewFlag(
        kind="GUARD_NOT_RUN",
        subject=name,
        message=f"check “{label}” did not run ({reason}): the draft was not fully checked",
    )


def _item_strings(value: Any, key: str = "") -> Iterator[str]:
    if key in _NOT_ITEMS:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _item_strings(v, k)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _item_strings(v)
