"""A side taken back while dictating ("DVT of the right leg, I mean the left leg", "knee pain, left, sorry, right
knee"; PROCEDURE.md section 23): the condition said next to it gets the later side, flagged SELF_CORRECTION quoting
both. Two sides of two things ("left knee and right hip") are no correction."""

from __future__ import annotations

import re

from medscribe.logic.document.context import DraftContext
from medscribe.logic.document.selfcorrect_cues import CUE, CUES, FILLER, FILLERS, SEP
from medscribe.shapes import Attribute, Entity

_SIDE = r"(?:left|right|bilateral|both)"
# "DVT of the right leg, I mean the left leg", "knee pain, left, sorry, right knee": a side taken back
_SIDE_CORRECTED = re.compile(
    rf"\b(?P<old>{_SIDE})\b(?P<gap>(?:{SEP}|\b(?:{'|'.join(CUES)}|{FILLERS}|the|side|\w+)\b){{0,24}}?)"
    rf"\b(?P<new>{_SIDE})\b",
    re.IGNORECASE,
)
# a cue that opens the next sentence ("Swollen right ankle. Sorry, left ankle."): the side it says corrects the last
_OPENS = re.compile(rf"^[^.;!?]{{0,40}}[.;](?:{SEP}|\b{FILLERS}\b)*\b(?:{'|'.join(CUES)})\b", re.IGNORECASE)
SIDE_REACH = 40  # characters between a condition and the side said of it


def sides(ctx: DraftContext, entities: list[Entity]) -> tuple[list[Entity], list[tuple[int, int]]]:
    """A side taken back on a condition: its DIRECTION becomes the later side, the item flagged quoting both."""
    text = ctx.text
    joined: list[tuple[int, int]] = []
    next_id = max([0, *(e.Id for e in entities), *(a.Id for e in entities for a in e.Attributes)]) + 1
    for m in _SIDE_CORRECTED.finditer(text):
        gap = m["gap"]
        if (
            m["old"].lower() == m["new"].lower()
            or not CUE.search(gap)
            or (ctx.sentence(m.start()) != ctx.sentence(m.start("new")) and not _OPENS.match(gap))
        ):
            continue
        words = [w for w in re.findall(r"\w+", CUE.sub(" ", gap)) if not FILLER.fullmatch(w)]
        if len(words) > 3 or {w.lower() for w in words} & {"and", "or", "but", "then"}:
            continue  # "left knee and right hip": two sides of two things, no correction
        plain = all(c.group(0).lower() in ("no", "rather") for c in CUE.finditer(gap))
        if words and plain and re.search(r"\b(?:no|rather)\s*$", gap, re.IGNORECASE):
            continue  # "right arm weakness no left sided symptoms": a negation of the next side, not a correction
        near = [
            e
            for e in entities
            if e.Category == "MEDICAL_CONDITION"
            and ctx.at(e)
            and ctx.sentence(e.BeginOffset) == ctx.sentence(m.start())
            and e.BeginOffset - SIDE_REACH <= m.start() <= e.EndOffset + SIDE_REACH
        ]
        if not near:
            continue
        e = min(near, key=lambda c: min(abs(c.BeginOffset - m.start()), abs(c.EndOffset - m.start())))
        kept = [
            a
            for a in e.Attributes
            if not (a.Type == "DIRECTION" and a.BeginOffset <= m.end("old") and a.EndOffset >= m.start("old"))
        ]
        if not any(a.Type == "DIRECTION" and a.BeginOffset == m.start("new") for a in kept):
            kept.append(
                Attribute(
                    Type="DIRECTION",
                    Score=1.0,
                    Id=next_id,
                    BeginOffset=m.start("new"),
                    EndOffset=m.end("new"),
                    Text=m["new"],
                    Category="MEDICAL_CONDITION",
                )
            )
            next_id += 1
        entities = [e.model_copy(update={"Attributes": kept}) if x.Id == e.Id else x for x in entities]
        joined.append((m.end("old"), m.start("new")))
        cue = ", ".join(" ".join(c.group(0).split()) for c in CUE.finditer(gap))
        ctx.flag_item(
            "SELF_CORRECTION",
            e,
            f"{e.Text}: corrected while dictating: side {m['old']} → {m['new']} (“{cue}”): the later side is drafted, "
            "check",
        )

    return entities, joined
