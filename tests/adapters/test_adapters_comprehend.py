"""ComprehendMedicalDetector: chunking under the documented limits, offset mapping, RxNorm, throttling."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from adapter_support import stub_client
from botocore.stub import Stubber
from comprehend_fakes import DETECT_RESPONSE, RXNORM_RESPONSE, TEXT, DictionaryComprehend
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medscribe.adapters.comprehend import (
    DETECT_MAX_BYTES,
    RXNORM_MAX_CHARS,
    ComprehendMedicalDetector,
    chunk_text,
    utf8_len,
)
from medscribe.errors import ServiceThrottled
from medscribe.shapes import DetectEntitiesV2Response


def _spans(response: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    return sorted((e["BeginOffset"], e["EndOffset"], e["Text"], e["Category"]) for e in response["Entities"])


def _all_offsets_match(text: str, response: dict[str, Any]) -> None:
    for e in response["Entities"]:
        assert text[e["BeginOffset"] : e["EndOffset"]] == e["Text"]
        for a in e.get("Attributes", []):
            assert text[a["BeginOffset"] : a["EndOffset"]] == a["Text"]
    for u in response.get("UnmappedAttributes", []):
        a = u["Attribute"]
        assert text[a["BeginOffset"] : a["EndOffset"]] == a["Text"]


# ---- documented shapes through a real client (Stubber validates requests and responses) -----------------


def test_short_text_is_one_documented_call_and_keeps_the_response_shape() -> None:
    # Given a text well under the limit and a DetectEntitiesV2 response in the documented shape
    client = stub_client("comprehendmedical")
    detector = ComprehendMedicalDetector(client, infer_rxnorm=False)
    with Stubber(client) as stub:
        stub.add_response("detect_entities_v2", copy.deepcopy(DETECT_RESPONSE), {"Text": TEXT})
        # When entities are detected
        result = detector.detect_entities(TEXT)
        stub.assert_no_pending_responses()
    # Then the merged response validates against our model, offsets index the text, nothing is lost
    DetectEntitiesV2Response.model_validate(result)
    _all_offsets_match(TEXT, result)
    assert _spans(result) == _spans(DETECT_RESPONSE)
    assert result["UnmappedAttributes"][0]["Attribute"]["Text"] == "Left"
    assert result["ModelVersion"] == "2.4.0"
    ids = [e["Id"] for e in result["Entities"]] + [
        a["Id"] for e in result["Entities"] for a in e["Attributes"]
    ]
    ids += [u["Attribute"]["Id"] for u in result["UnmappedAttributes"]]
    assert len(ids) == len(set(ids)) == 5


def test_rxnorm_concepts_are_attached_to_the_matching_medication() -> None:
    # Given DetectEntitiesV2 and InferRxNorm responses for the same text
    client = stub_client("comprehendmedical")
    detector = ComprehendMedicalDetector(client, infer_rxnorm=True)
    with Stubber(client) as stub:
        stub.add_response("detect_entities_v2", copy.deepcopy(DETECT_RESPONSE), {"Text": TEXT})
        stub.add_response("infer_rx_norm", copy.deepcopy(RXNORM_RESPONSE), {"Text": TEXT})
        # When entities are detected with RxNorm on
        result = detector.detect_entities(TEXT)
        stub.assert_no_pending_responses()
    # Then the medication carries RxNormConcepts (best score first) and nothing else does
    by_text = {e["Text"]: e for e in result["Entities"]}
    assert [c["Code"] for c in by_text["aspirin"]["RxNormConcepts"]] == ["1191", "243670"]
    assert set(by_text["aspirin"]["RxNormConcepts"][0]) == {"Code", "Description", "Score"}
    assert "RxNormConcepts" not in by_text["chest pain"]
    DetectEntitiesV2Response.model_validate(result)


def test_no_rxnorm_call_without_medications() -> None:
    # Given a response with no MEDICATION entity
    client = stub_client("comprehendmedical")
    response = copy.deepcopy(DETECT_RESPONSE)
    response["Entities"] = [e for e in response["Entities"] if e["Category"] != "MEDICATION"]
    with Stubber(client) as stub:
        stub.add_response("detect_entities_v2", response, {"Text": TEXT})
        # When detected with RxNorm on, Then no InferRxNorm call is made (the Stubber would fail on one)
        result = ComprehendMedicalDetector(client).detect_entities(TEXT)
        stub.assert_no_pending_responses()
    assert [e["Text"] for e in result["Entities"]] == ["chest pain"]


def test_two_windows_shift_offsets_and_renumber_ids() -> None:
    # Given a text that needs two windows at a small chunk size, each answered in window coordinates
    filler = "Vitals were stable and the exam was otherwise unremarkable today. " * 3
    text = TEXT + " " + filler + TEXT
    client = stub_client("comprehendmedical")
    detector = ComprehendMedicalDetector(client, infer_rxnorm=False, detect_chunk_bytes=300, context_bytes=40)
    chunks = chunk_text(text, 300, 40)
    assert len(chunks) == 2
    with Stubber(client) as stub:
        for chunk in chunks:
            window = text[chunk.start : chunk.end]
            response = copy.deepcopy(DETECT_RESPONSE)
            base = window.find(TEXT) if TEXT in window else None
            if base is None:  # the window holds the sentence only in its context: report nothing there
                response["Entities"], response["UnmappedAttributes"] = [], []
            else:
                for e in response["Entities"]:
                    e["BeginOffset"] += base
                    e["EndOffset"] += base
                    for a in e.get("Attributes", []):
                        a["BeginOffset"] += base
                        a["EndOffset"] += base
                for u in response["UnmappedAttributes"]:
                    u["Attribute"]["BeginOffset"] += base
                    u["Attribute"]["EndOffset"] += base
            stub.add_response("detect_entities_v2", response, {"Text": window})
        # When detected
        result = detector.detect_entities(text)
        stub.assert_no_pending_responses()
    # Then both sentences' entities come back at full-text offsets, each once, with unique ids
    _all_offsets_match(text, result)
    second = len(TEXT) + 1 + len(filler)
    assert [e["BeginOffset"] for e in result["Entities"]] == [15, 33, second + 15, second + 33]
    assert [u["Attribute"]["BeginOffset"] for u in result["UnmappedAttributes"]] == [54, second + 54]
    ids = [e["Id"] for e in result["Entities"]] + [
        a["Id"] for e in result["Entities"] for a in e["Attributes"]
    ]
    ids += [u["Attribute"]["Id"] for u in result["UnmappedAttributes"]]
    assert len(ids) == len(set(ids)) == 10


# ---- throttling ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        pytest.param("ThrottlingException", 400, id="throttled"),
        pytest.param("TooManyRequestsException", 400, id="too many requests"),
        pytest.param("ServiceUnavailableException", 500, id="unavailable"),
        pytest.param("InternalServerException", 500, id="internal error"),
    ],
)
def test_a_transient_error_that_survives_botocore_is_service_throttled_after_one_call(
    code: str, status: int
) -> None:
    # Given a service that still throttles (or is still unavailable) once botocore's own attempts are spent
    client = stub_client("comprehendmedical")
    detector = ComprehendMedicalDetector(client, infer_rxnorm=False)
    with Stubber(client) as stub:
        stub.add_client_error("detect_entities_v2", code, "Rate exceeded or unavailable", status)
        # When detected, Then ServiceThrottled naming the code (the state machine's retry map retries the step)
        # after exactly that one call: the adapter adds no retry loop of its own
        with pytest.raises(ServiceThrottled, match=code):
            detector.detect_entities(TEXT)
        stub.assert_no_pending_responses()


def test_the_comprehend_client_retries_in_botocore_standard_mode() -> None:
    # Given the client the Lambda wiring builds, When its retry configuration is read, Then botocore owns the
    # per-call retries: standard mode (backoff with jitter, throttling and 5xx codes), 5 retries = 6 calls.
    # With the state machine's MaxAttempts 5 on ServiceThrottled, a chunk costs at most 6 x 6 = 36 calls.
    from medscribe import wiring

    config = wiring.client("comprehendmedical").meta.config
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] == 6


def test_other_errors_are_not_retried() -> None:
    client = stub_client("comprehendmedical")
    detector = ComprehendMedicalDetector(client, infer_rxnorm=False)
    with Stubber(client) as stub:
        stub.add_client_error("detect_entities_v2", "InvalidRequestException", "bad", 400)
        with pytest.raises(Exception, match="InvalidRequestException"):
            detector.detect_entities(TEXT)
        stub.assert_no_pending_responses()


# ---- limits by construction ------------------------------------------------------------------------------

SENTENCES = [
    "Patient reports chest pain since Monday. ",
    "She takes aspirin 81 mg daily and metformin 500 mg twice a day. ",
    "Denies shortness of breath! ",
    "Le patient reçoit héparine 40 mg — très bien. ",
    "患者はアスピリン 100 mg を服用しています。 ",
    "Pain radiates to the left arm? ",
    "Vitals 😀 stable.\n",
]


def _transcript(target_bytes: int, seed: int) -> str:
    rng = random.Random(seed)
    parts, size = [], 0
    while size < target_bytes:
        s = rng.choice(SENTENCES)
        parts.append(s)
        size += utf8_len(s)
    return "".join(parts)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_transcript(100_000, 1), id="100KB-mixed-multibyte"),
        pytest.param("aspirin 81 mg and chest pain " * 3500, id="100KB-no-sentence-ends"),
        pytest.param("é" * 60_000, id="120KB-one-multibyte-token"),
        pytest.param(("x" * 30_000 + " aspirin 81 mg. ") * 3, id="tokens-longer-than-a-window"),
    ],
)
def test_long_transcripts_never_produce_an_oversized_request(text: str) -> None:
    # Given a transcript far larger than one request allows
    fake = DictionaryComprehend()
    # When entities are detected with the default (production) limits
    result = ComprehendMedicalDetector(fake, infer_rxnorm=True).detect_entities(text)
    # Then every DetectEntitiesV2 request is < 20,000 UTF-8 bytes and every InferRxNorm one <= 10,000 chars
    assert fake.detect_texts
    assert max(utf8_len(t) for t in fake.detect_texts) < DETECT_MAX_BYTES
    assert all(len(t) <= RXNORM_MAX_CHARS for t in fake.rxnorm_texts)
    # and the result equals what one unlimited call would give
    assert _spans(result) == _spans(DictionaryComprehend()._whole(text))
    _all_offsets_match(text, result)


# ---- properties ------------------------------------------------------------------------------------------

TOKENS = [
    "aspirin",
    "metformin",
    "chest pain",
    "shortness of breath",
    "héparine",
    "アスピリン",
    "left arm",
    "81 mg",
    "the",
    "patient",
    "naïve",
    "日本語",
    "😀",
    "x" * 37,
    "é" * 23,
]
SEPARATORS = [" ", " ", " ", ". ", "! ", "\n", ", ", "", "  ", "? "]
texts = st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS)), max_size=120).map(
    lambda parts: "".join(t + s for t, s in parts)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, max_bytes=st.integers(min_value=170, max_value=700))
def test_chunks_are_under_the_limit_and_their_cores_partition_the_text(text: str, max_bytes: int) -> None:
    # When a text is chunked
    chunks = chunk_text(text, max_bytes, 80)
    # Then no window exceeds the byte limit, windows contain their cores, and the cores tile the text
    assert all(utf8_len(text[c.start : c.end]) <= max_bytes for c in chunks)
    assert all(c.start <= c.core_start < c.core_end <= c.end for c in chunks)
    assert [c.core_start for c in chunks[1:]] == [c.core_end for c in chunks[:-1]]
    if text:
        assert chunks[0].core_start == 0
        assert chunks[-1].core_end == len(text)
    else:
        assert chunks == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, max_bytes=st.integers(min_value=170, max_value=700))
def test_chunked_detection_equals_whole_text_detection(text: str, max_bytes: int) -> None:
    # Given a dictionary NER that finds the same entities wherever it sees them whole
    fake = DictionaryComprehend()
    detector = ComprehendMedicalDetector(
        fake, infer_rxnorm=True, detect_chunk_bytes=max_bytes, rxnorm_chunk_bytes=max_bytes, context_bytes=80
    )
    # When the text is detected in windows
    result = detector.detect_entities(text)
    # Then no request exceeded the limit, and no entity was lost or duplicated at a window edge
    assert all(utf8_len(t) <= max_bytes for t in fake.detect_texts + fake.rxnorm_texts)
    whole = fake._whole(text)
    assert _spans(result) == _spans(whole)
    # offsets map back to identical substrings (entities and their attributes), and ids are unique
    _all_offsets_match(text, result)
    attr_spans = sorted((a["BeginOffset"], a["Text"]) for e in result["Entities"] for a in e["Attributes"])
    assert attr_spans == sorted(
        (a["BeginOffset"], a["Text"]) for e in whole["Entities"] for a in e["Attributes"]
    )
    ids = [e["Id"] for e in result["Entities"]] + [
        a["Id"] for e in result["Entities"] for a in e["Attributes"]
    ]
    assert len(ids) == len(set(ids))
    # every medication got its RxNorm concepts
    assert all("RxNormConcepts" in e for e in result["Entities"] if e["Category"] == "MEDICATION")
