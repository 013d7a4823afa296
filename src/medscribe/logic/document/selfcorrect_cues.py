"""The words of a correction while dictating (PROCEDURE.md section 23): the closed list of retraction cues, the
hesitations, and what may stand between two values of one slot when the later corrects the earlier. Shared by
:mod:`.selfcorrect` (doses, names, frequencies, routes), :mod:`.selfcorrect_sides` and the scope readers
(:func:`without_fillers`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

# The closed list of retraction cues (PROCEDURE.md section 23), as regular expressions over the words said.
CUES = (
    r"(?:i\s*['\u2019]?\s*a?m\s+)?sorry(?!\s+(?:to|about|for|that)\b)",
    r"i\s+mean(?:t)?",
    r"no\s+wait",
    r"wait(?!\s+(?:and|for|until|till|to|a|list)\b)",
    r"no",
    r"scratch\s+that",
    r"strike\s+that",
    r"(?:delete|cancel|forget)\s+that",
    r"correction(?!\s+of\b)",
    r"(?:or\s+)?rather(?!\s+(?:than|\w+ly|worried|drowsy|tired|low|high|unwell|more|less)\b)",
    r"i\s+should\s+say",
    r"make\s+(?:that|it)",
    r"pardon",
)
FILLERS = r"(?:e+r+m*|u+m+|u+h+|a+h+|hmm+)"
CUE = re.compile(rf"\b(?:{'|'.join(CUES)})\b", re.IGNORECASE)
# a cue that cannot be a negation or an adverb: only these say a correction when no value follows
PLAIN_CUE = re.compile(
    rf"\b(?:{'|'.join(c for c in CUES if c not in ('no',) and not c.startswith('(?:or'))})\b", re.IGNORECASE
)
FILLER = re.compile(rf"\b{FILLERS}\b", re.IGNORECASE)
GLUE = r"(?:the|that|dose|is|to|should|be|it|its|it's|was|actually|oh)"
# a verb of prescribing said again after a cue ("Scratch that, start linagliptin 5 mg"): part of the correction
VERB = r"(?:start|add|give|prescribe|use|apply|try|take|go\s+with|instead)"
SEP = r"[\s,;:.\u2014\u2013\u2026-]"
# what may stand between two values of one slot when one corrects the other
GAP = re.compile(
    rf"^(?:{SEP}|\b(?:{'|'.join(CUES)}|{FILLERS}|{GLUE})\b)*(?:\b{VERB}\b{SEP}*)?$", re.IGNORECASE
)
# a hesitation with the commas around it ("Denies, um, chest pain"); "ER" written in capitals is a place or a form
_HESITATION = re.compile(rf",?[ \t]*\b(?P<word>{FILLERS})\b(?:[ \t]*,)?", re.IGNORECASE)


# "asthma, no, sorry, COPD", "no I mean": a "no" that starts a retraction negates nothing
TAKE_BACK_NO = re.compile(r"\bno\b(?=[\s,]+(?:sorry|i['\u2019]m\s+sorry|i\s+mean|wait)\b)", re.IGNORECASE)


def without_fillers(text: str, blank: Sequence[tuple[int, int]] = ()) -> str:
    """``text`` with every hesitation ("er", "um", "uh") and its commas blanked, and a "no" that starts a
    retraction ("no, sorry") and the spans in ``blank``, offsets kept: what the scope readers (negation, condition, subject) read, so
    "denies, um, chest pain or, er, ankle swelling" reaches both and "asthma no sorry COPD" negates nothing."""
    text = _HESITATION.sub(lambda m: m.group(0) if m["word"] == "ER" else " " * len(m.group(0)), text)
    for b, e in blank:  # words of a correction found on the entities ("Not amlodipine, lercanidipine")
        text = text[:b] + " " * (e - b) + text[e:]
    return TAKE_BACK_NO.sub(lambda m: " " * len(m.group(0)), text)


def cue_between(text: str, begin: int, end: int, skip: Sequence[tuple[int, int]] = ()) -> str | None:
    """The retraction cue said between ``begin`` and ``end`` ("sorry", "no, I mean", or a hesitation alone), when
    nothing else is (the spans in ``skip``, another slot's values of the same drug, are passed over); else None."""
    gap = list(text[begin:end])
    for b, e in skip:
        for i in range(max(b, begin), min(e, end)):
            gap[i - begin] = " "
    said = "".join(gap)
    if not GAP.match(said):
        return None
    cues = [m.group(0) for m in CUE.finditer(said)] or [m.group(0) for m in FILLER.finditer(said)]
    return ", ".join(" ".join(c.split()) for c in cues) or None
