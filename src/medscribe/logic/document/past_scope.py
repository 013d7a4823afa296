"""Whether the words say a mention is past history, when a detector marked it PAST_HISTORY.

A detector's PAST_HISTORY trait moves a condition to Past history and a drug to "Not taking", so a trait spread
too far over a recogniser's run-on ("previous mi and a cabg hypercholesterolaemia on atorvastatin eighty
milligrams at night gtn spray as required exercise test next week") would take current facts out of Problems and
Medications without a word. The words are read as for a negation (:mod:`.scope_negation`): a past cue ("history
of", "previous", "was on", …) reaches the concepts after it while only list words lie between (concepts
masked); "in the past" / "as a child" reach the concept just before. The placement is kept (a trait is never
taken away), but when the words do not show the cue reaching the mention, or the mention is then said with a
current cue ("… cabg hypercholesterolaemia on atorvastatin", "history of hypertension well controlled": a history,
or a current problem and its treatment), it is flagged ``HISTORY_SCOPE_UNCLEAR``. So is a condition a medical
history lists ("PMH: gout, CKD 3b", "history of Paget's disease") when no word says it ended ("previous", "status
post", "in remission", "aged two", "in 2015"): such a list holds chronic conditions that are still current as well
as past ones, and the words cannot tell which.
"""

from __future__ import annotations

import re

PAST_CUE = re.compile(
    r"\b(?:(?:remote\s+|past\s+|medical\s+|past\s+medical\s+)?history\s+of|hx\s+of|past\s+medical\s+history|pmh"
    r"|previous(?:ly)?(?:\s+(?:on|taking|took|tried|used))?|prior|was\s+on|were\s+on|used\s+to\s+(?:take|be\s+on)|status\s+post|s/?p|formerly"
    r"|in\s+the\s+past|childhood)\b",
    re.IGNORECASE,
)
PAST_AFTER = re.compile(r"(?:\s+\w+){0,3}?\s+(?:in\s+the\s+past|as\s+a\s+child)\b", re.IGNORECASE)
PAST_GLUE = re.compile(r"(?:[\s,/:]|\b(?:and|or|a|an|the|of|with|her|his|their|both)\b)*", re.IGNORECASE)
CURRENT_AFTER = re.compile(
    r"\s+(?:on|treated\s+with|managed\s+with|well\s+controlled|poorly\s+controlled|controlled|currently|ongoing"
    r"|still)\b",
    re.IGNORECASE,
)
# "… Paget's disease of bone she takes …": the patient said as taking right after the list
TAKES_AFTER = re.compile(
    r"\s*,?\s*(?:and\s+)?(?:he|she|they)\s+(?:takes|is\s+on|uses|still\s+takes|remains\s+on)\b", re.IGNORECASE
)
# a history cue that does not say the condition ended (unlike "previous", "was on", "status post", "in the past")
HISTORY_LIST = re.compile(
    r"(?:(?:past\s+|medical\s+|past\s+medical\s+)?history\s+of|hx\s+of|past\s+medical\s+history|pmh)",
    re.IGNORECASE,
)
# said after the condition: it is over ("breast cancer in remission", "Kawasaki disease aged two", "… in 2015")
ENDED_AFTER = re.compile(
    r"\s*,?\s*(?:in\s+remission|resolved|now\s+resolved|aged?\s+\w+|as\s+a\s+(?:child|baby|teenager)"
    r"|in\s+(?:\d{4}|nineteen|two\s+thousand)\b|\w+\s+years?\s+ago)\b",
    re.IGNORECASE,
)
_STOP = re.compile(r"[.;!?](?:\s|$)")
REACH = 200  # characters back from the mention to the cue


def past_unclear(
    text: str, concepts: list[tuple[int, int]], begin: int, end: int, *, condition: bool = False
) -> str:
    """ "" when the words show the mention at ``[begin, end)`` is past history; else why they do not. A
    ``condition`` a medical history lists with no word saying it ended is unclear too (past, or chronic and
    current)."""
    if PAST_AFTER.match(text, end) and not _STOP.search(text, end, end + 40):
        return ""
    low = max(0, begin - REACH)
    stop = list(_STOP.finditer(text, low, begin))
    low = stop[-1].end() if stop else low
    cues = list(PAST_CUE.finditer(text, low, begin))
    if not cues:
        return "no past cue is said before it"
    cue = cues[-1]
    if _said_after_a_concept(text, concepts, cue):  # "gout in the past the gout has flared": the first gout's
        return f"“{cue.group(0)}” is said after the condition before it, not before this one"
    chars = list(text[cue.end() : begin])
    for b, e in sorted(concepts):
        if cue.end() <= b and e <= begin:
            chars[b - cue.end() : e - cue.end()] = [","] * (e - b)
    if PAST_GLUE.fullmatch("".join(chars)) is None:
        return f"words other than a list lie between “{cue.group(0)}” and it"
    current = CURRENT_AFTER.match(text, end)  # "history of hypertension on amlodipine": past, or current
    if current is not None:
        return f"it is said after “{cue.group(0)}” and then “{current.group(0).strip()} …”"
    last = _list_end(
        text, concepts, end
    )  # "history of gout and OSA on CPAP", "… of Paget's disease she takes …"
    current = CURRENT_AFTER.match(text, last) or TAKES_AFTER.match(text, last)
    if (last > end and current is not None) or TAKES_AFTER.match(text, end):
        said = current or TAKES_AFTER.match(text, end)
        assert said is not None
        return f"its list after “{cue.group(0)}” goes on “{said.group(0).strip()} …”: past, or current and treated"
    if condition and HISTORY_LIST.fullmatch(cue.group(0)) and not ENDED_AFTER.match(text, end):
        return f"“{cue.group(0)}” lists a medical history, whose conditions may still be current"
    return ""


# past cues that also read backwards, said right after a concept ("gout in the past", "asthma in childhood")
_TWO_WAY = re.compile(r"in\s+the\s+past|childhood", re.IGNORECASE)
_BEFORE_CUE = re.compile(r"(?:\s+(?:in|as|during|since))?\s*$", re.IGNORECASE)


def _said_after_a_concept(text: str, concepts: list[tuple[int, int]], cue: re.Match[str]) -> bool:
    """A cue that reads both ways said right after a concept (only spaces, "in" between) is that concept's."""
    if _TWO_WAY.fullmatch(cue.group(0)) is None:
        return False
    return any(
        e <= cue.start() and _BEFORE_CUE.fullmatch(text, e, cue.start()) is not None for _, e in concepts
    )


def _list_end(text: str, concepts: list[tuple[int, int]], end: int) -> int:
    """The end of the last concept joined to the one ending at ``end`` by list words ("," "and" "or")."""
    last = end
    for b, e in sorted(c for c in concepts if c[0] >= end):
        gap = text[last:b]
        # joined by "," / "and" / "or" only: a bare juxtaposition ("… a cabg hypercholesterolaemia on …", a
        # recogniser's run-on) may be a new item, whose current cue says nothing of the list before it
        if PAST_GLUE.fullmatch(gap) is None or not re.search(r",|\b(?:and|or)\b", gap, re.IGNORECASE):
            break
        last = e
    return last
