"""Negation reach over recogniser text (the negation part of :class:`.scope.TextScope`).

A cue ("denies", "no", "without", "negative for", …) reaches the concepts after it while they are coordinated
with it ("," "and" "or" "nor" "/", or plain juxtaposition as recognisers write lists); a reporting verb, "but",
"has", "with", an instruction, a new subject ends it. Where the words cannot decide (a juxtaposed concept with an
exam, state or site word after it; a list closed by its conjunction, or each item with its own cue, then a bare
concept; words no concept holds between the cue and the concept) the answer is "unclear": the item is flagged
NEGATION_SCOPE_UNCLEAR, never placed silently.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Literal

from medscribe.logic.document.answered import answered
from medscribe.logic.document.scope_words import (
    COORDINATION,
    MODIFIERS,
    NEGATED_USE,
    NOT_ABSENT,
    SITE_AFTER,
    SOCIAL,
    STATE_AFTER,
    STOP_VERB,
    TERMINATOR,
)

if TYPE_CHECKING:
    from medscribe.logic.document.scope import TextScope

# out: a cue before it, whose reach ended; uncertain: a doubt's cue ("not sure if", "might have had",
# :data:`.scope_words.UNCERTAIN_CUE`) reaches it, decided or not: doubt is flagged, never a denial
Negation = Literal["none", "negated", "unclear", "out", "uncertain"]


# "Charcot arthropathy of the left midfoot excluded on MRI", "a PE has been ruled out": a negation said after
# the concept (its site between, no other concept, no sentence end)
RULED_OUT_AFTER = re.compile(
    r"(?P<gap>(?:\s+[\w'-]+){0,5}?)\s*,?\s+(?:(?:was|were|is|are|has|have|now|been|since|also)\s+)*"
    r"(?P<cue>excluded|ruled\s+out)\b",
    re.IGNORECASE,
)


# A negation word before "sure" / "certain" that the doubt cue (:data:`.scope_words.DOUBT_SAID`, "not sure",
# "isn't certain") does not read: "not really sure", "not quite certain", "never sure". An uncertainty (of what
# was said before, or after), not a negation of what follows: the reach is unclear. Not folded into DOUBT_SAID:
# there the words would be a doubt's cue, read as "uncertain" or "out" (not "unclear"), and a relation's doubt
# in relation_words.SAYS and clause_guard.DOUBTER_AFTER; a change of behaviour, not of form.
_UNSURE_AFTER = re.compile(r"\s+(?:really\s+|quite\s+)?(?:sure|certain)\b", re.IGNORECASE)


# "seizure-free for 5 years", "pain free since the operation": the concept before "free" is absent (not "free T4",
# "free of …", which reads forwards; not "gluten-free": no concept)
_FREE_AFTER = re.compile(
    r"[\s-]free\b(?![\s-]+(?:t3|t4|thyroxine|light|fatty|water|text|of)\b)", re.IGNORECASE
)


def free_after(text: str, end: int) -> bool:
    """The concept ending at ``end`` is said "-free" ("seizure-free"): a negation said after it."""
    return _FREE_AFTER.match(text, end) is not None


def ruled_out_after(text: str, end: int) -> re.Match[str] | None:
    """The negation said after the concept ending at ``end`` ("… excluded", "… has been ruled out"), or None (a
    plan, "to be excluded", a negated one, "not excluded", or one said of a list joined after it)."""
    after = RULED_OUT_AFTER.match(text, end)
    if after is None or re.search(r"\b(?:to|be|not|if|and|or|but)\b", after["gap"], re.IGNORECASE):
        return None
    return after


def negation(scope: TextScope, begin: int, end: int) -> tuple[Negation, str]:
    """Whether the last cue before ``[begin, end)`` in its sentence reaches it, and the cue's words. A doubt's
    cue reaches where a negation's surely would ("uncertain"); where a negation's reach would be unclear ("query
    subarachnoid haemorrhage vomited twice": a run-on), the doubt is not carried on (it is a doubt, not a denial
    to guard against)."""
    if free_after(scope.text, end):
        return "negated", "free"
    said = answered(scope.text, scope.answers, begin, end)  # "Still on X? No.": the answer's
    if said is not None:
        return said
    after = ruled_out_after(scope.text, end)
    if after is not None:
        low = bisect.bisect_left(scope.concepts, (end, -1))
        site = re.match(r"\s+(?:of|in|on|at|over)\b", after["gap"], re.IGNORECASE)  # "… of the left midfoot"
        if site or not [c for c in scope.concepts[low:] if end <= c[0] < after.start("cue")]:
            return "negated", after["cue"]
    reach, cue = _reach(scope, begin, end)
    i = bisect.bisect_right(scope._cue_ends, begin)
    if reach in ("negated", "unclear") and scope._cues[i - 1]["uncertain"]:
        doubted = reach == "negated" and _doubts_next(scope, scope._cues[i - 1].end())
        return ("uncertain" if doubted else "out"), cue
    return reach, cue


_BE_BEFORE = re.compile(r"\bbe\s+$", re.IGNORECASE)  # "GCA must be excluded": a plan, negating nothing
_LOOKS_BACK = re.compile(r"\s*,?\s*(?:(?:was|were|is|are|has|have|had|been|now|also)\s+)*", re.IGNORECASE)


def _said_after_a_condition(scope: TextScope, cue: int) -> bool:
    """A condition ends right before the cue at ``cue``, only link verbs between ("DVT was ruled out"). A test
    before the cue is its subject ("CT excluded a bleed"), not what it negates."""
    ends = [e for _, e in scope.conditions if e <= cue]
    return bool(ends) and _LOOKS_BACK.fullmatch(scope.text, max(ends), cue) is not None


def _doubts_next(scope: TextScope, cue_end: int) -> bool:
    """A doubt's cue names what it doubts next, with at most qualifiers between ("not sure her sugar's been
    high", "might have had gout"); one said after what it doubts ("… glyburide, her colleague wasn't certain, for
    her diabetes", "possibly hydralazine to be confirmed digoxin") doubts nothing after it."""
    i = bisect.bisect_left(scope.concepts, (cue_end, -1))
    gap = scope.text[cue_end : scope.concepts[i][0]] if i < len(scope.concepts) else "."
    return not re.search(r"[,;:.!?]", gap) and not MODIFIERS.sub(" ", gap).split()


def _reach(scope: TextScope, begin: int, end: int) -> tuple[Negation, str]:
    start = scope._sentence_start(begin)
    i = bisect.bisect_right(scope._cue_ends, begin)
    if not i or scope._cues[i - 1].start() < start:
        return "none", ""
    cue = scope._cues[i - 1]
    if cue["both"] and (
        _said_after_a_condition(scope, cue.start()) or _BE_BEFORE.search(scope.text, 0, cue.start())
    ):
        return "none", ""  # "DVT ruled out, cellulitis likely": the cue is the concept's before it
    if _UNSURE_AFTER.match(scope.text, cue.end()):  # "she's not really sure her sugar's high": no negation
        return "unclear", cue.group(0)
    cursor = cue.end()
    juxtaposed = closed = doubt = conjoined = False
    repeated = _repeated(scope, i - 1, start)
    low = bisect.bisect_left(scope.concepts, (cue.end(), -1))
    between = [c for c in scope.concepts[low:] if c[1] <= begin][:64]  # a negation's list is short
    for b, e in [*between, (begin, end)]:
        gap = scope.text[cursor:b]
        if cursor > cue.end() and own_clause(scope.text, gap, e):
            return "out", cue.group(
                0
            )  # "no Janeway lesions, and the murmur is unchanged": a clause of its own
        if cursor == cue.end() and (STOP_VERB.match(gap) or NOT_ABSENT.match(gap)):
            return "out", cue.group(0)  # "do not stop aspirin", "no improvement in the cough": present
        if gap.strip() and TERMINATOR.search(gap):
            if not (cursor == cue.end() and NEGATED_USE.fullmatch(gap)):  # "not taking X", "denies using X"
                return "out", cue.group(0)
        elif COORDINATION.fullmatch(gap) is None:
            if len(gap.split()) > 3:
                return "out", cue.group(0)
            own = MODIFIERS.sub(" ", gap).split()
            if cursor == cue.end() and len(own) >= 2:
                # "no headaches no visual disturbance ankle swelling": the cue's own item may be words no
                # concept holds, and the concept after them a new finding
                return "unclear", cue.group(0)
            if cursor == cue.end() and b == begin and len(own) == 1 and _GERUND.fullmatch(own[0]):
                # "no fever no weeping itchy rash": a gerund the cue may take as its own item ("weeping") before
                # the concept named next, or a quality of it ("no increasing pain"): the words cannot say
                return "unclear", cue.group(0)
            if SOCIAL.search(gap):  # "does not smoke cough": the habit was the cue's object
                return "unclear", cue.group(0)
            if cursor > cue.end():  # "no chest pain for 2 weeks knee swelling": other words between
                return "unclear", cue.group(0)
        elif cursor > cue.end() and not re.search(r",|\b(?:and|or|nor)\b", gap, re.IGNORECASE):
            juxtaposed = True  # "denies fever chills": a recogniser's list
            doubt = doubt or closed or repeated
        elif repeated and cursor > cue.end() and gap.strip() == ",":
            doubt = True  # "No loss of consciousness, no head injury, shortening": each item had its own cue
        elif re.search(r"\b(?:and|or|nor)\b", gap, re.IGNORECASE):
            closed = True  # "head injury or loss of consciousness": the conjunction ends the list
        conjoined = _CONJUNCTION.search(gap) is not None
        cursor = max(cursor, e)
    if juxtaposed and (STATE_AFTER.match(scope.text, end) or SITE_AFTER.match(scope.text, end)):
        return "unclear", cue.group(0)
    if juxtaposed and not conjoined and not closed_later(scope, end):
        # "denies fever cough": with no "and" / "or" closing it, a recogniser's list and a negation followed by
        # a new finding are written the same way: the scope is not decided by the words
        return "unclear", cue.group(0)
    if doubt:
        # "denies head injury or loss of consciousness wrist pain (and swelling)", "no chest pain no fever
        # wheeze": the list was closed by its conjunction, or each of its items had its own cue; the words do
        # not say whether a bare concept after it (and what is joined to it) is one more denied item or a new
        # finding
        return "unclear", cue.group(0)
    if cue["report"] and re.match(r"\s*,?\s*on\s+(?:exam|examination|auscultation)\b", scope.text[end:]):
        return "unclear", cue.group(0)  # a patient denies symptoms, not exam findings
    return "negated", cue.group(0)


_CONJUNCTION = re.compile(r"\b(?:and|or|nor)\b", re.IGNORECASE)
# After a negated list, "and" / "but" and a determiner, then the concept and a finite verb: the concept is the
# subject of a clause of its own ("no splinter haemorrhages, and the murmur is unchanged", "denies fever, and her
# cough has been productive"), not one more denied item ("no fever and the cough": the words leave it in the list)
_CLAUSE_OPENS = re.compile(r"\s*,?\s*(?:and|but)\s+(?:the|his|her|their|this|that|its)\s+", re.IGNORECASE)
_FINITE_AFTER = re.compile(
    r"\s+(?:(?:also|still|now)\s+)?(?:is|are|was|were|has|have|had|remains?|remained|seems?|sounds?|looks?|feels?"
    r"|gets?|got|became|becomes?)\b",
    re.IGNORECASE,
)


def own_clause(text: str, gap: str, end: int) -> bool:
    """The concept ending at ``end``, after ``gap``, opens a clause of its own (``_CLAUSE_OPENS`` … a verb)."""
    return _CLAUSE_OPENS.fullmatch(gap) is not None and _FINITE_AFTER.match(text, end) is not None


_GERUND = re.compile(r"[a-z]{3,}ing", re.IGNORECASE)  # "weeping", "bleeding": a noun of its own after a cue


def closed_later(scope: TextScope, end: int) -> bool:
    """The juxtaposed list ``end`` is in goes on to a conjunction ("denies palpitations weight loss or tremor"):
    a list with its commas dropped, not a new finding."""
    cursor = end
    for b, e in scope.concepts[bisect.bisect_left(scope.concepts, (end, -1)) :]:
        gap = scope.text[cursor:b]
        if COORDINATION.fullmatch(gap) is None:
            return False
        if _CONJUNCTION.search(gap):
            return True
        cursor = e
    return False


def _repeated(scope: TextScope, index: int, start: int) -> bool:
    """The cue ``scope._cues[index]`` repeats an earlier cue of its sentence over a list ("no A no B"): only
    concepts and coordination lie between the two."""
    if index < 1 or scope._cues[index - 1].start() < start:
        return False
    low, high = scope._cues[index - 1].end(), scope._cues[index].start()
    chars = list(scope.text[low:high])
    for b, e in scope.concepts[bisect.bisect_left(scope.concepts, (low, -1)) :]:
        if e > high:
            break
        chars[b - low : e - low] = [","] * (e - b)
    masked = "".join(chars)
    return masked.strip() != "" and COORDINATION.fullmatch(masked) is not None
