"""Context traits: NEGATION (NegEx-style triggers and scopes), PAST_HISTORY and HYPOTHETICAL."""

from __future__ import annotations

import re

from medscribe.offline.ner.patterns import (
    _FUT_PRE,
    _HYP_PRE,
    _NEG_POST,
    _NEG_POST_MED,
    _NEG_PRE,
    _NEG_PRE_MED,
    _NEG_WINDOW,
    _PAST_BLOCK,
    _PAST_POST,
    _PAST_PRE,
    _PAST_PRE_MED,
    _PSEUDO,
    _TERMINATORS,
)
from medscribe.offline.ner.substance_conditions import drug_condition
from medscribe.offline.ner.text import Doc, Span, clip

# Comprehend Medical documents NEGATION, PAST_HISTORY and HYPOTHETICAL for conditions, medications and
# tests / treatments / procedures; FUTURE for medications and tests / treatments / procedures only.
_TRAIT_CATEGORIES = ("MEDICAL_CONDITION", "MEDICATION", "TEST_TREATMENT_PROCEDURE")
_FUTURE_CATEGORIES = ("MEDICATION", "TEST_TREATMENT_PROCEDURE")


def _only_joiners(words: list[str]) -> bool:
    """Nothing but list joiners between two items ("no A, no B", "no A and no B")."""
    return all(w in ("and", "or") for w in words)


def negate(doc: Doc, entities: list[Span]) -> None:
    targets = [e for e in entities if e.category in _TRAIT_CATEGORIES]
    if not targets:
        return
    norms = [t.norm for t in doc.toks]
    by_start = {e.t0: e for e in targets}
    entity_tok = [False] * len(norms)
    for e in entities:
        for k in range(e.t0, e.t1):
            entity_tok[k] = True
    condition_tok = [False] * len(
        norms
    )  # "CT excluded a bleed": a test before the cue is not what it negates
    for e in entities:
        if e.category == "MEDICAL_CONDITION":
            condition_tok[e.t0 : e.t1] = [True] * (e.t1 - e.t0)
    negated: dict[int, float] = {}
    prev_end = -1  # the token after the last entity a pre-trigger negated
    # "no signs of digoxin toxicity": the drug names what the condition is of; the cue negates the condition
    of_condition = {
        id(d)
        for d in targets
        for c in targets
        if d.category == "MEDICATION" and c.t0 == d.t1 and drug_condition(doc, c)
    }

    def phrase_at(i: int, table: dict[str, float] | set[str]) -> int:
        for n in (4, 3, 2, 1):
            if i + n <= len(norms) and " ".join(norms[i : i + n]) in table:
                return n
        return 0

    i = 0
    while i < len(norms):
        if entity_tok[i]:
            i += 1
            continue
        pseudo = phrase_at(i, _PSEUDO)
        n_med = phrase_at(i, _NEG_PRE_MED)
        n_gen = phrase_at(i, _NEG_PRE)
        if pseudo and pseudo >= max(n_med, n_gen):
            i += pseudo
            continue
        if not (n_med or n_gen):
            i += 1
            continue
        med_only = n_med > n_gen
        n = n_med if med_only else n_gen
        if not med_only and (
            _said_after_a_concept(norms, condition_tok, doc.sent, i, n) or _planned(norms, i, n)
        ):
            i += n  # "DVT ruled out, cellulitis likely": the cue looks back (post-triggers), not on
            continue
        base = (_NEG_PRE_MED if med_only else _NEG_PRE)[" ".join(norms[i : i + n])]
        j = i + n
        last = j
        sent = doc.sent[i]
        chain: str | None = None  # a scope runs over a list of one kind: conditions, or medications
        # "no loss of consciousness, no head injury, shortening of the leg": when the trigger is said again
        # for each item, an item without its own trigger is outside the list (only "or" / "nor" joins one)
        restated = prev_end >= 0 and doc.sent[prev_end - 1] == sent and _only_joiners(norms[prev_end:i])
        while j < len(norms) and doc.sent[j] == sent and j - last <= _NEG_WINDOW:
            if not entity_tok[j] and (
                norms[j] in _TERMINATORS or phrase_at(j, _NEG_PRE) or phrase_at(j, _NEG_PRE_MED)
            ):
                break
            hit = by_start.get(j)
            if hit is not None and id(hit) in of_condition:
                j = last = hit.t1
                continue
            if hit is not None:
                if chain is not None and hit.category != chain:
                    break
                if restated and chain is not None and norms[last:j] not in (["or"], ["nor"]):
                    break
                chain = hit.category
                # a drug-only cue ("declined", "hold", "stopped") also covers a test or treatment
                if base > 0 and not (med_only and hit.category == "MEDICAL_CONDITION"):
                    score = max(0.6, base - 0.02 * (j - i - n))
                    negated[id(hit)] = max(negated.get(id(hit), 0.0), score)
                last = hit.t1
                j = hit.t1
                prev_end = hit.t1
                continue
            j += 1
        i += n
    # post-triggers look back
    for k in range(len(norms)):
        if entity_tok[k]:
            continue
        if norms[k] == "free" and _free_of(doc.text, doc.toks[k].begin):  # "seizure-free for 5 years"
            for e in targets:
                if e.category == "MEDICAL_CONDITION" and e.t1 == k and doc.sent[e.t0] == doc.sent[k]:
                    negated[id(e)] = max(negated.get(id(e), 0.0), 0.9)
            continue
        for table, med_only in ((_NEG_POST_MED, True), (_NEG_POST, False)):
            n = phrase_at(k, table)
            if not n:
                continue
            base = table[" ".join(norms[k : k + n])]
            if _planned(norms, k, n):
                break  # "GCA must be excluded": a plan, no negation
            for e in targets:
                if e.category == "TEST_TREATMENT_PROCEDURE":
                    continue  # "CT was negative": a test with a negative result was done, not negated
                if e.t1 <= k and k - e.t1 <= 4 and doc.sent[e.t0] == doc.sent[k]:
                    if med_only and e.category != "MEDICATION":
                        continue
                    between = norms[e.t1 : k]
                    if any(w in _TERMINATORS - {"is", "was", "were", "has"} for w in between):
                        continue
                    negated[id(e)] = max(negated.get(id(e), 0.0), base)
            break
    for e in targets:
        if id(e) in negated and not any(name == "NEGATION" for name, _ in e.traits):
            e.traits.append(("NEGATION", clip(negated[id(e)])))


_DURATION_UNITS = frozenset(
    {"hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"}
)
_HYP_VERBS = {"start", "started", "starting", "begin", "add", "try", "use", "take", "give", "prescribe"}


def context_traits(doc: Doc, entities: list[Span]) -> None:
    """PAST_HISTORY ("PMH: asthma", "previously on sertraline", "was on Coumadin in the past") and
    HYPOTHETICAL ("if needed, consider prednisone", "return if rash develops") on conditions, drugs, tests
    and procedures; FUTURE ("will start lisinopril", "plan to check A1c") on drugs, tests and procedures."""
    targets = [e for e in entities if e.category in _TRAIT_CATEGORIES]
    if not targets:
        return
    norms = [t.norm for t in doc.toks]
    entity_tok = [False] * len(norms)
    for e in entities:
        for k in range(e.t0, e.t1):
            entity_tok[k] = True
    by_start = {e.t0: e for e in targets}

    def phrase_at(i: int, table: dict[str, float]) -> int:
        for n in (4, 3, 2, 1):
            if i + n <= len(norms) and " ".join(norms[i : i + n]) in table:
                return n
        return 0

    for trait, pre in (("PAST_HISTORY", _PAST_PRE), ("HYPOTHETICAL", _HYP_PRE), ("FUTURE", _FUT_PRE)):
        # "consider starting metformin": a verb that starts a drug continues a hypothesis, ends a history
        stops = _TERMINATORS if trait == "PAST_HISTORY" else _TERMINATORS - _HYP_VERBS
        allowed = _FUTURE_CATEGORIES if trait == "FUTURE" else _TRAIT_CATEGORIES
        found: dict[int, float] = {}
        i = 0
        while i < len(norms):
            n = 0 if entity_tok[i] else phrase_at(i, pre)
            blocked = trait == "PAST_HISTORY" and (
                (i > 0 and norms[i - 1] in _PAST_BLOCK | _DURATION_UNITS)
                or (i + n < len(norms) and norms[i + n] == "to")
            )  # "no history of" is a negation; "prior to meals" is a time, not a history; "a 3-day history
            # of cough" is the present illness and how long it has lasted, not a past history
            if not n or blocked:
                i += max(n, 1)
                continue
            base = pre[" ".join(norms[i : i + n])]
            drug_only = trait == "PAST_HISTORY" and " ".join(norms[i : i + n]) in _PAST_PRE_MED
            said_after = _concept_before(doc, targets, i) if trait == "PAST_HISTORY" else None
            if said_after is not None and " ".join(norms[i : i + n]) in _PAST_POST:
                i += n  # "gout in the past the gout has flared": a cue said after a concept is that concept's
                continue
            j = last = i + n
            while j < len(norms) and doc.sent[j] == doc.sent[i] and j - last <= _NEG_WINDOW:
                if (not entity_tok[j] and norms[j] in stops) or (
                    trait == "PAST_HISTORY" and _now_at(norms, j)
                ):
                    break  # "currently" may be a time expression of its own
                if trait != "PAST_HISTORY" and j > i + n and _state_clause_at(norms, j):
                    break  # "… her bowel disease is quiet": a clause of its own subject
                hit = by_start.get(j)
                if said_after is not None and hit is not None and _name(hit, norms) == said_after:
                    break  # "sciatica previously sciatica again": the name said again opens a new statement
                if hit is not None:
                    if hit.category in allowed and not (drug_only and hit.category != "MEDICATION"):
                        found[id(hit)] = max(found.get(id(hit), 0.0), max(0.6, base - 0.02 * (j - i - n)))
                    last = j = hit.t1
                    continue
                j += 1
            i += n
        if trait == "PAST_HISTORY":
            for k in range(len(norms)):
                n = 0 if entity_tok[k] else phrase_at(k, _PAST_POST)
                if not n:
                    continue
                for e in targets:
                    if e.t1 <= k and k - e.t1 <= 3 and doc.sent[e.t0] == doc.sent[k]:
                        between = set(norms[e.t1 : k])
                        if not between & _TERMINATORS:
                            found[id(e)] = max(found.get(id(e), 0.0), _PAST_POST[" ".join(norms[k : k + n])])
        for e in targets:
            if id(e) in found and all(name != trait for name, _ in e.traits):
                e.traits.append((trait, clip(found[id(e)])))


# A present-time word ends a history's reach: "previously on citalopram, now on sertraline", "past medical history
# of angina currently on bisoprolol" (a recogniser's run-on): what follows it is said as current.
_NOW = frozenset({"now", "currently", "presently", "nowadays"})
_NOW_PAIRS = frozenset({("at", "present"), ("these", "days")})


# "… consider X her bowel disease is quiet": a possessive subject and a present-tense verb within a few words start
# a clause of their own (a state reported), which no "if" / "consider" said before it reaches
_POSSESSIVES = frozenset({"her", "his", "their"})
_STATE_VERBS = frozenset({"is", "are", "remains", "remain"})
_SUBJECT_WORDS = 4  # words of the possessive's noun phrase before its verb
_JOINING = frozenset({"if", "and", "or", "to", "with", "for", "a", "an", "the", "when", "unless"})


def _state_clause_at(norms: list[str], j: int) -> bool:
    if norms[j] not in _POSSESSIVES:
        return False
    for word in norms[j + 2 : j + 2 + _SUBJECT_WORDS]:  # "her ramipril if her BP is high": the "if" ends it
        if word in _STATE_VERBS:
            return True
        if word in _TERMINATORS or word in _JOINING:
            return False
    return False


def _now_at(norms: list[str], j: int) -> bool:
    return norms[j] in _NOW or tuple(norms[j : j + 2]) in _NOW_PAIRS


def _concept_before(doc: Doc, targets: list[Span], i: int) -> str | None:
    """The name of the concept said right before token ``i`` in its sentence (a past cue after it may be that
    concept's: "gout in the past", "sciatica previously"), else None."""
    for e in targets:
        if e.t1 == i and e.t1 > 0 and doc.sent[e.t1 - 1] == doc.sent[min(i, len(doc.sent) - 1)]:
            return _name(e, [t.norm for t in doc.toks])
    return None


def _name(e: Span, norms: list[str]) -> str:
    return " ".join(norms[e.t0 : e.t1])


# A cue that reads both ways ("excluded", "ruled out"): said right after a concept (only "was", "has been"
# between) it is that concept's (a post-trigger: "DVT ruled out, cellulitis likely"); otherwise it negates what
# follows ("CT excluded a bleed").
_BOTH_WAYS = frozenset({"ruled out", "excluded"})
_LINK_VERBS = frozenset({"was", "were", "is", "are", "has", "have", "had", "been", "now", "also", "since"})


def _said_after_a_concept(
    norms: list[str], condition_tok: list[bool], sent: list[int], i: int, n: int
) -> bool:
    if " ".join(norms[i : i + n]) not in _BOTH_WAYS:
        return False
    k = i - 1
    while k >= 0 and sent[k] == sent[i] and norms[k] in _LINK_VERBS and not condition_tok[k]:
        k -= 1
    return k >= 0 and sent[k] == sent[i] and condition_tok[k]


def _planned(norms: list[str], i: int, n: int) -> bool:
    """ "must be excluded", "to be ruled out": a test planned, which negates nothing (before or after it)."""
    return " ".join(norms[i : i + n]) in _BOTH_WAYS and i > 0 and norms[i - 1] == "be"


# "seizure-free", "pain free for a year": the condition said right before "free" is absent (not "free T4", not
# "free of …", which reads forwards)
_FREE_AFTER = re.compile(r"free\b(?![\s-]+(?:t3|t4|thyroxine|light|fatty|water|text|of)\b)", re.IGNORECASE)


def _free_of(text: str, at: int) -> bool:
    return _FREE_AFTER.match(text, at) is not None and text[max(0, at - 1) : at] in ("-", " ")
