"""Documented-shape Comprehend Medical responses and a dictionary-based stand-in for property tests."""

from __future__ import annotations

import re
from typing import Any

from medscribe.adapters.comprehend import DETECT_MAX_BYTES, RXNORM_MAX_CHARS

# A DetectEntitiesV2 response in the API reference's shape (Entities with Attributes and Traits,
# UnmappedAttributes, ModelVersion) for TEXT.
TEXT = "Patient denies chest pain. Takes aspirin 81 mg daily. Left arm."
DETECT_RESPONSE: dict[str, Any] = {
    "Entities": [
        {
            "Id": 0,
            "BeginOffset": 15,
            "EndOffset": 25,
            "Score": 0.9712,
            "Text": "chest pain",
            "Category": "MEDICAL_CONDITION",
            "Type": "DX_NAME",
            "Traits": [{"Name": "NEGATION", "Score": 0.9342}, {"Name": "SYMPTOM", "Score": 0.7011}],
        },
        {
            "Id": 1,
            "BeginOffset": 33,
            "EndOffset": 40,
            "Score": 0.9978,
            "Text": "aspirin",
            "Category": "MEDICATION",
            "Type": "GENERIC_NAME",
            "Traits": [],
            "Attributes": [
                {
                    "Type": "DOSAGE",
                    "Score": 0.9301,
                    "RelationshipScore": 0.9987,
                    "RelationshipType": "DOSAGE",
                    "Id": 2,
                    "BeginOffset": 41,
                    "EndOffset": 46,
                    "Text": "81 mg",
                    "Category": "MEDICATION",
                    "Traits": [],
                },
                {
                    "Type": "FREQUENCY",
                    "Score": 0.8823,
                    "RelationshipScore": 0.9911,
                    "RelationshipType": "FREQUENCY",
                    "Id": 3,
                    "BeginOffset": 47,
                    "EndOffset": 52,
                    "Text": "daily",
                    "Category": "MEDICATION",
                    "Traits": [],
                },
            ],
        },
    ],
    "UnmappedAttributes": [
        {
            "Type": "ANATOMY",
            "Attribute": {
                "Type": "DIRECTION",
                "Score": 0.8155,
                "Id": 4,
                "BeginOffset": 54,
                "EndOffset": 58,
                "Text": "Left",
                "Category": "ANATOMY",
                "Traits": [],
            },
        }
    ],
    "ModelVersion": "2.4.0",
}

# InferRxNorm response (API reference shape: Entities with RxNormConcepts, Attributes, Traits) for TEXT.
RXNORM_RESPONSE: dict[str, Any] = {
    "Entities": [
        {
            "Id": 0,
            "Text": "aspirin",
            "Category": "MEDICATION",
            "Type": "GENERIC_NAME",
            "Score": 0.9978,
            "BeginOffset": 33,
            "EndOffset": 40,
            "Attributes": [
                {
                    "Type": "DOSAGE",
                    "Score": 0.93,
                    "RelationshipScore": 0.99,
                    "Id": 1,
                    "BeginOffset": 41,
                    "EndOffset": 46,
                    "Text": "81 mg",
                    "Traits": [],
                }
            ],
            "Traits": [],
            "RxNormConcepts": [
                {"Description": "aspirin 81 MG Oral Tablet", "Code": "243670", "Score": 0.62},
                {"Description": "aspirin", "Code": "1191", "Score": 0.91},
            ],
        }
    ],
    "ModelVersion": "0.1.0",
}


class DictionaryComprehend:
    """Stands in for the comprehendmedical client: finds dictionary terms (whole words) and enforces the
    documented size limits the way the service does (``TextSizeLimitExceededException``)."""

    TERMS: tuple[tuple[str, str, str], ...] = (
        ("chest pain", "MEDICAL_CONDITION", "DX_NAME"),
        ("shortness of breath", "MEDICAL_CONDITION", "DX_NAME"),
        ("aspirin", "MEDICATION", "GENERIC_NAME"),
        ("metformin", "MEDICATION", "GENERIC_NAME"),
        ("héparine", "MEDICATION", "GENERIC_NAME"),
        ("アスピリン", "MEDICATION", "BRAND_NAME"),
        ("left arm", "ANATOMY", "SYSTEM_ORGAN_SITE"),
    )
    DOSE = re.compile(r"(?<!\w)\d+ mg(?!\w)")

    def __init__(self) -> None:
        alternatives = "|".join(re.escape(t) for t, _, _ in sorted(self.TERMS, key=lambda t: -len(t[0])))
        self._pattern = re.compile(rf"(?<!\w)({alternatives})(?!\w)")
        self._kinds = {t: (c, k) for t, c, k in self.TERMS}
        self.detect_texts: list[str] = []
        self.rxnorm_texts: list[str] = []

    def _entities(self, text: str, rxnorm: bool) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        ids = iter(range(10**9))
        for m in self._pattern.finditer(text):
            category, type_ = self._kinds[m.group(1)]
            if rxnorm and category != "MEDICATION":
                continue
            entity: dict[str, Any] = {
                "Id": next(ids),
                "BeginOffset": m.start(),
                "EndOffset": m.end(),
                "Score": 0.9,
                "Text": m.group(1),
                "Category": category,
                "Type": type_,
                "Traits": [],
                "Attributes": [],
            }
            dose = self.DOSE.match(text, m.end() + 1)
            if category == "MEDICATION" and dose:
                entity["Attributes"].append(
                    {
                        "Type": "DOSAGE",
                        "Score": 0.8,
                        "RelationshipScore": 0.9,
                        "RelationshipType": "DOSAGE",
                        "Id": next(ids),
                        "BeginOffset": dose.start(),
                        "EndOffset": dose.end(),
                        "Text": dose.group(),
                        "Category": "MEDICATION",
                        "Traits": [],
                    }
                )
            if rxnorm:
                entity["RxNormConcepts"] = [
                    {"Description": m.group(1), "Code": str(len(m.group(1))), "Score": 0.8}
                ]
            out.append(entity)
        return out

    def detect_entities_v2(self, Text: str) -> dict[str, Any]:
        if not Text or len(Text.encode("utf-8")) >= DETECT_MAX_BYTES:
            raise AssertionError(f"TextSizeLimitExceededException: {len(Text.encode('utf-8'))} bytes")
        self.detect_texts.append(Text)
        return {
            "Entities": self._entities(Text, rxnorm=False),
            "UnmappedAttributes": [],
            "ModelVersion": "fake-1",
        }

    def infer_rx_norm(self, Text: str) -> dict[str, Any]:
        if not Text or len(Text) > RXNORM_MAX_CHARS:
            raise AssertionError(f"TextSizeLimitExceededException: {len(Text)} characters")
        self.rxnorm_texts.append(Text)
        return {"Entities": self._entities(Text, rxnorm=True), "ModelVersion": "fake-rx"}

    def _whole(self, text: str) -> dict[str, Any]:
        """What one call without any size limit would return (the reference for the property tests)."""
        return {
            "Entities": self._entities(text, rxnorm=False),
            "UnmappedAttributes": [],
            "ModelVersion": "fake-1",
        }
