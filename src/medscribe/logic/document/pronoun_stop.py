"""A prescription a later pronoun says is not taken (issue 15: a stopped drug is never stated as current).

"Atorvastatin 20 mg at night. She stopped it last week.", "amlodipine 5 mg daily, but she hasn't taken it since
March", "metformin 500 mg twice daily, which she does not take": the stop or the not-taking is said of the drug by
a pronoun ("it", "them", "which"), after the drug's own clause, in its sentence or the next one, within ``REACH``
characters. Which drug the pronoun means is read from the drugs it may mean, its **candidates**: every drug named
from the start of the sentence of the drug said last before the pronoun up to the pronoun (no further back than
``REACH``; in a recogniser run-on, with no sentence end, that is the whole stretch).

- **one candidate** (every mention there is one drug's, and no conditional word — "if", "when", "whether",
  "unless" — stands just before the pronoun's subject): the pronoun can only mean it, so the stop is read as said
  of it (:func:`certain_stop`, read with the drug's other stops by :mod:`.medications`): the drug is under "Not
  taking", never a prescription;
- **several**: the words do not say which; no row is moved, and every candidate's row is flagged
  ``NOT_VERIFIED_CURRENT``, quoting the words and naming STOPPED / NOT_TAKING (:func:`pronoun_stop`, read by
  :mod:`.clause_guard`).

A stop said by a pronoun inside the drug's own stretch ("…, which we have stopped") is read by
:mod:`.mention_context`; this module reads what that stretch cannot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.model import ReviewFlag

_SUBJECT = r"(?:she|he|they|i|we|the\s+patient|patient)"
_NOT = r"(?:n['\u2019]t|\s+not|\s+never)"
PRONOUN_STOP = re.compile(
    rf"\b{_SUBJECT}\s+(?:has\s+|have\s+|had\s+)?(?:now\s+|since\s+|also\s+|then\s+|just\s+)?"
    r"(?:stopped|discontinued|quit|came\s+off|come\s+off|ran\s+out\s+of|run\s+out\s+of|gave\s+up|given\s+up"
    r"|binned|ditched|abandoned|declined|refused|refuses|declines)"
    r"\s+(?:taking\s+|using\s+)?(?:it|them)\b"
    # the phrasal stop with its object inside: "he gave it up", "she has given them up", "he packed it in"
    rf"|\b{_SUBJECT}\s+(?:has\s+|have\s+|had\s+)?(?:now\s+|since\s+|also\s+|then\s+|just\s+)?"
    r"(?:gave|given|packed)\s+(?:it|them)\s+(?:up|in)\b"
    # a refusal with its object left out, said as the clause's end ("Statins were offered but he declined.")
    rf"|\b{_SUBJECT}\s+(?:has\s+|have\s+|had\s+)?(?:declined|refused)(?=\s*(?:[.;,!?]|$))"
    rf"|\b{_SUBJECT}\s+(?:has|have|had|is|was|does|did|do){_NOT}\s+(?:been\s+)?"
    r"(?:taking|taken|take|used|using|use|started|start|collected|picked\s+up)\s+(?:it|them)\b"
    rf"|\b(?:which|that)\s+{_SUBJECT}\s+(?:does|do|did|is|has|have|had|was){_NOT}\s+(?:been\s+)?"
    r"(?:take|taking|taken|use|using|used|start|started)\b",
    re.IGNORECASE,
)
# a dose the patient is to skip, said by its subject after the drug ("he misses the morning dose on the day of the
# extraction and restarts that evening", "she omits the evening dose the day before"): a hold of one dose, said as
# a plan (present or modal; a past "missed a dose" is adherence, not an instruction)
SKIPPED_DOSE = re.compile(
    rf"\b{_SUBJECT}\s+(?:will\s+|should\s+|must\s+|is\s+to\s+|needs\s+to\s+)?"
    r"(?:misses|miss|omits|omit|skips|skip|leaves\s+out|withholds|withhold)\s+"
    r"(?:the|his|her|their|one|a)\s+(?:[a-z'-]+\s+){0,2}?doses?\b",
    re.IGNORECASE,
)
REACH = 200  # characters after the drug the pronoun's words may stand
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")


_OBJECT = re.compile(r"\b(?:it|them|which|that)\b", re.IGNORECASE)  # the pronoun said as the stop's object
_CONDITION_BEFORE = re.compile(r"\b(?:if|when|whether|unless|until|in\s+case)\s+$", re.IGNORECASE)


def stop_after(text: str, mention: tuple[int, int]) -> re.Match[str] | None:
    """The pronoun's stop said after the drug at ``mention``, in its sentence or the next one, within ``REACH``."""
    end = mention[1]
    window = text[end : end + REACH]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    limit = end + (ends[1] if len(ends) > 1 else len(window))  # its sentence and the next one
    return PRONOUN_STOP.search(text, end, limit)


def candidates(text: str, at: int, drugs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The drug mentions a pronoun at ``at`` may mean: from the start of the sentence of the drug said last before
    it (no further back than ``REACH``) up to it."""
    before = [d for d in drugs if d[1] <= at and at - d[0] <= REACH]
    if not before:
        return []
    nearest = max(before)[0]
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, nearest)]
    low = max(starts[-1] if starts else 0, at - REACH)
    return sorted(d for d in before if d[0] >= low)


def _names(text: str, spans: Sequence[tuple[int, int]]) -> set[str]:
    return {" ".join(text[b:e].lower().split()) for b, e in spans}


def pronoun_stop(text: str, mention: tuple[int, int], drugs: Sequence[tuple[int, int]]) -> str:
    """The words saying, by a pronoun after the drug at ``mention``, that it (or another drug the pronoun may mean
    as well) is stopped or not taken; "" when none, or when the pronoun is nearer to drugs said after this one."""
    m = stop_after(text, mention)
    if m is None or mention not in candidates(text, m.start(), [*drugs, mention]):
        return ""
    return " ".join(m.group(0).split())


def skipped_dose(text: str, mention: tuple[int, int], drugs: Sequence[tuple[int, int]]) -> str:
    """The words saying the patient is to skip a dose, after the drug at ``mention`` (in its sentence or the next,
    nearer to it than to a drug said after it), else "": the row is flagged, never moved (one dose skipped)."""
    end = mention[1]
    window = text[end : end + REACH]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    m = SKIPPED_DOSE.search(text, end, end + (ends[1] if len(ends) > 1 else len(window)))
    if m is None or mention not in candidates(text, m.start(), [*drugs, mention]):
        return ""
    return " ".join(m.group(0).split())


def skipped_flag(name: str, mention: tuple[int, int], said: str) -> ReviewFlag:
    return not_current(
        name,
        mention,
        f"a dose of it, or of another drug said with it, is to be skipped (“{said}”): HELD for that dose, "
        "check the instruction and when it restarts",
    )


def certain_stop(text: str, mention: tuple[int, int], drugs: Sequence[tuple[int, int]]) -> str:
    """The pronoun's stop words when the pronoun can only mean the drug at ``mention`` (its one candidate, said
    with no conditional word before the stop's subject); "" otherwise."""
    m = stop_after(text, mention)
    if m is None or _CONDITION_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        return ""
    if not _OBJECT.search(m.group(0)):
        return ""  # "he declined": what was declined is not said, so the row is flagged, never moved
    near = candidates(text, m.start(), [*drugs, mention])
    if mention not in near or len(_names(text, near)) != 1:
        return ""
    return " ".join(m.group(0).split())


def flag(name: str, mention: tuple[int, int], said: str) -> ReviewFlag:
    return not_current(
        name,
        mention,
        f"a pronoun said after it (“{said}”) says it, or another drug said with it, is stopped or not taken: "
        "STOPPED / NOT_TAKING, check which drug it means and whether it is taken",
    )


def not_current(name: str, mention: tuple[int, int], why: str) -> ReviewFlag:
    """The one shape of a row stated as current that words said after it doubt (this module, :mod:`.past_course`)."""
    return ReviewFlag(
        kind="NOT_VERIFIED_CURRENT",
        subject=name,
        message=f"“{name}” is stated as current, but {why}",
        begin_offset=mention[0],
        end_offset=mention[1],
    )
