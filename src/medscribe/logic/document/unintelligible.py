"""The page-top "transcript may be unintelligible" guard (issue 15 item 8): what :mod:`medscribe.logic.intelligibility`
doubts without failing the recording, and a transcript in which no clinical entity was detected at all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.intelligibility import assess, doubts, failures

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput


def transcript_doubts(inp: GuardInput) -> list[ReviewFlag]:
    heard = inp.heard_words()
    assessment = assess([w.content for w in heard] or [inp.text], [w.confidence for w in heard])
    reasons = list(dict.fromkeys(failures(assessment) + doubts(assessment)))
    if inp.text.strip() and not inp.entities:
        reasons.append("no clinical content was detected")
    if not reasons:
        return []
    return [
        ReviewFlag(
            kind="TRANSCRIPT_MAY_BE_UNINTELLIGIBLE",
            subject="transcript",
            message=f"the transcript may be unintelligible ({'; '.join(reasons)}): check it against the "
            "recording before relying on this draft",
        )
    ]
