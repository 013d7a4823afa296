"""A prescription a later pronoun says is not taken (issue 15: a stopped drug is never stated as current).

"Atorvastatin 20 mg at night. She stopped it last week.", "amlodipine 5 mg daily, but she hasn't taken it since
March", "metformin 500 mg twice daily, which she does not take": the stop or the not-taking is said of the drug by
a pronoun ("it", "them", "which"), after the drug's own clause, often in the next sentence. The words about the
drug are clear; which drug the pronoun means is a reading, not a fact. So the row is not moved: it is flagged
``NOT_VERIFIED_CURRENT``, quoting the words and naming STOPPED / NOT_TAKING, when

- the pronoun's words stand after the drug, in its sentence or the next one, within ``REACH`` characters, and
- no other drug is named between the drug and the pronoun (then the pronoun may mean either: still flagged on
  the nearest drug only, the one a reader takes it for).

A stop said by a pronoun inside the drug's own stretch ("…, which we have stopped") is read earlier, by
:mod:`.mention_context`, and moves the drug to "Not taking"; this guard reads what that stretch cannot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.model import ReviewFlag

_SUBJECT = r"(?:she|he|they|i|we|the\s+patient|patient)"
_NOT = r"(?:n['\u2019]t|\s+not|\s+never)"
PRONOUN_STOP = re.compile(
    rf"\b{_SUBJECT}\s+(?:has\s+|have\s+|had\s+)?(?:now\s+|since\s+|also\s+|then\s+|just\s+)?"
    r"(?:stopped|discontinued|quit|came\s+off|come\s+off|ran\s+out\s+of|run\s+out\s+of|gave\s+up|given\s+up)"
    r"\s+(?:taking\s+|using\s+)?(?:it|them)\b"
    rf"|\b{_SUBJECT}\s+(?:has|have|had|is|was|does|did|do){_NOT}\s+(?:been\s+)?"
    r"(?:taking|taken|take|used|using|use|started|start|collected|picked\s+up)\s+(?:it|them)\b"
    rf"|\b(?:which|that)\s+{_SUBJECT}\s+(?:does|do|did|is|has|have|had|was){_NOT}\s+(?:been\s+)?"
    r"(?:take|taking|taken|use|using|used|start|started)\b",
    re.IGNORECASE,
)
REACH = 200  # characters after the drug the pronoun's words may stand
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")


def pronoun_stop(text: str, mention: tuple[int, int], drugs: Sequence[tuple[int, int]]) -> str:
    """The words saying, by a pronoun after the drug at ``mention``, that it is stopped or not taken; "" when none."""
    end = mention[1]
    window = text[end : end + REACH]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    limit = end + (ends[1] if len(ends) > 1 else len(window))  # its sentence and the next one
    m = PRONOUN_STOP.search(text, end, limit)
    if m is None:
        return ""
    if any(end <= b and b < m.start() for b, _ in drugs):
        return ""  # another drug said between: the pronoun is nearer to it
    return " ".join(m.group(0).split())


def flag(name: str, mention: tuple[int, int], said: str) -> ReviewFlag:
    return not_current(
        name,
        mention,
        f"a pronoun said after it (“{said}”) says it is stopped or not taken: STOPPED / NOT_TAKING, "
        "check which drug it means and whether it is taken",
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
