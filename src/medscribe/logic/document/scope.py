"""Who a mention is about, whether it is conditional, and whether a negation reaches it — read from the
transcript's words, so the draft is right whichever backend detected the entities (Comprehend Medical's traits
are used too, by the callers: a trait can add a qualifier, never take one away).

Recogniser text has no punctuation, so nothing here depends on periods; sentence ends and commas only help.

- **Subject**: a family member ("mother", "sister", …) or another person ("husband", "friend", …) as the
  subject of the mention's clause, or a "family history" header before it, makes the mention theirs; where a
  relation's clause ends is read once, by :mod:`.scope_subject`.
- **Conditional**: "if …", "return if …", "should X develop", "unless", "in case", "consider", "may start",
  "watch for", "to prevent", … . The scope of "if" covers the condition and its consequence ("if pain persists
  start tramadol"); after a consequence already said ("return if a rash appears") it ends at the next
  instruction. A mention after the condition with no instruction between is flagged as unclear.
- **Negation**: a cue ("denies", "no", "without", "negative for", …) reaches the concepts after it while they
  are coordinated with it ("," "and" "or" "nor" "/", or plain juxtaposition as recognisers write lists); a
  reporting verb, "but", "has", "with", an instruction, a new subject ends it. A juxtaposed concept followed by
  an exam or state word ("wheeze on exam", "hypertension well controlled") is undecidable: unclear.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from medscribe.logic.document import answered, scope_conditional, scope_negation, scope_subject
from medscribe.logic.document.evidence import merge_spans, word_end
from medscribe.logic.document.relation_words import OWNED_BY, RELATION
from medscribe.logic.document.scope_marks import Mark, read_marks
from medscribe.logic.document.scope_negation import Negation
from medscribe.logic.document.scope_subject import Subject
from medscribe.logic.document.scope_words import (
    CONDITION_AFTER,
    CONSEQUENCE_AFTER,
    CONSEQUENCE_BEFORE,
    CONSEQUENCE_MODAL,
    DEVELOP_WORD,
    INITIATION_BEFORE,
    NEGATION_CUE,
    PLAN_AFTER,
    PLAN_CONDITION,
    POSSIBILITY_AFTER,
    PRESUPPOSED,
    QUERY_GLUE,
    SAFETY_NET_MODAL,
    TRIGGER,
)

MODAL_CONSEQUENCE = re.compile(rf"\b(?:she|he|they|you|we|i)(?:{SAFETY_NET_MODAL.pattern})", re.IGNORECASE)


@dataclass(frozen=True)
class Scope:
    subject: Subject = "patient"
    relation: str = ""  # "sister", "husband", "family history"
    subject_unclear: bool = False
    reported_by: str = (
        ""  # "daughter": the relation was spoken of by this one ("the daughter says her mother …")
    )
    conditional: str = ""  # the words that make it conditional ("return if a rash appears")
    conditional_unclear: bool = False
    negation: Negation = "none"
    negation_cue: str = ""
    subject_why: str = ""  # why whose is open, when the words name it ("said as a new dosed line after …")


class TextScope:
    """The scope reader of one transcript; ``concepts`` are the clinical concepts' spans (entities)."""

    def __init__(
        self,
        text: str,
        concepts: Sequence[tuple[int, int]] = (),
        drugs: Sequence[tuple[int, int]] = (),
        conditions: Sequence[tuple[int, int]] = (),
    ):
        self.text = text
        self.concepts = sorted(merge_spans(concepts))
        self.conditions = sorted(conditions)  # MEDICAL_CONDITION spans: what a cue said after them may negate
        self._drug_starts = {b for b, _ in drugs}
        self.medications = sorted(drugs)  # their spans: a condition after another drug is not the first's
        self.marks = sorted(read_marks(text), key=lambda m: (m.begin, m.end))
        # Read once, looked up by offset (bisect): a long unpunctuated transcript stays linear.
        self._mark_ends = [m.end for m in self.marks]
        self._stop_ends = [m.end for m in self.marks if m.kind == "stop"]
        self._triggers = list(TRIGGER.finditer(text))
        self._trigger_ends = [t.end() for t in self._triggers]
        self._cues = list(NEGATION_CUE.finditer(text))
        self._cue_ends = [c.end() for c in self._cues]
        self._reaches: dict[int, tuple[int, int, list[Mark], int]] = {}
        self.answers = answered.answers(text, self.concepts)  # "Still on X? No.": :mod:`.answered`

    # ---- who ---------------------------------------------------------------------------------------------
    def subject(self, begin: int) -> tuple[Subject, str, bool, str]:
        """(whose, the relation, unclear, who spoke of it: "daughter" of "the daughter says her mother …"):
        :func:`.scope_subject.subject`."""
        subject, relation, unclear, reported_by, _ = scope_subject.subject(self, begin)
        return subject, relation, unclear, reported_by

    def object_relation(self, begin: int) -> str:
        """A relation named earlier in ``begin``'s sentence (the caller's words chose the patient as subject, so
        the relation is an object: "seen with her mother for a cough", an owner of another noun: "her
        mother's furosemide for ankle swelling", or one whose clause ended: "her brother has … check …");
        "" when there is none."""
        start = self._sentence_start(begin)
        low = max(start, begin - 200)
        for m in reversed(list(RELATION.finditer(self.text, low, begin))):
            if not re.match(r"\s+of\b", self.text[m.end() :]):  # "a mother of two" names nobody
                return m.group(0).lower().removesuffix("'s")
        return ""

    # ---- when and whether --------------------------------------------------------------------------------
    def conditional(self, begin: int, end: int) -> tuple[str, bool]:
        """(the conditional phrase, unclear) when a trigger's scope holds ``[begin, end)``; ("", False)."""
        start = self._sentence_start(begin)
        for trigger in reversed(self._triggers_before(start, begin)):
            if trigger["if"] and self._doubts(trigger.start(), begin, end):
                continue  # "not sure if she had a fever": the doubt's "if" asks, it sets no condition
            reach, unclear = self._reach(trigger, begin)
            if begin < reach:
                if (trigger["if"] or trigger["should"]) and PRESUPPOSED.fullmatch(
                    self.text[trigger.end() : begin] + "#" + self.text[end : end + 40].split(".")[0]
                ):
                    return "", False  # "if her COPD flares", "if the pain persists": it is there now
                head = trigger.start()
                before = CONSEQUENCE_BEFORE.search(self.text, start, trigger.start())
                if before is not None and trigger["if"]:
                    head = before.start()
                return self._phrase(head, end), unclear
        possible = POSSIBILITY_AFTER.match(self.text, end)
        if possible is not None:  # "hypothyroidism can occur with lithium"
            return " ".join(self.text[begin : possible.end()].split()), False
        plan = self._plan_after(begin, end)
        return (plan, False) if plan else self._condition_after(begin, end)

    def _doubts(self, at: int, begin: int, end: int) -> bool:
        """The words at ``at`` belong to the doubt's cue that reaches ``[begin, end)`` (:mod:`.scope_negation`)."""
        i = bisect.bisect_right(self._cue_ends, begin)
        if (
            not i
            or not self._cues[i - 1]["uncertain"]
            or not self._cues[i - 1].start() <= at < self._cue_ends[i - 1]
        ):
            return False
        return self.negation(begin, end)[0] == "uncertain"

    def _plan_after(self, begin: int, end: int) -> str:
        """ "X to be considered", "X should be started in case of Y", "X only in case of Y": its words, or ""."""
        m = PLAN_AFTER.match(self.text, end)
        if (
            m is None
            or re.search(r"[.;:!?]", m["gap"])
            or self._concept_between(end, m.start("gap") + len(m["gap"]))
        ):
            return ""
        if m["verb"]:
            return " ".join(self.text[begin : m.end()].split())
        cond = PLAN_CONDITION.match(self.text, m.end())  # "only in case of …", "only if …": next
        if cond is None and m["start"].lower() != "only":  # "to be started should the fever persist"
            cond = PLAN_CONDITION.search(self.text, m.end(), word_end(self.text, m.end(), 3))
        if cond is None:
            return ""
        return " ".join(self.text[begin : word_end(self.text, cond.end(), 4)].split())

    def _concept_between(self, low: int, high: int) -> bool:
        i = bisect.bisect_left(self.concepts, (low, -1))
        return i < len(self.concepts) and self.concepts[i][0] < high

    def _condition_after(self, begin: int, end: int) -> tuple[str, bool]:
        """ "start X … if …" (no instruction between): the start is conditional; (its words, unclear) or ("",
        False). Unclear when the condition has a consequence of its own after it with no sentence end between
        ("start sertraline … should her mood worsen the crisis team is to be contacted")."""
        if INITIATION_BEFORE.search(self.text, max(0, begin - 40), begin) is None:
            return "", False
        stop = (
            self._stop_ends[bisect.bisect_right(self._stop_ends, end)] if self._has_stop_after(end) else None
        )
        window = word_end(self.text, end, 14)
        high = min(window, stop if stop is not None else window)
        cond = CONDITION_AFTER.search(self.text, end, high)
        if cond is None or self._said_with_other_drug(end, cond.start()):
            return "", False
        if any(
            m.kind in ("action", "header", "patient", "pronoun") and end <= m.begin < cond.start()
            for m in self._marks_between(end, cond.start())
        ):
            return "", False  # "start bisoprolol … he denies syncope if the test …": a new clause before it
        head = INITIATION_BEFORE.search(self.text, max(0, begin - 40), begin)
        assert head is not None
        tail = word_end(self.text, cond.end(), 5)
        after = min(word_end(self.text, cond.end(), 14), stop if stop is not None else len(self.text))
        own = CONSEQUENCE_AFTER.search(self.text, word_end(self.text, cond.end(), 2), after) or (
            CONSEQUENCE_MODAL.search(
                self.text, word_end(self.text, cond.end(), 2), after
            )  # "she will need X"
        )
        # "add brinzolamide … to the right eye only if the right pressure is still above 21 in three months
        # consider laser": an option named after the condition may be its own consequence
        option = any(t["consider"] and cond.end() <= t.start() < after for t in self._triggers)
        return " ".join(self.text[head.start() : min(tail, high)].split()), own is not None or option

    def _said_with_other_drug(self, low: int, high: int) -> bool:
        """Another drug, with words of its own, is named between a started drug and a condition after it."""
        named = [b for b, e in self.medications if low <= b and e <= high]
        return bool(named) and re.fullmatch(r"[\s,]*(?:(?:and|or)\s+)?", self.text[low : named[0]]) is None

    def _has_stop_after(self, offset: int) -> bool:
        return bisect.bisect_right(self._stop_ends, offset) < len(self._stop_ends)

    def _marks_between(self, low: int, high: int) -> list[Mark]:
        return self.marks[
            bisect.bisect_left(self._mark_ends, low) : bisect.bisect_right(self._mark_ends, high)
        ]

    def ended_condition(self, begin: int) -> str:
        """A conditional trigger earlier in the sentence whose reach ended before ``begin`` (its words), or
        "": a backend's HYPOTHETICAL trait on such a mention disagrees with the words."""
        triggers = self._triggers_before(self._sentence_start(begin), begin)
        return triggers[-1].group(0) if triggers else ""

    def _triggers_before(self, start: int, begin: int) -> list[re.Match[str]]:
        low = bisect.bisect_left(self._trigger_ends, start)
        high = bisect.bisect_right(self._trigger_ends, begin)
        return [t for t in self._triggers[low:high] if t.start() >= start]

    def _reach(self, trigger: re.Match[str], begin: int) -> tuple[int, bool]:
        """Where the trigger's scope ends, and whether ``begin`` lies after its condition without an
        instruction between (the words cannot say whether the mention belongs to it)."""
        if trigger.start() not in self._reaches:
            self._reaches[trigger.start()] = self._scope_of(trigger)
        reach, develop_end, actions, after = self._reaches[trigger.start()]
        unclear = False
        if 0 <= develop_end <= begin < reach:
            between = [a for a in actions if develop_end <= a.begin < begin]
            # "… or he gets a temperature he should come back for oral antibiotics": the consequence said with
            # its subject and a modal is the condition's own, as an instruction is
            said = MODAL_CONSEQUENCE.search(self.text, develop_end, begin)
            unclear = not between and said is None and "," not in self.text[develop_end:begin]
        if 0 <= after <= begin < reach:  # "start X if Y continue Z": Z's instruction may be Y's or not
            unclear = True
        return reach, unclear

    def _scope_of(self, trigger: re.Match[str]) -> tuple[int, int, list[Mark], int]:
        """(reach, end of the condition's verb or -1, the instructions inside, where an undecidable stretch
        starts or -1) of one trigger (:func:`.scope_conditional.scope_of`)."""
        return scope_conditional.scope_of(self, trigger)

    def _named_next(self, low: int, glue: re.Pattern[str] = QUERY_GLUE) -> int:
        """The end of the concept named just after ``low`` (within three words) and of those joined to it by
        "," "or" "/" "versus"; ``low`` when no concept follows."""
        reach = low
        for b, e in self.concepts[bisect.bisect_left(self.concepts, (low, -1)) :]:
            gap = self.text[reach:b]
            first = reach == low
            if (first and len(gap.split()) > 3) or (not first and glue.fullmatch(gap) is None):
                break
            if not first and glue is QUERY_GLUE and not self._holds_condition(b, e):
                break  # "query fractured neck of femur, X-ray pending": a query names diagnoses, not tests
            if first and re.search(r"[.;:!?]", gap):
                break
            reach = e
        return reach

    def _holds_condition(self, begin: int, end: int) -> bool:
        i = bisect.bisect_left(self.conditions, (begin, -1))
        return i < len(self.conditions) and self.conditions[i][1] <= end

    def _phrase(self, head: int, end: int) -> str:
        tail = DEVELOP_WORD.match(self.text, end + 1) if end < len(self.text) else None
        stop = tail.end() if tail is not None else end
        return " ".join(self.text[head:stop].split())

    def _sentence_start(self, offset: int) -> int:
        i = bisect.bisect_right(self._stop_ends, offset)
        return self._stop_ends[i - 1] if i else 0

    # ---- negation ----------------------------------------------------------------------------------------
    def negation(self, begin: int, end: int) -> tuple[Negation, str]:
        """Whether a negation cue before ``[begin, end)`` reaches it (:func:`.scope_negation.negation`)."""
        return scope_negation.negation(self, begin, end)

    def at(self, begin: int, end: int) -> Scope:
        subject, relation, unclear, reported_by, why = scope_subject.subject(self, begin)
        if (owner := OWNED_BY.match(self.text, end)) is not None:  # "the quetiapine belongs to the flatmate"
            subject = "family" if owner["family"] or owner["family_s"] or owner["family_w"] else "other"
            relation, unclear, reported_by, why = next(w for w in owner.groups() if w).lower(), False, "", ""
        conditional, cond_unclear = self.conditional(begin, end)
        negation, cue = self.negation(begin, end)
        return Scope(subject, relation, unclear, reported_by, conditional, cond_unclear, negation, cue, why)
