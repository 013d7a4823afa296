"""Nothing said is dropped silently (issue 15 item 7): clauses of the transcript the draft holds nothing of.

The lexicon guards find the words their lists know, :mod:`.cue_guard` the spans a clinical cue introduces; a
statement with neither ("her feet go numb at night", "also craves salt") is then in no section and named by no
flag. This guard reads the transcript clause by clause instead and names, in ONE NOT_DRAFTED flag per draft, the
clauses that may say something clinical and of which the draft holds nothing.

- Clauses: the draft's own sentence and clause boundaries (:func:`.evidence.sentences`,
  :func:`.evidence.clause_breaks`); a new subject ("… and her feet", "she takes …", "her sister has …"), the last
  of a list (", and ongoing cannabis use") and "also"; in a run of more than :data:`RUN_WORDS` words with no comma
  or colon (recogniser form), also the instruction and header words of :data:`.clause_words.RESET` and the start
  of a drafted test that has a value ("… also craves salt | blood pressure 130/80").
- A clause is accounted for when one of its content words (or a word sharing its first :data:`STEM` letters) is a
  word of an item's name, substance, reaction or value, or of another flag's subject (not an item's details: a
  site glued to an item does not account for the clause it was said in).
- Piecewise: an accounted-for clause is read part by part (commas, "and", "plus"); a part with no held word is named
  when it says something of its own (its own subject or :data:`MIN_PART_WORDS` content words) and is no header or
  age. A part of a run longer than :data:`RUN_PART_WORDS` words is read stretch by stretch between its held words
  (a stretch of :data:`MIN_STRETCH_WORDS` content words, none held, is named).
- Lists: a one- or two-word member of a coordinated list (commas, "and", "or", "as well as"; in recogniser form
  also the bare words between held items) that no item holds, listed with at least :data:`MIN_SIBLINGS` held items
  all of one kind (conditions, drugs or denied), is named with them ("“fever” (listed with cough, wheeze)"); in a
  negated list it is a lost denial ("denied with …"). Structure only: a member is a whole part, no function, admin or
  normal word, no number.
- A clause carries no problem or drug, by structure and small word classes only (never a clinical word): no
  content word (function, time, number, dose, action and admin words only); an admin or follow-up opening ("review
  in 3 months", "seen today", "discussed"); a header or admin line ("Discharge summary"); a normal finding ("chest
  clear"); a plan or condition opening ("if …", "consider …"); a pertinent negative said alone ("No tics"); a
  normal finding said with "well", a symptom's modifier ("worse lying flat") and the note's opening introduction
  ("Paediatrics, 9-month-old boy"): :mod:`.coverage_nothing`.

The flag quotes at most :data:`MAX_QUOTED` clauses (transcript text, inside the draft: never logged).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from medscribe.logic.document.clause_words import POSSESSIVE_BEFORE_RELATION, RESET
from medscribe.logic.document.coverage_nothing import introduction, modifier, said_well
from medscribe.logic.document.coverage_words import ACTION, ADMIN, FUNCTION, NORMAL, TIME
from medscribe.logic.document.cue_words import DOSE_WORDS, FORMS, FREQUENCIES, NUMBER_WORDS, UNITS
from medscribe.logic.document.evidence import clause_breaks, sentences
from medscribe.logic.document.model import ReviewFlag

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput

MAX_QUOTED = 3  # clauses quoted in the one flag; more are counted ("and 2 more")
MAX_QUOTE = 90  # characters of a quoted clause
STEM = 5  # a content word and a held word sharing their first letters ("craving" / "craves" do not)
MAX_NORMAL_OTHERS = 3  # "heart sounds normal", "chest clear": a normal finding names little else
MAX_ADMIN_OTHERS = 1  # "Respiratory clinic in 6 weeks": an admin line names one thing at most
RUN_WORDS = 20  # a sentence this long with no comma or colon is a run (recogniser form)
MIN_WORD = 3  # shorter words are never content words ("go", "up")
MAX_HEADER_OTHERS = 3  # "Community mental health review": a header part names little else
RUN_PART_WORDS = 10  # a part of a run this long is read stretch by stretch between its held words
MIN_STRETCH_WORDS = 3  # content words a stretch of a run needs to be named
MIN_PART_WORDS = 2  # content words a coordinated part with no subject of its own needs to be named
MAX_MEMBER_WORDS = 2  # a list member this short is named only by its held siblings of one kind
MIN_SIBLINGS = 2  # held items of one kind a lost list member needs beside it

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
# A new statement inside a sentence: a new subject after "and"/"but"/"plus" ("… left eye and her feet go numb"),
# the last of a list (", and ongoing cannabis use"), and "also" ("also craves salt").
_NEW_SUBJECT = re.compile(
    r",\s*(?:and|with|plus)\s+|\b(?:and|but|plus)\s+(?=(?:he|she|they|his|her|their|i|we)\s+[a-z])",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:[\s,;:.!?\u2014\u2013-]|\b(?:and|or|but|with|plus)\b)+$", re.IGNORECASE)
# A new subject in a run with no sentence mark: "… recovering from a viral illness she takes …".
_SUBJECT = re.compile(r"\b(?:he|she|they)\b(?!\s*(?:'|and\b|or\b))", re.IGNORECASE)
_MARK = re.compile(r"[,;:]")
_AFTER_AND = re.compile(r"\b(?:and|plus)\s*$", re.IGNORECASE)
_AGE = re.compile(r"\b(?:year|month|week)s?[\s-]old\b", re.IGNORECASE)
_OWN_SUBJECT = re.compile(r"^\W*(?:he|she|they|his|her|their)\s+[a-z]", re.IGNORECASE)
# The parts of a clause each need their own held word: a comma, "and" or "plus" coordinates them ("Raised
# lipoprotein(a) and mild LV impairment on the echo": the echo does not account for the lipoprotein).
_COORDINATE = re.compile(r"\s*[,;]\s*|\s+(?:and|plus)\s+", re.IGNORECASE)
# A pertinent negative said on its own ("No tics", "no red flags", "She reports no side effects"): nothing to draft
# but the Denied list, which the draft fills from what the detector finds; "no longer" is a change, not a negative.
_NEGATIVE = re.compile(
    r"^\W*(?:(?:and|but|so|(?:he|she|they)\s+(?:reports?|has|have|had))\s+)?(?:no|nil|denies|denied|without)\b"
    r"(?!\s+longer)",
    re.IGNORECASE,
)
_PLAN = re.compile(r"^\W*(?:(?:so|and|but|then)\s+)?(?:if|unless|consider|should)\b", re.IGNORECASE)
_CONTRACTION = re.compile(r"'s$")  # "wife's": the word itself
_ALSO = re.compile(r"\balso\b", re.IGNORECASE)
# In a run, an admin opening ends at its time words ("seen today | raised lipoprotein a …"): what follows is a
# statement of its own, not part of the follow-up.
_ADMIN_WHEN = re.compile(
    rf"\b(?:{'|'.join(sorted(ADMIN))})\s+(?:(?:in|on|at|for|this|the|\d+)\s+)*(?:{'|'.join(sorted(TIME))})\b",
    re.IGNORECASE,
)
NOT_CONTENT = FUNCTION | TIME | ACTION | UNITS | FORMS | FREQUENCIES | DOSE_WORDS | NUMBER_WORDS
_HELD_KEYS = frozenset(("name", "substance", "reaction", "subject", "raw", "normalised", "text"))


def clauses(text: str, readings: Sequence[int] = ()) -> list[tuple[int, int]]:
    """The clauses of ``text`` as (begin, end) offsets, blanks and separators trimmed; ``readings``: where a test's
    reading starts (a new clause in a recogniser run: "… also craves salt blood pressure 130/80 …")."""
    out: list[tuple[int, int]] = []
    for span in sentences(text):
        chunk = text[span.begin : span.end]
        cuts = {0, len(chunk)} | set(clause_breaks(chunk)) | {m.end() for m in _NEW_SUBJECT.finditer(chunk)}
        cuts |= {m.start() for m in (*_ALSO.finditer(chunk), *_SUBJECT.finditer(chunk))}
        if len(chunk.split()) > RUN_WORDS and not _MARK.search(
            chunk
        ):  # a recogniser's run: instructions, headers
            cuts |= {m.start() for m in RESET.finditer(chunk)} | {
                m.end() for m in _ADMIN_WHEN.finditer(chunk)
            }
            cuts |= {r - span.begin for r in readings if span.begin < r < span.end}
        cuts |= {m.start() for m in POSSESSIVE_BEFORE_RELATION.finditer(chunk)}
        points = sorted(cuts)
        for a, b in pairwise(points):
            piece = chunk[a:b]
            lead = len(piece) - len(piece.lstrip(" ,;:-\u2014\u2013"))
            trail = len(_TRAILING.sub("", piece))
            if trail > lead:
                out.append((span.begin + a + lead, span.begin + a + trail))
    return out


def content_words(clause: str) -> list[str]:
    words = [_CONTRACTION.sub("", w.strip("'-")) for w in _WORD.findall(clause.lower())]
    words = [w for w in words if "'" not in w]  # "we'll", "wasn't", "i've": a pronoun or an auxiliary
    words = [w for w in words if not set(w.split("-")) <= NOT_CONTENT]  # "four-year-old", "year-old"
    return [w for w in words if len(w) >= MIN_WORD and w not in NOT_CONTENT and w not in ADMIN]


def carries_nothing(clause: str) -> bool:
    """By structure and word classes: admin / follow-up, a normal finding, or no content word at all."""
    words = [w.strip("'-") for w in _WORD.findall(clause.lower())]
    opening = [w for w in words if w not in FUNCTION and w not in TIME]
    if not opening or opening[0] in ADMIN:
        return True
    if _PLAN.search(clause) or _NEGATIVE.search(clause):
        return True  # a plan or a condition on one: "If ketones are above 1.5", "consider a pump next year"
    content = content_words(clause)
    if any(w in ADMIN for w in words) and len(content) <= MAX_ADMIN_OTHERS:
        return True  # a header or an admin line: "Discharge summary", "Respiratory clinic in 6 weeks"
    normal = [w for w in content if w in NORMAL]
    if said_well(clause, content, MAX_NORMAL_OTHERS) or modifier(clause):
        return True  # "Feeding well", "worse lying flat" (:mod:`.coverage_nothing`)
    return not content or (bool(normal) and len(content) - len(normal) <= MAX_NORMAL_OTHERS)


def _held(inp: GuardInput) -> frozenset[str]:
    """Words of the draft's item names and values and of its flags' subjects."""
    strings = [v for k, v in _walk(inp.draft.model_dump()) if k in _HELD_KEYS and isinstance(v, str)]
    strings += [f.subject for f in (*inp.draft.flags, *inp.raised) if f.kind != "NOT_DRAFTED"]
    return frozenset(w for s in strings for w in _WORD.findall(s.lower()))


def _walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if key in ("evidence", "guards", "guards_run", "message", "sentence"):
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif key != "spans" and isinstance(value, list | tuple):
        for v in value:
            yield from _walk(v, key)
    else:
        yield key, value


def _holds(word: str, held: frozenset[str]) -> bool:
    return word in held or (
        len(word) >= STEM and any(w[:STEM] == word[:STEM] for w in held if len(w) >= STEM)
    )


def parts(clause: str) -> list[tuple[int, int]]:
    """The coordinated parts of ``clause`` as (begin, end) offsets in it, separators trimmed."""
    cuts = [0, *(x for m in _COORDINATE.finditer(clause) for x in (m.start(), m.end())), len(clause)]
    return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True) if b > a]


def _lost(text: str, held: frozenset[str]) -> bool:
    return not carries_nothing(text) and not any(_holds(w, held) for w in content_words(text))


def _lost_part(part: str, held: frozenset[str], coordinated: bool) -> bool:
    """A part of an accounted clause is named when it says something of its own: a subject of its own ("her father
    smokes") or two content words ("raised lipoprotein a"); a bare participle ("Admitted", "treated") is not, nor a
    header opening a sentence or following a comma (never "and": "… and ongoing cannabis use family history")."""
    words = {w.strip("'-") for w in _WORD.findall(part.lower())}
    header = not coordinated and bool(words & ADMIN) and len(content_words(part)) <= MAX_HEADER_OTHERS
    if header or _AGE.search(part):
        return False  # a header, a follow-up, the patient's introduction: "Surgical review requested", "4-year-old boy"
    return _lost(part, held) and (
        len(content_words(part)) >= MIN_PART_WORDS or bool(_OWN_SUBJECT.match(part))
    )


def _unheld_stretches(run: str, held: frozenset[str]) -> list[tuple[int, int]]:
    """In a long part of a recogniser run, the stretches between held words that say something of their own (at
    least :data:`MIN_STRETCH_WORDS` content words): a lost statement glued to a drafted item."""
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", run)]
    cuts = [
        -1,
        *(i for i, (_, _, w) in enumerate(tokens) if any(_holds(c, held) for c in content_words(w))),
        len(tokens),
    ]
    out = []
    for i, j in pairwise(cuts):
        if j - i <= 1:
            continue
        x, y = tokens[i + 1][0], tokens[j - 1][1]
        stretch = run[x:y]
        if len(content_words(stretch)) >= MIN_STRETCH_WORDS and _lost_part(stretch, held, coordinated=False):
            out.append((x, y))
    return out


def not_drafted_clauses(inp: GuardInput) -> list[tuple[int, int]]:
    """The clauses, or the coordinated parts of a clause, that may say something clinical and of which the draft
    holds nothing: a clause is accounted for piecewise, each part by its own held word."""
    held = _held(inp)
    out = []
    readings = [b for p in inp.draft.procedures if p.value for b, _ in p.spans]
    for n, (begin, end) in enumerate(clauses(inp.text, readings)):
        clause = inp.text[begin:end]
        if carries_nothing(clause) or (n == 0 and introduction(clause, parts(clause), content_words)):
            continue
        if _lost(clause, held):
            out.append((begin, end))
            continue
        for a, b in parts(clause):
            part = clause[a:b]
            if _lost_part(part, held, bool(_AFTER_AND.search(clause[:a]))):
                out.append((begin + a, begin + b))
            elif len(part.split()) > RUN_PART_WORDS and not _MARK.search(part):
                out += [(begin + a + x, begin + a + y) for x, y in _unheld_stretches(part, held)]
    return out


def _kinds(inp: GuardInput) -> dict[str, str]:
    """The words of the draft's items by kind (condition, drug, denied); a word of two kinds is of none."""
    d, out = inp.draft, dict[str, str]()
    drugs = [r.name for r in d.prescriptions] + [n.name for n in d.not_taking]
    for kind, names in (
        ("condition", [p.name for p in d.problems]),
        ("denied", [p.name for p in d.denied]),
        ("drug", drugs),
    ):
        for w in (w for name in names for w in content_words(name)):
            out[w] = kind if out.get(w, kind) == kind else ""
    return out


def _kind_of(words: Sequence[str], kinds: dict[str, str]) -> str:
    """The one kind of a held item's words ("" when none or two)."""
    found = {
        k for w in words for x, k in kinds.items() if x == w or (len(w) >= STEM and x[:STEM] == w[:STEM])
    }
    return found.pop() if len(found) == 1 else ""


def lost_members(inp: GuardInput) -> list[tuple[int, int, str]]:
    """One- or two-word list members no item holds whose held siblings are all items of one kind: (begin, end,
    "listed with a, b"). A list is the bare words (no function word, no number) of consecutive coordinated parts,
    the first part's from its last non-bare word on; a member is a part, or in a run the words between held ones."""
    held, kinds, out = _held(inp), _kinds(inp), []
    run = not _MARK.search(
        inp.text
    )  # recogniser form: no mark anywhere ("… ramipril zorbitol and amlodipine")
    for begin, end in clauses(inp.text):
        clause = inp.text[begin:end]
        lists: list[list[tuple[int, int, str]]] = []
        for a, b in _list_parts(clause):
            tokens = [_token(a, m) for m in re.finditer(r"\S+", clause[a:b])]
            bare = [_bare(w) for _, _, w in tokens]
            tail = len(bare) - next((i for i, ok in enumerate(reversed(bare)) if not ok), len(bare))
            lead = next((i for i, ok in enumerate(bare) if not ok), len(bare))
            if lists and lead:
                lists[-1].extend(tokens[:lead])  # "… ramipril zorbitol and | amlodipine review in 3 months"
            if tail < len(tokens) and (tail or not lists):
                lists.append(tokens[tail:])
        for words in lists:
            out += [
                (begin + x, begin + y, why) for x, y, why in _lost_in_list(clause, words, held, kinds, run)
            ]
    return out


_LIST_JOIN = re.compile(r"\s*[,;]\s*(?:(?:and|or)\s+)?|\s+(?:and|or|plus|as\s+well\s+as)\s+", re.IGNORECASE)
_JOIN_AFTER = re.compile(r"\s*(?:[,;]|(?:and|or|plus|as\s+well\s+as)\b)", re.IGNORECASE)
_JOINED = re.compile(r"(?:[,;]|\b(?:and|or|plus|as\s+well\s+as))\s*$", re.IGNORECASE)


def _list_parts(clause: str) -> list[tuple[int, int]]:
    cuts = [0, *(x for m in _LIST_JOIN.finditer(clause) for x in (m.start(), m.end())), len(clause)]
    return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True) if b > a]


def _token(a: int, m: re.Match[str]) -> tuple[int, int, str]:
    word = m.group().strip(_STRIP)
    x = a + m.start() + len(m.group()) - len(m.group().lstrip(_STRIP))
    return x, x + len(word), word.lower()


_STRIP = ".,;:'\"()"


def _bare(word: str) -> bool:
    return (
        len(word) >= MIN_WORD
        and bool(re.fullmatch(r"[a-z][a-z'-]*", word))
        and word not in FUNCTION | ADMIN | NORMAL
    )


def _lost_in_list(
    clause: str, words: list[tuple[int, int, str]], held: frozenset[str], kinds: dict[str, str], run: bool
) -> list[tuple[int, int, str]]:
    """Group a list's words into held items and unheld stretches (a part boundary ends a stretch)."""
    groups: list[tuple[bool, list[tuple[int, int, str]]]] = []
    for x, y, w in words:
        is_held = any(_holds(c, held) for c in content_words(w))
        joined = (
            groups and groups[-1][0] == is_held and not _LIST_JOIN.fullmatch(clause[groups[-1][1][-1][1] : x])
        )
        if joined:
            groups[-1][1].append((x, y, w))
        else:
            groups.append((is_held, [(x, y, w)]))
    if (
        not run
        and any(  # punctuated: each member a whole part ("Swollen lips and tongue": one member)
            not _JOINED.search(clause[: g[0][0]]) and (i > 1 or groups[0][0])
            for i, (_, g) in enumerate(groups)
            if i
        )
    ):
        return []
    items = [g for h, g in groups if h]
    item_kinds = {_kind_of([w for _, _, w in g], kinds) for g in items}
    if len(items) < MIN_SIBLINGS or len(item_kinds) != 1 or "" in item_kinds:
        return []
    names = ", ".join(" ".join(w for _, _, w in g) for g in items)
    why = f"{'denied' if item_kinds == {'denied'} else 'listed'} with {names}"
    out = []
    for i, (is_held, g) in enumerate(groups):
        if not is_held and len(g) > MAX_MEMBER_WORDS:
            return []  # a longer unheld stretch: not a list of items (the part rules read it)
        # a member of its own: a join before it (or, in a run, a held item), a join or the clause's end after it
        before = bool(_JOINED.search(clause[: g[0][0]])) or (i > 0 and run)
        after = bool(_JOIN_AFTER.match(clause[g[-1][1] :])) or not clause[g[-1][1] :].strip(_STRIP + " ")
        if not is_held and before and after and content_words(" ".join(w for _, _, w in g)):
            out.append((g[0][0], g[-1][1], why))
    return out


def not_drafted(inp: GuardInput) -> list[ReviewFlag]:
    said = {(b, e): "" for b, e in not_drafted_clauses(inp)}
    for b, e, why in lost_members(inp):
        if not any(x <= b and e <= y for x, y in said):
            said[(b, e)] = why
    missing = sorted(said)
    if not missing:
        return []
    quotes = [f"“{_quote(inp.text[b:e])}”{_why(said[(b, e)])}" for b, e in missing[:MAX_QUOTED]]
    more = len(missing) - len(quotes)
    line = "; ".join(quotes) + (f" (and {more} more)" if more else "")
    return [
        ReviewFlag(
            kind="NOT_DRAFTED",
            subject=_quote(inp.text[missing[0][0] : missing[0][1]]),
            message=f"{line}: check whether something was missed",
            begin_offset=missing[0][0],
            end_offset=missing[0][1],
        )
    ]


def _quote(clause: str) -> str:
    clause = " ".join(clause.split())
    return clause if len(clause) <= MAX_QUOTE else clause[: MAX_QUOTE - 1].rsplit(" ", 1)[0] + "…"


def _why(why: str) -> str:
    return f" ({why})" if why else ""
