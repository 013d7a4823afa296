"""An allergen taken back while dictating ("Penicillin allergy, sorry, I mean amoxicillin allergy", "allergic to
codeine, no, sorry, tramadol"): as a drug name taken back (:mod:`.selfcorrect`), the later allergen is the one
drafted and the earlier one is not listed; the later one is flagged ``SELF_CORRECTION`` naming both, so the
reader can check the correction.

Only a plain retraction cue says it (``selfcorrect_cues.PLAIN_CUE``: "sorry", "I mean", "scratch that", "wait";
not a bare "no", which also negates: "allergic to penicillin, no codeine allergy"), with nothing between the two
allergens but the cue, the allergy words of the statement ("allergy", "allergic to", "she is") and fillers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.allergy_cues import ALLERGY_AFTER, NO_KNOWN_ALLERGIES, allergy_cues
from medscribe.logic.document.allergy_list import Allergen
from medscribe.logic.document.context import DraftContext
from medscribe.logic.document.selfcorrect_cues import CUE, FILLER, PLAIN_CUE

# the words of an allergy statement said again after the cue, and the glue of a correction
_STATEMENT = re.compile(
    r"\b(?:allerg(?:y|ies|ic)(?:\s+to)?|(?:she|he|they)\s+(?:is|are|was|were|has|had)|(?:she|he|they)['\u2019]s|is|was"
    r"|to|that|it|it['\u2019]s|actually|an?|the|reaction|intolerance|intolerant(?:\s+to)?)\b",
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[\s,;:.\u2013\u2014-]*")
# a list's own words; between two of its members a list word or a comma is said ("tramadol paracetamol 1 g", a
# recogniser's run-on, is two statements)
_LIST = re.compile(r"(?:[\s,/&]|\b(?:and|or|also|plus|as\s+well\s+as)\b)*", re.IGNORECASE)
_LIST_WORD = re.compile(r"\b(?:and|or|also|plus|as\s+well\s+as)\b", re.IGNORECASE)
_JOINED = re.compile(r"\s*(?:,|/|&|\band\b|\bor\b|\balso\b|\bplus\b|\bas\s+well\s+as\b)", re.IGNORECASE)
# a dose said right after a drug: a prescription's, not a list's member ("tramadol paracetamol 1 g")
_DOSED = re.compile(
    r"[\s,]+(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|half)\b)",
    re.IGNORECASE,
)
_NAMED = re.compile(r"\b(?:not|no)\s*$", re.IGNORECASE)  # "sorry, not codeine": the one taken back, named


def taken_back(
    ctx: DraftContext, allergens: list[Allergen], medications: Sequence[tuple[int, int]]
) -> tuple[list[Allergen], list[Allergen]]:
    """(the allergens taken back, the allergens said as the correction): the first are no allergy (each later one
    is flagged naming what it replaces); a drug said after the cue that the allergy reader did not list ("allergic
    to codeine, sorry, I mean tramadol") is a corrected allergen, added to ``allergens``.

    A correction applies to the list of allergens said right before its cue (:func:`_list_before`) and names its
    replacement in the list said right after it (:func:`_list_after`):

    - an allergen of the list named again after a negation ("penicillin and codeine, sorry, not codeine, it was
      tramadol"): that one is taken back (its repeat too), the list after the cue replaces it;
    - one allergen before the cue, or a list said again after it ("aspirin and ibuprofen. Sorry, I mean aspirin
      and naproxen"): the list after the cue is the list — what it leaves out is taken back, what it adds is new;
    - several before and one after, none named: the nearest, as a drug name taken back (the flag names both)."""
    gone: list[Allergen] = []
    said: list[Allergen] = []
    listed = {(a.begin, a.end): a for a in allergens}
    spans = sorted({*listed, *medications})
    done = 0
    for cue in PLAIN_CUE.finditer(ctx.text):
        if cue.start() < done:
            continue  # "sorry, scratch that": one correction's second cue
        old = _list_before(ctx.text, spans, listed, cue.start())
        named, new = _list_after(ctx.text, spans, cue.end(), {_name(ctx.text, s) for s in old})
        if not old or not new:
            continue
        done = new[-1][1]
        new_names = {_name(ctx.text, s) for s in new}
        if named:
            out = [s for s in old if _name(ctx.text, s) in {_name(ctx.text, n) for n in named}]
        elif len(old) == 1 or len(new) > 1:
            out = [s for s in old if _name(ctx.text, s) not in new_names]
        else:
            out = [old[-1]]
        added = [s for s in new if _name(ctx.text, s) not in {_name(ctx.text, o) for o in old}]
        if not out and not added:
            continue  # the same list said again
        gone += [_allergen(ctx.text, s, listed) for s in (*out, *named)]
        for s in new:
            if s not in listed:
                if s not in added:
                    said.append(_allergen(ctx.text, s, listed))
                    continue  # said again, listed before the cue already
                a = _allergen(ctx.text, s, listed)
                allergens.append(a)
                listed[s] = a
            said.append(listed[s])
        was = " and ".join(" ".join(ctx.text[b:e].split()) for b, e in out) or "the list"
        words = " ".join(" ".join(PLAIN_CUE.findall(ctx.text, cue.start(), done)).split())
        for s in added:
            sub = " ".join(ctx.text[s[0] : s[1]].split())
            ctx.flag(
                "SELF_CORRECTION",
                f"{was} → {sub}",
                f"{was} → {sub}: allergen corrected while dictating (“{words}”): {was} is not listed as an "
                "allergy, check",
                begin=s[0],
                end=s[1],
            )
    allergens.sort(key=lambda a: a.begin)
    return gone, said


def _name(text: str, span: tuple[int, int]) -> str:
    return " ".join(text[span[0] : span[1]].lower().split())


def _allergen(text: str, span: tuple[int, int], listed: dict[tuple[int, int], Allergen]) -> Allergen:
    if span in listed:
        return listed[span]
    return Allergen(" ".join(text[span[0] : span[1]].split()), _name(text, span), span[0], span[1])


def _bare(gap: str) -> bool:
    """Only cue words, the allergy statement's own words, fillers and punctuation in ``gap``."""
    rest = FILLER.sub(" ", _STATEMENT.sub(" ", CUE.sub(" ", gap)))
    return _PUNCTUATION.fullmatch(rest) is not None


def _member(gap: str) -> bool:
    """``gap`` joins two members of one list: only list words, one of them said."""
    return _LIST.fullmatch(gap) is not None and _JOINED.match(gap) is not None


def _list_before(
    text: str, spans: Sequence[tuple[int, int]], listed: dict[tuple[int, int], Allergen], at: int
) -> list[tuple[int, int]]:
    """The listed allergens said right before ``at`` (a cue), joined by list words, nearest last."""
    old: list[tuple[int, int]] = []
    end = at
    for span in reversed([s for s in spans if s[1] <= at]):
        gap = text[span[1] : end]
        if span not in listed or not (_member(gap) if old else _bare(gap)):
            break
        old.insert(0, span)
        end = span[0]
    return old


def _list_after(
    text: str, spans: Sequence[tuple[int, int]], at: int, old_names: set[str]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(the old allergens named again after a negation, the list said after the cue at ``at``)."""
    named: list[tuple[int, int]] = []
    new: list[tuple[int, int]] = []
    pos = at
    for span in (s for s in spans if s[0] >= at):
        gap = text[pos : span[0]]
        if not new and _name(text, span) in old_names and _NAMED.search(gap) and _bare(_NAMED.sub(" ", gap)):
            named.append(span)  # "sorry, not codeine": the allergen taken back, named
        elif (_member(gap) if new else _bare(gap)) and not _DOSED.match(text, span[1]):
            new.append(span)
        else:
            break
        pos = span[1]
    return named, new


_CUE_REACH = 3  # characters between an allergy cue's end and the substance ("allergic to codeine")


def said_as_allergen(text: str, begin: int, end: int) -> bool:
    """The drug at ``[begin, end)`` is said as an allergen: an allergy cue right before it ("allergic to X",
    "allergies: X") or an allergy word right after it ("X allergy")."""
    before = allergy_cues(text, max(0, begin - 40), begin)
    if before and begin - before[-1].end() <= _CUE_REACH:
        return True
    return ALLERGY_AFTER.match(text, end + 1) is not None and not text[end : end + 1].strip()


# an allergy heading said without its colon (a recogniser's "allergies penicillin and codeine"), not "no allergies"
_HEADING = re.compile(r"(?<!\bno\s)(?<!\bknown\s)\ballergies\b", re.IGNORECASE)
_STATEMENT_REACH = 160  # characters back from a drug where its allergy statement's cue may be said


def in_allergy_statement(text: str, begin: int, drugs: Sequence[tuple[int, int]]) -> bool:
    """The drug at ``begin`` is a member of an allergy list ("allergic to penicillin and codeine, …": the drugs
    right after an allergy cue, joined by list words) or, after a correction cue that follows such a list, an
    allergen of it named again after a negation ("…, sorry, not codeine"): a correction there is the allergy
    list's (:func:`taken_back`), not a drug name's."""
    low = max(0, begin - _STATEMENT_REACH)
    cues = [m.end() for m in allergy_cues(text, low, begin)] + [
        m.end() for m in _HEADING.finditer(text, low, begin)
    ]
    if not cues:
        return False
    pos = max(cues)
    members: list[str] = []
    for b, e in sorted(d for d in drugs if pos <= d[0] <= begin):
        gap = text[pos:b]
        if b == begin:
            if _member(gap) if members else not gap.strip(" :,\u2013\u2014-"):
                return True
            named = _NAMED.search(gap)
            return bool(named and PLAIN_CUE.search(gap) and _bare(_NAMED.sub(" ", gap)) and members) and (
                _name(text, (b, e)) in members
            )
        if not (_member(gap) if members else not gap.strip(" :,\u2013\u2014-")):
            return False
        members.append(_name(text, (b, e)))
        pos = e
    return False


def replaced_in_list(text: str, begin: int, cue_end: int, drugs: Sequence[tuple[int, int]]) -> bool:
    """The drug at ``begin``, a member of an allergy list, is taken back by a cue ending at ``cue_end`` and another
    allergen is said after it ("allergic to X and Y, scratch that, not Y, it was Z"): :func:`taken_back` reads it."""
    if not in_allergy_statement(text, begin, drugs):
        return False
    said = {_name(text, d) for d in drugs if begin - _STATEMENT_REACH <= d[0] <= begin}  # the list's names
    return bool(_list_after(text, sorted(drugs), cue_end, said)[1])


# "no known drug allergies, sorry, scratch that, he is allergic to …": the statement taken back by a cue said right
# after it, and an allergy said after the cue
_RETRACTED_AFTER = 80  # characters after the cue where the allergy said instead may begin


def no_known_allergies_said(text: str) -> str | None:
    """The "NKDA" / "no known drug allergies" statement of the transcript, unless the words take it back: a plain
    correction cue right after it (only punctuation and fillers between) and an allergy cue after that."""
    for m in NO_KNOWN_ALLERGIES.finditer(text):
        cue = PLAIN_CUE.search(text, m.end(), m.end() + 30)
        if cue is None or not _bare(text[m.end() : cue.start()]):
            return m.group(0)
        after = cue.end() + _RETRACTED_AFTER
        if not (allergy_cues(text, cue.end(), after) or ALLERGY_AFTER.search(text, cue.end(), after)):
            return m.group(0)
    return None
