"""A question said while dictating and its answer ("Still on tamoxifen? No.", "Any chest pain? None.", a
recogniser's "any chest pain no"): what the answer says of the items the question names.

A history taken as questions is dictated as the clinician asked it: the item is named in the question, and only
the answer says whether it is there. The words decide it, on either backend:

- **a marked question** (punctuated: the item's clause ends with "?") answered by a denial word opening the next
  words ("No.", "None", "Nil", "Never", "Not any more", "Negative"): every concept of the question is denied / not
  taken (:data:`NO`);
- **an unmarked question** (a recogniser's text has no "?"): an interrogative opener (:data:`OPENER`: "any",
  "still on", "is she taking", "does he use", …) and, at most :data:`ITEM_WORDS` words on, a denial word. The
  opener says it is a question, so the denial is its answer, and the concepts between are denied; but the same
  words also read as a statement and a new negation ("still on ramipril, no side effects"), so, unless the answer
  ends the text or another question follows, both the question's items and the concept the denial word is said
  before are left **unclear**: flagged NEGATION_SCOPE_UNCLEAR naming the question, never placed silently. "any"
  asks of presence only ("any chest pain no"): its answer is decided.

A "yes" answer changes nothing (the item stays as the rest of the words make it). A denial answers the question
before it only: an item asked by a new question right after it ("any blood in the vomit no any chest pain yes") is
not the denial's (:data:`_ASKED_AGAIN`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from medscribe.logic.document.relation_words import DOSED
from medscribe.shapes import Entity, Trait

if TYPE_CHECKING:
    from medscribe.logic.document.context import DraftContext

ANSWER_SCORE = 0.9  # the NEGATION trait an answer gives a drug: the words' own, above TRAIT_MIN_SCORE

# A denial answer, said first after the question (the recogniser's form: the word right after the item)
NO = r"(?:no|none|nil|nope|never|not\s+(?:any\s*more|now|at\s+all|really)|negative)"
_NO_ANSWER = re.compile(rf"\s*(?:(?:er|erm|um|uh),?\s+)?(?P<answer>{NO})\b(?!-)", re.IGNORECASE)
# "any", "still on / taking / using", "is she (still) on / taking", "does he (still) take / use / have", "has she
# had / ever had", "ever had", "known": the words that open a question in dictation. "any" after a verb or
# a negation ("has not had any", "no cough or any fever") asks nothing.
OPENER = re.compile(
    r"(?<![\w'-])(?:(?P<presence>any|ever\s+had|ever\s+been)"
    r"|still\s+(?:on|taking|using|having|getting)"
    r"|(?:is|are)\s+(?:he|she|they|you)\s+(?:still\s+)?(?:on|taking|using|having|getting)"
    r"|(?:does|do|did)\s+(?:he|she|they|you)\s+(?:still\s+|ever\s+)?(?:take|use|have|get)"
    r"|(?:has|have)\s+(?:he|she|they|you)\s+(?:ever\s+)?(?:had|been|taken|used))\b",
    re.IGNORECASE,
)
_ASKS_NOTHING = re.compile(
    r"\b(?:not|no|without|nor|or|and|has|have|had|having|take|takes|taking|denies|denied|of|for|in|at|with|is|was"
    r"|on|to|from|about|by|into|over|under|need|needs|needed|want|wants|wanted|see|seen|find|found"
    r"|are|were|if|than|get|gets|getting)\s+$",
    re.IGNORECASE,
)
# a verb or a conjunction right before the denial word: the denial is a statement's ("and has no cough")
_STATEMENT_BEFORE = re.compile(
    r"\b(?:has|have|had|is|are|was|were|and|or|but|with|takes?|took|gets?|got|of|for|to|in|on|at|the|a|an|any"
    r"|she|he|they|i|we|says?|said|reports?|denies)\s*$",
    re.IGNORECASE,
)
ITEM_WORDS = 6  # words between an unmarked question's opener and its answer: the item asked about
# "… tamoxifen? No": not a query's "?PE"; "Headaches: no." (a heading's answer, ending its clause)
_MARK = re.compile(r"(?<=[\w)])[?:](?=\s|$)")
_CLAUSE_END = re.compile(r"\s*(?:[.;!?\n]|$)")
_PUNCTUATED = re.compile(r"[?!]|\.(?!\d)")  # a sentence end (not a decimal point)
_CLAUSE_START = re.compile(r"[.!?;:\n]")
# A bare item answered ("takes tamoxifen no takes letrozole", "smoking no"): a denial word right after a concept
# that negates nothing after it: the text or the sentence ends, or a subject or a verb follows (a closed class)
_BARE_ANSWER = re.compile(
    rf"[\s,]+(?P<answer>{NO})\b(?!-)[\s,]*(?:$|[.;!?\n]|(?:she|he|they|i|we|takes?|took|has|had|is|was|are"
    r"|uses?|started|stopped|on)\b)",
    re.IGNORECASE,
)
# an answer that never negates what follows it: said right after a concept, it is that concept's ("nil by mouth" is
# an instruction)
_STRONG_ANSWER = re.compile(
    r"[\s,]+(?P<answer>none|nil(?!\s+by\b)|nope|not\s+any\s*more|not\s+at\s+all)\b(?!-)", re.IGNORECASE
)
_NEXT_ASKED = re.compile(rf"\s*(?:[.,;]\s*)?(?:$|{OPENER.pattern})", re.IGNORECASE)

Said = Literal["negated", "unclear", "out"]


@dataclass(frozen=True)
class Answer:
    low: int  # the question's words: [low, high)
    high: int
    begin: int  # the answer's words: [begin, end)
    end: int
    marked: bool  # said with "?" (punctuated)
    decided: bool  # the words give the denial to the question ("?", "any", or nothing said after it)
    question: str  # the question's words and its answer, for a flag
    answer: str

    @property
    def cue(self) -> str:
        """The answer's words, as a negation cue is named ("no")."""
        return " ".join(self.answer.lower().split())

    @property
    def why(self) -> str:
        return f"“{self.question}” answered “{self.cue}”"


def answers(text: str, concepts: Sequence[tuple[int, int]] = ()) -> list[Answer]:
    """Every question answered with a denial in ``text`` (``concepts``: the spans of its clinical concepts), in
    the order said."""
    out: list[Answer] = []
    for mark in _MARK.finditer(text):
        said = _NO_ANSWER.match(text, mark.end())
        if said is None or (mark.group(0) == ":" and not _CLAUSE_END.match(text, said.end())):
            continue  # "Asthma: no wheeze": a heading's statement, not an answer
        start = max((m.end() for m in _CLAUSE_START.finditer(text, 0, mark.start())), default=0)
        question = " ".join(text[start : mark.end()].split())
        out.append(
            Answer(
                start, mark.start(), said.start("answer"), said.end(), True, True, question, said["answer"]
            )
        )
    if _PUNCTUATED.search(text):
        return out  # a punctuated question says so with "?": the unmarked forms are a recogniser's
    for opener in OPENER.finditer(text):
        if _ASKS_NOTHING.search(text, max(0, opener.start() - 12), opener.start()) and not any(
            _FILLER.fullmatch(text, a.end, opener.start()) for a in out if not a.marked
        ):
            continue  # "no cough or any fever" asks nothing; "any fever no | any cough no" asks again
        for n in range(1, ITEM_WORDS + 1):
            at = _word_end(text, opener.end(), n)
            if at <= opener.end() or _CLAUSE_START.search(text, opener.end(), at):
                break  # a marked question or a sentence end: read above, or no question
            said = _NO_ANSWER.match(text, at)
            if said is None or _STATEMENT_BEFORE.search(text, opener.end(), at):
                continue  # "… any blood thinners and has no cough": a statement's own "no"
            decided = bool(opener["presence"]) or _NEXT_ASKED.match(text, said.end()) is not None
            question = " ".join(text[opener.start() : at].split())
            out.append(
                Answer(
                    opener.start(),
                    at,
                    said.start("answer"),
                    said.end(),
                    False,
                    decided,
                    question,
                    said["answer"],
                )
            )
            break
    taken = [(a.begin, a.end) for a in out]
    starts = {b for b, _ in concepts}
    for b, e in concepts:
        said = (
            _BARE_ANSWER.match(text, e)
            or _STRONG_ANSWER.match(text, e)
            or _before_dosed(text, e, concepts, starts)
        )
        if said is None or any(lo <= said.start("answer") < hi for lo, hi in taken):
            continue
        start = max((m.end() for m in _CLAUSE_START.finditer(text, 0, b)), default=0)
        question = " ".join(text[max(start, b - 40) : e].split())
        # "chest pain none", "naproxen not any more": an answer that negates nothing after it says it of the item
        decided = _STRONG_ANSWER.match(text, e) is not None
        out.append(
            Answer(b, e, said.start("answer"), said.end("answer"), False, decided, question, said["answer"])
        )
    return sorted(out, key=lambda a: a.begin)


_NO_BEFORE = re.compile(r"[\s,]+(?P<answer>no|never)\s+", re.IGNORECASE)


def _before_dosed(
    text: str, end: int, concepts: Sequence[tuple[int, int]], starts: set[int]
) -> re.Match[str] | None:
    """ "headaches no ramipril five milligrams daily": a denial word between a concept and a drug said with its dose
    (no denial's object): the answer to the concept before, or a new denial: the words cannot say."""
    said = _NO_BEFORE.match(text, end)
    if said is None or said.end() not in starts:
        return None
    after = next(e for b, e in concepts if b == said.end())
    return said if DOSED.match(text, after) else None


def _word_end(text: str, low: int, n: int) -> int:
    m = re.match(rf"(?:\s*\S+){{{n}}}", text[low:])
    return low + m.end() if m else low


_FILLER = re.compile(r"[\s,]*(?:(?:er|erm|um|uh|and|but|so)[\s,]+)*", re.IGNORECASE)
# a question opened right after an answer, the concept among its first words: "… no | any chest pain", "… no |
# er, ever had a stroke"
_ASKED_AGAIN = re.compile(
    rf"[\s,]*(?:(?:er|erm|um|uh|and|so)[\s,]+)*(?:{OPENER.pattern})(?:\s+[\w'-]+){{0,{ITEM_WORDS - 1}}}\s+$",
    re.IGNORECASE,
)


def answered(text: str, found: Sequence[Answer], begin: int, end: int) -> tuple[Said, str] | None:
    """What an answer says of the concept at ``[begin, end)``: "negated" when it is one of the items of a question
    whose denial the words decide; "unclear" when the question is unmarked and undecided, or the concept is the
    next thing said after an unmarked question's answer ("still on X no Y": "no Y" may be a new denial); None
    when no answer speaks of it."""
    said = answer_of(text, found, begin, end)
    return None if said is None else (said[0], said[1].cue)


def answer_of(text: str, found: Sequence[Answer], begin: int, end: int) -> tuple[Said, Answer] | None:
    """:func:`answered`, with the answer itself."""
    for a in found:
        if a.low <= begin and end <= a.high:
            return ("negated" if a.decided else "unclear"), a
    ends = [a.end for a in found]
    i = bisect.bisect_right(ends, begin)
    if i and not found[i - 1].marked and _ASKED_AGAIN.match(text, found[i - 1].end, begin):
        # "any blood in the vomit no any chest pain yes": a new question opens after the answer; the denial is the
        # question's before it, never the next question's item's (its own answer, if a denial, was read above)
        return "out", found[i - 1]
    if i and not found[i - 1].marked and _FILLER.fullmatch(text, found[i - 1].end, begin):
        # "still on X no Y 25 mg daily": a drug said with its dose is no denial's object ("out")
        return ("out" if DOSED.match(text, end) else "unclear"), found[i - 1]
    return None


def with_answers(ctx: DraftContext, entities: Sequence[Entity]) -> list[Entity]:
    """``entities`` with what the answers say of the drugs: a drug a decided answer denies carries the NEGATION
    trait (not taken, on either backend: the words add a qualifier, never take one away); a drug an answer leaves
    unclear is flagged NEGATION_SCOPE_UNCLEAR naming the question. Conditions are read through the scope's
    negation (:func:`answered`)."""
    out = []
    for e in entities:
        said = answer_of(ctx.text, ctx.scope.answers, e.BeginOffset, e.EndOffset) if ctx.at(e) else None
        if e.Category != "MEDICATION" or said is None or "NEGATION" in ctx.traits(e) or said[0] == "out":
            out.append(e)
        elif said[0] == "negated":
            out.append(
                e.model_copy(update={"Traits": [*e.Traits, Trait(Name="NEGATION", Score=ANSWER_SCORE)]})
            )
        else:
            ctx.flag_item(
                "NEGATION_SCOPE_UNCLEAR",
                e,
                f"“{e.Text}”: said in or right after the question {said[1].why}: the words do not say whether the "
                "denial is said of it: drafted as taken, check whether it is",
            )
            out.append(e)
    return out


def denied_by_answer(found: Sequence[Answer], begin: int, end: int) -> bool:
    """``[begin, end)`` is an item of a question whose denial the words decide (a guard's check of Denied)."""
    return any(a.decided and a.low <= begin and end <= a.high for a in found)
