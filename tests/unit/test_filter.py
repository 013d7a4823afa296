"""FilterEntities: the confidence threshold over DetectEntitiesV2 entities."""

from __future__ import annotations

from typing import Any

from medscribe.logic.entities import filter_by_score, is_negated
from medscribe.shapes import DetectEntitiesV2Response


def entity(
    i: int, score: float, text: str, category: str = "MEDICATION", attrs: list[dict[str, Any]] | None = None
):
    return {
        "Id": i,
        "BeginOffset": 0,
        "EndOffset": len(text),
        "Score": score,
        "Text": text,
        "Category": category,
        "Type": "GENERIC_NAME",
        "Traits": [],
        "Attributes": attrs or [],
    }


def attribute(i: int, score: float, text: str = "500 mg") -> dict[str, Any]:
    return {
        "Type": "DOSAGE",
        "Score": score,
        "RelationshipScore": 0.9,
        "RelationshipType": "DOSAGE",
        "Id": i,
        "BeginOffset": 0,
        "EndOffset": len(text),
        "Text": text,
        "Category": "MEDICATION",
        "Traits": [],
    }


def response(*entities: dict[str, Any], unmapped: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body = {"Entities": list(entities), "UnmappedAttributes": unmapped or [], "ModelVersion": "test"}
    DetectEntitiesV2Response.model_validate(body)  # the fixtures themselves follow the AWS shape
    return body


def test_given_scores_around_threshold_when_filtered_then_boundary_is_inclusive() -> None:
    result = filter_by_score(response(entity(1, 0.5, "metformin"), entity(2, 0.4999, "metformn")), 0.5)
    assert [e["Id"] for e in result.kept] == [1]
    assert [e["Id"] for e in result.dropped] == [2]


def test_given_low_score_attribute_when_filtered_then_it_is_removed_from_kept_entity_and_audited() -> None:
    med = entity(1, 0.9, "lisinopril", attrs=[attribute(2, 0.8, "10 mg"), attribute(3, 0.2, "daily")])
    result = filter_by_score(response(med), 0.5)
    assert [a["Id"] for a in result.kept[0]["Attributes"]] == [2]
    assert result.dropped_attributes == [{"EntityId": 1, "Attribute": attribute(3, 0.2, "daily")}]


def test_given_unmapped_attributes_when_filtered_then_only_confident_ones_kept() -> None:
    unmapped = [
        {"Type": "MEDICATION", "Attribute": attribute(5, 0.7)},
        {"Type": "MEDICATION", "Attribute": attribute(6, 0.1)},
    ]
    result = filter_by_score(response(unmapped=unmapped), 0.5)
    assert [u["Attribute"]["Id"] for u in result.unmapped_attributes] == [5]


def test_given_mixed_categories_then_medications_counts_only_kept_medications() -> None:
    result = filter_by_score(
        response(
            entity(1, 0.9, "metformin"), entity(2, 0.9, "diabetes", "MEDICAL_CONDITION"), entity(3, 0.1, "x")
        ),
        0.5,
    )
    assert len(result.medications) == 1


def test_negation_trait_needs_confident_score() -> None:
    negated = {**entity(1, 0.9, "aspirin"), "Traits": [{"Name": "NEGATION", "Score": 0.8}]}
    weak = {**entity(1, 0.9, "aspirin"), "Traits": [{"Name": "NEGATION", "Score": 0.3}]}
    assert is_negated(negated)
    assert not is_negated(weak)
