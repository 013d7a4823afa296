"""Spans of a transcript that a clinical cue introduces (issue 15 item 7: what is said is either drafted or flagged).

A clinical statement is introduced by a cue phrase (``data/clinical_cues.csv``: "presents with", "known", "treated
for", "started on", "allergic to", …) or, for a drug, by its place: a word said right before a dose ("Uptravi
200 mcg"). What follows a cue is read without a lexicon, by structure only, so that it works on punctuated text
and on recogniser text (lower case, no punctuation) alike:

- the **span** runs from the cue to the first boundary: a sentence mark (``. ; : ! ? ( )``), a number, the next
  cue, a word that starts another clause (a pronoun subject, a verb, "that", "which", "since", "if", "no", …), or
  :data:`MAX_SPAN_WORDS` words;
- the span is cut into **parts** at a comma or a conjunction ("and", "or", "plus"); a part's **head** is its
  words before the first preposition ("a fluttering | in his chest"), after a qualifier noun's "of" ("a flare of
  | hidradenitis suppurativa");
- a part's **key words** are the words of its head that can name something: not determiners, qualifiers, body
  sites or generic nouns (``data/span_not_naming.txt``) — unless the head holds nothing else ("off her legs").

A medication cue counts only when a dose, a form or a frequency follows its span ("takes Valdoxan 25 mg at
night", not "takes the bus"); a weak allergy cue ("reacts to", "intolerant of") only when a reaction is said after
it ("with a red weal", "which gives her hives"). A cue after a negation ("no known", "not allergic to", "no history
of") introduces nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from medscribe.logic.document.guard_data import rows as data_rows
from medscribe.logic.document.guard_data import words as data_words

MAX_SPAN_WORDS = (
    8  # words that can name something (not "a", "the", "and"…) after a cue: the span is cut there
)
MAX_SPAN_TOKENS = 16  # and at most this many words in all
MAX_HEAD_WORDS = 4  # a part's head ("emotionally unstable personality disorder")
MAX_NAME_WORDS = 3  # a medication's name before its dose or form

_TOKEN = re.compile(r"[a-z][a-z'\u2019]*[a-z]|[a-z]|\d+(?:\.\d+)?|[.;:!?()]|,")  # "night-time": two words
_HARD = frozenset(".;:!?()")
_CONJUNCTIONS = frozenset((",", "and", "or", "plus", "&"))
_PREPOSITIONS = frozenset(
    (
        "in", "on", "at", "of", "from", "to", "into", "onto", "over", "under", "behind", "around", "across", "about",
        "with", "by", "near", "above", "below", "between", "through", "towards", "toward", "within", "along",
    )
)  # fmt: skip
# Words that start another clause or end a statement: the span stops before them.
_BOUNDARY = frozenset(
    (
        "he", "she", "they", "i", "we", "you", "it", "mum", "dad", "patient", "this", "these", "those", "there",
        "that", "which", "who", "whom", "whose", "when", "where", "while", "whilst", "because", "but", "so",
        "although", "though", "as", "if", "unless", "until", "then", "than", "also", "since", "for", "after",
        "before", "during", "ago", "today", "yesterday", "tonight", "tomorrow", "now", "currently", "recently",
        "previously", "last", "next", "every", "each", "daily", "weekly", "nightly", "worse", "better", "again",
        "still", "already", "is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would",
        "should", "could", "can", "cannot", "can't", "may", "might", "must", "does", "did", "do", "doesn't",
        "don't", "isn't", "wasn't", "says", "said", "denies", "denied", "no", "nil", "without", "not", "never",
        "plan", "examination", "exam", "on examination", "please", "review", "follow", "advised",
        "stop", "stopped", "continue", "start", "started", "increase", "reduce", "we'll", "she's", "he's",
        "they're", "we're", "it's", "her's", "hes", "shes", "likely", "probably", "which", "per", "according",
        "today's", "well", "otherwise", "ok", "okay", "fine", "normal", "seen", "given", "taken",
        # what an allergen does ("penicillin causes hives") and instructions ("…, return immediately")
        "causes", "caused", "causing", "gives", "gave", "giving", "makes", "made", "brings", "brought", "leaves",
        "triggers", "triggered", "return", "come", "call", "seek", "attend", "check", "repeat", "recheck",
        "refer", "arrange", "book", "send", "admit", "discharge", "discharged", "consider", "monitor",
    )
)  # fmt: skip
# Words at the start of a part that are not what it names: they are quoted but never key words.
_LEADING = frozenset(
    (
        "a", "an", "the", "some", "any", "his", "her", "their", "its", "my", "your", "our", "both", "several",
        "being", "feeling", "not", "cannot", "can't", "unable", "to", "very", "quite", "more", "much", "little",
        "bit", "lots", "of", "what", "sounds", "like", "other", "another", "possibly", "probable", "likely", "?", "get", "getting",
        "off", "out", "up", "down", "away",
    )
)  # fmt: skip
# A head noun that qualifies what its "of" names ("a flare of X", "episodes of X"): the head is read after "of".
_QUALIFIERS = frozenset(
    (
        "flare", "flares", "exacerbation", "exacerbations", "episode", "episodes", "bout", "bouts", "attack",
        "attacks", "history", "diagnosis", "signs", "sign", "symptoms", "symptom", "onset", "recurrence",
        "worsening", "relapse", "complication", "complications", "case", "type", "form", "kind", "touch", "lot",
        "bit", "spell", "spells", "feeling", "feelings", "sense", "sensation",
    )
)  # fmt: skip
# Prepositions whose phrase is not where or what the head is ("Pseudomonas with ciprofloxacin", "POTS by the
# previous team"): the quote stops before them.
_NOT_PLACES = frozenset(("with", "by", "from", "to", "towards", "toward", "about"))
# Said after "and"/"or" inside a list, these go on with it ("low mood and cannot get off to sleep", "tired and
# not sleeping"); elsewhere they end the span.
_LISTED_NEGATIVES = frozenset(("not", "cannot", "can't", "unable"))
_NEGATIONS = frozenset(("no", "not", "nil", "denies", "denied", "never", "without", "nor", "non"))
_UNITS = frozenset(
    (
        "mg", "mcg", "g", "ml", "micrograms", "microgram", "milligrams", "milligram", "grams", "gram", "units",
        "unit", "iu", "puffs", "puff", "tablets", "tablet", "capsules", "capsule", "drops", "sachet", "sachets",
    )
)  # fmt: skip
_FORMS = frozenset(
    (
        "tablet", "tablets", "capsule", "capsules", "injection", "injections", "inhaler", "inhalers", "drops",
        "cream", "ointment", "patch", "patches", "spray", "gel", "pessary", "pessaries", "liquid", "syrup",
        "solution", "suspension", "sachet", "sachets", "pen", "pens", "infusion", "lotion", "suppository",
        "suppositories", "mouthwash", "nebuliser", "nebulizer",
    )
)  # fmt: skip
_FREQUENCIES = frozenset(
    (
        "once", "twice", "daily", "nightly", "weekly", "monthly", "bd", "tds", "qds", "od", "prn", "mane", "nocte",
        "morning", "night", "hourly", "fortnightly", "thrice",
    )
)  # fmt: skip
_REACTIONS = re.compile(
    r"^(?:with|which|gives?|gave|causes?|caused|causing|brings?|brought|leaves?|left|rash\w*|hives|blister\w*|"
    r"weals?|welts?|swell\w*|swollen|itch\w*|wheez\w*|vomit\w*|anaphyla\w*|hallucinat\w*|sick|diarrh\w*|red|"
    r"breaks?|broke|blotch\w*|urticaria)$"
)
# Words said before a dose that are not a drug's name ("take 5 mg", "taper by 5 mg", "a total of 40 mg").
_DOSE_WORDS = frozenset(
    (
        "take", "takes", "taper", "tapers", "restart", "give", "gives", "use", "uses", "inject", "apply", "dose",
        "doses", "dosage", "total", "max", "maximum", "usual", "extra", "another", "further", "additional",
        "initially", "up", "down", "titrate", "increase", "reduce", "decrease", "raise", "lower", "drop", "then",
        "only", "just", "about", "approximately", "around", "least", "most", "least", "be", "new", "old",
        "current", "same", "regular", "stat", "loading", "bolus", "over", "single", "each", "per",
    )
)  # fmt: skip
REACTION_WINDOW = 8  # words after a weak allergy cue's span within which its reaction must be said


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


@dataclass(frozen=True)
class CueSpan:
    kind: str  # condition | medication | allergy
    cue: str  # as said ("" for a drug read before its dose)
    begin: int  # offsets of the span (after the cue)
    end: int
    parts: tuple[Part, ...]


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
    return bool(before) and before[-1] in _NEGATIONS


_NUMBER_WORDS = frozenset(
    (
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "twenty", "thirty", "forty", "fifty", "hundred", "half", "couple", "once", "twice",
    )
)  # fmt: skip


def _is_number(text: str) -> bool:
    return text[0].isdigit() or text in _NUMBER_WORDS


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
        start += start < len(toks) and toks[start].text == ":"  # a header: "Background: …"
        stop = _span_end(toks, start, cue_starts, cue.kind == "allergy")
        window = toks[start:stop]
        if cue.kind == "medication":
            window = _medication_name(toks, start, stop)
        elif cue.needs == "reaction" and not _reaction_follows(toks, start, stop):
            continue
        parts = tuple(_parts(window))
        if parts:
            cue_text = " ".join(t.text for t in toks[i : i + len(cue.words)])
            yield CueSpan(cue.kind, cue_text, parts[0].begin, parts[-1].end, parts)
    yield from _before_doses(toks, cue_starts)


def _span_end(toks: list[Token], start: int, cue_starts: dict[int, Cue], allergy: bool = False) -> int:
    """Index of the first token after the span that starts at ``start`` (an allergy's span also ends at its
    reaction: "allergic to zorbitol blisters")."""
    stop, said = start, 0
    while stop < len(toks) and said < MAX_SPAN_WORDS and stop - start < MAX_SPAN_TOKENS:
        word = toks[stop].text
        listed = stop > start and toks[stop - 1].text in _CONJUNCTIONS and word in _LISTED_NEGATIVES
        if stop in cue_starts or word in _HARD or _is_number(word) or (word in _BOUNDARY and not listed):
            break
        if allergy and stop > start and _REACTIONS.match(word):
            break
        said += word not in _LEADING and word not in _CONJUNCTIONS
        stop += 1
    return stop


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
        if _is_number(word) or word in _FORMS or word in _FREQUENCIES:
            return toks[start:j]
    return []


def _reaction_follows(toks: list[Token], start: int, stop: int) -> bool:
    """A reaction is said in the span after a weak allergy cue's head, or just after the span."""
    return any(_REACTIONS.match(t.text) for t in toks[start + 1 : stop + REACTION_WINDOW])


def _before_doses(toks: list[Token], cue_starts: dict[int, Cue]) -> Iterator[CueSpan]:
    """A word said right before a dose ("Uptravi 200 mcg", "Levemir from 20 units") names a drug."""
    for i in range(1, len(toks) - 1):
        if not (_is_number(toks[i].text) and toks[i + 1].text in _UNITS):
            continue
        j = i - 1
        if toks[j].text == "from" and j > 0:
            j -= 1  # "X from A to B"
        word = toks[j].text
        if (
            _is_number(word)
            or word in _HARD
            or word in _CONJUNCTIONS
            or word in _BOUNDARY
            or word in _LEADING
            or word in _PREPOSITIONS
            or word in _UNITS
            or word in _FORMS
            or word in _FREQUENCIES
            or word in not_naming()
            or word in _DOSE_WORDS
            or word.endswith(("ed", "ing"))  # "restarted 5 mg", "tapering 10 mg": a verb, not a name
            or len(word) < 3
            or any(k <= j < k + len(c.words) for k, c in cue_starts.items())
        ):
            continue
        part = Part(toks[j].begin, toks[j].end, (word,))
        yield CueSpan("medication", "", part.begin, part.end, (part,))


def _parts(window: list[Token]) -> Iterator[Part]:
    """The parts of a span (cut at commas and conjunctions) that have key words."""
    chunk: list[Token] = []
    yielded = False
    for tok in [*window, Token(",", -1, -1)]:
        if tok.text not in _CONJUNCTIONS:
            chunk.append(tok)
            continue
        part = _part(chunk)
        if part is not None and not (yielded and _clause_verb(chunk)):
            yield part
            yielded = True
        chunk = []


def _clause_verb(chunk: list[Token]) -> bool:
    """A part after the first that is a past participle and its preposition (", treated with IV …", ", operated
    on as a baby"): another clause, not an item of the list."""
    words = [t.text for t in chunk]
    return len(words) >= 2 and words[0].endswith("ed") and words[1] in _PREPOSITIONS


def _part(chunk: list[Token]) -> Part | None:
    """A part: its head's key words, quoted from its first word to the end of the head's first prepositional
    phrase ("a fluttering in his chest"); None when the head names nothing."""
    k = 0
    while k < len(chunk) and chunk[k].text in _LEADING:
        k += 1
    head: list[Token] = []
    for j in range(k, len(chunk)):
        w = chunk[j].text
        if w in _PREPOSITIONS:
            if w == "of" and head and all(h.text in _QUALIFIERS or h.text in _LEADING for h in head):
                rest = _part(chunk[j + 1 :])  # "a flare of hidradenitis": what the flare is of
                return None if rest is None else Part(chunk[0].begin, rest.end, rest.keys)
            break
        head.append(chunk[j])
    head = head[-MAX_HEAD_WORDS:]  # a noun phrase ends with its head noun
    if not head:
        return None
    words = [h.text for h in head]
    keys = [w for w in words if w not in _LEADING and w not in not_naming() and not _adverb(w)]
    if not keys:  # "off her legs": a body site only
        keys = [w for w in words if w in body_sites()]
    if not keys:
        return None
    return Part(chunk[0].begin, _quote_end(chunk, chunk.index(head[-1])), tuple(keys))


def _adverb(word: str) -> bool:
    """ "occasionally", "really": names nothing ("hepatomegaly", "anomaly" do)."""
    return word.endswith("ly") and not word.endswith(("megaly", "omaly"))


def _quote_end(chunk: list[Token], last: int) -> int:
    """End offset of the head (at ``last``) and of the one prepositional phrase after it, if any ("achy all
    over": a preposition that ends the part is quoted too)."""
    end = last
    j = last + 1
    if j < len(chunk) and chunk[j].text in _PREPOSITIONS and chunk[j].text not in _NOT_PLACES:
        end = j if j == len(chunk) - 1 else end
        j += 1
        while j < len(chunk) and chunk[j].text not in _PREPOSITIONS:
            if chunk[j].text not in _LEADING:
                end = j
            j += 1
    return chunk[end].end
