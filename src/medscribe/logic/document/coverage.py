"""Nothing said is dropped silently (issue 15 item 7): clauses of the transcript the draft holds nothing of.

The lexicon guards find the words their lists know, :mod:`.cue_guard` the spans a clinical cue introduces; a
statement with neither ("her feet go numb at night", "also craves salt") is then in no section and named by no
flag. This guard reads the transcript clause by clause instead and names, in ONE NOT_DRAFTED flag per draft, the
clauses that may say something clinical and of which the draft holds nothing.

- Clauses: the draft's own sentence and clause boundaries (:func:`.evidence.sentences`,
  :func:`.evidence.clause_breaks`); a new subject ("… and her feet", "she takes …", "her sister has …"), the last
  of a list (", and ongoing cannabis use"), "also", and a comma after a negated list closed by "or" ("No rash or
  vomiting, left ear drum red"); in a run of more than :data:`RUN_WORDS` words with no comma
  or colon (recogniser form), also the instruction and header words of :data:`.clause_words.RESET` and the start
  of a drafted test that has a value ("… also craves salt | blood pressure 130/80").
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
- A clause carries no problem or drug, by structure and small word classes only (never a clinical word): no
  content word (function, time, number, dose, action and admin words only); an admin or follow-up opening ("review
  in 3 months", "seen today", "discussed"; not when a finding follows its "with": "seen at 10 weeks with a
  threatened abruption", :func:`admin_only`); a header or admin line ("Discharge summary"); a normal finding ("chest
  clear"); a plan or condition opening ("if …", "consider …"); a pertinent negative said alone ("No tics"); a
  normal finding said with "well", a symptom's modifier ("worse lying flat") and the note's opening introduction
  ("Paediatrics, 9-month-old boy"): :mod:`.coverage_nothing`.

The flag itself, and the members of a list lost beside held items, are :mod:`.not_drafted`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from medscribe.logic.document.clause_words import POSSESSIVE_BEFORE_RELATION, RESET
from medscribe.logic.document.coverage_nothing import compared, introduction, modifier, said_well
from medscribe.logic.document.coverage_words import ACTION, ADMIN, FUNCTION, NORMAL, QUALIFIER, TIME
from medscribe.logic.document.cue_words import DOSE_WORDS, FORMS, FREQUENCIES, NUMBER_WORDS, UNITS
from medscribe.logic.document.evidence import clause_breaks, sentences

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput

STEM = 5  # a content word and a held word sharing their first letters ("craving" / "craves" do not)
MAX_NORMAL_OTHERS = 3  # "heart sounds normal", "chest clear": a normal finding names little else
MAX_ADMIN_OTHERS = 1  # "Respiratory clinic in 6 weeks": an admin line names one thing at most
RUN_WORDS = 20  # a sentence this long with no comma or colon is a run (recogniser form)
MIN_WORD = 3  # shorter words are never content words ("go", "up")
MAX_HEADER_OTHERS = 3  # "Community mental health review": a header part names little else
RUN_PART_WORDS = 10  # a part of a run this long is read stretch by stretch between its held words
MIN_STRETCH_WORDS = 3  # content words a stretch of a run needs to be named
MIN_PART_WORDS = 2  # content words a coordinated part with no subject of its own needs to be named
MAX_REASON_WORDS = 6  # in a run, "<what was done> for <reason>" is read only when the reason ends the part
MIN_AFTER_ADMIN = 2  # content words after "with" / "after" that keep an admin opening's clause read

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
MARK = re.compile(r"[,;:]")
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
# A pertinent negative said on its own ("No tics", "no red flags", "She reports no side effects"): nothing to draft
# but the Denied list, which the draft fills from what the detector finds; "no longer" is a change, not a negative.
_NEGATIVE = re.compile(
    r"^\W*(?:(?:and|but|so|(?:he|she|they)(?:\s+(?:reports?|has|have|had))?)\s+)?(?:no|nil|denies|denied|without)\b"
    r"(?!\s+longer)",
    re.IGNORECASE,
)
# A negated list closed by "or" / "nor", then a comma: what follows is a statement of its own, not a member ("No
# rash or vomiting, left ear drum red and bulging"), so the pertinent-negative rule does not cover it.
_CLOSED_NEGATION = re.compile(
    r"\b(?:no|denies|denied|without|nil)\s+[^,;.:]*?\b(?:or|nor)\s+[^,;.:]+(?=,)", re.IGNORECASE
)
# an examination's header said with no punctuation and followed by its finding ("… denies bleeding or mucus on
# digital rectal examination a tight stricture"): the recogniser's lost sentence end, a new statement (said after
# its finding, "koilonychia on examination.", it opens nothing)
_EXAM_HEADER = re.compile(
    r"\bon\s+(?:[a-z-]+\s+){0,2}(?:examination|exam|auscultation|palpation|inspection)\b(?=\s+\w)",
    re.IGNORECASE,
)
_PLAN = re.compile(r"^\W*(?:(?:so|and|but|then)\s+)?(?:if|unless|consider|should)\b", re.IGNORECASE)
# What an admin opening was for: "Seen at 10 weeks with a threatened abruption", "Referred after a fall with …".
_ADMIN_WITH = re.compile(r"\b(?:with|after|following|about|because)\b", re.IGNORECASE)
# Inside a held part, a finding of its own joined by "with" or by a "but" after a negative: "Her ferritin is 8 |
# with koilonychia", "not diabetic | but is prediabetic | with an HbA1c of 44". Each segment needs its own held word.
_SEGMENT = re.compile(r"\s+(?=(?:with|but)\s)", re.IGNORECASE)
_READING_END = re.compile(
    r"(?:\d%?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty|hundred))\s*$",
    re.IGNORECASE,
)
_CONTRACTION = re.compile(r"'s$")  # "wife's": the word itself
_ALSO = re.compile(r"\balso\b", re.IGNORECASE)
# A stretch after a held item that opens with its time ("cough | since sunday night indrawing below the ribs"): the
# time closes the item's statement, what follows it is read as a part is.
_SINCE = re.compile(
    rf"^(?:since|for|over)\s+(?:(?:the|a|an|this|last|\d+)\s+)*(?:{'|'.join(sorted(TIME))})\b", re.IGNORECASE
)
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
        if len(chunk.split()) > RUN_WORDS and not MARK.search(
            chunk
        ):  # a recogniser's run: instructions, headers
            cuts |= {m.start() for m in RESET.finditer(chunk)} | {
                m.end() for m in _ADMIN_WHEN.finditer(chunk)
            }
            cuts |= {r - span.begin for r in readings if span.begin < r < span.end}
        cuts |= {m.start() for m in POSSESSIVE_BEFORE_RELATION.finditer(chunk)}
        cuts |= {m.end() for m in _CLOSED_NEGATION.finditer(chunk)}
        if not MARK.search(chunk):
            cuts |= {m.start() for m in _EXAM_HEADER.finditer(chunk)}
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
    if not opening:
        return True
    if opening[0] in ADMIN:  # "Seen today for review"; not "Seen … with a threatened abruption on the scan"
        run = len(words) > RUN_WORDS and not MARK.search(clause)  # a recogniser's run: its header, as before
        return run or admin_only(clause)
    negative = _NEGATIVE.search(clause)
    # a pertinent negative said on its own; a header or instruction after it starts another statement ("She
    # denies pale stools on examination there is scleral icterus")
    if _PLAN.search(clause) or (negative and not RESET.search(clause, negative.end())):
        return True  # a plan or a condition on one: "If ketones are above 1.5", "consider a pump next year"
    content = content_words(clause)
    if any(w in ADMIN for w in words) and len(content) <= MAX_ADMIN_OTHERS:
        return True  # a header or an admin line: "Discharge summary", "Respiratory clinic in 6 weeks"
    normal = [] if compared(clause) else [w for w in content if w in NORMAL]
    if said_well(clause, content, MAX_NORMAL_OTHERS) or modifier(clause):
        return True  # "Feeding well", "worse lying flat" (:mod:`.coverage_nothing`)
    return not content or (bool(normal) and len(content) - len(normal) <= MAX_NORMAL_OTHERS)


def admin_only(text: str) -> bool:
    """An admin line says nothing after "with" / "after" / "about" ("Seen in clinic with his wife"), or too little
    (fewer than :data:`MIN_AFTER_ADMIN` content words) to be a finding of its own."""
    rest = _ADMIN_WITH.search(text)
    if rest is None:
        return True
    tail = text[rest.end() :]
    return carries_nothing(tail) or len(content_words(tail)) < MIN_AFTER_ADMIN


def held_words(inp: GuardInput) -> frozenset[str]:
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
    words = {w.strip("'-") for w in _WORD.findall(part.lower())}
    header = not coordinated and bool(words & ADMIN) and len(content_words(part)) <= MAX_HEADER_OTHERS
    opening = [w for w in _WORD.findall(part.lower()) if w not in FUNCTION and w not in TIME]
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
    w = _WORD.findall(head.lower())
    if w and w[0] in (
        "and",
        "plus",
    ):  # ", and patchy scarring on the biopsy": the list's word is not the phrase's
        w = w[1:]
    return bool(w) and not _SUBJECT.search(head) and w[0] not in FUNCTION and not w[0].endswith("ed")


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
