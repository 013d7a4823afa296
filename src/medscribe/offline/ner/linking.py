"""Linking attributes to their entity (DetectEntitiesV2 relationships) or to UnmappedAttributes."""

from __future__ import annotations

import bisect
import functools
import re

from medscribe.offline.ner import dose_steps, relations, time_events, time_links, time_scope
from medscribe.offline.ner.dose_types import type_doses
from medscribe.offline.ner.patterns import _CLAUSE_VERBS, _DURATION_RE
from medscribe.offline.ner.text import Doc, Span, clip
from medscribe.offline.ner.time_grammar import RECURRENCE_RE, TIME_RE


def link(doc: Doc, entities: list[Span], attrs: list[Span]) -> list[Span]:
    """Attach attributes to entities; returns the unmapped ones.

    Medication attributes link only within their sentence (see ``_link_med``); a DURATION with no drug
    becomes a time expression. Anatomy, DIRECTION and TIME_EXPRESSION relations are built by
    ``medscribe.offline.ner.relations`` (time expressions become top-level entities, as in AWS's output).
    Unlinked DIRECTION / QUALITY words and time expressions with nothing to date are dropped.
    """
    meds = [e for e in entities if e.category == "MEDICATION"]
    conditions = [e for e in entities if e.category == "MEDICAL_CONDITION"]
    tests = [e for e in entities if e.type == "TEST_NAME"]
    sites = {k for e in entities if e.category == "ANATOMY" for k in range(e.t0, e.t1)}
    unmapped: list[Span] = []
    directions: list[Span] = []
    times: list[Span] = []
    pending: list[Span] = []
    contested: list[tuple[Span, tuple[Span, str, float]]] = []
    for a in attrs:
        target: tuple[Span, str, float] | None = None
        if a.category == "MEDICATION":
            target = _link_med(doc, a, meds, entities)
            if target is not None and a.type == "DURATION" and dose_steps.went_without(doc, target[0], a):
                times.append(a)  # "missed her insulin for two days": when it was not taken, no course
                continue
            # "T2DM for ten years, on metformin": the condition's history, not the drug's course
            if (
                target is not None
                and a.type == "DURATION"
                and time_links.condition_just_before(doc, a, target[0], conditions, sites)
            ):
                target = None
            if (
                target is not None
                and a.type in _TIME_LIKE
                and _TIME_LIKE[a.type].match(doc.text, a.begin)
                and _condition_between(doc, target[0], a, conditions)
            ):
                # "stop doxazosin sore throat x five days", "27 mg each morning, poor appetite at lunch": maybe the
                # nearer condition's duration or recurrence (decided once the conditions have their sites)
                contested.append((a, target))
                continue
            # "cough for five days", "headaches every morning": a duration or a recurrence with no drug
            # near may be a condition's time expression (decided once the conditions have their sites)
            if target is None and a.type in _TIME_LIKE and _TIME_LIKE[a.type].match(doc.text, a.begin):
                pending.append(a)
                continue
        elif a.category == "TEST_TREATMENT_PROCEDURE":
            target = _link_before(doc, a, tests, a.type, max_gap=8)
        elif a.type == "ACUITY":
            target = _link_after(doc, a, conditions, "ACUITY", max_gap=2)
        elif a.type == "QUALITY" and _STAGE_RE.match(doc.text, a.begin):
            # "CKD stage 4 and gout": a stage or grade said right after a condition is that condition's
            # ("grade 2 oesophagitis" before it); never the next condition across "and" / a comma
            target = _link_before(doc, a, conditions, "QUALITY", max_gap=0) or _link_after(
                doc, a, conditions, "QUALITY", max_gap=0
            )
            if target is None:
                continue
        elif a.type == "QUALITY":
            target = _link_after(doc, a, conditions, "QUALITY", max_gap=2)
            if target is None:
                continue
        elif a.type == "DIRECTION":
            directions.append(a)
            continue
        elif a.category == "TIME_EXPRESSION":
            times.append(a)
            continue
        if target is None:
            unmapped.append(a)
            continue
        owner, rel, rel_score = target
        owner.attributes.append((a, rel, rel_score))
    for m in meds:
        type_doses(doc, m)
    type_doses(doc, None, unmapped)
    relations.link_directions(doc, entities, directions)
    relations.link_sites(doc, entities)
    amounts = [x for x in attrs if x.type in ("DOSAGE", "STRENGTH")]
    # a condition's sites said between it and its time are no distance ("eczema in the creases of the elbows and
    # behind the knees, flaring every winter")
    site_toks = frozenset(t for e in entities if e.category == "ANATOMY" for t in range(e.t0, e.t1))
    near_time = functools.partial(_link_time, sites=site_toks)
    for a in pending:  # a condition reaches over its site: "pain in both calves ... for about a year"
        # "27 mg each morning" is a schedule even when its drug is out of reach, never a condition's time
        schedule = a.type == "FREQUENCY" and any(0 <= a.t0 - x.t1 <= 2 for x in amounts)
        dated = not schedule and near_time(doc, a, conditions) is not None
        (times if dated else unmapped).append(a)
    for a, (drug, rel, rel_score) in contested:
        hit = near_time(doc, a, conditions)
        if hit is not None and hit[0].t0 >= drug.t1 and not dose_steps.drugs_own(doc, hit[0]):
            times.append(a)  # the condition between the drug and the duration is the one it dates
        else:
            drug.attributes.append((a, rel, rel_score))
            type_doses(doc, drug)
    unmapped.sort(key=lambda a: a.begin)
    # a step of a drug's plan ("then 18 units next week") and an amount's period ("300 mg in a day") are the drug's;
    # "..., taken two nights ago" dates the drug; a time ahead dates what is planned (time_scope)
    dating = time_scope.scoped(dose_steps.dating(near_time, amounts), amounts)
    relations.add_time_expressions(doc, entities, times, dating)
    return unmapped


# attributes that, with no drug to belong to, are a condition's time expression
_TIME_LIKE = {
    "DURATION": re.compile(r""),
    "FREQUENCY": re.compile(
        r"(?:(?:every|each)\s+(?:other\s+)?(?:morning|evening|night|day|afternoon)|at\s+night"
        r"|in\s+the\s+(?:mornings|evenings)"
        # a symptom's recurrence or timing (PROCEDURE.md section 4: "palpitations twice a week"): "three times a
        # week", "two or three times a week", "up to ten times a day", "before lunch", "at lunchtime"
        r"|(?:up\s+to\s+)?(?:once|twice|(?:a\s+few|\S+(?:\s+or\s+\S+)?)\s+times?)\s+(?:a|per|each|every)\s+(?:day|week|month|night)"
        r"|(?:at|before)\s+(?:lunch(?:time)?|teatime|breakfast|dinner|supper|meals|bed(?:time)?))\b"
        rf"|{RECURRENCE_RE.pattern}",  # "more than once a week", "twelve days a month" (time_grammar)
        re.I,
    ),
}


def _condition_between(doc: Doc, drug: Span, a: Span, conditions: list[Span]) -> bool:
    """A condition stands between the drug and its would-be duration."""
    return any(
        drug.t1 <= c.t0 and c.t1 <= a.t0 and doc.sentence_of(c) == doc.sentence_of(a) for c in conditions
    )


def _link_med(doc: Doc, a: Span, meds: list[Span], entities: list[Span]) -> tuple[Span, str, float] | None:
    sent = doc.sentence_of(a)
    k = bisect.bisect_left([m.t0 for m in meds], a.t0)  # meds are in text order
    p = meds[k - 1] if k > 0 and doc.sentence_of(meds[k - 1]) == sent else None
    n = meds[k] if k < len(meds) and doc.sentence_of(meds[k]) == sent else None
    if n is not None:
        gap = doc.between(a.t1, n.t0)
        if len(gap) <= 3 and "of" in gap:
            return n, a.type, 0.95
    # Neither direction crosses a verb that opens a new instruction ("... every morning start glipizide",
    # "metformin twice daily recheck a1c every three months"): in unpunctuated ASR text those verbs are
    # the only clause boundaries left.
    if p is not None and a.t0 - p.t1 <= 15 and not _CLAUSE_VERBS.intersection(doc.between(p.t1, a.t0)):
        return p, a.type, clip(0.99 - 0.025 * (a.t0 - p.t1), 0.55)
    if (
        n is not None
        and n.t0 - a.t1 <= 4
        and not any(a.t1 <= e.t0 < n.t0 for e in entities)
        and not _CLAUSE_VERBS.intersection(doc.between(a.t1, n.t0))
    ):
        return n, a.type, clip(0.9 - 0.03 * (n.t0 - a.t1), 0.55)
    return None


def _link_before(
    doc: Doc, a: Span, owners: list[Span], rel: str, *, max_gap: int, via: set[str] | None = None
) -> tuple[Span, str, float] | None:
    """Link ``a`` to the nearest owner ending before it in the same sentence."""
    sent = doc.sentence_of(a)
    prev = [o for o in owners if o.t1 <= a.t0 and doc.sentence_of(o) == sent]
    if not prev:
        return None
    o = prev[-1]
    gap = a.t0 - o.t1
    if gap > max_gap:
        return None
    if via is not None and (gap == 0 or doc.toks[o.t1].norm not in via):
        return None
    return o, rel, clip(0.99 - 0.025 * gap, 0.55)


def _link_after(
    doc: Doc, a: Span, owners: list[Span], rel: str, *, max_gap: int
) -> tuple[Span, str, float] | None:
    nxt = [o for o in owners if o.t0 >= a.t1 and o.t0 - a.t1 <= max_gap]
    if not nxt or doc.sentence_of(nxt[0]) != doc.sentence_of(a):
        return None
    return nxt[0], rel, clip(0.99 - 0.025 * (nxt[0].t0 - a.t1), 0.55)


def _opens_sentence(doc: Doc, a: Span) -> bool:
    """ "Yesterday, the patient took ...": a time expression set before its clause, with a comma."""
    first = a.t0 == 0 or doc.sent[a.t0 - 1] != doc.sent[a.t0]
    return first and doc.text[a.end : a.end + 2].lstrip().startswith(",")


_STAGE_RE = re.compile(r"(?:stage|grade)\b", re.IGNORECASE)
_OF_AFTER_RE = re.compile(r"\s*of\b", re.IGNORECASE)
_DOSE_TALK = frozenset({
    "was", "were", "is", "has", "been", "be", "to", "from", "increased", "reduced", "decreased", "raised",
    "lowered", "titrated", "changed", "switched", "up", "down", "then", "mg", "mcg", "micrograms", "g",
    "units", "ml", "tablets", "tablet", "each", "every", "once", "twice", "daily", "a", "day", "morning",
    "night", "evening", "at", "in", "the", "weekly", "bd", "od", "tds", "nocte", "and", "started", "on",
})  # fmt: skip


def _dose_talk(word: str) -> bool:
    return word in _DOSE_TALK or word in time_links.DOSE_TALK_MORE or word.replace(".", "", 1).isdigit()


_REACH = (
    "SYSTEM_ORGAN_SITE", "DIRECTION", "DOSAGE", "STRENGTH", "FREQUENCY", "ROUTE_OR_MODE", "FORM", "TEST_VALUE", "TEST_UNIT",
)  # fmt: skip


# words of a condition's course between it and its time ("swelling for three weeks, worse since Tuesday",
# "palpitations on and off for years, more frequent since Christmas"): no distance
_COURSE_RE = re.compile(
    r"\b(?:on\s+and\s+off|off\s+and\s+on|(?:getting\s+|a\s+(?:bit|little)\s+|much\s+|slightly\s+|even\s+)?"
    r"(?:worse|better)|worsening|improving|(?:more|less)\s+(?:frequent|often|severe|intense)|intermittently"
    r"|especially|mainly|mostly|again|(?:has\s+|have\s+|had\s+)?flared(?:\s+up)?)\b",
    re.IGNORECASE,
)
# a follow-up word right before a time expression: the time is the follow-up's ("review in four weeks"),
# which is no entity, never the drug or condition said before it
_FOLLOW_UP = frozenset(
    {"review", "reviewed", "up", "followup", "see", "recall", "revisit", "reassess", "appointment",
     "clinic", "observe"}  # "Stroke clinic in six weeks", "observe overnight": the visit's or stay's time
)  # fmt: skip


def _follow_up_time(doc: Doc, a: Span) -> bool:
    if time_links.now_or_past(doc, a):
        return False
    i = a.t0 - 1
    i -= int(i > 0 and doc.toks[i].norm == "again")  # "see her again in a month"
    if i > 0 and doc.toks[i].norm in ("her", "him", "them") and doc.toks[i - 1].norm in _FOLLOW_UP:
        i -= 1  # "see her in two weeks"
    if i < 0 or doc.sent[i] != doc.sent[a.t0] or doc.toks[i].norm not in _FOLLOW_UP:
        return False
    return doc.toks[i].norm != "up" or (i > 0 and doc.toks[i - 1].norm == "follow")


# "within 20 minutes of eating": a bounded time before "of" is no "two days of <condition>" history
_BOUNDED = frozenset({"within", "since", "for", "over", "in", "after", "during"})


def _test_with_follow_up(doc: Doc, a: Span, owners: list[Span]) -> tuple[Span, str, float] | None:
    """ "Review in 6 weeks with an ECG": the follow-up's time dates the test or procedure it is booked with."""
    i = a.t1
    if i < len(doc.toks) and doc.toks[i].norm == "with" and doc.sent[i] == doc.sent[a.t0]:
        for o in owners:
            if (
                o.category == "TEST_TREATMENT_PROCEDURE"
                and o.type in relations.TIME_TYPES
                and 0 < o.t0 - i <= 3
                and doc.sent[o.t0] == doc.sent[i]
            ):
                return o, "OVERLAP", 0.8
    return None


# a drug farther than this is never near, however many of the words between are its dose talk (bounds the cost
# on a long unpunctuated recogniser run, where the whole note is one sentence)
_DOSE_TALK_REACH = 40
_COURSE_REACH = 16  # farther than this in tokens, course words and other times cannot bring a condition near


def _gap_words(doc: Doc, begin: int, end: int, sites: frozenset[int] = frozenset()) -> int:
    """Tokens between two offsets that are neither another time expression, words of the course, nor a body site
    with the words that lead to it ("up to the ankles", "behind the knees")."""
    text = doc.text[begin:end]
    spans = (
        TIME_RE,
        _DURATION_RE,
        _COURSE_RE,
        _TIME_LIKE["FREQUENCY"],
    )  # "worse in the evenings for a year"
    covered = [(m.start() + begin, m.end() + begin) for r in spans for m in r.finditer(text)]
    t0, t1 = doc.tok_range(begin, end)
    gap = [i for i in range(t0, t1) if not any(b <= doc.toks[i].begin < e for b, e in covered)]
    lead = 0  # the sites said right after the condition, with the words leading to them, are its own
    while lead < len(gap) and _site_phrase(doc, gap[lead:], sites):
        lead += 1
    return len(gap) - lead


def _site_phrase(doc: Doc, rest: list[int], sites: frozenset[int]) -> bool:
    """The first of ``rest`` is a site token, or a word leading to one ("in the creases of the <site>")."""
    for i in rest:
        if i in sites:
            return True
        if doc.toks[i].norm not in _SITE_LEAD:
            return False
    return False


# words between a condition and its site: prepositions, determiners, sides, coordinators, a site's region
_SITE_LEAD = frozenset(
    {"in", "on", "of", "over", "under", "behind", "around", "to", "up", "into", "across", "along", "at", "down",
     "the", "both", "his", "her", "their", "left", "right", "and", "or", "creases", "crease", "back", "backs", "front",
     "side", "sides", "tips", "tip", "base", "top"}
)  # fmt: skip


def _owner_between(t1: int, a: Span, owners: list[Span]) -> bool:
    """A condition or a test lies between a drug (ending at token ``t1``) and a time expression after it."""
    return any(
        t1 <= c.t0 and c.t1 <= a.t0 and c.category in ("MEDICAL_CONDITION", "TEST_TREATMENT_PROCEDURE")
        for c in owners
    )


def _link_time(
    doc: Doc, a: Span, owners: list[Span], sites: frozenset[int] = frozenset()
) -> tuple[Span, str, float] | None:
    sent = doc.sentence_of(a)
    if _follow_up_time(doc, a):
        return _test_with_follow_up(doc, a, owners)
    if _opens_sentence(doc, a):
        # it dates the event of the clause it opens: the first entity after it (within 12 tokens)
        after = [
            o
            for o in owners
            if o.t0 >= a.t1
            and o.t0 - a.t1 <= 12
            and doc.sentence_of(o) == sent
            and o.category not in ("ANATOMY", "PROTECTED_HEALTH_INFORMATION")
            and (o.category != "TEST_TREATMENT_PROCEDURE" or o.type in relations.TIME_TYPES)
        ]
        if after:
            return after[0], "OVERLAP", clip(0.9 - 0.02 * (after[0].t0 - a.t1), 0.55)
    # "two days of ear pain": a bare stretch of time before "of" dates a condition; before a drug it is the
    # drug's course ("5 days of prednisolone"), not a time expression
    history_of = _OF_AFTER_RE.match(doc.text, a.end) is not None and doc.toks[a.t0].norm not in _BOUNDED
    opens_clause = time_links.opens_clause(doc, a)
    best: tuple[tuple[int, int, int], Span] | None = None
    # only owners within reach (a drug's dose and schedule reach ~15 tokens past its name): on a long
    # recogniser run the whole note is one sentence, and each time expression must not visit every entity
    lo, hi = a.t0 - _DOSE_TALK_REACH - 20, a.t1 + _DOSE_TALK_REACH
    near = [o for o in owners if lo <= o.t0 <= hi]
    for o in near:
        if doc.sentence_of(o) != sent or o.category in ("ANATOMY", "PROTECTED_HEALTH_INFORMATION"):
            continue
        if time_events.inside(a, o):
            continue  # "low mood since the stroke": the event a time is counted from is not what it dates
        if o.category == "TEST_TREATMENT_PROCEDURE" and o.type not in relations.TIME_TYPES:
            continue
        if history_of and (o.category != "MEDICAL_CONDITION" or not 0 < o.t0 - a.t1 <= 3):
            continue
        # a condition reaches over its site ("rash on the chest and back for one week"), a drug over its
        # dose and schedule ("increased to 27 mg each morning last month"), a test over its value
        # ("temperature of 38.2 this morning")
        # (only over what lies before the time: an attribute past it, "patch" of "patch testing" taken as a
        # FORM, would put the time inside the drug)
        o_t1 = max([o.t1, *(x.t1 for x, rel, _ in o.attributes if rel in _REACH and x.t1 <= a.t0)])
        dist = a.t0 - o_t1 if o_t1 <= a.t0 else o.t0 - a.t1
        if dist > _DOSE_TALK_REACH:
            continue  # out of every reach below: never the nearest (and no commas to count on a long run)
        if o.category != "MEDICATION" and o_t1 <= a.t0 and dist <= _COURSE_REACH:
            # a test or procedure reaches over its site too ("laser iridotomy to both eyes tomorrow")
            dist = _gap_words(doc, doc.toks[o_t1 - 1].end, a.begin, sites)
        if o.t0 >= a.t1 and not opens_clause and time_links.forward_stop(doc.between(a.t1, o.t0), o):
            continue  # "... from today she denies appetite loss": the clause has moved on
        if o_t1 <= a.t0 and time_links.other_clause_before(doc, o, a):
            continue  # "a dry cough his daughter came with him today": the other clause's event
        if o.category == "MEDICATION" and o_t1 <= a.t0 and _owner_between(o_t1, a, near):
            continue  # "nitrofurantoin pressure sore on the sacrum since friday": the sore is nearer
        if o.category == "MEDICATION" and o_t1 <= a.t0 and dist <= _DOSE_TALK_REACH:
            # "was increased from 18 mg to 27 mg each morning last month": the words of its dose change
            # and schedule are the drug's own, not distance
            between = doc.between(o_t1, a.t0)
            if time_links.CONDITION_OPENS.intersection(between):
                continue  # "insulatard 4 units at bedtime if the sugars are still high after 3 days": the if's time
            dist = sum(1 for t in between if not _dose_talk(t))
        if o.t1 <= a.t0 and time_links.after_conjunction(doc, a):
            dist += 3  # "known hypertension but today he is hypotensive": "but" parts them as a comma would
        if o.t0 >= a.t1 and a.t0 > 0 and doc.sent[a.t0 - 1] == sent:
            dist += 1  # mid-sentence, a time expression follows what it dates ("cough for 3 days")
        if dist > 6:
            continue  # out of reach in words; the same reach in both forms (a recogniser writes no commas)
        # a comma between them is a clause break that ranks the nearer clause first: "rash ... for one week,
        # itchy" dates the rash; a time expression closing its clause ("... since September, with a racing
        # heart") dates what came before. It orders the owners within reach and never puts one out of reach
        dist += time_links.comma_cost(doc, a, o)
        # the nearer wins; on a tie the entity before the time expression ("headache for two days and ...");
        # a time that does not open its clause dates what it follows when anything before it is within reach
        # ("pain in the hand an hour ago tender over ...": the recogniser's next sentence)
        before = o.t1 <= a.t0
        rank = (0 if before or opens_clause else 1, dist, 0 if before else 1)
        if best is None or rank < best[0]:
            best = (rank, o)
    if best is None:
        return None
    return best[1], "OVERLAP", clip(0.9 - 0.03 * best[0][1], 0.55)
