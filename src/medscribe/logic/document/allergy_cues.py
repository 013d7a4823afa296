"""The words that make a drug an allergen: a cue before it ("allergic to", "reaction to", "had a rash with"), after
it ("penicillin allergy"), a negation before either, and "no known drug allergies" (for :mod:`.mention_context`
and the Allergies section reader, :mod:`.allergy_list`)."""

from __future__ import annotations

import re

from medscribe.logic.document.susceptibility import organism_cue

# "no drug allergies except penicillin": the drugs after the exception are allergies.
EXCEPT = r"except|other\s+than|apart\s+from|besides|aside\s+from"
_ALLERGY_BEFORE = re.compile(
    r"\b(?:allergic\s+(?:reaction\s+)?(?:to|with)"
    r"|allerg(?:y|ies)\s+(?:to|include[sd]?|including|are|is|of|with)"
    rf"|allerg(?:y|ies)\s*,?\s+(?:{EXCEPT})"
    r"|allerg(?:y|ies)\s*(?=[:\-\u2013\u2014])"
    r"|(?:adverse\s+|bad\s+|severe\s+|allergic\s+)?reactions?\s+(?:to|with|from)"
    r"|react(?:s|ed)?\s+(?:badly\s+|poorly\s+|strongly\s+)?to"
    r"|intoleran(?:t|ce)\s+(?:of|to)"
    r"|(?:hyper)?sensitiv(?:e|ity)\s+to"
    r"|anaphylaxis\s+(?:to|with|from)"
    # "he had a rash with clopidogrel", "came out in hives after amoxicillin": a reaction the drug caused
    r"|(?:had|has\s+had|developed|got|came\s+out\s+in|comes\s+out\s+in)\s+(?:an?\s+)?(?:\w+\s+)?"
    r"(?P<caused>rash|hives|urticaria|angioedema|swelling|wheeze|blisters|reaction)\s+(?:with|to|after|from|on)(?=\s))",
    re.IGNORECASE,
)
# "treated as anaphylaxis with adrenaline", "reaction managed with antihistamines": what a reaction was treated
# with follows the treatment's verb, said just before the "with" (at most three words between, so a verb of an
# earlier sentence run on by a recogniser does not reach); the allergen is what caused it, never the treatment.
_TREATED_JUST_BEFORE = re.compile(
    r"\b(?:treated|managed|needed|needing|required|requiring|received|receiving|reversed)\b(?:\s+[\w'-]+){0,3}\s*$",
    re.IGNORECASE,
)


def allergy_cues(text: str, pos: int = 0, endpos: int | None = None) -> list[re.Match[str]]:
    """The allergy cues said before a substance between ``pos`` and ``endpos``; a "… with" cue just after a
    treatment's verb names the treatment, not the allergen, and is no cue; nor is a "sensitive to" said of an organism
    (:mod:`.susceptibility`)."""
    found = []
    for m in _ALLERGY_BEFORE.finditer(text, pos, len(text) if endpos is None else endpos):
        if m.group(0).lower().endswith("with") and _TREATED_JUST_BEFORE.search(
            text, max(0, m.start() - 40), m.start()
        ):
            continue
        if organism_cue(text, m.start(), m.group(0)):
            continue  # "E. coli sensitive to nitrofurantoin": a culture's result, no allergy
        found.append(m)
    return found


_ALLERGY_AFTER = re.compile(
    r"(?:(?:is|was|are|were|has\s+been|have\s+been)\s+(?:now\s+)?(?:recorded|listed|documented|added|coded|noted)"
    r"\s+as\s+(?:an?\s+)?)?(?:allerg(?:y|ies|ic)|intoleran(?:ce|t)|(?:hyper)?sensitivity|anaphylaxis)\b",
    re.IGNORECASE,
)  # "penicillin allergy", "X is recorded as an allergy"
_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|denies|denied|deny|denying|without|never|negative\s+for)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
NO_KNOWN_ALLERGIES = re.compile(
    r"\b(?:NKDA|NKA|no\s+known\s+(?:drug\s+|medication\s+)?allergies|no\s+(?:drug\s+|medication\s+)?allergies)\b"
    rf"(?!\s*,?\s*(?:{EXCEPT})\b)",
    re.IGNORECASE,
)


def no_known_allergies(text: str) -> str | None:
    """The "NKDA" / "no known drug allergies" statement of the transcript, if any."""
    m = NO_KNOWN_ALLERGIES.search(text)
    return m.group(0) if m else None


# Shared with the Allergies section reader (:mod:`.allergy_list`).
ALLERGY_BEFORE = _ALLERGY_BEFORE
ALLERGY_AFTER = _ALLERGY_AFTER
NEGATED_BEFORE = _NEGATED_BEFORE
