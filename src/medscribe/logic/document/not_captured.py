"""Nothing lost silently (issue 15 item 7): transcript words that name a drug or an allergy no draft item holds.

- ``medication_not_captured``: a transcript word that is a known drug name (``data/drug_names.txt`` and the LASA
  lists), or is close to one (stdlib :class:`difflib.SequenceMatcher` ratio >= :data:`FUZZY_MIN_RATIO`, words of
  at least :data:`FUZZY_MIN_LENGTH` letters, same first letter, not on ``data/not_drug_words.txt``), while no
  item of the draft holds that word or that name, is flagged POSSIBLE_MEDICATION_NOT_CAPTURED.
- ``allergy_not_captured``: "allergic/allergy to X", "X allergy", "X gave/causes (a) rash/hives/…", "reacts
  (badly) to X", "reaction to X", "intolerant of X", "sensitive to X", "cannot take X" (followed by a reaction)
  where X (or a word sharing its first :data:`STEM` letters) is not among the draft's allergies and is in no item,
  or only on the prescription draft, is flagged POSSIBLE_ALLERGY_NOT_CAPTURED; "no known (drug) allergies" /
  "NKDA" and a negated cue ("not allergic to", "no reaction to") raise nothing.

Fuzzy matching uses the standard library: the FilterEntities Lambda ships neither rapidfuzz nor a phonetic
library (rapidfuzz is a local-mode dependency only), and the guard must be the same on AWS and locally.
"""

from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from medscribe.logic.document.guard_data import drug_names, not_drug_words, tall_man
from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.document.susceptibility import organism_cue

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput

FUZZY_MIN_LENGTH = 6  # shorter words are too often an ordinary word one letter away from a drug name
FUZZY_MIN_RATIO = 0.86  # measured: docs/guards.md
FUZZY_MAX_LENGTH_GAP = 2
STEM = 5  # "penicillins" / "penicillin", "sulfonamides" / "sulfa..." share the first letters
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")


@functools.cache
def drug_match(word: str) -> str | None:
    """The drug name ``word`` is, or is close to (lower case), or None."""
    w = word.lower()
    names = drug_names()
    if w in names:
        return w
    if len(w) < FUZZY_MIN_LENGTH or w in not_drug_words():
        return None
    best, best_ratio = None, FUZZY_MIN_RATIO
    for name in names:
        if name[0] != w[0] or abs(len(name) - len(w)) > FUZZY_MAX_LENGTH_GAP:
            continue
        m = SequenceMatcher(None, w, name)
        if m.real_quick_ratio() < best_ratio or m.quick_ratio() < best_ratio:
            continue
        ratio = m.ratio()
        if ratio >= best_ratio:
            best, best_ratio = name, ratio
    return best


def medication_not_captured(inp: GuardInput) -> list[ReviewFlag]:
    held = inp.captured_words
    flags: list[ReviewFlag] = []
    seen: set[str] = set()
    for m in _WORD.finditer(inp.text):
        word = m.group(0).lower()
        name = drug_match(word)
        if name is None or word in held or name in held or name in seen:
            continue
        seen.add(name)
        said = f"“{m.group(0)}”" + ("" if name == word else f" (like {tall_man(name)})")
        flags.append(
            ReviewFlag(
                kind="POSSIBLE_MEDICATION_NOT_CAPTURED",
                subject=m.group(0),
                message=f"{said} is said in the transcript but is in no item of the draft: check "
                "whether a medication was missed",
                begin_offset=m.start(),
                end_offset=m.end(),
            )
        )
    return flags


_NO_ALLERGY = re.compile(
    r"\b(?:no\s+known\s+(?:drug\s+|medication\s+)?allergies|nkda|nka|no\s+(?:drug\s+)?allergies|"
    r"denies\s+(?:any\s+)?(?:drug\s+)?allergies)\b",
    re.IGNORECASE,
)
_FILLER = r"(?:(?:the|a|an|any|some|his|her|their|to|of)\s+)*"
# "co amoxiclav" (recogniser form of "co-amoxiclav"): the substance is the word after "co"
_AFTER = re.compile(
    rf"\ballerg(?:y|ies|ic)\s+(?:to|with)\s+{_FILLER}(?:co\s+)?(?P<s>[a-z][a-z'-]+)", re.IGNORECASE
)
# A second allergen joined to the first by "and to" / "or to" in the same sentence ("allergic to penicillin, which
# gives him a rash, and to plasters"; in a recogniser run the comma is gone and the part is one word)
_AND_TO = re.compile(
    rf"\ballerg(?:y|ies|ic)\s+(?:to|with)\s+[^.;]{{0,80}}?\b(?:and|or)\s+to\s+{_FILLER}(?P<s>[a-z][a-z'-]+)",
    re.IGNORECASE,
)
_BEFORE = re.compile(r"\b(?P<s>[a-z][a-z'-]+)\s+allerg(?:y|ies)\b", re.IGNORECASE)
_CAUSE = re.compile(
    r"\b(?P<s>[a-z][a-z'-]+)\s+(?:gave|gives|caused|causes|causing|triggers|triggered)\s+"
    rf"{_FILLER}(?:(?:him|her|them|me)\s+)?{_FILLER}"
    r"(?:rash|hives|swelling|anaphylaxis|itching|angioedema|wheezing)\b",
    re.IGNORECASE,
)
_REACTIONS = r"(?:rash|hives|swell\w*|anaphylaxis|itch\w*|angioedema|wheez\w*|vomit\w*|sick|diarrho?ea)"
# Other ways an allergy or intolerance is said ("reacts badly to amoxicillin", "intolerant of codeine", "cannot
# take ibuprofen because it gives her wheeze"): the substance must be a drug or an allergen class.
_OTHER = re.compile(
    r"\b(?:reacts?\s+(?:badly\s+|poorly\s+)?to|(?:bad\s+|adverse\s+|severe\s+)?reactions?\s+(?:to|with|from)"
    r"|intoleran(?:t|ce)\s+(?:of|to)|(?:hyper)?sensitiv(?:e|ity)\s+to)\s+"
    rf"{_FILLER}(?P<s>[a-z][a-z'-]+)",
    re.IGNORECASE,
)
_CANNOT = re.compile(
    r"\b(?:cannot|can't|can\s+not|unable\s+to)\s+(?:take|tolerate|have)\s+(?P<s>[a-z][a-z'-]+)"
    rf"(?=[^.;]{{0,50}}\b{_REACTIONS}\b)",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|no|never|denies|denied|nor|without)\s+(?:\w+\s+)?$", re.IGNORECASE)
# Allergen classes said before "allergy" ("sulfa allergy"); any drug name counts too.
ALLERGEN_CLASSES = frozenset(
    (
        "sulfa", "sulfonamide", "sulfonamides", "penicillin", "penicillins", "cephalosporin", "cephalosporins",
        "nsaid", "nsaids", "opioid", "opioids", "opiate", "opiates", "latex", "iodine", "contrast", "peanut",
        "peanuts", "shellfish", "egg", "eggs", "tetracycline", "tetracyclines", "macrolide", "macrolides",
        "quinolone", "quinolones", "statin", "statins", "ace",
    )
)  # fmt: skip
# Words before "allergy" that are not its substance ("drug allergy", "no allergy", "seasonal allergies").
_NOT_SUBSTANCE = frozenset(
    (
        "no", "known", "any", "drug", "drugs", "medication", "medications", "food", "seasonal", "environmental",
        "other", "new", "her", "his", "their", "an", "a", "the", "of", "its", "this", "that", "severe", "mild",
        "documented", "reported", "possible", "true", "it", "them", "something", "anything", "nothing",
    )
)  # fmt: skip


# The words of an allergen said after its first word, up to the clause's end ("allergic to iodinated contrast,
# which…", "allergic to sticking plaster which gave her…"): the flag quotes the allergen as said, not its first word
_ALLERGEN_MORE = re.compile(
    r"(?:[ \t]+(?!(?:which|that|and|or|but|so|as|causing|caused|causes|gave|gives|with|since|in|on|for|when|"
    rf"because|after|he|she|it|they|is|was|has|had|{_REACTIONS})\b)[a-z][a-z'-]+){{0,2}}",
    re.IGNORECASE,
)


def allergy_not_captured(inp: GuardInput) -> list[ReviewFlag]:
    """An allergy said whose substance is not among the draft's allergies: flagged when the substance is in no
    item, or only on the prescription draft (an allergen drafted as a prescription)."""
    held = inp.captured_words
    allergic = allergy_words(inp)
    prescribed = prescribed_words(inp)
    flags: list[ReviewFlag] = []
    seen: set[str] = set()
    for pattern in (_AFTER, _AND_TO, _BEFORE, _CAUSE, _OTHER, _CANNOT):
        for m in pattern.finditer(inp.text):
            substance = m.group("s").lower()
            if substance in _NOT_SUBSTANCE or substance in seen:
                continue
            if _NO_ALLERGY.search(inp.text, max(0, m.start() - 30), m.end()):
                continue
            if _NEGATED.search(inp.text[max(0, m.start() - 25) : m.start()]):
                continue  # "not allergic to", "no reaction to"
            if organism_cue(inp.text, m.start(), m.group(0)):
                continue  # "E. coli sensitive to X": a culture's result
            said_to = pattern is _AFTER or pattern is _AND_TO  # "allergic to <substance>": any substance
            if not said_to and substance not in ALLERGEN_CLASSES and drug_match(substance) is None:
                continue  # "has allergies", "the rash gave her hives": no substance named
            if _stem_in(substance, allergic):
                continue
            on_rx = _stem_in(substance, prescribed)
            if _stem_in(substance, held) and not on_rx:
                continue  # held by another section (Denied, a flag...)
            seen.add(substance)
            where = (
                "is on the prescription draft, not under Allergies" if on_rx else "is in no item of the draft"
            )
            end = m.end("s")
            # the message quotes the allergen's further words, as said; subject and offsets stay the match's
            if said_to or pattern is _OTHER:
                more = _ALLERGEN_MORE.match(inp.text, end)
                end = more.end() if more else end
            allergen = inp.text[m.start("s") : end]
            statement = inp.text[m.start() : max(end, m.end())]
            flags.append(
                ReviewFlag(
                    kind="POSSIBLE_ALLERGY_NOT_CAPTURED",
                    subject=m.group("s"),
                    message=f"allergy “{statement}” is said in the transcript but “{allergen}” {where}: "
                    "check the allergies",
                    begin_offset=m.start(),
                    end_offset=m.end(),
                )
            )
    return flags


def _stem_in(substance: str, words: frozenset[str] | set[str]) -> bool:
    return any(w == substance or w[:STEM] == substance[:STEM] for w in words if len(w) >= 3)


def prescribed_words(inp: GuardInput) -> frozenset[str]:
    """Words of the prescription draft's drug names."""
    return frozenset(w for row in inp.draft.prescriptions for w in _WORD.findall(row.name.lower()))


def allergy_words(inp: GuardInput) -> frozenset[str]:
    """Words of the draft's allergies: its Allergies items, allergy "never prescribe" notes, allergy flags."""
    d = inp.draft
    said = [f"{a.substance} {a.name}" for a in d.allergies]
    said += [n.name for n in d.not_taking if "ALLERG" in n.reason.upper()]
    said += [f.subject for f in d.flags if "ALLERG" in f.kind]
    return frozenset(w for s in said for w in _WORD.findall(s.lower()))
