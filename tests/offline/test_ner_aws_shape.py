"""The offline detector's output has Comprehend Medical DetectEntitiesV2's shape, element by element.

Each test names the convention of the AWS developer guide ("Detect entities (version 2)") it checks. The
only AWS texts used are the short examples the guide itself shows; the other phrases are our own.
"""

from __future__ import annotations

import pytest
from ner_support import attrs, one, traits

from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner.conformance import Tally, score_note
from medscribe.shapes import DetectEntitiesV2Response


# ---- ANATOMY -------------------------------------------------------------------------------------------
def test_the_guides_condition_example_acuity_direction_and_site(detector: OfflineEntityDetector) -> None:
    # Given the guide's example "chronic pain in left leg"
    resp = detector.detect_entities("chronic pain in left leg")
    # Then "pain" is the condition, with ACUITY "chronic", DIRECTION "left" and SYSTEM_ORGAN_SITE "leg"
    pain = one(resp, "pain")
    assert attrs(pain) == {"ACUITY": "chronic", "DIRECTION": "left", "SYSTEM_ORGAN_SITE": "leg"}
    # and "leg" is also a top-level ANATOMY entity: the same mention, the same Id
    leg = one(resp, "leg", "ANATOMY")
    site = next(a for a in pain["Attributes"] if a["Type"] == "SYSTEM_ORGAN_SITE")
    assert (leg["Type"], leg["Id"], site["RelationshipType"]) == (
        "SYSTEM_ORGAN_SITE",
        site["Id"],
        "SYSTEM_ORGAN_SITE",
    )
    assert attrs(leg) == {"DIRECTION": "left"}


def test_every_site_of_a_coordinated_list_is_top_level_and_the_conditions_site(
    detector: OfflineEntityDetector,
) -> None:
    resp = detector.detect_entities("Itchy rash on the neck and back.")
    rash = one(resp, "rash")
    assert sorted(a["Text"] for a in rash["Attributes"] if a["Type"] == "SYSTEM_ORGAN_SITE") == [
        "back",
        "neck",
    ]
    assert sorted(e["Text"] for e in resp["Entities"] if e["Category"] == "ANATOMY") == ["back", "neck"]


# ---- MEDICATION attributes -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "drug", "expected"),
    [
        # the guide's getting-started example: "20 mg" is the DOSAGE, "tab" the FORM
        (
            "aspirin is required 20 mg po daily for 2 times as tab",
            "aspirin",
            {"DOSAGE": "20 mg", "ROUTE_OR_MODE": "po", "FREQUENCY": "daily", "FORM": "tab"},
        ),
        # a count of units is the DOSAGE, the weight per unit the STRENGTH
        ("Clonidine 0.2 mgs 1 and 1/2 tabs po qhs", "Clonidine", {"STRENGTH": "0.2 mgs", "DOSAGE": "1 and 1/2 tabs", "ROUTE_OR_MODE": "po", "FREQUENCY": "qhs"}),
        ("ondansetron 4 mg odt q8h prn", "ondansetron", {"DOSAGE": "4 mg", "FREQUENCY": "q8h prn"}),
        ("cefdinir 250 mg/5 ml suspension 6 ml bid for 10 days", "cefdinir", {"STRENGTH": "250 mg/5 ml", "FORM": "suspension", "DOSAGE": "6 ml", "FREQUENCY": "bid", "DURATION": "for 10 days"}),
        ("triamcinolone 0.1% cream bid", "triamcinolone", {"STRENGTH": "0.1%", "FORM": "cream", "FREQUENCY": "bid"}),
        ("insulin drip at 5 units/hr", "insulin", {"RATE": "5 units/hr"}),
        ("prednisone 40 mg daily x 5 days", "prednisone", {"DOSAGE": "40 mg", "FREQUENCY": "daily", "DURATION": "x 5 days"}),
    ],
)  # fmt: skip
def test_medication_attributes_as_aws_types_them(
    detector: OfflineEntityDetector, text: str, drug: str, expected: dict[str, str]
) -> None:
    med = one(detector.detect_entities(text), drug, "MEDICATION")
    assert attrs(med) == expected
    assert all(a["RelationshipType"] == a["Type"] for a in med["Attributes"])


def test_an_unlinked_weight_is_an_unmapped_dosage(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("40 mg by mouth at bedtime")
    assert ("DOSAGE", "40 mg") in {
        (u["Attribute"]["Type"], u["Attribute"]["Text"]) for u in resp["UnmappedAttributes"]
    }


# ---- TIME_EXPRESSION -----------------------------------------------------------------------------------
def test_the_guides_time_example_and_its_counter_example(detector: OfflineEntityDetector) -> None:
    # Given the guide's examples: a time expression is returned only with the entity it dates
    resp = detector.detect_entities("Yesterday, the patient took 200 mg of ibuprofen.")
    time = one(resp, "Yesterday", "TIME_EXPRESSION")
    ibuprofen = one(resp, "ibuprofen")
    assert time["Type"] == "TIME_TO_MEDICATION_NAME"
    assert [(a["Id"], a["Type"], a["RelationshipType"]) for a in time["Attributes"]] == [
        (ibuprofen["Id"], "GENERIC_NAME", "OVERLAP")
    ]
    assert detector.detect_entities("yesterday, the patient walked their dog.")["Entities"] == []


@pytest.mark.parametrize(
    ("text", "time", "type_", "dated"),
    [
        ("Last week, she had an echocardiogram.", "Last week", "TIME_TO_TEST_NAME", "echocardiogram"),
        ("Cough and fever for 4 days.", "for 4 days", "TIME_TO_DX_NAME", "Cough"),
        (
            "Two weeks ago, he underwent a colonoscopy.",
            "Two weeks ago",
            "TIME_TO_PROCEDURE_NAME",
            "colonoscopy",
        ),
    ],
)
def test_time_expressions_are_typed_by_what_they_date(
    detector: OfflineEntityDetector, text: str, time: str, type_: str, dated: str
) -> None:
    t = one(detector.detect_entities(text), time, "TIME_EXPRESSION")
    assert t["Type"] == type_
    assert dated in {a["Text"] for a in t["Attributes"]}


# ---- traits --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "family", "patient"),
    [
        ("Family history: mother with breast cancer, father had an MI. Social history: she has asthma.", ["breast cancer", "MI"], ["asthma"]),
        ("her sister has lupus and she has rheumatoid arthritis", ["lupus"], ["rheumatoid arthritis"]),
        ("Colon cancer in his paternal grandfather. He has hypertension.", ["Colon cancer"], ["hypertension"]),
        ("family history diabetes and stroke social history she has gout", ["diabetes", "stroke"], ["gout"]),
        ("Mother says he has had fever since Monday.", [], ["fever"]),
        ("FH with LDL over 190; she has hypothyroidism.", [], ["hypothyroidism"]),
        # a run-on: the clinician's plan and a new dosed line end the relative's clause
        ("his father has panic disorder and takes pregabalin consider cbt if the anxiety persists", ["panic disorder"], ["anxiety"]),
        ("her brother has asthma zopiclone 7.5 mg at night for insomnia", ["asthma"], ["insomnia"]),
    ],
)  # fmt: skip
def test_pertains_to_family_on_a_family_members_conditions_only(
    detector: OfflineEntityDetector, text: str, family: list[str], patient: list[str]
) -> None:
    resp = detector.detect_entities(text)
    for name in family:
        assert "PERTAINS_TO_FAMILY" in traits(one(resp, name)), name
    for name in patient:
        assert "PERTAINS_TO_FAMILY" not in traits(one(resp, name)), name


def test_pertains_to_family_is_a_condition_trait_as_aws_documents_it(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Family history: father with diabetes on insulin.")
    assert "PERTAINS_TO_FAMILY" in traits(one(resp, "diabetes"))
    assert "PERTAINS_TO_FAMILY" not in traits(one(resp, "insulin"))


def test_no_family_history_is_negated_and_the_familys(detector: OfflineEntityDetector) -> None:
    cancer = one(detector.detect_entities("No family history of colon cancer."), "colon cancer")
    assert {"NEGATION", "PERTAINS_TO_FAMILY"} <= traits(cancer)


def test_future_on_medications_and_tests_never_on_conditions(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Will start metformin 500 mg bid. Will check A1c in 3 months.")
    assert "FUTURE" in traits(one(resp, "metformin"))
    assert "FUTURE" in traits(one(resp, "A1c"))
    diabetes = one(detector.detect_entities("Will start metformin for diabetes."), "diabetes")
    assert "FUTURE" not in traits(diabetes)


@pytest.mark.parametrize(
    ("text", "name", "trait", "present"),
    [
        ("She declined colonoscopy.", "colonoscopy", "NEGATION", True),
        ("No EKG was done today.", "EKG", "NEGATION", True),
        ("CT was negative.", "CT", "NEGATION", False),  # a test with a negative result was done
        ("History of appendectomy.", "appendectomy", "PAST_HISTORY", True),
        ("If pain persists, consider MRI.", "MRI", "HYPOTHETICAL", True),
    ],
)
def test_context_traits_on_tests_and_procedures(
    detector: OfflineEntityDetector, text: str, name: str, trait: str, present: bool
) -> None:
    assert (trait in traits(one(detector.detect_entities(text), name))) is present


def test_every_score_is_a_confidence_and_the_response_validates(detector: OfflineEntityDetector) -> None:
    text = (
        "Family history: mother with diabetes. Yesterday, she took ibuprofen 400 mg 1 tab po for knee pain "
        "in the left knee. Will check an x-ray. No fever."
    )
    resp = detector.detect_entities(text)
    DetectEntitiesV2Response.model_validate(resp)
    items = [*resp["Entities"], *(a for e in resp["Entities"] for a in e["Attributes"])]
    scores = [i["Score"] for i in items] + [t["Score"] for i in items for t in i["Traits"]]
    scores += [a["RelationshipScore"] for e in resp["Entities"] for a in e["Attributes"]]
    assert scores
    assert all(0.0 <= s <= 1.0 for s in scores)


# ---- the scorer ----------------------------------------------------------------------------------------
def test_the_scorer_counts_attribute_types_and_family_traits() -> None:
    # Given a note expecting a DOSAGE and a family condition, and a response typing the dose STRENGTH
    note = {
        "id": "x",
        "MEDICATION": [{"text": "aspirin"}],
        "MEDICAL_CONDITION": [{"text": "lupus", "dx": "DIAGNOSIS", "traits": ["PERTAINS_TO_FAMILY"]}],
        "ANATOMY": [],
        "TIME_EXPRESSION": [],
        "ATTRIBUTE": [{"of": "aspirin", "type": "DOSAGE", "text": "81 mg"}],
    }
    dose = {"Type": "STRENGTH", "Score": 0.9, "Text": "81 mg", "Traits": []}
    resp = {
        "Entities": [
            {"Text": "aspirin", "Category": "MEDICATION", "Score": 0.9, "Traits": [], "Attributes": [dose]},
            {"Text": "lupus", "Category": "MEDICAL_CONDITION", "Score": 0.9, "Attributes": [],
             "Traits": [{"Name": "DIAGNOSIS", "Score": 0.9}]},
        ]
    }  # fmt: skip
    tally = Tally()
    score_note(note, resp, tally)
    # Then the mistyped dose is a miss and an extra, and the missing family trait a condition miss
    assert (tally.tp["ATTRIBUTE"], tally.fn["ATTRIBUTE"], tally.fp["ATTRIBUTE"]) == (0, 1, 1)
    assert (tally.tp["MEDICAL_CONDITION"], tally.fn["MEDICAL_CONDITION"]) == (0, 1)
    assert tally.tp["MEDICATION"] == 1


@pytest.mark.parametrize("word", ["chronic", "acute", "sudden", "persistent", "gradual"])
def test_the_guides_acuity_words_are_acuity_attributes(detector: OfflineEntityDetector, word: str) -> None:
    # The guide's ACUITY examples: chronic, acute, sudden, persistent, gradual
    cough = one(detector.detect_entities(f"{word.capitalize()} cough."), "cough")
    assert attrs(cough) == {"ACUITY": word.capitalize()}


def test_a_duration_before_history_of_is_the_present_illness_not_past_history(
    detector: OfflineEntityDetector,
) -> None:
    resp = detector.detect_entities("She has a 3-day history of cough. History of stroke.")
    assert "PAST_HISTORY" not in traits(one(resp, "cough"))
    assert "PAST_HISTORY" in traits(one(resp, "stroke"))
