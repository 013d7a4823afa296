"""Where a relation's clause ends in recogniser text (the relation part of :class:`.scope.TextScope`).

With no punctuation, "her partner … for his own asthma montelukast ten milligrams at night" would let the
partner reach every concept up to ``RELATION_REACH_WORDS`` words on. Besides the marks that end every subject
(a section header, an instruction, the patient as subject, a report: :mod:`.scope_marks`), three structures end
a relation's clause, as a negation's reach is ended (:mod:`.scope_negation`):

- **the relation speaks** ("dad says he is not sleeping", "her neighbour brought her in and mentioned she is on
  …"): what follows the reporting verb is what the relation says, and a pronoun there is the patient or the
  relation — the words cannot say which: drafted as the patient's, flagged ``SUBJECT_UNCLEAR``. Unless gender
  gives the pronoun to the speaker: "his wife says she's on Rybelsus" (the patient is "his"), "mum says he has
  a cough and she has pemphigoid", "grandma said he has her Seretide" stay the speaker's;
- **the clinician's plan** ("… takes pregabalin consider CBT if the anxiety persists"): "consider", "recommend"
  have the clinician as subject, about the patient: the patient's;
- **a new prescription line**: a drug said with a dose of its own after a concept of the relation's clause,
  joined to it by no conjunction and no verb of taking ("… his own asthma montelukast ten milligrams at night",
  "his son-in-law brings his insulin from the pharmacy Humalog 10 units"): a recogniser's next line or the
  relation's list — the words cannot say which: drafted as the patient's, flagged ``SUBJECT_UNCLEAR``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from medscribe.logic.document.relation_words import SAYS
from medscribe.logic.document.scope_words import any_of

if TYPE_CHECKING:
    from medscribe.logic.document.scope import TextScope

# the relation, a few words of its own ("brought her in and"), a reporting verb, then a pronoun as the subject of
# what is reported
SPEAKS = re.compile(
    rf"(?:\s+[\w'-]+){{0,6}}?\s+(?:{SAYS})\s+(?:that\s+)?(?P<pronoun>she|he|they)\b", re.IGNORECASE
)
PLANNED = re.compile(
    any_of(r"consider", r"recommend", r"recommended", r"suggest\s+(?:starting|trying)"), re.I
)
_NUMBER_WORD = (
    r"\d+(?:[.,/]\d+)*|zero|nought|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|point|and|a|half"
)
_NUMBER = rf"\b(?:{_NUMBER_WORD})\b(?:[\s-]+(?:{_NUMBER_WORD})\b)*"
# a drug followed by its own dose: "montelukast ten milligrams", "Humalog 10 units", "abidec drops 0.3 ml"
DOSED = re.compile(
    rf"\s+(?:[a-z]+\s+)?(?:{_NUMBER})\s*(?:mg|mcg|milligrams?|micrograms?|grams?|g|units?|ml|millilitres?"
    r"|puffs?|tablets?|capsules?|sachets?|drops)\b",
    re.IGNORECASE,
)
FEMALE = frozenset({"mother", "mom", "mum", "sister", "aunt", "grandmother", "grandma", "nan", "nanna", "daughter",
                    "niece", "wife", "girlfriend", "fiancee"})  # fmt: skip
MALE = frozenset({"father", "dad", "brother", "uncle", "grandfather", "grandpa", "grandad", "son", "nephew", "husband",
                  "boyfriend", "fiance"})  # fmt: skip
POSSESSIVE = {"her": "she", "his": "he"}
# "his wife", "with his father dad": the patient's possessive before the relation gives the patient's gender
PATIENT_POSSESSIVE = re.compile(r"\b(?P<own>his|her)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
OWNER_BEFORE = re.compile(r"\b(?P<own>his|her)\s+$", re.IGNORECASE)
# what joins a drug to the relation's clause: a conjunction or a verb of taking ("and takes pregabalin …")
JOINED = re.compile(
    r",|\b(?:and|or|nor|also|plus|takes?|took|taking|on|uses?|used|using|with|including)\b", re.I
)


@dataclass(frozen=True)
class Ended:
    """The relation's clause ended before the mention: ``unclear`` when the words leave whose it is open."""

    unclear: bool
    speaker: str = ""  # the relation who speaks ("dad" of "dad says he …")


def ended(scope: TextScope, relation: str, span: tuple[int, int], begin: int) -> Ended | None:
    """How the clause of ``relation`` (said at ``span``) ended before the mention at ``begin``, or None."""
    text = scope.text
    low = span[1]
    said = SPEAKS.match(text, low)
    if said is not None and said.end() <= begin and not _speaker_own(text, relation, span[0], said, begin):
        return Ended(True, relation)
    if PLANNED.search(text, low, begin):
        return Ended(False)
    if _new_prescription_line(scope, low, begin):
        return Ended(True)
    return None


def _speaker_own(text: str, relation: str, start: int, said: re.Match[str], begin: int) -> bool:
    """The pronoun after the reporting verb, or one said later, or a possessive right before the mention, is the
    speaker's own by gender: "his wife says she's on Rybelsus herself" (the patient is "his"), "mum says he has
    a cough and she has pemphigoid", "grandma said he sometimes has her Seretide"."""
    speaker = _gender(relation)
    if speaker is None:
        return False
    pronoun = said["pronoun"].lower()
    if pronoun == speaker:
        patient = PATIENT_POSSESSIVE.search(text, max(0, start - 30), start)
        return patient is not None and POSSESSIVE[patient["own"].lower()] != speaker
    later = {p.lower() for p in re.findall(r"\b(?:she|he)\b", text[said.end() : begin], re.IGNORECASE)}
    own = OWNER_BEFORE.search(text, max(0, begin - 8), begin)
    return speaker in later or (own is not None and POSSESSIVE[own["own"].lower()] == speaker)


def _gender(relation: str) -> str | None:
    word = relation.lower().split()[-1]
    return "she" if word in FEMALE else "he" if word in MALE else None


def _new_prescription_line(scope: TextScope, low: int, begin: int) -> bool:
    drug = next((e for b, e in scope.medications if b == begin), None)
    if drug is None or DOSED.match(scope.text, drug) is None:
        return False
    first = bisect.bisect_left(scope.concepts, (low, -1))
    before = [c for c in scope.concepts[first:] if c[1] <= begin]
    if not before:  # "her husband is on warfarin 5 mg": the relation's own clause
        return False
    return JOINED.search(scope.text, before[-1][1], begin) is None
