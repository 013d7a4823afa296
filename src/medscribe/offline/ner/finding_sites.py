"""A finding noun said alone keeps the site said right before it: "left ventricular thrombus", "testicular
torsion", "kidney cysts" are one condition each.

The finding nouns are the ICD-10-CM heads of many sites (``data/ner/conditions_icd10cm_heads.txt``,
:mod:`medscribe.offline.ner_icd10_heads`: "stenosis", "occlusion", "thrombus", "torsion"). Said after "of"
("a stenosis of the left renal artery") the site stays an ANATOMY entity of its own and the finding alone is the
condition; said before it, the site names which one it is, as the injury words keep theirs ("distal
radius fracture", ``sites.merge_site_symptoms``) and as ICD-10-CM and the HPO name them ("Renal artery stenosis",
"Left ventricular thrombus"). Without it the draft would list a bare "torsion".
"""

from __future__ import annotations

import functools

from medscribe.offline.ner.text import Doc, Span


@functools.cache
def finding_heads() -> frozenset[str]:
    from medscribe.offline import ner_lexicon as lex
    from medscribe.offline.ner_condition_names import HEADS_FILE

    names = {row[1] for row in lex._read_pipe_file(HEADS_FILE)}
    return frozenset(names | {lex.british_spelling(n) for n in names})


def join_site_findings(doc: Doc, spans: list[Span]) -> list[Span]:
    """An ANATOMY span directly followed by a finding noun (nothing but a space between) is one condition."""
    heads = finding_heads()
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.category == "ANATOMY"
            and s.category == "MEDICAL_CONDITION"
            and prev.t1 == s.t0
            and not doc.text[prev.end : s.begin].strip()
            and doc.text[s.begin : s.end].lower() in heads
        ):
            s.begin, s.t0 = prev.begin, prev.t0
            s.score = min(s.score, 0.9)
            out[-1] = s
            continue
        out.append(s)
    return out
