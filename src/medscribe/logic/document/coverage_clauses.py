"""The clauses of a transcript and whether a clause carries anything, for :mod:`.coverage`: the draft's own
sentence and clause boundaries cut further at a new subject, the last of a list, "also", a closed negated list and,
in a recogniser run, at instruction, header and admin words; a clause carries no problem or drug, by structure and
small word classes only (:func:`carries_nothing`, :func:`admin_only`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from medscribe.logic.document.clause_words import POSSESSIVE_BEFORE_RELATION, RESET
from medscribe.logic.document.coverage_nothing import compared, modifier, said_well
from medscribe.logic.document.coverage_words import ACTION, ADMIN, FUNCTION, NORMAL, TIME
from medscribe.logic.document.cue_words import DOSE_WORDS, FORMS, FREQUENCIES, NUMBER_WORDS, UNITS
from medscribe.logic.document.evidence import clause_breaks, sentences

MAX_NORMAL_OTHERS = 3  # "heart sounds normal", "chest clear": a normal finding names little else
MAX_ADMIN_OTHERS = 1  # "Respiratory clinic in 6 weeks": an admin line names one thing at most
RUN_WORDS = 20  # a sentence this long with no comma or colon is a run (recogniser form)
MIN_WORD = 3  # shorter words are never content words ("go", "up")
MIN_AFTER_ADMIN = 2  # content words after "with" / "after" that keep an admin opening's clause read

WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
# A new statement inside a sentence: a new subject after "and"/"but"/"plus" ("… left eye and her feet go numb"),
# the last of a list (", and ongoing cannabis use"), and "also" ("also craves salt").
_NEW_SUBJECT = re.compile(
    r",\s*(?:and|with|plus)\s+|\b(?:and|but|plus)\s+(?=(?:he|she|they|his|her|their|i|we)\s+[a-z])",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:[\s,;:.!?\u2014\u2013-]|\b(?:and|or|but|with|plus)\b)+$", re.IGNORECASE)
# A new subject in a run with no sentence mark: "… recovering from a viral illness she takes …".
SUBJECT = re.compile(r"\b(?:he|she|they)\b(?!\s*(?:'|and\b|or\b))", re.IGNORECASE)
MARK = re.compile(r"[,;:]")
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
_CONTRACTION = re.compile(r"'s$")  # "wife's": the word itself
_ALSO = re.compile(r"\balso\b", re.IGNORECASE)
# In a run, an admin opening ends at its time words ("seen today | raised lipoprotein a …"): what follows is a
# statement of its own, not part of the follow-up.
_ADMIN_WHEN = re.compile(
    rf"\b(?:{'|'.join(sorted(ADMIN))})\s+(?:(?:in|on|at|for|this|the|\d+)\s+)*(?:{'|'.join(sorted(TIME))})\b",
    re.IGNORECASE,
)
NOT_CONTENT = FUNCTION | TIME | ACTION | UNITS | FORMS | FREQUENCIES | DOSE_WORDS | NUMBER_WORDS


def clauses(text: str, readings: Sequence[int] = ()) -> list[tuple[int, int]]:
    """The clauses of ``text`` as (begin, end) offsets, blanks and separators trimmed; ``readings``: where a test's
    reading starts (a new clause in a recogniser run: "… also craves salt blood pressure 130/80 …")."""
    out: list[tuple[int, int]] = []
    for span in sentences(text):
        chunk = text[span.begin : span.end]
        cuts = {0, len(chunk)} | set(clause_breaks(chunk)) | {m.end() for m in _NEW_SUBJECT.finditer(chunk)}
        cuts |= {m.start() for m in (*_ALSO.finditer(chunk), *SUBJECT.finditer(chunk))}
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
    words = [_CONTRACTION.sub("", w.strip("'-")) for w in WORD.findall(clause.lower())]
    words = [w for w in words if "'" not in w]  # "we'll", "wasn't", "i've": a pronoun or an auxiliary
    words = [w for w in words if not set(w.split("-")) <= NOT_CONTENT]  # "four-year-old", "year-old"
    return [w for w in words if len(w) >= MIN_WORD and w not in NOT_CONTENT and w not in ADMIN]


def carries_nothing(clause: str) -> bool:
    """By structure and word classes: admin / follow-up, a normal finding, or no content word at all."""
    words = [w.strip("'-") for w in WORD.findall(clause.lower())]
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
