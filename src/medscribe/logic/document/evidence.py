"""Where a mention came from: sentences and clauses of the transcript, whole attribute spans, low-confidence
ASR words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from medscribe.shapes import TranscriptItem

# A sentence ends at . ! ? or a line break (not inside a decimal "0.5" or an abbreviation "b.i.d."). A ";" is a
# clause separator inside the sentence (see ``linked``), as "," and " -- " are.
_SENTENCE_END = re.compile(r"(?<![a-z]\.[a-z])(?<!\b[a-z])[.!?]+(?=\s|$)|\n+", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    begin: int
    end: int


def sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (leading/trailing whitespace excluded), covering every non-blank char."""
    out: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        _add(out, text, start, m.end() if m.group(0).strip() else m.start())
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Span], text: str, begin: int, end: int) -> None:
    chunk = text[begin:end]
    if chunk.strip():
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Span(begin + lead, begin + len(chunk.rstrip())))


def sentence_of(spans: Sequence[Span], offset: int) -> Span | None:
    for span in spans:
        if span.begin <= offset < span.end:
            return span
    return None


# ---- clauses -----------------------------------------------------------------------------------------------
# Separators inside a sentence: , ; : and dashes (" -- ", " - ", "—"; not the hyphen of "1-2 tabs").
_SEPARATOR = r"(?:[,;:]|\s*--+\s*|\s-\s|\s*[\u2014\u2013]\s*)"
# Words that open a new clause after a separator: a report or negation about something else, a new subject, a
# past state, a subordinate clause. Not instructions about the same drug ("take", "may take", "then", "for").
_OPENER = (
    r"(?:denies|denied|deny|denying|reports?|reported|reporting|complains?|complained|complaining|c/o"
    r"|endorses?|endorsed|admits?|admitted|notes?|noted|states?|stated|says|said|describes?|described"
    r"|feels?|felt|presents?|presented|no|not|never|without|negative|positive"
    r"|patient|pt|she|he|they|i|we|who|which|her|his|their|has|had|have|is|was|were|are"
    r"|however|although|though|whereas|while|because|since|unless|otherwise)"
)
# What starts a new clause: a separator then an opener; "and"/"or" then a report or negation ("and denies
# cough at night"); a contrast word on its own ("daily but 2.5 mg on weekends").
_CLAUSE_BREAK = re.compile(
    rf"{_SEPARATOR}\s*(?:(?:and|or|but)\s+)?(?={_OPENER}\b)"
    r"|\b(?:and|or)\s+(?=(?:denies|denied|reports?|reported|complains?|endorses?|admits?|states?|no|not)\b)"
    r"|\b(?:but|however|although|though|whereas|unless|because)\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(_SEPARATOR)
# A new subject with its own verb, said with no separator (a recogniser's run-on): "levetiracetam 500 mg twice a
# day his alcohol intake is high about 40 units a week" (the amount is the alcohol's); never the drug's own dose
# ("his dose is 40 units")
_NEW_SUBJECT = re.compile(
    r"\b(?:his|her|their)\s+(?!(?:dose|dosage|doses|regimen|usual|current|new|old)\b)[a-z]+(?:\s+[a-z]+)?\s+"
    r"(?:is|are|was|were|has\s+been|have\s+been)\b",
    re.IGNORECASE,
)


def clause_breaks(text: str) -> list[int]:
    """Offsets in ``text`` where a new clause starts inside a sentence."""
    return [m.start() for m in _CLAUSE_BREAK.finditer(text)]


def linked(
    text: str,
    owner: tuple[int, int],
    item: tuple[int, int],
    *,
    breaks: Sequence[int] | None = None,
    medications: Sequence[tuple[int, int]] = (),
) -> str | None:
    """Why ``item`` (an attribute's span) does not belong to the clause of ``owner`` (its medication's span),
    or None when it does. Both spans are offsets into ``text`` and lie in one sentence.

    - another medication lies between them: the attribute is in that drug's stretch;
    - a new clause starts between them ("…daily, denies cough at night");
    - the attribute comes before its drug across a separator ("At bedtime, take amlodipine").
    A dose after " -- " or ";" that opens no new clause stays linked ("Clonidine 0.2 mg -- 1.5 tabs po qhs").
    """
    if item[0] >= owner[1]:
        low, high, before = owner[1], item[0], False
    elif item[1] <= owner[0]:
        low, high, before = item[1], owner[0], True
    else:
        return None  # overlapping spans
    if any(low <= m[0] and m[1] <= high for m in medications if m != owner):
        return "another medication is named between them"
    if any(low <= b < high for b in (clause_breaks(text) if breaks is None else breaks)):
        return "it is in another clause"
    if not before and _NEW_SUBJECT.search(text, low, high):
        return "another subject's clause starts between them"
    if before and _SEPARATORS.search(text, low, high):
        return "it comes before the medication, in another clause"
    earlier = max((m for m in medications if m != owner and m[1] <= item[0]), default=None)
    if before and earlier is not None and not re.search(r"[.;!?](?=\s|$)", text[earlier[1] : item[0]]):
        steps = list(_NEXT_STEP.finditer(text, earlier[1], item[0]))
        if (
            steps
        ):  # "prednisolone 15 mg … then 10 mg a day after that gliclazide 40 mg": the drug before's step
            return f"it follows “{steps[-1].group(0)}”, a step of the drug named before it"
    return None


# The words of a next step of a drug's schedule: an amount after them continues that drug, not the next one.
_NEXT_STEP = re.compile(
    r"\b(?:then|after\s+that|followed\s+by|(?:reduc|decreas|increas|drop|tap)\w*\s+to|down\s+to|up\s+to)\b",
    re.IGNORECASE,
)


# ---- whole numbers -------------------------------------------------------------------------------------------
_NUM = r"\d+(?:\.\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|half|quarter"
# What may precede a detected quantity and belong to it: "1 and " (1/2), "1 to " (2 tabs), "zero point ",
# "one and a " (half), "half a " (tablet).
_LEFT_PART = re.compile(
    rf"(?:(?:{_NUM})\s*(?:and|to|or|-|point)\s*(?:an?\s+)?|(?:half|quarter)\s+(?:an?|of\s+an?)\s+)$",
    re.IGNORECASE,
)


def widen(text: str, begin: int, end: int) -> tuple[int, int]:
    """Extend an attribute span left over the rest of its number ("1 / 2 tabs" in "1 and 1 / 2 tabs")."""
    while begin > 0:
        m = _LEFT_PART.search(text[max(0, begin - 40) : begin])
        if not m or m.end() - m.start() == 0:
            break
        new_begin = begin - (m.end() - m.start())
        if new_begin > 0 and text[new_begin - 1].isalnum():  # "ticket oxycodone": "to" inside a word
            break
        begin = new_begin
    return begin, end


@dataclass(frozen=True)
class UncertainWord:
    content: str
    confidence: float
    sentence: Span | None  # the sentence of the normalised transcript it belongs to, when located


def uncertain_words(
    text: str, items: Sequence[TranscriptItem], bound: float, spans: Sequence[Span]
) -> list[UncertainWord]:
    """ASR words with confidence below ``bound``, placed in the sentences of ``text`` (the normalised
    transcript the entities were detected on).

    The Transcribe items are cut into sentences at punctuation items; each sentence is normalised the same way
    as the transcript and looked up in ``text`` from where the previous one ended, so a word is placed by its
    sentence, whatever spoken-number rewriting happened inside it.
    """
    from medscribe.textnorm import normalize_clinical_text  # text2num: only where ASR words are placed

    out: list[UncertainWord] = []
    cursor = 0
    for chunk in _asr_sentences(items):
        words = [i for i in chunk if i.type == "pronunciation"]
        if not words:
            continue
        said = " ".join(i.alternatives[0].content for i in words)
        found = text.find(normalize_clinical_text(said), cursor)
        if found < 0:
            found = text.find(words[0].alternatives[0].content, cursor)
        where = sentence_of(spans, found) if found >= 0 else None
        if found >= 0:
            cursor = found
        for item in words:
            alt = item.alternatives[0]
            try:
                confidence = float(alt.confidence)
            except ValueError:
                continue
            if confidence < bound:
                out.append(UncertainWord(alt.content, confidence, where))
    return out


def _asr_sentences(items: Sequence[TranscriptItem]) -> list[list[TranscriptItem]]:
    out: list[list[TranscriptItem]] = [[]]
    for item in items:
        out[-1].append(item)
        if item.type == "punctuation" and item.alternatives[0].content in {".", "?", "!", ";"}:
            out.append([])
    return [c for c in out if c]


def merge_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined."""
    out: list[tuple[int, int]] = []
    for b, e in sorted(spans):
        if out and b <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((b, e))
    return out


def word_end(text: str, start: int, words: int) -> int:
    """The offset ``words`` words after ``start``."""
    m = re.match(rf"(?:\s*\S+){{0,{words}}}", text[start:])
    return start + (m.end() if m else 0)
