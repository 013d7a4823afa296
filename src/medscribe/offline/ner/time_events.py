"""Times counted from an event the note names (DetectEntitiesV2 TIME_EXPRESSION, AWS's own "day of admission").

"Low mood since the stroke", "constipated since the operation", "swelling two weeks after the operation", "pain
on the day of the extraction": the event is often an entity itself (a condition or a procedure), and an attribute
never overlaps an entity, so the time grammar's match was dropped whole and the symptom lost its time. Here such a
time is found by its grammar, a closed class of leads:

- ``since`` + a determiner ("the", "her", "his", "their", "my") + an optional ordinal ("her second", "his last");
- a count of a time unit + ``after`` / ``before`` / ``following`` / ``into`` + a determiner ("two weeks after
  the", "three days into her");
- ``on the day of`` / ``the day after`` / ``the day before`` + a determiner;

followed by the event: an entity the detector found (a condition or a procedure; after a count of time only a
procedure, since "six weeks after a stroke" dates the stroke itself), said right after the determiner or after its
site or side ("since her left hip replacement"), or a word of a closed class of life and care events ("birth",
"pregnancy", "fracture", "diagnosis", ...) within two words of the determiner ("since the car accident"). "The birth of her son" keeps its "of" phrase.

The event entity stays an entity; it is never the time's owner (``linking._link_time`` skips an entity inside the
time). Whether the time is reported is decided as for every time: only with an entity to date.
"""

from __future__ import annotations

import re

from medscribe.offline.ner.patterns import _NUMR
from medscribe.offline.ner.text import Doc, Span
from medscribe.offline.ner.time_grammar import TIME_RE

# a definite event only: "since a viral illness", "six weeks after a pontine infarct" tell what happened, not
# what a time is counted from
_DET = r"(?:the|her|his|their|my)"
_ORDINAL = r"(?:first|second|third|fourth|fifth|last|latest|recent|most\s+recent|previous)"
_UNIT = r"(?:minutes?|hours?|days?|nights?|weeks?|months?|years?)"
_LEAD_RE = re.compile(
    rf"\b(?:(?P<since>since)"
    rf"|(?P<count>(?:{_NUMR}|an?|a\s+few|a\s+couple\s+of|several)\s+{_UNIT}\s+(?:after|before|following|into))"
    rf"|(?P<day>(?:on\s+)?the\s+day\s+(?:of|after|before)))"
    rf"\s+{_DET}\s+(?:{_ORDINAL}\s+)?",
    re.IGNORECASE,
)
# events of a life or of care that are no entity of the detector (a birth, a move into care), or may not be
EVENT_NOUNS = frozenset(
    {"birth", "pregnancy", "delivery", "miscarriage", "termination", "caesarean", "diagnosis",
     "fracture", "fall", "accident", "injury", "crash", "operation", "surgery", "op", "procedure", "admission",
     "discharge", "transplant", "bereavement", "divorce", "funeral", "infection", "stroke", "attack", "illness",
     "treatment", "chemotherapy", "chemo", "radiotherapy", "extraction", "repair", "replacement", "injection",
     "vaccination", "vaccine", "jab", "booster", "transfusion", "biopsy", "scan"}
)  # fmt: skip
# "the birth of her son", "the birth of her second child": whose birth, an ordinal or age word before the noun
_OF_WHOM_RE = re.compile(
    r"\s+of\s+(?:her|his|their|my|the)\s+(?:(?:first|second|third|fourth|fifth|last|eldest|youngest|older|younger"
    r"|oldest|elder|baby)\s+)?[a-z]+",
    re.IGNORECASE,
)
_EVENT_CATEGORIES = ("MEDICAL_CONDITION", "TEST_TREATMENT_PROCEDURE")
# words that may stand between the determiner and an event entity besides its site ("her left hip replacement")
_MODIFIERS = frozenset({"left", "right", "bilateral", "total", "partial", "emergency", "elective", "planned"})
_REACH = 2  # words between the determiner (or ordinal) and the event's first word


def event_times(doc: Doc, entities: list[Span]) -> list[tuple[int, int]]:
    """The offsets of each time counted from a named event (see the module docstring), longest first per lead."""
    out: list[tuple[int, int]] = []
    for m in _LEAD_RE.finditer(doc.text):
        t_end = doc.tok_range(m.end(), m.end())[0]  # the first token after the determiner
        if t_end >= len(doc.toks):
            continue
        whole = TIME_RE.match(doc.text, m.start())
        if (
            whole is not None
            and whole.end() >= doc.toks[t_end].end
            and doc.toks[t_end].norm not in EVENT_NOUNS
        ):
            continue  # "since the spring bladder scan": the time is whole before the next entity
        end = _event_end(doc, entities, t_end, procedures_only=m.group("count") is not None)
        if end is None:
            continue
        of_whom = _OF_WHOM_RE.match(doc.text, end)
        if of_whom is not None and doc.text[m.end() : end].lower().rstrip().endswith("birth"):
            end = of_whom.end()  # "since the birth of her son"
        out.append((m.start(), end))
    return out


def _event_end(doc: Doc, entities: list[Span], first: int, *, procedures_only: bool) -> int | None:
    """The end offset of the event said from token ``first`` on, or None when no event is said there."""
    sites = {k for e in entities if e.category == "ANATOMY" for k in range(e.t0, e.t1)}
    for e in entities:
        if not first <= e.t0 <= first + _REACH or e.category not in _EVENT_CATEGORIES:
            continue
        if any(k not in sites and doc.toks[k].norm not in _MODIFIERS for k in range(first, e.t0)):
            continue  # "since the spring bladder scan": the event is said right after its determiner
        if procedures_only and e.category != "TEST_TREATMENT_PROCEDURE":
            continue
        if any(doc.sent[k] != doc.sent[first] for k in range(first, e.t1)):
            continue
        return e.end
    # after a count of time a condition is what is dated ("six weeks after a stroke"), not the time's event
    conditions = {k for e in entities if e.category == "MEDICAL_CONDITION" for k in range(e.t0, e.t1)}
    for k in range(first, min(first + _REACH + 1, len(doc.toks))):
        if doc.sent[k] != doc.sent[first]:
            return None
        if doc.toks[k].norm in EVENT_NOUNS and not (procedures_only and k in conditions):
            return doc.toks[k].end
    return None


def inside(time: Span, entity: Span) -> bool:
    """The entity is said inside the time (the event a time is counted from): never what the time dates."""
    return time.t0 <= entity.t0 and entity.t1 <= time.t1 and entity is not time


# words that put a sentence in a pregnancy, where "at 30 weeks" is a gestational age, not a time
_PREGNANCY = frozenset(
    {"gestation", "gestational", "pregnant", "pregnancy", "antenatal", "born", "preterm", "premature", "prematurity",
     "obstetric", "miscarriage", "trimester", "booking", "fetal", "foetal", "edd", "lmp", "gravida"}
)  # fmt: skip
_WEEKS_RE = re.compile(r"at\s+\S+(?:\s+\S+)?\s+weeks?$", re.IGNORECASE)


def gestational(doc: Doc, time: Span) -> bool:
    """ "at 30 weeks" in a sentence of a pregnancy ("gestational diabetes at 30 weeks", "born at 27 weeks"): a
    gestational age, as an age is AGE and no time (PROCEDURE.md section 4)."""
    if not _WEEKS_RE.match(doc.text[time.begin : time.end]):
        return False
    sent = doc.sent[time.t0]
    return any(t.norm in _PREGNANCY for k, t in enumerate(doc.toks) if doc.sent[k] == sent)


def with_event_times(doc: Doc, entities: list[Span], kept: list[Span]) -> list[Span]:
    """``kept`` attributes with each event-counted time added: a shorter time or duration inside it gives way
    ("since the birth" of "since the birth of her son"); one that overlaps any other attribute keeps it out.
    A gestational age said as "at N weeks" is dropped (:func:`gestational`)."""
    kept = [a for a in kept if a.type != "TIME_EXPRESSION" or not gestational(doc, a)]
    for begin, end in event_times(doc, entities):
        inner = [
            a for a in kept if begin <= a.begin and a.end <= end and a.type in ("TIME_EXPRESSION", "DURATION")
        ]
        if any(a.begin == begin and a.end == end for a in inner):
            continue
        # a side said inside the event ("since her left hip replacement") stays the site's; any other overlap
        # keeps the time out
        if any(
            a.begin < end and begin < a.end and a not in inner and not _side_inside(a, begin, end)
            for a in kept
        ):
            continue
        kept = [a for a in kept if a not in inner]
        kept.append(doc.span(begin, end, "TIME_EXPRESSION", "TIME_EXPRESSION", 0.85))
    return kept


def _side_inside(attribute: Span, begin: int, end: int) -> bool:
    return attribute.type == "DIRECTION" and begin < attribute.begin and attribute.end <= end


def holds(attribute: Span, site: Span) -> bool:
    """A time expression with a body site inside it, the site of its event: both stay."""
    return (
        attribute.category == "TIME_EXPRESSION" and attribute.begin < site.begin and site.end <= attribute.end
    )
