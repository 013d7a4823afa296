"""The words of a span a cue introduces (:mod:`.cue_spans`): its tokens, and its **parts** — the span cut at a
comma or a conjunction, each part's **head** (its last words before the first preposition, read past a qualifier
noun's "of") and the head's **key words** (the words that can name something: not determiners, particles,
adverbs, qualifiers, people, times, body sites or generic nouns, ``data/span_not_naming.txt``,
``data/span_body_sites.txt``, unless the head holds only body sites). Read by structure only, on punctuated and
recogniser text alike; read by :mod:`.cue_spans` and :mod:`.word_shapes`."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from medscribe.logic.document import cue_words as cw
from medscribe.logic.document.guard_data import words as data_words

MAX_HEAD_WORDS = 4  # a part's head ("emotionally unstable personality disorder")
_TOKEN = re.compile(r"[a-z][a-z'\u2019]*[a-z]|[a-z]|\d+(?:\.\d+)?|[.;:!?()]|,")  # "night-time": two words


@dataclass(frozen=True)
class Token:
    text: str  # lower case
    begin: int
    end: int


@dataclass(frozen=True)
class Part:
    begin: int  # offsets of the whole part (as quoted)
    end: int
    keys: tuple[str, ...]  # the head's key words (lower case), never empty


@functools.cache
def not_naming() -> frozenset[str]:
    """Words that name nothing alone (people, times, qualifiers, generic nouns), body sites included."""
    return frozenset(data_words("span_not_naming.txt")) | body_sites()


@functools.cache
def body_sites() -> frozenset[str]:
    return frozenset(data_words("span_body_sites.txt"))


def tokens(text: str) -> list[Token]:
    return [
        Token(m.group(0).replace("\u2019", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text.lower())
    ]


def span_parts(window: list[Token]) -> Iterator[Part]:
    """The parts of a span (cut at commas and conjunctions) that have key words."""
    chunk: list[Token] = []
    yielded, after_comma = False, False
    for tok in [*window, Token(",", -1, -1)]:
        if tok.text not in cw.CONJUNCTIONS:
            chunk.append(tok)
            continue
        part = _part(chunk)
        if part is not None and not (yielded and after_comma and _clause_verb(chunk)):
            yield part
            yielded = True
        chunk, after_comma = [], tok.text == ","


def _clause_verb(chunk: list[Token]) -> bool:
    """A part after a comma that is a participle and its preposition (", treated with IV …", ", operated on as a
    baby", ", improving on flucloxacillin"): another clause, not an item of the list ("grunting and flaring with
    feeds" is one)."""
    words = [t.text for t in chunk]
    return len(words) >= 2 and words[0].endswith(("ed", "ing")) and words[1] in cw.PREPOSITIONS


def _part(chunk: list[Token]) -> Part | None:
    """A part: its head's key words, quoted from its first word to the end of the head's first prepositional
    phrase ("a fluttering in his chest"); None when the head names nothing."""
    k = 0
    while k < len(chunk) and chunk[k].text in cw.LEADING:
        k += 1
    head: list[Token] = []
    for j in range(k, len(chunk)):
        w = chunk[j].text
        if w in cw.PREPOSITIONS:
            if w == "of" and head and all(h.text in cw.QUALIFIERS or h.text in cw.LEADING for h in head):
                rest = _part(chunk[j + 1 :])  # "a flare of hidradenitis": what the flare is of
                return None if rest is None else Part(chunk[0].begin, rest.end, rest.keys)
            break
        head.append(chunk[j])
    head = head[-MAX_HEAD_WORDS:]  # a noun phrase ends with its head noun
    if not head:
        return None
    words = [h.text for h in head]
    keys = [
        w for w in words if w not in cw.LEADING and w not in not_naming() and not adverb(w) and len(w) > 1
    ]  # a single letter names nothing alone ("G" of "G6PD"; letters said in a row: word_shapes.py)
    if not keys and words[-1] in body_sites():  # "off her legs": a body site only
        keys = [w for w in words if w in body_sites()]
    if not keys:
        return None
    return Part(chunk[0].begin, _quote_end(chunk, chunk.index(head[-1])), tuple(keys))


def adverb(word: str) -> bool:
    """ "occasionally", "really": names nothing ("hepatomegaly", "anomaly" do)."""
    return word.endswith("ly") and not word.endswith(("megaly", "omaly"))


def _quote_end(chunk: list[Token], last: int) -> int:
    """End offset of the head (at ``last``) and of the one prepositional phrase after it, if any ("achy all
    over": a preposition that ends the part is quoted too)."""
    end = last
    j = last + 1
    if j < len(chunk) and chunk[j].text in cw.PREPOSITIONS and chunk[j].text not in cw.NOT_PLACES:
        end = j if j == len(chunk) - 1 else end
        j += 1
        while j < len(chunk) and chunk[j].text not in cw.PREPOSITIONS:
            if chunk[j].text not in cw.LEADING:
                end = j
            j += 1
    return chunk[end].end
