"""Offline detector, session 16 (anat13): a general head of disorder after its site is one condition, the site inside
its name; an examination sign listed as "<sign adjective> <site>" names its site too (``ner/site_disorders.py``;
PROCEDURE.md section 4, a usual name keeps its site); a plural site before a service's word stays a site
(``ner/idioms.py``). Each case runs on the punctuated text and on its recogniser form, through the pipeline's
normalisation."""

from __future__ import annotations

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.textnorm import normalize_clinical_text

P = pytest.param
FORMS = [P(lambda t: t, id="punctuated"), P(recogniser_form, id="recogniser")]


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


def _found(detector: OfflineEntityDetector, text: str, category: str) -> list[str]:
    response = detector.detect_entities(normalize_clinical_text(text))
    return [e["Text"].lower() for e in response["Entities"] if e["Category"] == category]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "condition", "expected_sites"),
    [
        # the site is what tells one injury, damage, blockage or infection from another: one name, no site apart
        P("No neck trauma and no weight loss.", "neck trauma", [], id="site noun: neck trauma"),
        P(
            "A complete spinal cord injury last year.",
            "spinal cord injury",
            [],
            id="two-word site: spinal cord",
        ),
        P("Small bowel obstruction from adhesions.", "small bowel obstruction", [], id="obstruction"),
        # a qualifier that makes the site another part is inside the name, not dropped
        P(
            "Seen with a large bowel obstruction.",
            "large bowel obstruction",
            [],
            id="part qualifier: large bowel",
        ),
        P(
            "An upper airway obstruction overnight.",
            "upper airway obstruction",
            [],
            id="part qualifier: upper",
        ),
        P(
            "A nail infection of both great toes.",
            "nail infection",
            ["great toes"],
            id="a listed head: infection",
        ),
        P("Hepatic dysfunction on the bloods.", "hepatic dysfunction", [], id="free site adjective: hepatic"),
        # the first site of a pair said with one head is inside the condition said once
        P("No bladder or bowel disturbance.", "bowel disturbance", [], id="elided pair: bladder or bowel"),
        # guards: a sign keeps its site apart, a site of another clause stays, a service's name is no entity
        P(
            "Knee swelling and calf tenderness.",
            "swelling",
            ["knee", "calf"],
            id="guard: signs keep their site",
        ),
        P(
            "Pain in the chest and kidney damage.",
            "kidney damage",
            ["chest"],
            id="guard: a site of another item",
        ),
        P("Spinal injuries unit referral.", None, [], id="guard: a service's name"),
    ],
)
def test_a_general_head_of_disorder_after_its_site_is_one_condition(
    detector, form, text: str, condition: str | None, expected_sites: list[str]
) -> None:
    assert _found(detector, form(text), "ANATOMY") == expected_sites
    conditions = _found(detector, form(text), "MEDICAL_CONDITION")
    assert condition in conditions if condition else conditions == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected_sites"),
    [
        # a site word before its organ's sound, product or habit names that, not a site
        P("No bowel sounds and a soft abdomen.", ["abdomen"], id="bowel sounds"),
        P("Heart sounds normal.", [], id="heart sounds"),
        P("Mum is expressing breast milk.", [], id="breast milk"),
        P("His bowel habits are regular.", [], id="bowel habits"),
        # guards: "sounds" as a verb after the site listened to, and a joint's movements
        P("The chest sounds clear.", ["chest"], id="guard: the chest sounds clear"),
        P("Neck movements are restricted.", ["neck"], id="guard: neck movements"),
    ],
)
def test_a_site_word_before_its_organs_sound_or_product_is_no_site(
    detector, form, text: str, expected_sites: list[str]
) -> None:
    assert _found(detector, form(text), "ANATOMY") == expected_sites


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected_sites"),
    [
        # an examination sign said as a sign adjective before its site: the site is ANATOMY too
        P(
            "Cold hands and a distended abdomen.",
            ["hands", "abdomen"],
            id="signs: cold hands, distended abdomen",
        ),
        # guards: a symptom or a diagnosis so named is a usual name with no site apart
        P("A sore throat and an enlarged prostate.", [], id="guard: sore throat, enlarged prostate"),
        # a plural site is no modifier of a service's word: it ends its clause (a recogniser's run-on)
        P("Pitting oedema to both ankles. Review in 6 weeks.", ["ankles"], id="plural site before review"),
        P("Diabetic foot review booked.", [], id="guard: a service named by a singular site"),
    ],
)
def test_a_signs_site_and_a_plural_site_before_a_service_word_are_sites(
    detector, form, text: str, expected_sites: list[str]
) -> None:
    assert _found(detector, form(text), "ANATOMY") == expected_sites
