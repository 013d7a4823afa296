"""Which entity a time expression dates: the clause rules of ``linking._link_time`` (time9, session 12).

- A time said as now or past ("today", "two days ago", "since Monday") is never a follow-up's: "given in clinic
  today" dates the drug given, while "clinic in six weeks" is the visit's time and dates nothing.
- A time expression dates an entity after it only within its clause: not across a subject or a negation ("... from
  today she denies appetite loss", the recogniser's run-on of two sentences), nor a condition named as the reason
  after "for" / "because" ("kidney transplant in 2009 for reflux nephropathy"). A time that opens its clause
  ("Today he reports presyncope", "..., but today he is hypotensive") dates the event of that clause.
- A duration right after a condition, its site phrase included ("tingling in both feet for two months her
  cyanocobalamin ..."), dates the condition, not the drug after it (``condition_just_before``).
- A time dates an entity before it only within the clause it closes: not across another subject and its verb ("a dry
  cough his daughter came with him today", "a red eye, she should attend eye casualty the same day": the time is the
  other clause's event, which is no entity), while a relative clause of the entity keeps it ("the rash he has had
  for ten days", "the ramipril she stopped last month") (``other_clause_before``).
- A time that does not open its clause dates what it follows ("cough for 3 days"): an entity after it is its owner
  only when no entity before it is within reach. The recogniser writes no full stop, so "pain in the hand an hour ago
  tender over the metacarpal" would otherwise date the next sentence's sign (``linking._link_time``).
- A time ahead in an instruction about a drug ("Hold the gliclazide tonight and tomorrow morning", "Increase the
  amitriptyline to 20 mg over the next week", "Start buprenorphine 4 mg on day one") is a step of the plan, the
  drug's schedule, not a date of an event (PROCEDURE.md section 4); a time now or past ("Raise to 36 mg from today")
  and a time after another instruction or entity ("... and repeat the trough level in one week") are not
  (``instructed``).
- A drug before the time is not dated across a condition's "if" ("insulatard 4 units at bedtime if the fasting
  sugars are still high after 3 days": the time is the condition's), and the words of a drug's start or stop said
  in the passive, and amounts as a recogniser writes them, are the drug's own, not distance ("that's been stopped
  by the GP last month", "increased from fifty milligrams to one hundred milligrams by her GP last week").
"""

from __future__ import annotations

import re

from medscribe.offline.ner import people
from medscribe.offline.ner.patterns import _CLAUSE_VERBS, _NUMBER_WORDS
from medscribe.offline.ner.text import Doc, Span

CONDITION_OPENS = frozenset({"if", "unless"})
# a drug's start or stop said in the passive, and amounts as a recogniser writes them: "that's been stopped by the GP
# last month", "was increased from fifty milligrams to one hundred milligrams by her GP last week"
DOSE_TALK_MORE = frozenset({
    "stopped", "restarted", "prescribed", "given", "by", "her", "his", "milligrams", "micrograms", "millilitres",
    "milliliters", "grams", "point", *_NUMBER_WORDS,
})  # fmt: skip


# a time said as now or past ("today", "yesterday", "last week", "two days ago", "since Monday") is never a
# follow-up's: "given in clinic today", "seen in clinic yesterday" date what was done, not a visit ahead
_NOW_OR_PAST_RE = re.compile(
    r"\b(?:today|yesterday|ago|last|past|previous|since|earlier|currently)\b", re.IGNORECASE
)


def now_or_past(doc: Doc, a: Span) -> bool:
    return _NOW_OR_PAST_RE.search(doc.text, a.begin, a.end) is not None


# words between a time expression and an entity after it that open another clause ("... from today she denies
# appetite loss": a subject, a negation) or name a reason ("transplant in 2009 for reflux nephropathy", "stopped
# last month because her sodium was 128": the reason is not what the time dates)
_FORWARD_STOP = frozenset(
    {"she", "he", "they", "patient", "denies", "denied", "no", "not", "nor", "if", "but", "because", "due"}
)


_CLAUSE_OPENERS = frozenset({"but", "and", "so", "then", "although", "though"})


def opens_clause(doc: Doc, a: Span) -> bool:
    """ "Today he reports presyncope", "..., but today he is hypotensive": the subject and verb after a time that
    opens its clause are that clause's, and the time dates its event."""
    i = a.t0 - 1
    if i < 0 or doc.sent[i] != doc.sent[a.t0] or doc.toks[i].norm in _CLAUSE_OPENERS:
        return True
    return doc.text[doc.toks[i].end : a.begin].strip() in (",", ";", ":")


def after_conjunction(doc: Doc, a: Span) -> bool:
    """The time follows a conjunction that opens a clause ("... but today he is hypotensive")."""
    i = a.t0 - 1
    return i >= 0 and doc.sent[i] == doc.sent[a.t0] and doc.toks[i].norm in _CLAUSE_OPENERS


def forward_stop(between: list[str], owner: Span) -> bool:
    """Words between a time expression and an entity after it that keep the time from dating it. "for" names a
    condition as the reason ("in 2009 for reflux nephropathy"), a test as the purpose ("return in 2 weeks for a
    repeat A1c": the test is what the time dates)."""
    return bool(_FORWARD_STOP.intersection(between)) or (
        "for" in between and owner.category == "MEDICAL_CONDITION"
    )


def condition_just_before(doc: Doc, a: Span, drug: Span, conditions: list[Span], sites: set[int]) -> bool:
    """A duration right after a condition (and its site: "tingling in both feet for two months") and before its
    would-be drug dates the condition."""
    return (
        drug.t0 >= a.t1
        and "of" not in doc.between(a.t1, drug.t0)
        and any(
            doc.sentence_of(c) == doc.sentence_of(a) and _site_words_only(doc, c.t1, a.t0, sites)
            for c in conditions
        )
    )


_SITE_LINK_WORDS = frozenset(
    {"in", "on", "of", "at", "over", "both", "the", "his", "her", "their", "left", "right"}
)


def _site_words_only(doc: Doc, t0: int, t1: int, sites: set[int]) -> bool:
    """Tokens [t0, t1) are at most one other word, or a site phrase ("in both feet")."""
    if not 0 <= t1 - t0 <= 5:
        return False
    if t1 - t0 <= 1:
        return True
    return any(k in sites for k in range(t0, t1)) and all(
        k in sites or doc.toks[k].norm in _SITE_LINK_WORDS for k in range(t0, t1)
    )


def comma_cost(doc: Doc, a: Span, owner: Span) -> int:
    """What the commas between a time expression and an entity add to their distance when owners within reach are
    ranked: 5 a comma for an entity after the time, 3 for one before it. Only punctuated text has commas, so this
    ranks and never decides whether a time dates anything: the recogniser form of the same words links alike."""
    commas = doc.text.count(",", min(a.end, owner.end), max(a.begin, owner.begin))
    return (5 if owner.t0 >= a.t1 else 3) * commas


# a clause's subject (closed classes): the subject pronouns, and a listed person word (``people.person_words``,
# ``data/ner/person_words.txt``: family, household, carers) or a member of staff after a determiner or possessive
# ("his daughter", "the nurses", "her GP")
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you"})
_STAFF = frozenset({
    "doctor", "doctors", "gp", "gps", "nurse", "nurses", "chemist", "pharmacist", "pharmacy", "consultant",
    "surgeon", "paramedic", "paramedics", "physio", "physiotherapist", "dentist", "midwife", "optician",
    "registrar", "team", "staff", "dietitian", "podiatrist", "psychiatrist", "psychologist", "practice",
})  # fmt: skip
_DETERMINERS = frozenset({"his", "her", "their", "my", "our", "your", "the", "a", "an", "its"})
# the verbs of an entity's own event said in a relative clause ("the rash he has had for ten days", "the ramipril
# she stopped last month", "the pain she describes since Monday"): the time still dates the entity
_OWN_EVENT = frozenset({
    "has", "had", "have", "'s", "'d", "is", "was", "were", "been", "having", "took", "taken", "takes", "taking",
    "stopped", "started", "restarted", "used", "noticed", "developed", "got", "reports", "reported", "describes",
    "described", "says", "said", "mentions", "mentioned", "thinks", "feels", "felt", "first", "last", "only",
    "it", "them", "herself", "himself", "themselves", "myself",  # "she stopped taking it herself a fortnight ago"
})  # fmt: skip
# a subordinate clause dates its main clause's event ("the eczema has flared since they got a cat three weeks ago")
_SUBORDINATORS = frozenset(
    {"since", "after", "when", "because", "as", "until", "till", "before", "once", "while"}
)


_MODIFIERS = 3  # words between a subject's determiner and its noun: "the out of hours doctor", "her new GP"


def _subject_at(doc: Doc, i: int) -> int | None:
    """The first token of a clause's subject ending at token ``i`` ("she", "his daughter", "the out of hours
    doctor"), or None."""
    word = doc.toks[i].norm
    if word in _SUBJECT_PRONOUNS:
        return i
    # the listed person words only: the drug matchers' compound rule ("flat" + "mate") also takes "maxi" + "mum"
    if word in _STAFF or word in people.person_words() or word.removesuffix("s") in people.person_words():
        for k in range(i - 1, max(-1, i - 2 - _MODIFIERS), -1):
            if doc.sent[k] != doc.sent[i]:
                break
            if doc.toks[k].norm in _DETERMINERS:
                return k
    return None


def other_clause_before(doc: Doc, owner: Span, a: Span) -> bool:
    """Between an entity and a time after it stands another clause's subject and verb ("a dry cough his daughter came
    with him today"): the time is that clause's event, not the entity's. A relative clause of the entity ("the rash
    he has had for ten days") keeps it: the words after the subject are only those of the entity's own event."""
    for i in range(a.t0 - 1, owner.t1 - 1, -1):
        first = _subject_at(doc, i)
        if first is not None:
            tail = doc.between(i + 1, a.t0)
            subordinate = first > 0 and doc.toks[first - 1].norm in _SUBORDINATORS
            return bool(tail) and not subordinate and not set(tail) <= _OWN_EVENT
    return False


# the imperative (base) verbs of an instruction about a drug: "Hold the gliclazide", "Increase the amitriptyline"
_INSTRUCTIONS = frozenset({
    "hold", "omit", "withhold", "stop", "start", "restart", "resume", "increase", "reduce", "decrease", "raise",
    "lower", "titrate", "wean", "taper", "give", "take",
})  # fmt: skip
_INSTRUCTION_LEAD = frozenset({"the", "her", "his", "their", "off", "up", "down", "on"})
_INSTRUCTION_REACH = 12  # tokens from the drug to a time of its instruction
_NEW_CLAUSE = _SUBJECT_PRONOUNS | _CLAUSE_VERBS | _FORWARD_STOP


def instructed(doc: Doc, t: Span, drug: Span, owners: list[Span]) -> bool:
    """``t`` is a time ahead in an instruction about ``drug`` ("Hold the gliclazide tonight"): the plan's step."""
    if drug.t1 > t.t0 or t.t0 - drug.t1 > _INSTRUCTION_REACH or now_or_past(doc, t):
        return False
    k = drug.t0 - 1
    while k >= 0 and drug.t0 - k <= 2 and doc.toks[k].norm in _INSTRUCTION_LEAD:
        k -= 1
    if k < 0 or doc.toks[k].norm not in _INSTRUCTIONS or doc.sent[k] != doc.sent[t.t0]:
        return False
    if _NEW_CLAUSE.intersection(doc.between(drug.t1, t.t0)):
        return False  # "... and repeat the trough level in one week": another instruction's time
    return not any(drug.t1 <= o.t0 and o.t1 <= t.t0 and o.category != "MEDICATION" for o in owners)
