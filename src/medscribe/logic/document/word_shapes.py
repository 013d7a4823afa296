"""Transcript words whose shape names a condition or a drug, whatever the word (issue 15 item 7, "nothing lost
silently"): what the structural omission guard (:mod:`.cue_guard`) checks besides what a cue introduces, so that
a word no list and no detector knows is still drafted or flagged.

- a word with the ending of a condition term or the stem of a drug name (``data/word_shapes.csv``: "-itis",
  "-osis", "-aemia", "-pathy", "-oma", "-algia"…; the USAN / INN stems "-xaban", "-gliflozin", "-mab", "cef-"…),
  unless it is an ordinary word of that shape (``data/not_shape_words.txt``: "diagnosis", "sympathy"); a
  condition's quote takes in the words said right before it that modify it (at most :data:`MODIFIERS`, none of a
  closed class: "gum hypertrophy", "nail dystrophy"), so the flag names the condition whole; the key word stays
  the shaped word;
- an eponym: a possessive with no noun after it, before "disease", "syndrome"…, or after a list's "and" or "has"
  ("Raynaud's.", "has Parkinson's, myasthenia gravis…", "Barrett's oesophagus", "coeliac and hashimoto's"), not a
  person's ("like his father's", "her mum's"), quoted with the noun said after it ("golfer's elbow"); and, in
  punctuated text, capitalised words joined by hyphens ("Osgood-Schlatter", "Guillain-Barré");
- an abbreviation said as letters ("C O P D", "c o p d"), not a test's code said with its number ("h b a one c").

A word a negation precedes (within :data:`NEGATION_REACH` words: "no history of zorbitis") is skipped, as a negated
cue is. Each is a :class:`~.cue_spans.CueSpan` with no cue and the reason in ``why``; works on recogniser text (lower case,
no punctuation) as on punctuated text, except the hyphenated eponym, which needs the capitals.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from medscribe.logic.document import cue_words as cw
from medscribe.logic.document.cue_parts import Part, Token, not_naming, tokens
from medscribe.logic.document.cue_spans import CueSpan
from medscribe.logic.document.guard_data import rows as data_rows
from medscribe.logic.document.guard_data import words as data_words

_LETTERS = re.compile(r"^[a-z]+$")
# nouns an eponym is said before ("Barrett's oesophagus", "Bell's palsy"); otherwise a possessive names a condition
# only when nothing follows it (a list's comma or "and", the end of a sentence)
EPONYM_NOUNS = frozenset(
    (
        "disease",
        "syndrome",
        "phenomenon",
        "oesophagus",
        "esophagus",
        "palsy",
        "contracture",
        "ulcer",
        "lymphoma",
    )
)
# words after which a possessive is an item of a list or what the patient has, not a person's thing ("coeliac and
# hashimoto's insulins are …", "has parkinson's myasthenia gravis": recogniser text has no comma to end it)
_LISTING = frozenset(
    ("and", "or", ",", "has", "have", "had", "with", "of", "known", "also", "background", "pmh")
)
_HYPHENATED = re.compile(r"\b[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)+\b")
MIN_EPONYM = 4  # letters of a possessive's name ("Bell's" is said with its noun; "Jo's" is no eponym)
MODIFIERS = 2  # words before a condition-shaped word its quote may take in ("gum hypertrophy")
# closed classes a condition's modifier is never of: what ends a span or leads a part, doses, forms, numbers
_NOT_MODIFIER = (
    cw.HARD
    | cw.CONJUNCTIONS
    | cw.PREPOSITIONS
    | cw.BOUNDARY
    | cw.LEADING
    | cw.NEGATIONS
    | cw.QUALIFIERS
    | cw.UNITS
    | cw.FORMS
    | cw.FREQUENCIES
    | cw.DOSE_WORDS
    | cw.NUMBER_WORDS
    | cw.TAKERS
    | cw.TAKING
)


@dataclass(frozen=True)
class Shape:
    stem: str
    kind: str
    start: bool  # the stem begins the word
    min: int
    meaning: str

    def fits(self, word: str) -> bool:
        return len(word) >= self.min and (
            word.startswith(self.stem) if self.start else word.endswith(self.stem)
        )


@functools.cache
def shapes() -> tuple[Shape, ...]:
    """The shapes, longest stem first (so "-prazole" is named before "-azole")."""
    out = [
        Shape(r["stem"], r["kind"], r["where"] == "start", int(r["min"]), r["meaning"])
        for r in data_rows("word_shapes.csv")
    ]
    return tuple(sorted(out, key=lambda s: -len(s.stem)))


@functools.cache
def not_shape_words() -> frozenset[str]:
    return frozenset(data_words("not_shape_words.txt"))


def shape_of(word: str) -> Shape | None:
    """The shape ``word`` (lower case) has, or None."""
    if not _LETTERS.match(word) or word in not_shape_words():
        return None
    return next((s for s in shapes() if s.fits(word)), None)


def shaped_words(text: str) -> Iterator[CueSpan]:
    """Every word of ``text`` that has a condition's or a drug's shape, every eponym and abbreviation said as
    letters, as a one-part span whose ``why`` says what it looks like."""
    toks = tokens(text)
    for i, tok in enumerate(toks):
        word = tok.text[:-2] if tok.text.endswith("'s") else tok.text
        if _negated(toks, i):
            continue
        shape = shape_of(word)
        if shape is not None:
            what = "a drug name" if shape.kind == "medication" else "a condition"
            said = f"{shape.stem}-" if shape.start else f"-{shape.stem}"
            begin = tok.begin if shape.kind == "medication" else _modified_from(toks, i)
            yield _span(
                shape.kind, begin, tok.end, (word,), f"has the shape of {what} ({said}: {shape.meaning})"
            )
        elif _eponym(toks, i, word):
            yield _span(
                "condition",
                tok.begin,
                _eponym_end(toks, i),
                (word,),
                "is said like an eponym (a named condition)",
            )
    yield from _letter_runs(toks)
    for m in _HYPHENATED.finditer(text):
        keys = tuple(w.lower() for w in m.group(0).split("-"))
        yield _span("condition", m.start(), m.end(), keys, "is said like an eponym (a named condition)")


def _span(kind: str, begin: int, end: int, keys: tuple[str, ...], why: str) -> CueSpan:
    return CueSpan(kind, "", begin, end, (Part(begin, end, keys),), why)


NEGATION_REACH = 3  # words before a shaped word within which a negation makes it a denied mention


def _negated(toks: list[Token], i: int) -> bool:
    """A negation said just before the word ("no history of zorbitis", "denies haemoptysis"): as after a negated
    cue, the structural guard leaves a denied mention to the lexicon guards."""
    for t in reversed(toks[max(0, i - NEGATION_REACH) : i]):
        if t.text in cw.HARD:
            return False
        if t.text in cw.NEGATIONS:
            return True
    return False


def _modified_from(toks: list[Token], i: int) -> int:
    """Where a condition-shaped word's quote begins: at the first of the words said right before it that modify
    it ("gum hypertrophy", "chronic nail dystrophy"), at most :data:`MODIFIERS`, each a plain word of no closed
    class (not "and", "has", "the", "with", a dose or a number) and not itself of a drug's or a condition's shape."""
    begin = toks[i].begin
    for tok in reversed(toks[max(0, i - MODIFIERS) : i]):
        if not _LETTERS.match(tok.text) or tok.text in _NOT_MODIFIER or shape_of(tok.text) is not None:
            break
        begin = tok.begin
    return begin


def _eponym(toks: list[Token], i: int, name: str) -> bool:
    """A possessive with no noun after it ("has Parkinson's, …"), or before an eponym's noun, not a person's."""
    if not toks[i].text.endswith("'s") or len(name) < MIN_EPONYM or not _LETTERS.match(name):
        return False
    if name in not_naming() or name in cw.BOUNDARY or name in cw.LEADING or toks[i].text in cw.BOUNDARY:
        return False
    after = toks[i + 1].text if i + 1 < len(toks) else "."
    before = toks[i - 1].text if i > 0 else "."
    return after in cw.HARD or after in cw.CONJUNCTIONS or after in EPONYM_NOUNS or before in _LISTING


def _eponym_end(toks: list[Token], i: int) -> int:
    """Where an eponym's quote ends: past the noun said right after the possessive ("golfer's elbow", "Barrett's
    oesophagus"), so the flag names the condition whole, not the possessive alone; the key word stays the
    possessive's name (a draft item holding the noun alone, "elbow", does not account for it)."""
    after = toks[i + 1] if i + 1 < len(toks) else None
    if after is None or not _LETTERS.match(after.text) or after.text in cw.PREPOSITIONS:
        return toks[i].end
    if after.text in cw.HARD or after.text in cw.CONJUNCTIONS or after.text in cw.BOUNDARY:
        return toks[i].end
    if after.text in cw.LEADING or after.text in cw.NEGATIONS:
        return toks[i].end
    return after.end


def _letter_runs(toks: list[Token]) -> Iterator[CueSpan]:
    """Two or more single letters in a row ("c o p d"): an abbreviation said as letters; not one followed by a
    number (a test's code: "h b a one c"), nor "a" / "i" alone with one letter."""
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and len(toks[j].text) == 1 and toks[j].text.isalpha():
            j += 1
        run = toks[i:j]
        if run and run[0].text in ("a", "i"):
            run = run[1:]
        numbered = j < len(toks) and (toks[j].text[0].isdigit() or toks[j].text in cw.NUMBER_WORDS)
        if len(run) >= 2 and not numbered:
            key = "".join(t.text for t in run)
            yield _span(
                "condition",
                run[0].begin,
                run[-1].end,
                (key,),
                "is said as letters (an abbreviation)",
            )
        i = max(j, i + 1)
