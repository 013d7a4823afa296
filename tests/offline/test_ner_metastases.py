"""Secondary cancer and withdrawal signs (issue 15, item 9; batch8-dev's omissions "brain metastases" in a recogniser
run-on and "yawning"): a metastasis is a cancer head like "tumour", so a site said right before it is part of the
condition's name, as AWS names "brain metastases"; yawning and piloerection are symptoms. Each case failed before."""

from __future__ import annotations

import pytest
from ner_support import check_offsets_and_ids, one, texts

from medscribe.offline.ner import OfflineEntityDetector


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Man with lung cancer and brain metastases.", "brain metastases"),
        ("man with lung cancer and brain metastases dexamethasone eight milligrams", "brain metastases"),
        ("Known liver metastasis from a colon primary.", "liver metastasis"),
        ("She has bone secondaries.", "bone secondaries"),
        ("On examination he is sweating and yawning, with a runny nose.", "yawning"),
        ("Piloerection and dilated pupils.", "Piloerection"),
    ],
)
def test_the_condition_is_found_whole(detector: OfflineEntityDetector, text: str, said: str) -> None:
    # Given a secondary cancer with its site, or a withdrawal sign
    resp = detector.detect_entities(text)
    # Then it is one MEDICAL_CONDITION named by the words said, offsets on the text
    check_offsets_and_ids(resp, text)
    one(resp, said, "MEDICAL_CONDITION")


def test_no_metastases_is_negated(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("No metastases on the staging scan.")
    entity = one(resp, "metastases", "MEDICAL_CONDITION")
    assert "NEGATION" in {t["Name"] for t in entity["Traits"]}
    assert "metastases" not in {t.lower() for t in texts(resp, "ANATOMY")}
