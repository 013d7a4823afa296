"""DetectEntitiesV2 conventions of the offline detector: DIRECTION, QUALITY, exam lines, context traits."""

from __future__ import annotations

import pytest
from ner_support import attrs, one, traits

from medscribe.offline.ner import OfflineEntityDetector


def test_direction_is_an_attribute_of_top_level_anatomy(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Examined the left ear.")
    ear = one(resp, "ear")
    assert (ear["Category"], ear["Type"]) == ("ANATOMY", "SYSTEM_ORGAN_SITE")
    assert attrs(ear) == {"DIRECTION": "left"}
    assert [a["RelationshipType"] for a in ear["Attributes"]] == ["DIRECTION"]


def test_quality_and_acuity_qualify_the_condition_not_its_name(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Severe headache. Acute sinusitis.")
    assert attrs(one(resp, "headache")) == {"QUALITY": "Severe"}
    assert attrs(one(resp, "sinusitis")) == {"ACUITY": "Acute"}


def test_an_exam_line_organ_is_the_site_of_each_finding_on_its_line_only(
    detector: OfflineEntityDetector,
) -> None:
    resp = detector.detect_entities("Abdomen: soft, nontender. Heart: regular rhythm.")
    for finding in ("soft", "nontender"):
        e = one(resp, finding)
        assert "SIGN" in traits(e)
        assert attrs(e) == {"SYSTEM_ORGAN_SITE": "Abdomen"}
    assert attrs(one(resp, "regular rhythm")) == {"SYSTEM_ORGAN_SITE": "Heart"}
    # each organ is also a top-level ANATOMY entity (AWS returns a site both ways)
    assert sorted(e["Text"] for e in resp["Entities"] if e["Category"] == "ANATOMY") == ["Abdomen", "Heart"]


def test_bare_exam_words_outside_an_exam_line_are_not_findings(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("It is clear that the lungs were discussed and the plan is normal.")
    assert [e for e in resp["Entities"] if e["Category"] == "MEDICAL_CONDITION"] == []


def test_a_time_expression_with_nothing_to_date_is_not_reported(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Seen yesterday in clinic.")
    assert resp["Entities"] == []
    assert resp["UnmappedAttributes"] == []


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("No history of migraine.", "migraine", {"NEGATION"}),
        ("History of migraine.", "migraine", {"PAST_HISTORY"}),
        ("PMH: asthma, gout.", "gout", {"PAST_HISTORY"}),
        ("Family history of diabetes.", "diabetes", set()),
        ("Was on lisinopril in the past.", "lisinopril", {"PAST_HISTORY"}),
        ("Call if fever develops.", "fever", {"HYPOTHETICAL"}),
        ("Consider starting metformin.", "metformin", {"HYPOTHETICAL"}),
        ("Continue metformin.", "metformin", set()),
        # instructions and current drugs are neither hypotheses nor history
        ("She should continue lisinopril.", "lisinopril", set()),
        ("Increase metformin to 1000 mg, previously 500 mg.", "metformin", set()),
        ("insulin 10 units prior to meals", "insulin", set()),
        ("Started metformin 3 years ago.", "metformin", set()),
        ("Prior to starting atorvastatin, check lipids.", "atorvastatin", set()),
        ("Reports cough.", "cough", set()),
    ],
)
def test_context_traits(detector: OfflineEntityDetector, text: str, name: str, expected: set[str]) -> None:
    got = traits(one(detector.detect_entities(text), name)) & {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL"}
    assert got == expected


def test_if_needed_after_the_drug_is_its_frequency_not_a_hypothesis(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Tylenol 500 mg every 6 hours if needed.")
    tylenol = one(resp, "Tylenol")
    assert attrs(tylenol) == {"DOSAGE": "500 mg", "FREQUENCY": "every 6 hours if needed"}
    assert "HYPOTHETICAL" not in traits(tylenol)


def test_a_known_drug_is_never_low_confidence(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Lipitor 20 mg daily")
    assert "LOW_CONFIDENCE" not in traits(one(resp, "Lipitor"))
    assert one(resp, "Lipitor")["Score"] >= 0.9


def test_a_phrase_never_spans_punctuation(detector: OfflineEntityDetector) -> None:
    # Given an organ header followed by a finding that the lexicon could read together ("throat erythema")
    resp = detector.detect_entities("Throat: erythema.")
    # Then the finding is its own condition and the organ its site
    assert attrs(one(resp, "erythema")) == {"SYSTEM_ORGAN_SITE": "Throat"}


@pytest.mark.parametrize(
    ("text", "owner", "other", "stage"),
    [
        ("Background of CKD stage 4 and gout.", "CKD", "gout", "stage 4"),
        ("She has CKD stage 3a and hypertension.", "CKD", "hypertension", "stage 3a"),
        (
            "background of chronic kidney disease stage 4 and gout",
            "chronic kidney disease",
            "gout",
            "stage 4",
        ),
    ],
)
def test_a_stage_said_after_a_condition_is_that_conditions_never_the_next_ones(
    detector: OfflineEntityDetector, text: str, owner: str, other: str, stage: str
) -> None:
    # Given a stage said right after one condition and another condition after "and"
    resp = detector.detect_entities(text)
    # Then the stage qualifies the condition it follows, and the next condition carries no stage
    assert attrs(one(resp, owner)) == {"QUALITY": stage}
    assert "QUALITY" not in attrs(one(resp, other))


def test_a_grade_said_before_a_condition_is_that_conditions(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Grade 2 oesophagitis on endoscopy.")
    assert attrs(one(resp, "oesophagitis")) == {"QUALITY": "Grade 2"}


@pytest.mark.parametrize(
    ("text", "negated", "current"),
    [
        ("Chest X-ray excluded pneumonia.", "pneumonia", None),
        ("DVT ruled out, cellulitis likely.", "DVT", "cellulitis"),
        ("DVT excluded, cellulitis likely.", "DVT", "cellulitis"),
        ("PE was ruled out and pneumonia diagnosed.", "PE", "pneumonia"),
    ],
)
def test_excluded_and_ruled_out_read_one_way(
    detector: OfflineEntityDetector, text: str, negated: str, current: str | None
) -> None:
    resp = detector.detect_entities(text)
    assert "NEGATION" in traits(one(resp, negated))
    if current is not None:
        assert "NEGATION" not in traits(one(resp, current))


def test_a_planned_exclusion_negates_nothing(detector: OfflineEntityDetector) -> None:
    # "must be excluded": GCA is suspected, not denied; gout after it is not negated either
    resp = detector.detect_entities("gca must be excluded also gout in the right big toe")
    assert "NEGATION" not in traits(one(resp, "gca"))
    assert "NEGATION" not in traits(one(resp, "gout"))


def test_a_condition_said_free_is_negated_and_free_t4_is_not(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Known epileptic, seizure-free for 5 years. Hypothyroidism, free T4 low.")
    assert "NEGATION" in traits(one(resp, "seizure"))
    assert "NEGATION" not in traits(one(resp, "Hypothyroidism"))
