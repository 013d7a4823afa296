"""The placement guard: an item placed under Denied or Family history whose own clause does not show the cue that
placed it is flagged ``PLACEMENT_UNVERIFIED``: a Denied item with words between the negation and it that are not
part of the negated list ("No rash or vomiting, left ear drum red and bulging"), or no negation in its clause; a
Family-history item whose relation is a speaker ("Dad says the rash on her legs …"), or with no relation or
family-history header in its clause. An item whose placement another flag doubts already (SUBJECT_UNCLEAR,
NEGATION_SCOPE_UNCLEAR, HISTORY_SCOPE_UNCLEAR, CONDITION_SCOPE_UNCLEAR) gets none: its doubt is said once. It reads
clauses as :mod:`.clause_guard` does, with the helpers both share (:mod:`.clause_reach`, :mod:`.clause_words`).
docs/guards.md ("What the clause does not verify").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from medscribe.logic.document import clause_words as w
from medscribe.logic.document.answered import answers, denied_by_answer
from medscribe.logic.document.clause_reach import (
    Span,
    clause_after,
    clause_start,
    is_other_gender,
    patient_gender,
    resets,
    shown_flags,
)
from medscribe.logic.document.cue_words import NON_PREFIX
from medscribe.logic.document.findings import negated_pair
from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.document.owned_after import owned_after
from medscribe.logic.document.relation_words import IN_THE_FAMILY
from medscribe.logic.document.scope_negation import free_after, ruled_out_after
from medscribe.logic.document.selfcorrect_cues import without_fillers

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput


NEGATION = re.compile(
    r"\b(?:no|not|nil|denies|denied|denying|without|nor|never|negative\s+for|free\s+of|excluded|excludes"
    r"|ruled\s+out|rules\s+out)\b|" + NON_PREFIX,  # "non-tender": the prefix said right before the sign
    re.I,
)
LIST_GLUE = frozenset(
    [
        "or",
        "and",
        "nor",
        "any",
        "other",
        "no",
        "of",
        "the",
        "a",
        "an",
        "significant",
        "new",
        "recent",
        "further",
        "associated",
        "current",
        "obvious",
        "previous",
        "history",
        "signs",
        "symptoms",
        "episodes",
    ]
)
SEPARATORS = frozenset(("and", "or", "nor"))
CLOSED_LIST = re.compile(r"\b(?:or|nor)\b[^,]*,", re.I)
FH_HEADER = re.compile(r"\b(?:family\s+(?:medical\s+)?(?:history|hx)|fhx?)\b", re.I)


# Flags that already say an item's placement is in doubt ("the words do not say whether it is the patient's or
# the mother's: listed under Family history, check"): an item carrying one gets no PLACEMENT_UNVERIFIED beside it.
PLACEMENT_DOUBTED = frozenset(
    ("SUBJECT_UNCLEAR", "NEGATION_SCOPE_UNCLEAR", "HISTORY_SCOPE_UNCLEAR", "CONDITION_SCOPE_UNCLEAR")
)


def placement_unverified(inp: GuardInput) -> list[ReviewFlag]:
    text = without_fillers(inp.text)  # "denies, um, chest pain": a hesitation breaks no negation
    gender = patient_gender(text)
    out: list[ReviewFlag] = []
    raised = (*inp.draft.flags, *inp.raised)

    def doubted(
        ids: Sequence[int], spans: Sequence[Span]
    ) -> bool:  # said once: its placement is flagged already
        return any(f.kind in PLACEMENT_DOUBTED for f in shown_flags(ids, spans, raised))

    denied_spans = [s for c in inp.draft.denied for s in c.spans]
    asked = answers(text)  # "Any headaches? No.": the answer denies it (.answered)
    for item in inp.draft.denied:
        spans = sorted(s for s in item.spans if 0 <= s[0] < s[1] <= len(text))
        if doubted(item.ids, item.spans):
            continue
        if spans and all(
            not _negation_reaches(text, b, denied_spans)
            and not negated_pair(text, b)
            and ruled_out_after(text, e) is None  # "Charcot arthropathy … excluded on MRI": said after it
            and not free_after(text, e)  # "seizure-free for 5 years"
            and not denied_by_answer(asked, b, e)
            for b, e in spans
        ):
            out.append(_placement_flag(item.name, spans[0], "Denied", "no negation in its clause reaches it"))
    for note in inp.draft.not_taking:
        spans = sorted(s for s in note.spans if 0 <= s[0] < s[1] <= len(text))
        told = [w.PRESCRIBED_RIGHT_BEFORE.search(text, max(0, b - 40), b) for b, _ in spans]
        if spans and all(told) and not doubted(note.ids, note.spans):
            why = f"it is said right after “{(told[0].group(0) if told[0] else '').strip()}”"
            out.append(_placement_flag(note.name, spans[0], "Not taking", why))
    others = [(a, "Other people") for a in inp.draft.other_people]  # not family: their own section
    for about, section in [*((a, "Family history") for a in inp.draft.family_history), *others]:
        spans = sorted(s for s in about.spans if 0 <= s[0] < s[1] <= len(text))
        reasons = [_relation_unverified(text, b, e, gender) for b, e in spans]
        if spans and all(reasons) and not doubted(about.ids, about.spans):
            out.append(_placement_flag(about.name, spans[0], section, reasons[0] or ""))
    return out


def _placement_flag(name: str, span: Span, section: str, why: str) -> ReviewFlag:
    return ReviewFlag(
        kind="PLACEMENT_UNVERIFIED",
        subject=name,
        message=f"“{name}” is under {section}, but {why}: check whether it is the patient's current problem",
        begin_offset=span[0],
        end_offset=span[1],
    )


def _negation_reaches(text: str, begin: int, listed: Iterable[Span]) -> bool:
    """A negation of the item's clause reaches it through list words and other negated items only."""
    start = clause_start(text, begin)
    cues = list(NEGATION.finditer(text, start, begin))
    if not cues:
        return False
    if CLOSED_LIST.search(text, cues[-1].end(), begin):  # "no A or B, C": a list closes at its "or"
        return False
    listed = list(listed)
    words = list(w.WORD.finditer(text, cues[-1].end(), begin))
    loose = [
        i
        for i, m in enumerate(words)
        if m.group(0).lower() not in LIST_GLUE and not any(b <= m.start() and m.end() <= e for b, e in listed)
    ]
    # up to three words right before a negated item are its modifier ("exertional pain", "thoughts of self-harm");
    # any other word is not the list's
    starts = sorted(
        {i for i, m in enumerate(words) if any(b <= m.start() < e for b, e in listed)} | {len(words)}
    )
    ends = [m.start() for m in words] + [begin]
    for i in loose:
        j = next(j for j in starts if j > i)
        joined = text[words[i].end() : ends[j]]
        if (
            j - i > 3
            or "," in joined
            or any(words[k].group(0).lower() in SEPARATORS for k in range(i + 1, j))
        ):
            return False
    return True


def _relation_unverified(text: str, begin: int, end: int, gender: str | None) -> str:
    """Why the item's clause does not show it is another person's ("" when it does)."""
    start = clause_start(text, begin)
    if FH_HEADER.search(text, start, begin) or w.RELATION.search(clause_after(text, end)):
        return ""
    if IN_THE_FAMILY.match(text, end):  # "Lynch syndrome runs in the family"
        return ""
    if owned_after(text, end) is not None:  # "…, and that is hers": its owner said after it
        return ""
    relations = list(w.RELATION.finditer(text, start, begin))
    if not relations:
        return "no relation or family-history header is in its clause"
    last = relations[-1]
    if w.SPEAKER_AFTER.search(text[last.end() : last.end() + 80]) and not w.COMPANION_BEFORE.search(
        text[max(0, last.start() - 40) : last.start()]
    ):
        between = text[last.end() : begin]
        if gender is None or not any(
            is_other_gender(m.group("pronoun"), gender) for m in w.SUBJECT_PRONOUN.finditer(between)
        ):  # "mum says … and she has X herself": the relation is the subject again
            return f"“{last.group(0)}” is speaking in its clause, perhaps about the patient"
    if resets(text[last.end() : begin], gender):
        return f"a new statement follows “{last.group(0)}” before it"
    return ""
