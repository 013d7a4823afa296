"""Nothing said is dropped silently (issue 15 item 7): clauses of the transcript the draft holds nothing of.

The lexicon guards find the words their lists know, :mod:`.cue_guard` the spans a clinical cue introduces; a
statement with neither ("her feet go numb at night", "also craves salt") is then in no section and named by no
flag. This guard reads the transcript clause by clause instead and names, in ONE NOT_DRAFTED flag per draft, the
clauses that may say something clinical and of which the draft holds nothing.

- Clauses (:func:`.coverage_clauses.clauses`): the draft's own sentence and clause boundaries
  (:func:`.evidence.sentences`, :func:`.evidence.clause_breaks`); a new subject ("… and her feet", "she takes …",
  "her sister has …"), the last of a list (", and ongoing cannabis use"), "also", and a comma after a negated list
  closed by "or" ("No rash or vomiting, left ear drum red"); in a run of more than
  :data:`.coverage_clauses.RUN_WORDS` words with no comma or colon (recogniser form), also the instruction and
  header words of :data:`.clause_words.RESET` and the start of a drafted test that has a value ("… also craves salt
  | blood pressure 130/80").
- A clause is accounted for when one of its content words (or a word sharing its first :data:`STEM` letters) is a
  word of an item's name, substance, reaction or value, or of another flag's subject (not an item's details: a
  site glued to an item does not account for the clause it was said in).
- Piecewise: an accounted-for clause is read part by part (commas, colons, "and", "plus"); a part with no held word is named
  when it says something of its own (its own subject or :data:`MIN_PART_WORDS` content words) and is no header or
  the introduction alone (after "<age> <person>" it is read on its own, quoted from there: "… woman bitten by her
  cat …"); the noun phrase before "for" of a part held only by its reason is read on its own ("kidney transplant in
  2009 for reflux nephropathy"; the reason's own words hold nothing of it: "kidney transplant for polycystic kidney
  disease"), and so is the noun phrase before "on the …" of a part held only by the test it was seen on ("T-cell
  mediated rejection on the biopsy last week"); a held part's segments before "with" and "but" each need a held word (:func:`_unheld_segments`). A
  part longer than :data:`RUN_PART_WORDS` words, and every part of a recogniser run, is read stretch by stretch
  between its held words (a stretch of :data:`MIN_STRETCH_WORDS` content words, none held, is named; an opening
  stretch, one with its own subject or one after a held item's time needs :data:`MIN_PART_WORDS`, qualifiers not
  counted).
- A clause carries no problem or drug (:func:`.coverage_clauses.carries_nothing`), by structure and small word
  classes only (never a clinical word): no content word (function, time, number, dose, action and admin words
  only); an admin or follow-up opening ("review in 3 months", "seen today", "discussed"; not when a finding follows
  its "with": "seen at 10 weeks with a threatened abruption", :func:`.coverage_clauses.admin_only`); a header or
  admin line ("Discharge summary"); a normal finding ("chest clear"); a plan or condition opening ("if …",
  "consider …"); a pertinent negative said alone ("No tics"); a normal finding said with "well", a symptom's
  modifier ("worse lying flat") and the note's opening introduction ("Paediatrics, 9-month-old boy"):
  :mod:`.coverage_nothing`.

The flag itself, and the members of a list lost beside held items, are :mod:`.not_drafted`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from medscribe.logic.document.coverage_clauses import (
    MARK,
    RUN_WORDS,
    SUBJECT,
    WORD,
    admin_only,
    carries_nothing,
    clauses,
    content_words,
)
from medscribe.logic.document.coverage_nothing import introduction, modifier
from medscribe.logic.document.coverage_words import ADMIN, FUNCTION, QUALIFIER, TIME
from medscribe.logic.document.evidence import sentences

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput

STEM = 5  # a content word and a held word sharing their first letters ("craving" / "craves" do not)
MAX_HEADER_OTHERS = 3  # "Community mental health review": a header part names little else
RUN_PART_WORDS = 10  # a part of a run this long is read stretch by stretch between its held words
MIN_STRETCH_WORDS = 3  # content words a stretch of a run needs to be named
MIN_PART_WORDS = 2  # content words a coordinated part with no subject of its own needs to be named
MAX_REASON_WORDS = 6  # in a run, "<what was done> for <reason>" is read only when the reason ends the part

_AFTER_AND = re.compile(r"\b(?:and|plus)\s*$", re.IGNORECASE)
_AGE = re.compile(r"\b(?:year|month|week)s?[\s-]old\b", re.IGNORECASE)
_PERSON = re.compile(r"[\s,]*\S+")  # the person word after an age ("… woman"): the patient's introduction
# a treatment or event said for its reason, or a finding said with the test it was seen on ("T-cell mediated
# rejection on the biopsy", "a stricture on the scan"), in one part: the reason or the test holds nothing of it
_FOR = re.compile(r"\s+(?:for|on(?=\s+(?:the|a|an|his|her|their|this|that)\s))\s+", re.IGNORECASE)
_OWN_SUBJECT = re.compile(r"^\W*(?:he|she|they|his|her|their)\s+[a-z]", re.IGNORECASE)
# The parts of a clause each need their own held word: a comma, a colon, "and" or "plus" coordinates them ("Raised
# lipoprotein(a) and mild LV impairment on the echo": the echo does not account for the lipoprotein; "Alcohol
# withdrawal: shaking of the hands": the shaking does not account for the topic dictated before the colon).
_COORDINATE = re.compile(r"\s*[,;:]\s*|\s+(?:and|plus)\s+", re.IGNORECASE)
# Inside a held part, a finding of its own joined by "with" or by a "but" after a negative: "Her ferritin is 8 |
# with koilonychia", "not diabetic | but is prediabetic | with an HbA1c of 44". Each segment needs its own held word.
_SEGMENT = re.compile(r"\s+(?=(?:with|but)\s)", re.IGNORECASE)
_READING_END = re.compile(
    r"(?:\d%?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty|hundred))\s*$",
    re.IGNORECASE,
)
# A stretch after a held item that opens with its time ("cough | since sunday night indrawing below the ribs"): the
# time closes the item's statement, what follows it is read as a part is.
_SINCE = re.compile(
    rf"^(?:since|for|over)\s+(?:(?:the|a|an|this|last|\d+)\s+)*(?:{'|'.join(sorted(TIME))})\b", re.IGNORECASE
)
_HELD_KEYS = frozenset(("name", "substance", "reaction", "subject", "raw", "normalised", "text"))


def held_words(inp: GuardInput) -> frozenset[str]:
    """Words of the draft's item names and values and of its flags' subjects."""
    strings = [v for k, v in _walk(inp.draft.model_dump()) if k in _HELD_KEYS and isinstance(v, str)]
    strings += [f.subject for f in (*inp.draft.flags, *inp.raised) if f.kind != "NOT_DRAFTED"]
    return frozenset(w for s in strings for w in WORD.findall(s.lower()))


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


def holds(word: str, held: frozenset[str]) -> bool:
    return word in held or (
        len(word) >= STEM and any(w[:STEM] == word[:STEM] for w in held if len(w) >= STEM)
    )


def parts(clause: str) -> list[tuple[int, int]]:
    """The coordinated parts of ``clause`` as (begin, end) offsets in it, separators trimmed."""
    cuts = [0, *(x for m in _COORDINATE.finditer(clause) for x in (m.start(), m.end())), len(clause)]
    return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True) if b > a]


def _lost(text: str, held: frozenset[str]) -> bool:
    return not carries_nothing(text) and not any(holds(w, held) for w in content_words(text))


def _lost_part(part: str, held: frozenset[str], coordinated: bool) -> bool:
    """A part of an accounted clause is named when it says something of its own: a subject of its own ("her father
    smokes") or two content words ("raised lipoprotein a"); a bare participle ("Admitted", "treated") is not, nor a
    header opening a sentence or following a comma (never "and": "… and ongoing cannabis use family history")."""
    words = {w.strip("'-") for w in WORD.findall(part.lower())}
    header = not coordinated and bool(words & ADMIN) and len(content_words(part)) <= MAX_HEADER_OTHERS
    opening = [w for w in WORD.findall(part.lower()) if w not in FUNCTION and w not in TIME]
    if opening and opening[0] in ADMIN:  # not "seen at ten weeks with a threatened abruption on the scan"
        header = header and admin_only(part)
    if header or (_AGE.search(part) and not (start := after_introduction(part))):
        return False  # a header, a follow-up, the introduction alone: "Surgical review requested", "4-year-old boy"
    if _AGE.search(
        part
    ):  # what is said after it ("… woman bitten by her cat …"), not a phrase ("… man with …")
        rest = part[start:]
        return (
            rest.split()[0].lower() not in FUNCTION
            and _lost(rest, held)
            and len(content_words(rest)) >= MIN_PART_WORDS
        )
    return _lost(part, held) and (
        len(content_words(part)) >= MIN_PART_WORDS or bool(_OWN_SUBJECT.match(part))
    )


def _named_for(head: str) -> bool:
    """The words before "for" are a noun phrase ("kidney transplant in 2009"), not a clause ("he was assessed")."""
    w = WORD.findall(head.lower())
    if w and w[0] in (
        "and",
        "plus",
    ):  # ", and patchy scarring on the biopsy": the list's word is not the phrase's
        w = w[1:]
    return bool(w) and not SUBJECT.search(head) and w[0] not in FUNCTION and not w[0].endswith("ed")


def after_introduction(part: str) -> int:
    """Where a part's statement begins: after the patient's introduction ("24-year-old woman "), if any (0)."""
    age = _AGE.search(part)
    if age is None:
        return 0
    person = _PERSON.match(part, age.end())
    rest = part[person.end() if person else age.end() :].lstrip(" ,")
    return len(part) - len(rest) if content_words(rest) else 0


def _unheld_stretches(run: str, held: frozenset[str]) -> list[tuple[int, int]]:
    """In a long part of a recogniser run, the stretches between held words that say something of their own (at
    least :data:`MIN_STRETCH_WORDS` content words): a lost statement glued to a drafted item."""
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", run)]
    cuts = [
        -1,
        *(i for i, (_, _, w) in enumerate(tokens) if any(holds(c, held) for c in content_words(w))),
        len(tokens),
    ]
    out = []
    for i, j in pairwise(cuts):
        if j - i <= 1:
            continue
        x, y = tokens[i + 1][0], tokens[j - 1][1]
        stretch = run[x:y]
        # the opening stretch, or one with its own subject, is read as a part is ("fell from a ladder | no head
        # injury", "… to pass water | his feet go numb | takes metformin")
        since = _SINCE.match(stretch)
        if since and modifier(stretch[since.end() :].lstrip()):
            continue  # "pain | for a month worse on stairs": the held symptom's modifier
        opens = i < 0 or _OWN_SUBJECT.match(stretch) or since
        least = MIN_PART_WORDS if opens else MIN_STRETCH_WORDS
        words = content_words(stretch)
        if (
            least < MIN_STRETCH_WORDS
        ):  # "on examination mild | crackles": a qualifier of the held item after it
            words = [w for w in words if w not in QUALIFIER]
        if len(words) >= least and _lost_part(stretch, held, coordinated=False):
            out.append((x + after_introduction(stretch), y))
    return out


def _without(clause: str, begin: int, spans: Sequence[tuple[int, int]]) -> str:
    """``clause`` (at ``begin`` in the text) with the words inside ``spans`` blanked, offsets kept: "he smokes
    cannabis most weekends advised to cut down if the voices get louder" is held by "voices", not by the Social
    history item."""
    for b, e in spans:
        lo, hi = max(b - begin, 0), min(e - begin, len(clause))
        if lo < hi:
            clause = clause[:lo] + " " * (hi - lo) + clause[hi:]
    return clause


def not_drafted_clauses(inp: GuardInput) -> list[tuple[int, int]]:
    """The clauses, or the coordinated parts of a clause, that may say something clinical and of which the draft
    holds nothing: a clause is accounted for piecewise, each part by its own held word."""
    held = held_words(inp)
    out = []
    readings = [b for p in inp.draft.procedures if p.value for b, _ in p.spans]
    social = [span for s in inp.draft.social_history for span in s.spans]
    runs = _runs(inp.text)  # a recogniser's runs: every part of one is read stretch by stretch
    for n, (begin, end) in enumerate(clauses(inp.text, readings)):
        clause = inp.text[begin:end]
        if carries_nothing(clause) or (n == 0 and introduction(clause, parts(clause), content_words)):
            continue
        # a habit's words hold only the habit, not the rest of its clause
        probe = _without(clause, begin, social)
        if probe != clause:
            rest = content_words(probe)
            if rest and not any(holds(w, held) for w in rest):
                out.append((begin + after_introduction(clause), end))
                continue
            clause = probe
        if _lost(clause, held):
            out.append((begin + after_introduction(clause), end))
            continue
        in_run = any(x <= begin < y for x, y in runs)
        for a, b in parts(clause):
            part = clause[a:b]
            run = (in_run or len(part.split()) > RUN_PART_WORDS) and not MARK.search(part)
            m = _FOR.search(part)
            head = part[: m.start()] if m else ""
            # in a run the reason is the words just after "for", not the rest of the run
            reason = " ".join(part[m.end() :].split()[:MAX_REASON_WORDS]) if m and run else part[len(head) :]
            if _lost_part(part, held, bool(_AFTER_AND.search(clause[:a]))):
                out.append((begin + a + after_introduction(part), begin + b))
            elif head and _named_for(head) and _lost_part(head, _minus(held, reason), coordinated=False):
                # "kidney transplant in 2009 for reflux nephropathy": the reason is held, what was done for it is not
                out.append((begin + a + after_introduction(head), begin + a + len(head)))
                if run and m:  # the rest of the run after the reason is read as before
                    start = a + m.end()
                    out += [
                        (begin + start + x, begin + start + y)
                        for x, y in _unheld_stretches(clause[start:b], held)
                    ]
            elif run:
                out += [(begin + a + x, begin + a + y) for x, y in _unheld_stretches(part, held)]
            else:
                out += [(begin + a + x, begin + a + y) for x, y in _unheld_segments(part, held)]
    return out


def _runs(text: str) -> list[tuple[int, int]]:
    """The sentences of more than :data:`RUN_WORDS` words with no comma or colon (a recogniser's run)."""
    spans = [(s.begin, s.end) for s in sentences(text)]
    return [(b, e) for b, e in spans if len(text[b:e].split()) > RUN_WORDS and not MARK.search(text[b:e])]


def _minus(held: frozenset[str], reason: str) -> frozenset[str]:
    """The held words less the words of the reason said after "for": "kidney transplant for polycystic kidney
    disease" — "kidney" is held by the disease, which does not account for the transplant."""
    return held - set(content_words(reason))


def _unheld_segments(part: str, held: frozenset[str]) -> list[tuple[int, int]]:
    """In a held part, the segments that no held word accounts for and that say something of their own: the first,
    before "with" or "but", as a part is read, or with one content word when it opens with "but" ("not diabetic |
    but is prediabetic | with an HbA1c of 44"); a later one opened by "with" after a reading ("Her ferritin is 8 |
    with koilonychia on examination"): the held test beside it does not account for the finding. A "with" after a
    word ("heart failure with reduced ejection fraction") qualifies what it follows and is not read on its own."""
    cuts = [0, *(m.end() for m in _SEGMENT.finditer(part)), len(part)]
    out = []
    for x, y in pairwise(cuts) if len(cuts) > 2 else ():
        segment = part[x:y].rstrip(" ,;:")
        but = segment.lower().startswith("but")
        if x and not but and not _READING_END.search(part[:x]):
            continue
        lost = _lost_part(segment, held, coordinated=False) and len(content_words(segment)) >= MIN_PART_WORDS
        if lost or (but and _lost(segment, held) and content_words(segment)):
            out.append((x, x + len(segment)))
    return out
