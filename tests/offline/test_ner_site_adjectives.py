"""Offline detector, session 15 (site12): a site adjective outside a condition's usual name is ANATOMY
(``ner/site_adjectives.py``), and a condition named with the end of a long bone keeps it
(``ner/site_structures.py``). Each case runs on the punctuated text and on its recogniser form, through the
pipeline's normalisation."""

from __future__ import annotations

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.textnorm import normalize_clinical_text

P = pytest.param
FORMS = [P(lambda t: t, id="punctuated"), P(recogniser_form, id="recogniser")]


def _resp(detector: OfflineEntityDetector, text: str) -> dict:
    return detector.detect_entities(normalize_clinical_text(text))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected", "condition"),
    [
        # a site adjective (from the anatomy lexicons, or a locative prefix before one) outside a condition's usual
        # name is ANATOMY, and the condition keeps its own name (PROCEDURE.md sections 47 and 52; site12)
        ("Occipital headaches since the spring.", ["occipital"], "headaches"),
        ("The sternal wound is healing.", ["sternal"], "wound"),
        ("Perianal excoriation, with a barrier cream.", ["perianal"], "excoriation"),
        # guards: a usual name keeps its site, and a disease's kind, an acuity or a direction is no site
        ("Renal colic and a pleural effusion.", [], "renal colic"),
        ("Allergic rhinitis, diabetic neuropathy and chronic cough.", [], "allergic rhinitis"),
        ("Central chest pain since the morning.", [], "chest pain"),
    ],
)
def test_a_site_adjective_outside_a_usual_name_is_a_site(
    detector, form, text: str, expected, condition: str
) -> None:
    found = _resp(detector, form(text))["Entities"]
    assert [e["Text"].lower() for e in found if e["Category"] == "ANATOMY"] == expected
    assert condition in [e["Text"].lower() for e in found if e["Category"] == "MEDICAL_CONDITION"]


@pytest.mark.parametrize("form", FORMS)
def test_a_condition_named_with_the_end_of_a_long_bone_keeps_it(detector, form) -> None:
    found = _resp(detector, form("The X-ray confirms a distal radius fracture."))["Entities"]
    assert [e["Text"].lower() for e in found if e["Category"] == "MEDICAL_CONDITION"] == [
        "distal radius fracture"
    ]
