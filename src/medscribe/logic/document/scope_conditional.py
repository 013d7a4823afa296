"""How far a conditional trigger reaches ("if …", "should X develop", "consider …", "watch for …", "query …"):
the condition, its consequence and where the words cannot decide. Read by :class:`.scope.TextScope`."""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TYPE_CHECKING

from medscribe.logic.document.relation_words import DOSED
from medscribe.logic.document.scope_marks import Mark
from medscribe.logic.document.scope_negation import closed_later
from medscribe.logic.document.scope_words import (
    ASKED_BEFORE,
    CONDITION_STATE,
    CONSEQUENCE_BEFORE,
    CONSEQUENCE_MODAL,
    DEVELOP_WORD,
    JOINED_BEFORE,
    NEW_CLAUSE,
    PAST_CLAUSE,
    PRESENT_CLAUSE,
    SAFETY_NET_MODAL,
    WATCH_GLUE,
)

if TYPE_CHECKING:
    from medscribe.logic.document.scope import TextScope


def scope_of(scope: TextScope, trigger: re.Match[str]) -> tuple[int, int, list[Mark], int]:
    """(reach, end of the condition's verb or -1, the instructions inside, where an undecidable stretch
    starts or -1) of one trigger."""
    text = scope.text
    asked = trigger["if"] and ASKED_BEFORE.search(text, max(0, trigger.start() - 24), trigger.start())
    if trigger["query"] or asked:  # "query X", "can cause X", "she wondered if …": the concepts named next
        return scope._named_next(trigger.end()), -1, [], -1
    after = scope.marks[bisect.bisect_left(scope._mark_ends, trigger.end() + 1) :]
    stops = [m for m in after if m.begin >= trigger.end() and m.kind in ("stop", "header")]
    limit = stops[0].begin if stops else len(text)
    develop = DEVELOP_WORD.search(text, trigger.end(), limit)
    if develop is not None and len(text[trigger.end() : develop.start()].split()) > 8:
        develop = None
    protasis = develop.end() if develop is not None and not trigger["watch"] else trigger.end()
    if develop is not None:  # "if she develops a fever": the condition runs on over its object
        obj = re.compile(r"\s+(?:(?:a|an|any|new|the|more|worse|worsening)\s+)*")
        gap = obj.match(text, protasis)
        start = gap.end() if gap is not None else protasis
        protasis = next((e for b, e in scope.concepts if b == start), protasis)
    window = [m for m in after if m.begin < limit]
    new_clause = [  # the condition's own subject ("if she spikes a temperature") starts no new clause
        m.begin
        for m in window
        if m.begin >= protasis
        and m.kind not in ("stop", "header", "action")
        and not (m.kind in ("pronoun", "patient") and not text[trigger.end() : m.begin].strip())
        # "if appendicitis is confirmed she'll need gentamicin": the consequence's subject, said with a modal
        and not (m.kind in ("pronoun", "patient") and CONSEQUENCE_MODAL.match(text, m.end))
        # "if the redness spreads or he gets a fever": joined by "or" / "and", no instruction since, the same if's
        and not (
            trigger["if"]
            and m.kind in ("pronoun", "patient")
            and JOINED_BEFORE.search(text, max(trigger.end(), m.begin - 8), m.begin)
            and not any(a.kind == "action" and trigger.end() <= a.begin < m.begin for a in window)
        )
    ]
    nets = [
        (m, said)
        for m in window
        if m.begin >= protasis
        and m.kind == "pronoun"
        and (said := SAFETY_NET_MODAL.match(text, m.end)) is not None
    ]
    if nets and (not new_clause or nets[0][0].begin <= new_clause[0]):
        # "… he should come back for oral antibiotics his type two diabetes …": the safety net's consequence
        # reaches what it is for, not the run-on after it
        new_clause = [_what_for(scope, nets[0][1])]
    first_new = NEW_CLAUSE.search(text, protasis, limit)
    limit = min([limit, *new_clause[:1], *([first_new.start()] if first_new else [])])
    past = PAST_CLAUSE.search(text, protasis, limit)
    if past is not None and text[protasis : past.start()].split():
        # "… then otex if still blocked her iron levels were normal": a clause said in the past tense after
        # the condition is a finding reported, not what the condition would bring
        limit = past.start()
    # a "consider" has no condition of its own: the state is searched from the instruction on
    state_now = PRESENT_CLAUSE.search(text, trigger.end() if trigger["consider"] else protasis, limit)
    if (
        state_now is not None
        and (
            trigger["consider"]
            or any(m.kind == "action" and protasis <= m.begin < state_now.start() for m in window)
            or any(t["consider"] for t in scope._triggers_before(protasis, state_now.start()))
        )
    ):  # "if the rejection recurs consider X her bowel disease is quiet": the instruction said, a state reported
        limit = state_now.start()
    actions = [m for m in window if trigger.end() <= m.begin < limit and m.kind == "action"]
    develop_end = develop.end() if develop is not None else -1
    state = CONDITION_STATE.match(text, trigger.end()) if trigger["if"] and develop is None else None
    if state is not None:  # "repeat in ten days if normal codeine …": the condition is said whole
        develop_end = state.end()
    if trigger["watch"]:  # "watch for chest pain", "to prevent stroke": the concepts named next; past the
        # list they name, a bare concept may be the list's or a new item ("to prevent stroke atorvastatin")
        reach = actions[0].begin if actions else limit
        named = scope._named_next(trigger.end(), WATCH_GLUE)
        return reach, -1, actions, (named if trigger.end() < named < reach else -1)
    if trigger["consider"]:  # "consider starting X": up to the next instruction
        later = [a for a in actions if a.begin > trigger.end() + 12]
        reach = later[0].begin if later else limit
        # "we may add indapamide bloods for cholesterol": a concept run on after the drug, nothing joining it:
        # the plan's or a new item (a recogniser's sentence end): unclear
        return reach, -1, actions, _after_the_drug(scope, trigger.end(), reach)
    before = CONSEQUENCE_BEFORE.search(text, scope._sentence_start(trigger.start()), trigger.start())
    consequence = [a for a in actions if a.begin >= protasis and a.text.lower() != "then"]
    if trigger["if"] and before is not None:  # "return if a rash appears": the consequence came first
        reach = consequence[0].begin if consequence else limit
        if not consequence:  # "… if her sugars stay high she will need insulin at bedtime folic acid …"
            return reach, develop_end, actions, _after_the_drug(scope, trigger.end(), reach)
    else:  # "if pain persists (then) start tramadol": the condition and its consequence
        reach = consequence[1].begin if len(consequence) > 1 else limit
        sentence = scope._sentence_start(trigger.start())
        instructed = [m.end for m in scope._marks_between(sentence, trigger.start()) if m.kind == "action"]
        # advice is an instruction too: "watch for a barking cough in case of croup continue beclometasone"
        instructed += [w.end() for w in scope._triggers_before(sentence, trigger.start()) if w["watch"]]
        run_on = _run_on_condition(scope, trigger.end(), reach) if trigger["if"] else -1
        if instructed and consequence and len(text[max(instructed) : trigger.start()].split()) <= 12:
            # an instruction just before "if" and one after it, no sentence end: whichever the condition
            # belongs to, the words cannot say
            return reach, develop_end, actions, _first(consequence[0].begin, run_on)
        if trigger["if"]:
            start = consequence[0].begin if consequence else trigger.end()
            drug = _after_the_drug(scope, start, reach)
            line = _drug_after_a_concept(scope, start, reach)
            if not consequence:
                line = _first(line, _own_line(scope, trigger.end(), reach))
            return reach, develop_end, actions, _first(drug, run_on, line)
    return reach, develop_end, actions, -1


def _what_for(scope: TextScope, said: re.Match[str]) -> int:
    """The end of a safety net's consequence ("come back" … "for oral antibiotics"): the concept it is for, said
    within five words after "for" / "with", or the consequence's verb itself."""
    i = bisect.bisect_left(scope.concepts, (said.end(), -1))
    if i < len(scope.concepts):
        begin, end = scope.concepts[i]
        gap = scope.text[said.end() : begin]
        if len(gap.split()) <= 5 and re.match(r"\s+(?:for|with)\b", gap, re.IGNORECASE):
            return end
    return said.end()


def _first(*offsets: int) -> int:
    """The first of the offsets where an undecidable stretch starts, -1 for none."""
    return min((at for at in offsets if at >= 0), default=-1)


def _run_on_condition(scope: TextScope, low: int, reach: int) -> int:
    """Where, in "if vomiting vitamin b12 level is low so start …", a second condition follows the condition's
    first with nothing between, said with a verb of its own (and no "and" / "or" closing a list after it): the
    condition's, or a new statement the recogniser ran on into? -1 when there is none."""
    first = bisect.bisect_left(scope.concepts, (low, -1))
    named = [c for c in scope.concepts[first : first + 2] if c[0] < reach]
    if len(named) < 2 or len(scope.text[low : named[0][0]].split()) > 3:
        return -1
    (first_begin, end), (begin, last_end) = named
    if scope.text[end:begin].strip() or closed_later(scope, begin):
        return -1
    if not (scope._holds_condition(first_begin, end) and scope._holds_condition(begin, last_end)):
        return -1  # a site or a test before the condition: one phrase
    if _OWN_VERB.search(scope.text, begin, min(len(scope.text), last_end + 12)) is None:
        return (
            -1
        )  # "in case of wound infection": one phrase; "vitamin b12 level is low": a statement of its own
    return begin


_OWN_VERB = re.compile(r"\b(?:is|are|was|were)\b", re.IGNORECASE)


def _drug_after_a_concept(scope: TextScope, low: int, reach: int) -> int:
    """Where a drug is named right after a concept that is no drug, nothing joining them ("if the fever lasts
    five days think of kawasaki disease saline drops as needed"): the condition's, or a new prescription line
    the recogniser ran on into? -1 when there is none."""
    drugs = set(scope.medications)
    first = bisect.bisect_left(scope.concepts, (low, -1))
    named = [c for c in scope.concepts[first:] if c[0] < reach]
    for (_, end), (begin, e) in itertools.pairwise(named):
        if (begin, e) in drugs and not scope.text[end:begin].strip() and not _is_drug_end(scope, end):
            return begin
    return -1


# a drug said with its own dose or schedule ("saline drops as needed", "paracetamol 1 g"): a prescription line
_OWN_SCHEDULE = re.compile(r"\s+(?:[a-z]+\s+)?(?:as|when)\s+(?:needed|required)\b", re.IGNORECASE)


def _own_line(scope: TextScope, low: int, reach: int) -> int:
    """Where, in an "if" with no instruction of its own and no comma after it, a drug is said with its own dose
    or schedule ("if the fever lasts five days think of kawasaki disease saline drops as needed"): the
    condition's consequence, or a new prescription line the recogniser ran on into? -1 when there is none."""
    for begin, end in scope.medications:
        own = DOSED.match(scope.text, end) or _OWN_SCHEDULE.match(scope.text, end)
        if low < begin < reach and "," not in scope.text[low:begin] and own:
            return begin
    return -1


def _is_drug_end(scope: TextScope, end: int) -> bool:
    return any(e == end for _, e in scope.medications)


# what may join a concept to the consequence's drug: its reason, a list, another clause of the consequence
_JOINS_DRUG = re.compile(
    r"[,;:]|\b(?:and|or|for|to|of|with|because|against|plus|if|until|unless|when|as)\b", re.I
)


_REASON_JOIN = re.compile(
    r"for|to|because|against|as", re.I
)  # what joins the drug's reason, not a second drug


def _after_the_drug(scope: TextScope, action: int, reach: int) -> int:
    """Where, after the consequence's drug ("if her sputum turns green start doxycycline 200 mg … daily"), a
    concept is named with nothing joining it ("… wheeze at the right base today", "… she will need insulin at
    bedtime folic acid 400 mcg daily"): the consequence's, or a new item the recogniser ran on into? -1 when
    there is none. A drug named again right after itself ("insulin humulin i") is the same drug."""
    drug = next(((b, e) for b, e in scope.medications if action < b < reach), None)
    if drug is None:
        return -1
    drugs = set(scope.medications)
    first = bisect.bisect_left(scope.concepts, (drug[1], -1))
    for b, e in scope.concepts[first:]:
        if b >= reach:
            return -1
        if (b, e) in drugs and not scope.text[drug[1] : b].strip():
            drug = (b, e)
            continue
        joins = list(_JOINS_DRUG.finditer(scope.text, drug[1], b))
        if not joins:
            return b
        # "consider melatonin for sleep sertraline 50 mg": "for" joins the reason said after it, not another drug
        # said after the reason's words with nothing joining it (a recogniser's lost sentence end): unclear
        if (
            (b, e) in drugs
            and _REASON_JOIN.fullmatch(joins[-1].group(0))
            and scope.text[joins[-1].end() : b].strip()
        ):
            return b
        return -1
    return -1
