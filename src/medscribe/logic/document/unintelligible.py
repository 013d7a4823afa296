"""The page-top "transcript may be unintelligible" guard (issue 15 item 8): what :mod:`medscribe.logic.intelligibility`
doubts without failing the recording (audio transcripts only), and a transcript in which no clinical entity was
detected at all (audio or text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.intelligibility import assess, doubts, failures

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput


def transcript_doubts(inp: GuardInput) -> list[ReviewFlag]:
    heard = inp.heard_words()
    reasons: list[str] = []
    if heard:  # audio: what the ASR made of it (a typed text's repetitions are the writer's, not noise)
        assessment = assess([w.content for w in heard], [w.confidence for w in heard])
        reasons += dict.fromkeys(failures(assessment) + doubts(assessment))
    if inp.text.strip() and not inp.entities and not inp.draft.social_history:  # "Never smoked." is content
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
