"""Conditions a drug or another substance is the subject of: "lithium toxicity", "took an overdose", "paracetamol
poisoning", "alcohol withdrawal".

No vocabulary the detector loads lists these heads as conditions on their own ("overdose", "toxicity" are ICD-10-CM
index words, not code titles), so a dictated "admitted with lithium toxicity" drafted nothing but the drug. AWS
returns the condition (MEDICAL_CONDITION, DX_NAME) and the drug (MEDICATION) as two entities: "toxicity" and
"lithium". A substance that is no medication is part of the condition's name, as ICD-10-CM's titles put it
("alcohol withdrawal", "alcohol intoxication"). Whether the drug's row is a current prescription is the draft's to
judge (:mod:`medscribe.logic.document.drug_in_condition`). Closed word classes only, never a drug name.
"""

from __future__ import annotations

from medscribe.offline.ner.text import Doc, Span

SCORE = 0.8
TRAIT_SCORE = 0.85
# a condition whether or not its substance is said ("she took an overdose")
HEADS = frozenset({"overdose", "overdoses", "toxicity", "poisoning", "intoxication"})
# a condition only of a substance: never "withdrawal of treatment", "social withdrawal"
OF_SUBSTANCE = frozenset({"withdrawal"})
# substances that are no medication: said before the head, they are part of the condition's name
SUBSTANCES = frozenset({
    "alcohol", "nicotine", "cannabis", "cocaine", "heroin", "ethanol", "methanol", "ketamine", "gabapentinoid",
    "opiate", "opioid", "benzodiazepine", "caffeine",
})  # fmt: skip


def substance_conditions(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """A MEDICAL_CONDITION for every free head word; its substance joins it when it is no medication."""
    drug_ends = {s.t1 for s in found if s.category == "MEDICATION"}
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        if taken[i] or tok.norm not in HEADS | OF_SUBSTANCE:
            continue
        before = i - 1
        same = (
            before >= 0
            and doc.sent[before] == doc.sent[i]
            and not doc.text[doc.toks[before].end : tok.begin].strip(" -")
        )
        substance = same and not taken[before] and doc.toks[before].norm in SUBSTANCES
        if tok.norm in OF_SUBSTANCE and not substance and not (same and i in drug_ends):
            continue
        t0 = before if substance else i
        span = doc.span(doc.toks[t0].begin, tok.end, "MEDICAL_CONDITION", "DX_NAME", SCORE)
        span.traits.append(("DIAGNOSIS", TRAIT_SCORE))
        for j in range(t0, i + 1):
            taken[j] = True
        out.append(span)
    return out


def drug_condition(doc: Doc, span: Span) -> bool:
    """A condition whose head word a drug said right before names ("digoxin toxicity", "opioid withdrawal")."""
    return span.category == "MEDICAL_CONDITION" and doc.toks[span.t1 - 1].norm in HEADS | OF_SUBSTANCE
