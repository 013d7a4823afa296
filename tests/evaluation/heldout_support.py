"""What the held-out batch tests share (PROCEDURE.md sections 2, 9 and 11): the corpus folder, the hazards every
set must cover, and a draft holding nothing (every expected item an omission, so every note has findings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DRAFTS = Path(__file__).resolve().parents[2] / "corpus" / "drafts"
# PROCEDURE.md section 2: the hazards every set must cover
HAZARDS = {
    "family",
    "other_person",
    "hypothetical",
    "dose_change",
    "range",
    "taper",
    "negation",
    "negation_unpunctuated",
    "allergy",
    "stopped",
    "look_alike",
    "sound_alike",
    "fraction",
    "unclear",
}


def empty_draft(_: str) -> dict[str, Any]:
    """A draft holding nothing: every expected item of every note is an omission (a finding per note)."""
    return {"sections": [{"title": "Needs review", "items": [{"text": "Nothing flagged", "flags": []}]}]}
