"""Spans of a transcript that a clinical cue introduces (issue 15 item 7: what is said is either drafted or flagged).

A clinical statement is introduced by a cue phrase (``data/clinical_cues.csv``: "presents with", "known", "treated
for", "started on", "allergic to", …) or, for a drug, by its place: a word said right before a dose ("Uptravi
200 mcg"). What follows a cue is read without a lexicon, by structure only, so that it works on punctuated text
and on recogniser text (lower case, no punctuation) alike:

- the **span** runs from the cue (and a header's colon: "Allergies: …") to the first boundary: a sentence mark
  (``. ; : ! ? ( )``), a number, the next cue, a word that starts another clause (a pronoun subject, a verb,
  "that", "which", "since", "if", "no", an instruction such as "return", …), an allergy's reaction, or
  :data:`MAX_SPAN_WORDS` words; in a list, "and not …" / "and cannot …" go on with it;
- the span is cut into **parts** (:mod:`.cue_parts`) at a comma or a conjunction ("and", "or", "plus"); a part's **head** is its
  last words (at most :data:`.cue_parts.MAX_HEAD_WORDS`) before the first preposition ("a fluttering | in his chest"),
  read past a qualifier noun's "of" ("a flare of | hidradenitis suppurativa");
- a part's **key words** are the words of its head that can name something: not determiners, particles,
  adverbs, qualifiers, people, times, body sites or generic nouns (``data/span_not_naming.txt``,
  ``data/span_body_sites.txt``) — unless the head holds only body sites ("off her legs").

A medication cue counts only when a dose, a form or a frequency follows its span ("takes Valdoxan 25 mg at
night", not "takes the bus"); a weak allergy cue ("reacts to", "intolerant of") only when a reaction is said after
it ("with a red weal", "which gives her hives"). A cue after a negation ("no known", "not allergic to", "no history
of") introduces nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from medscribe.logic.document import cue_words as cw
from medscribe.logic.document.cue_parts import Part, Token, adverb, not_naming, span_parts, tokens
from medscribe.logic.document.guard_data import rows as data_rows

MAX_SPAN_WORDS = 8  # naming words (not "a", "the", "and"…) after a cue: the span is cut there
MAX_SPAN_TOKENS = 16  # and at most this many words in all
MAX_NAME_WORDS = 3  # a medication's name before its dose or form
REACTION_WINDOW = 8  # words after a weak allergy cue's span within which its reaction must be said


@dataclass(frozen=True)
class CueSpan:
    kind: str  # condition | medication | allergy
    cue: str  # as said ("" for a drug read before its dose)
    begin: int  # offsets of the span (after the cue)
    end: int
    parts: tuple[Part, ...]
    why: str = ""  # a span found by its words' shape (:mod:`.word_shapes`): what it looks like


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]
    kind: str
    needs: str


@functools.cache
def cues() -> tuple[Cue, ...]:
    """The cue phrases, longest first."""
    out = [Cue(tuple(r["cue"].split()), r["kind"], r["needs"] or "") for r in data_rows("clinical_cues.csv")]
    return tuple(sorted(out, key=lambda c: -len(c.words)))


@functools.cache
def _cues_by_first_word() -> dict[str, tuple[Cue, ...]]:
    out: dict[str, list[Cue]] = {}
    for cue in cues():  # longest first within each list too
        out.setdefault(cue.words[0], []).append(cue)
    return {w: tuple(c) for w, c in out.items()}


def _cue_at(toks: list[Token], i: int) -> Cue | None:
    for cue in _cues_by_first_word().get(toks[i].text, ()):
        n = len(cue.words)
        if tuple(t.text for t in toks[i : i + n]) == cue.words:
            return cue
    return None


def _negated(toks: list[Token], i: int) -> bool:
    """The cue at ``i`` follows a negation ("no known", "not allergic to", "denies any history of")."""
    before = [t.text for t in toks[max(0, i - 3) : i]]
    if before and before[-1] in ("any", "a", "significant", "previous", "past", "prior"):
        before = before[:-1]
    return bool(before) and before[-1] in cw.NEGATIONS


def _is_number(text: str) -> bool:
    return text[0].isdigit() or text in cw.NUMBER_WORDS


def cue_spans(text: str) -> Iterator[CueSpan]:
    """Every span a cue of ``text`` introduces, and every drug name said before a dose."""
    toks = tokens(text)
    cue_starts: dict[int, Cue] = {}
    for i in range(len(toks)):
        cue = _cue_at(toks, i)
        if cue is not None:
            cue_starts[i] = cue
    for i, cue in cue_starts.items():
        if _negated(toks, i) or (cue.words == ("known",) and _known_is_not_a_cue(toks, i)):
            continue
        start = i + len(cue.words)
        header = start < len(toks) and toks[start].text == ":"  # a header: "Background: …"
        start += header
        stop = _span_end(toks, start, cue_starts, cue.kind == "allergy")
        window = toks[start:stop]
        if header and cue.kind == "condition":
            window = _header_list(toks, start, cue_starts)
        elif cue.kind == "medication":
            window = _medication_name(toks, start, stop)
        elif cue.needs == "reaction" and not _reaction_follows(toks, start, stop):
            continue
        parts = tuple(span_parts(window))
        if parts:
            cue_text = " ".join(t.text for t in toks[i : i + len(cue.words)])
            yield CueSpan(cue.kind, cue_text, parts[0].begin, parts[-1].end, parts)
    doses = list(_before_doses(toks, cue_starts))
    yield from doses
    yield from _indications(toks, cue_starts)
    yield from _indications_before(toks, cue_starts, {s.begin for s in doses})
    yield from _introduced_with(toks, cue_starts)


MAX_INTRO_WORDS = (
    3  # words naming the patient between "N year old" and "with" ("bus driver", "retired teacher")
)


def _introduced_with(toks: list[Token], cue_starts: dict[int, Cue]) -> Iterator[CueSpan]:
    """The patient introduced by age, any noun naming them, then "with" ("29-year-old student with …", "fifty
    seven year old groundworker with …"): as after "woman with", what follows is the presenting condition. The
    cue list names only some such nouns ("man with", "woman with"); an occupation is any word."""
    for i in range(2, len(toks) - 1):
        if toks[i].text != "old" or toks[i - 1].text not in ("year", "years"):
            continue
        for j in range(i + 1, min(i + 2 + MAX_INTRO_WORDS, len(toks) - 1)):
            word = toks[j].text
            if word == "with" and j > i + 1:
                if any(k < j < k + len(c.words) for k, c in cue_starts.items()):
                    break  # "woman with": the cue list reads it
                window = toks[j + 1 : _span_end(toks, j + 1, cue_starts)]
                parts = tuple(span_parts(window))
                if parts:
                    yield CueSpan("condition", "with", parts[0].begin, parts[-1].end, parts)
                break
            if word in cw.HARD or word in cw.CONJUNCTIONS or word in cw.BOUNDARY or word in cw.PREPOSITIONS:
                break


_AFTER_SCHEDULE = cw.FREQUENCIES | cw.UNITS | {"day", "evening", "needed", "required", "nocte", "bedtime"}


def _indications(toks: list[Token], cue_starts: dict[int, Cue]) -> Iterator[CueSpan]:
    """A drug's indication: "for" right after its dose or schedule ("metformin 500 mg twice daily for polycystic
    ovaries", "cetirizine once daily for hay fever") introduces the condition it treats."""
    for i in range(1, len(toks) - 1):
        if toks[i].text != "for" or toks[i - 1].text not in _AFTER_SCHEDULE or i in cue_starts:
            continue
        if toks[i + 1].text in cw.NOT_AN_INDICATION and not _named_after_article(toks, i + 1):
            continue  # "for a further 5 days", "for up to a week", "for now"; not "for a left atrial thrombus"
        parts = tuple(
            p
            for p in span_parts(toks[i + 1 : _span_end(toks, i + 1, cue_starts)])
            if not set(p.keys) <= cw.NOT_AN_INDICATION
        )
        if parts:
            yield CueSpan("condition", "for", parts[0].begin, parts[-1].end, parts)


def _indications_before(toks: list[Token], cue_starts: dict[int, Cue], drugs: set[int]) -> Iterator[CueSpan]:
    """An indication said before its drug: "For teething, paracetamol 120 mg …", "For agitation he may take
    promethazine 25 mg": "for" whose span ends right before a drug named before its dose (past a comma), or, at a
    sentence's start, before a pronoun that takes or is given something within a few words."""
    for i in range(len(toks) - 2):
        if (
            toks[i].text != "for"
            or i in cue_starts
            or toks[i + 1].text in cw.NOT_AN_INDICATION | cw.DURATIONS
        ):
            continue  # "for months uses …": a duration
        if i > 0 and toks[i - 1].text in _AFTER_SCHEDULE:
            continue  # after a dose or schedule: _indications reads it
        stop = _span_end(toks, i + 1, cue_starts)
        stop = next((d for d in range(i + 1, stop) if toks[d].begin in drugs), stop)  # "for X, <drug> 5 mg"
        if stop == i + 1:
            continue
        k = stop + (stop < len(toks) and toks[stop].text == ",")
        after = [t.text for t in toks[k + 1 : k + 1 + MAX_NAME_WORDS + 1]]
        drug_next = k < len(toks) and toks[k].begin in drugs
        opens = (
            i == 0 or toks[i - 1].text in cw.HARD
        )  # "For agitation he may take …": a sentence's first word
        taker_next = (
            opens and k < len(toks) and toks[k].text in cw.TAKERS and any(w in cw.TAKING for w in after)
        )
        if not (drug_next or taker_next):
            continue
        parts = tuple(p for p in span_parts(toks[i + 1 : stop]) if not set(p.keys) <= cw.NOT_AN_INDICATION)
        if parts:
            yield CueSpan("condition", "for", parts[0].begin, parts[-1].end, parts)


def _named_after_article(toks: list[Token], i: int) -> bool:
    """ "for a|an X …" where no duration follows the article within two words ("for a further week", "for a
    few days" are durations): the indication's article."""
    if toks[i].text not in ("a", "an"):
        return False
    after = [t.text for t in toks[i + 1 : i + 4]]
    return bool(after) and not any(w in cw.DURATIONS or _is_number(w) for w in after)


def _span_end(toks: list[Token], start: int, cue_starts: dict[int, Cue], allergy: bool = False) -> int:
    """Index of the first token after the span that starts at ``start`` (an allergy's span also ends at its
    reaction: "allergic to zorbitol blisters")."""
    stop, said = start, 0
    while stop < len(toks) and said < MAX_SPAN_WORDS and stop - start < MAX_SPAN_TOKENS:
        word = toks[stop].text
        listed = stop > start and toks[stop - 1].text in cw.CONJUNCTIONS and word in cw.LISTED_NEGATIVES
        if stop in cue_starts or word in cw.HARD or _is_number(word) or (word in cw.BOUNDARY and not listed):
            break
        if allergy and stop > start and cw.REACTIONS.match(word):
            break
        said += word not in cw.LEADING and word not in cw.CONJUNCTIONS
        stop += 1
    return stop


MAX_HEADER_TOKENS = 48  # words of a header's list ("Problem list: …") read to the end of its sentence


def _header_list(toks: list[Token], start: int, cue_starts: dict[int, Cue]) -> list[Token]:
    """A condition header's list ("Problem list: hypospadias repaired last year, undescended testis …, and iron
    deficiency anaemia."): every item to the end of the sentence; within an item, the words from a clause word or
    a number ("repaired last year", "3b") to the next comma or conjunction are left out, so an item's tail does not
    end the list."""
    out: list[Token] = []
    skipping = False
    j = start
    while j < len(toks) and toks[j].text not in cw.HARD and j - start < MAX_HEADER_TOKENS:
        word = toks[j].text
        if j > start and j in cue_starts:
            break
        if word in cw.CONJUNCTIONS:
            skipping = False
            out.append(toks[j])
        elif word in cw.BOUNDARY or _is_number(word):
            skipping = True
        elif not skipping:
            out.append(toks[j])
        j += 1
    return out


def _known_is_not_a_cue(toks: list[Token], i: int) -> bool:
    """ "known to the team", "well known", "not known": not a statement of a known condition."""
    after = toks[i + 1].text if i + 1 < len(toks) else ""
    before = toks[i - 1].text if i > 0 else ""
    return (after == "to" and (i + 2 >= len(toks) or toks[i + 2].text != "have")) or before in ("well", "un")


def _medication_name(toks: list[Token], start: int, stop: int) -> list[Token]:
    """The words after a medication cue, when a dose, form or frequency follows them within their first
    :data:`MAX_NAME_WORDS` words; else none."""
    for j in range(start, min(stop + 1, start + MAX_NAME_WORDS + 1, len(toks))):
        word = toks[j].text
        if _is_number(word) or word in cw.FORMS or word in cw.FREQUENCIES:
            return toks[start:j]
    return []


def _reaction_follows(toks: list[Token], start: int, stop: int) -> bool:
    """A reaction is said in the span after a weak allergy cue's head, or just after the span."""
    return any(cw.REACTIONS.match(t.text) for t in toks[start + 1 : stop + REACTION_WINDOW])


def _before_doses(toks: list[Token], cue_starts: dict[int, Cue]) -> Iterator[CueSpan]:
    """A word said right before a dose ("Uptravi 200 mcg", "Levemir from 20 units") names a drug; so does a word
    before a form that a dose or a frequency follows ("Otomize spray, one spray three times a day")."""
    for i in range(1, len(toks) - 1):
        if _is_number(toks[i].text) and toks[i + 1].text in cw.UNITS:
            j = i - 1 if toks[i - 1].text != "from" or i < 2 else i - 2  # "X from A to B"
        elif toks[i].text in cw.FORMS and _dosed(toks, i + 1):
            j = i - 1
        else:
            continue
        j = _named_past_comma(toks, j)
        word = toks[j].text
        if _names_a_drug(word) and not any(k <= j < k + len(c.words) for k, c in cue_starts.items()):
            part = Part(toks[j].begin, toks[j].end, (word,))
            yield CueSpan("medication", "", part.begin, part.end, (part,))


def _named_past_comma(toks: list[Token], j: int) -> int:
    """The word a dose belongs to when a comma stands between them after a verb of giving ("Give Xanbrix, two vials
    IV", "administer Zorvex, 5 mg"): the word before the comma; else ``j`` (a comma alone names nothing: "for
    nausea, 2 tablets" does not make "nausea" a drug's name)."""
    if toks[j].text == "," and j >= 2 and toks[j - 2].text in cw.GIVING:
        return j - 1
    return j


def _dosed(toks: list[Token], start: int) -> bool:
    """A dose or a frequency is said within a few words of ``start``."""
    return any(
        _is_number(t.text) or t.text in cw.FREQUENCIES for t in toks[start : start + MAX_NAME_WORDS + 1]
    )


def _names_a_drug(word: str) -> bool:
    """``word``, said before a dose or a form, can be a drug's name (not a verb, route, unit, adverb…)."""
    return not (
        _is_number(word)
        or word in cw.HARD
        or word in cw.CONJUNCTIONS
        or word in cw.BOUNDARY
        or word in cw.LEADING
        or word in cw.PREPOSITIONS
        or word in cw.UNITS
        or word in cw.FORMS
        or word in cw.FREQUENCIES
        or word in cw.FORM_KINDS
        or word in not_naming()
        or word in cw.DOSE_WORDS
        or word.endswith(("ed", "ing"))  # "restarted 5 mg", "tapering 10 mg": a verb, not a name
        or adverb(word)
        or len(word) < 3
    )
