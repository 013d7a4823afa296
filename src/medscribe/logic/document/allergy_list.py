"""The Allergies section, read from the transcript: each substance (a drug, a drug class such as "sulfa" or
"penicillins", or another allergen such as latex) with its reaction when said; and the drug classes of
``data/drug_classes.json`` (WHO ATC groups, source in the file) for the class-conflict check.

A list follows an allergy cue ("allergic to", "allergies:", "allergy to", "intolerant of", "reaction to", …) or
precedes "allergy" ("sulfa allergy"): substances joined by "," "and" "or" "/", each optionally followed by its
reaction ("(rash)", "causes hives", "gives her a rash", "- anaphylaxis", "with swelling"). The list stops at any
other word, so "allergic to penicillin continue amoxicillin" names one allergen. A denied allergy ("not
allergic to", "no known allergies") is no allergy. The reaction's words are the allergy's: never a Problem.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from medscribe.logic.document.allergy_cues import ALLERGY_AFTER, NEGATED_BEFORE, allergy_cues


@dataclass(frozen=True)
class Classes:
    aliases: dict[str, str]  # "sulfa" -> "sulfonamides"
    members: dict[str, frozenset[str]]  # "penicillins" -> {"amoxicillin", …}
    others: frozenset[str]
    reactions: frozenset[str]
    cross_reactive: dict[str, frozenset[str]] = field(
        default_factory=dict
    )  # "penicillins" -> {"cephalosporins"}
    # a pair that may cross-react only after one of these reactions: ("ace inhibitors", "angiotensin receptor
    # blockers") -> angio-oedema words
    cross_reactive_when: dict[tuple[str, str], re.Pattern[str]] = field(default_factory=dict)


@functools.cache
def classes() -> Classes:
    raw = json.loads(
        resources.files("medscribe.logic.document").joinpath("data", "drug_classes.json").read_text("utf-8")
    )
    aliases = {a.lower(): name for name, c in raw["classes"].items() for a in c["aliases"]}
    members = {name: frozenset(_key(m) for m in c["members"]) for name, c in raw["classes"].items()}
    cross: dict[str, set[str]] = {}
    for a, b in raw.get("cross_reactive", []):
        cross.setdefault(a, set()).add(b)
        cross.setdefault(b, set()).add(a)
    when: dict[tuple[str, str], re.Pattern[str]] = {}
    for entry in raw.get("cross_reactive_when", []):
        said = re.compile(rf"\b(?:{_alternation(entry['reactions'])})\b", re.I)
        a, b = entry["classes"]
        when[(a, b)] = when[(b, a)] = said
    return Classes(
        aliases,
        members,
        frozenset(raw["other_allergens"]),
        frozenset(raw["reactions"]),
        {c: frozenset(s) for c, s in cross.items()},
        when,
    )


def cross_reacts(prescribed: str, allergy: str | None, reaction_said: str) -> bool:
    """The class ``prescribed`` may cross-react with the class ``allergy`` (penicillins / cephalosporins always;
    ACE inhibitors / angiotensin receptor blockers only when ``reaction_said``, the allergy's reaction or the
    transcript, names angio-oedema: ``cross_reactive_when`` of the data)."""
    c = classes()
    if allergy is None:
        return False
    if allergy in c.cross_reactive.get(prescribed, ()):
        return True
    said = c.cross_reactive_when.get((prescribed, allergy))
    return said is not None and said.search(reaction_said) is not None


def _key(drug: str) -> str:
    """A drug name as compared: lower case, a hyphen as a space ("Co-amoxiclav" and the recogniser's "co
    amoxiclav" are one name)."""
    return " ".join(drug.lower().replace("-", " ").split())


def class_of(drug: str) -> str | None:
    """The class a drug name belongs to ("amoxicillin", "co amoxiclav" -> "penicillins"), or None."""
    key = _key(drug)
    return next((c for c, members in classes().members.items() if key in members), None)


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@functools.cache
def _substance_words() -> re.Pattern[str]:
    c = classes()
    return re.compile(rf"\b(?:{_alternation([*c.aliases, *c.others])})\b", re.IGNORECASE)


@functools.cache
def reaction_words() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alternation(list(classes().reactions))})\b", re.IGNORECASE)


_GLUE = re.compile(
    r"(?:\s|[,/&]|\b(?:and|or|also|both|plus|as\s+well\s+as|the|to|drugs?|medications?|meds|antibiotics?"
    r"|class)\b)*",
    re.IGNORECASE,
)
_HEADER_CUE = re.compile(r"\ballerg(?:y|ies)\b\s*(?:include[sd]?|are|is|:|-)?", re.IGNORECASE)
# "which gave him hives", "they cause wheeze", "it brings her out in a rash": the reaction's clause, whatever
# pronoun stands for the substance
_REACTION_SUBJECT = (
    r",?\s*(?:(?:which|that|they|it|these|this|both|all)\s+(?:(?:has|have|had|always|also)\s+)?)?"
)
_REACTION_LEAD = re.compile(
    rf"\s*(?:\(|[-\u2013\u2014:]|{_REACTION_SUBJECT}caus(?:es|ed|ing|e)|{_REACTION_SUBJECT}gives?\s+(?:her|him|them|me)"
    rf"|{_REACTION_SUBJECT}gave\s+(?:her|him|them|me)|,?\s*with|,?\s*(?:reaction|reactions)\s*(?:is|was|of|:)?"
    rf"|,?\s*(?:and\s+)?(?:was\s+)?treated\s+as|,?\s*resulting\s+in|{_REACTION_SUBJECT}leads?\s+to|{_REACTION_SUBJECT}led\s+to"
    rf"|{_REACTION_SUBJECT}(?:brings?|brought)\s+(?:her|him|them|me)\s+out\s+in"
    rf"|{_REACTION_SUBJECT}(?:made|makes?)\s+(?:her|him|them|me)(?:\s+(?:have|get|feel))?)"
    r"\s*(?:(?:a|an|bad|severe|mild|some)\s+)*",
    re.IGNORECASE,
)


@dataclass
class Allergen:
    substance: str
    name: str
    begin: int
    end: int
    reaction: str = ""
    reaction_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class AllergyReading:
    allergens: list[Allergen]
    regions: list[tuple[int, int]]  # the allergy statements: conditions inside them are reactions

    def covers(self, begin: int, end: int) -> bool:
        return any(b <= begin and end <= e for b, e in self.regions)


def read_allergies(
    text: str, medications: Sequence[tuple[int, int]], conditions: Sequence[tuple[int, int]]
) -> AllergyReading:
    """Allergens said in ``text`` (``medications`` / ``conditions``: the detected spans, used beside the
    word lists so either backend's detections count)."""
    found: dict[tuple[int, int], Allergen] = {}
    regions: list[tuple[int, int]] = []
    cues = sorted([*allergy_cues(text), *_HEADER_CUE.finditer(text)], key=lambda m: m.start())
    for cue in cues:
        if any(b <= cue.start() < e for b, e in regions):
            continue
        if NEGATED_BEFORE.search(text, max(0, cue.start() - 40), cue.start()) and not re.search(
            r"\b(?:except|other\s+than|apart\s+from|besides)\b",
            text[cue.start() : cue.end() + 12],
            re.IGNORECASE,
        ):
            continue
        caused = cue.groupdict().get("caused")
        if caused:  # "he had a rash with clopidogrel": the reaction came first; the substance named next only
            glue = _GLUE.match(text, cue.end())
            hit = _substance_at(text, glue.end() if glue else cue.end(), medications)
            if hit is not None:
                allergen = found.setdefault(hit, _allergen(text, *hit))
                allergen.reaction = allergen.reaction or caused.lower()
                allergen.reaction_spans = allergen.reaction_spans or [
                    (cue.start("caused"), cue.end("caused"))
                ]
                regions.append((cue.start(), hit[1]))
            continue
        end = _list(text, cue.end(), medications, conditions, found)
        if end > cue.end():
            regions.append((cue.start(), end))
    for after in ALLERGY_AFTER.finditer(text):
        before = text[: after.start()].rstrip()
        hit = _substance_ending_at(text, len(before), medications)
        if hit is None or NEGATED_BEFORE.search(text, max(0, hit[0] - 30), hit[0]):
            continue
        allergen = found.setdefault(hit, _allergen(text, *hit))
        end = _reaction(text, after.end(), conditions, [allergen])
        regions.append((hit[0], max(end, after.end())))
    return AllergyReading(sorted(found.values(), key=lambda a: a.begin), regions)


def _allergen(text: str, begin: int, end: int) -> Allergen:
    said = " ".join(text[begin:end].split())
    key = said.lower()
    return Allergen(substance=said, name=key, begin=begin, end=end)


def _substance_at(text: str, pos: int, medications: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    for b, e in medications:
        if b == pos:
            return b, e
    m = _substance_words().match(text, pos)
    return (m.start(), m.end()) if m else None


def _substance_ending_at(
    text: str, end: int, medications: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    for b, e in medications:
        if e == end:
            return b, e
    for m in _substance_words().finditer(text, max(0, end - 60), end):
        if m.end() == end:
            return m.start(), m.end()
    return None


def _listed(text: str, hit: tuple[int, int], medications: Sequence[tuple[int, int]]) -> bool:
    """A substance juxtaposed after a reaction ("codeine nausea latex", as a recogniser writes a list) goes
    on the list when it is a class or non-drug allergen word, or a drug with no amount after it (a drug
    followed by a dose is a prescription: "… causes hives prednisone 40 mg")."""
    if hit not in medications:
        return True
    return re.match(r"(?:\s+\S+){0,3}?\s+\d", text[hit[1] :]) is None


def _list(
    text: str,
    pos: int,
    medications: Sequence[tuple[int, int]],
    conditions: Sequence[tuple[int, int]],
    found: dict[tuple[int, int], Allergen],
) -> int:
    """Read the list after a cue from ``pos``; the end of what was read."""
    last = pos
    group: list[Allergen] = []
    after_reaction = False
    while True:
        glue = _GLUE.match(text, pos)
        start = glue.end() if glue else pos
        joined = re.search(r",|/|&|\b(?:and|or|plus)\b", text[pos:start]) is not None
        hit = _substance_at(text, start, medications)
        # a drug juxtaposed after a listed substance or its reaction, with its own dose, is a prescription line:
        # "allergic to statins atorvastatin 20 mg at night" (a recogniser's run-on) lists statins alone
        if (
            (after_reaction or group)
            and not joined
            and hit is not None
            and not _listed(text, hit, medications)
        ):
            break
        if hit is None:
            if group:
                end = _reaction(text, pos, conditions, group)
                if end > pos:
                    last = pos = end
                    group = []
                    after_reaction = True
                    continue
            break
        allergen = found.setdefault(hit, _allergen(text, *hit))
        group.append(allergen)
        after_reaction = False
        last = pos = hit[1]
        if re.match(r"\s*(?:allerg(?:y|ies)|intoleran(?:ce|t))\b", text[pos:], re.IGNORECASE):
            break
    return last


def _reaction(text: str, pos: int, conditions: Sequence[tuple[int, int]], group: Sequence[Allergen]) -> int:
    """A reaction said at ``pos`` for the allergens of ``group``; the end of what was read (``pos`` if none)."""
    lead = _REACTION_LEAD.match(text, pos)
    start = lead.end() if lead is not None else pos
    if start == pos:  # recogniser text: "codeine nausea"
        start = pos + len(text[pos:]) - len(text[pos:].lstrip())
    spans: list[tuple[int, int]] = []
    cursor = start
    while True:
        hit = next(((b, e) for b, e in conditions if b == cursor), None)
        if hit is None:
            m = reaction_words().match(text, cursor)
            hit = (m.start(), m.end()) if m else None
        if hit is None:
            break
        spans.append(hit)
        more = re.match(r"\s*(?:,|\band\b|\bor\b|/)\s*", text[hit[1] :])
        if more is None:
            cursor = hit[1]
            break
        cursor = hit[1] + more.end()
    if not spans:
        return pos
    end = spans[-1][1]
    close = re.match(r"\s*\)", text[end:])
    if close:
        end += close.end()
    words = ", ".join(" ".join(text[b:e].split()) for b, e in spans)
    for allergen in group:
        allergen.reaction = words
        allergen.reaction_spans = spans
    return end
