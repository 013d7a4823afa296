"""Offline DetectEntitiesV2 stand-in: response shape, offsets, negation, linking, scores, PHI."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ner_support import attrs, check_offsets_and_ids, entities, one, spans, trait

from medscribe.offline.ner import MODEL_VERSION, OfflineEntityDetector
from medscribe.shapes import DetectEntitiesV2Response

NOTE = (
    "Mr. John Smith is a 54 year old man with hypertension and type 2 diabetes. He takes metformin 500 mg "
    "by mouth twice daily and Lipitor 20 mg at bedtime. He denies chest pain or shortness of breath but "
    "reports fatigue. A1c of 7.2 percent, blood pressure 140/90. Call 555-123-4567."
)


# ---- shape and offsets ----------------------------------------------------------------------------------
def test_response_validates_against_the_detectentitiesv2_model(detector: OfflineEntityDetector) -> None:
    # Given a dictation with every category / When detecting
    resp = detector.detect_entities(NOTE)
    # Then it is the AWS shape, strictly (no stray keys on entities, attributes, traits)
    parsed = DetectEntitiesV2Response.model_validate(resp)
    assert resp["ModelVersion"] == MODEL_VERSION
    assert set(resp) == {"Entities", "UnmappedAttributes", "ModelVersion"}
    entity_keys = {
        "Id",
        "BeginOffset",
        "EndOffset",
        "Score",
        "Text",
        "Category",
        "Type",
        "Traits",
        "Attributes",
    }
    attr_keys = {"Type", "Score", "RelationshipScore", "RelationshipType", "Id", "BeginOffset", "EndOffset"}
    attr_keys |= {"Text", "Category", "Traits"}
    for e in resp["Entities"]:
        assert set(e) == entity_keys
        for a in e["Attributes"]:
            assert set(a) == attr_keys
    categories = {e.Category for e in parsed.Entities}
    assert {
        "MEDICATION",
        "MEDICAL_CONDITION",
        "TEST_TREATMENT_PROCEDURE",
        "PROTECTED_HEALTH_INFORMATION",
    } <= categories


def test_offsets_are_exact_and_ids_unique(detector: OfflineEntityDetector) -> None:
    text = "  Pt   takes METFORMIN\t500mg  b.i.d.;\n\nno fever.  " + NOTE
    resp = detector.detect_entities(text)
    assert len(spans(resp)) > 10
    check_offsets_and_ids(resp, text)
    assert attrs(one(resp, "METFORMIN")) == {"DOSAGE": "500mg", "FREQUENCY": "b.i.d."}


def test_empty_text_gives_an_empty_valid_response(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("")
    DetectEntitiesV2Response.model_validate(resp)
    assert resp["Entities"] == []
    assert resp["UnmappedAttributes"] == []


def test_construction_loads_nothing() -> None:
    # Given the cached loaders cleared / When constructing a detector / Then no dictionary was loaded
    from medscribe.offline import ner_lexicon

    ner_lexicon.drug_lexicon.cache_clear()
    OfflineEntityDetector()
    assert ner_lexicon.drug_lexicon.cache_info().currsize == 0


# ---- medications ----------------------------------------------------------------------------------------
def test_brand_and_generic_names(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities(
        "Continue Lipitor and metformin, then Tylenol or acetaminophen, and Keflex."
    )
    assert one(resp, "Keflex")["Type"] == "BRAND_NAME"  # a brand the package's dictionary lacks (override)
    assert one(resp, "Lipitor")["Type"] == "BRAND_NAME"
    assert one(resp, "Tylenol")["Type"] == "BRAND_NAME"
    assert one(resp, "metformin")["Type"] == "GENERIC_NAME"
    assert one(resp, "acetaminophen")["Type"] == "GENERIC_NAME"


def test_attributes_link_to_the_right_drug_in_a_two_drug_sentence(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities(
        "He takes metformin 500 mg by mouth twice daily and lisinopril 10 mg once a day for 7 days."
    )
    met, lis = one(resp, "metformin"), one(resp, "lisinopril")
    assert attrs(met) == {"DOSAGE": "500 mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "twice daily"}
    assert attrs(lis) == {"DOSAGE": "10 mg", "FREQUENCY": "once a day", "DURATION": "for 7 days"}
    for a in met["Attributes"] + lis["Attributes"]:
        assert a["RelationshipType"] == a["Type"]
        assert a["Category"] == "MEDICATION"
        assert 0.5 <= a["RelationshipScore"] <= 1.0
    # the nearer attribute is linked more confidently than the farther one
    rel = {a["Text"]: a["RelationshipScore"] for a in met["Attributes"]}
    assert rel["500 mg"] > rel["twice daily"]


def test_amount_of_drug_links_forward(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Take 500 mg of metformin and 10 mg of lisinopril.")
    assert attrs(one(resp, "metformin")) == {"DOSAGE": "500 mg"}
    assert attrs(one(resp, "lisinopril")) == {"DOSAGE": "10 mg"}


def test_attributes_do_not_cross_sentences(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Continue aspirin. Take 2 tablets twice daily with food.")
    assert one(resp, "aspirin")["Attributes"] == []
    unmapped = {u["Attribute"]["Type"] for u in resp["UnmappedAttributes"]}
    assert {"DOSAGE", "FREQUENCY"} <= unmapped
    assert all(u["Type"] == "MEDICATION" for u in resp["UnmappedAttributes"])


def test_spelled_out_doses_from_asr(detector: OfflineEntityDetector) -> None:
    # Given lower-case ASR text with spelled-out numbers and no punctuation
    text = (
        "start metformin five hundred milligrams two times daily and insulin glargine twenty units at bedtime"
    )
    resp = detector.detect_entities(text)
    assert attrs(one(resp, "metformin")) == {
        "DOSAGE": "five hundred milligrams",
        "FREQUENCY": "two times daily",
    }
    assert attrs(one(resp, "insulin glargine")) == {"DOSAGE": "twenty units", "FREQUENCY": "at bedtime"}


def test_frequency_with_as_needed_is_one_attribute(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities("Use acetaminophen 500 mg every 6 hours as needed for pain.")
    assert attrs(one(resp, "acetaminophen"))["FREQUENCY"] == "every 6 hours as needed"


# ---- scores ---------------------------------------------------------------------------------------------
def test_exact_beats_fuzzy_and_a_poor_short_fuzzy_match_is_below_the_filter(
    detector: OfflineEntityDetector,
) -> None:
    exact = one(detector.detect_entities("metformin 500 mg"), "metformin")
    fuzzy = one(detector.detect_entities("metforman 500 mg"), "metforman")
    poor = one(detector.detect_entities("zocer daily"), "zocer")
    assert fuzzy["Type"] == "GENERIC_NAME"
    assert exact["Score"] > fuzzy["Score"] >= 0.5
    assert poor["Score"] < 0.5
    # the fuzzy match still carries its attributes
    assert attrs(fuzzy) == {"DOSAGE": "500 mg"}


def test_fuzzy_can_be_disabled() -> None:
    # Given fuzzy matching off / When a misspelt drug is followed by a strength
    resp = OfflineEntityDetector(fuzzy=False).detect_entities("metforman 500 mg")
    # Then it is not read as metformin, only kept as an unknown name for review (convention changed: it used
    # to be dropped)
    [med] = entities(resp, "MEDICATION")
    assert trait(med, "LOW_CONFIDENCE") is not None
    assert 0.5 <= med["Score"] < 0.7
    assert OfflineEntityDetector(fuzzy=False).detect_entities("metforman daily")["Entities"] == []


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        ("Zyntravex 10 mg daily", "Zyntravex", "BRAND_NAME"),
        ("start quorvalin 20 mg at bedtime", "quorvalin", "GENERIC_NAME"),
        ("zocer 20 mg daily", "zocer", "BRAND_NAME"),  # a weak fuzzy match (Zocor) before a strength
    ],
)
def test_unknown_name_before_a_strength_is_kept_for_review(
    detector: OfflineEntityDetector, text: str, name: str, type_: str
) -> None:
    # Given a drug name no dictionary knows, right before a strength / When detecting
    resp = detector.detect_entities(text)
    med = one(resp, name)
    # Then it is a medication above the keep filter, below the review threshold, flagged LOW_CONFIDENCE,
    # and the strength is linked to it instead of being orphaned
    assert (med["Category"], med["Type"]) == ("MEDICATION", type_)
    assert 0.5 <= med["Score"] < 0.7
    assert trait(med, "LOW_CONFIDENCE") is not None
    assert "DOSAGE" in attrs(med)
    assert resp["UnmappedAttributes"] == []


def test_ordinary_words_before_a_strength_are_not_drugs(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities(
        "Take 40 mg by mouth. Then give another 10 mg tonight. Patient weighs 70 kg."
    )
    assert entities(resp, "MEDICATION") == []


def test_ordinary_words_are_not_drugs(detector: OfflineEntityDetector) -> None:
    resp = detector.detect_entities(
        "She walks daily, drinks coffee and water, and her sugars are better. Plan to recheck in three months."
    )
    assert entities(resp, "MEDICATION") == []


# ---- dictionary cache -----------------------------------------------------------------------------------
def test_drug_table_cache_round_trip(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a cache dir and a (small) built table / When loaded twice / Then the second load reads the file
    from medscribe.offline import ner_drug_table as table
    from medscribe.offline import ner_lexicon as lex

    monkeypatch.setenv("MEDSCRIBE_NER_CACHE_DIR", str(tmp_path))
    (tmp_path / "drug-names-0000000000000000.json.gz").write_bytes(b"stale table of an older version")
    built = {"foomab": lex.DrugName("Foomab", is_brand=False, tier=2)}
    calls: list[int] = []

    def fake_build(clinical: Any) -> dict[str, lex.DrugName]:
        calls.append(1)
        return built

    monkeypatch.setattr(table, "_build_drug_names", fake_build)
    clinical = {"sinusitis": lex.Concept("MEDICAL_CONDITION", "DX_NAME", "sinusitis")}
    assert table.load_drug_names(clinical, write=True) == built
    assert table.load_drug_names(clinical, write=True) == built
    assert calls == [1]
    assert [p.name for p in tmp_path.glob("drug-names-*.json.gz")] == [table._cache_file(clinical).name]
    # Then another set of clinical phrases (a rule of the conditions lists changed) is another table
    assert table._cache_file({**clinical, "cough": clinical["sinusitis"]}) != table._cache_file(clinical)
    assert table.load_drug_names({}) == built
    assert calls == [1, 1]


# ---- unpunctuated ASR runs ------------------------------------------------------------------------------
def test_unpunctuated_run_keeps_negation_and_durations_where_they_belong(
    detector: OfflineEntityDetector,
) -> None:
    # Given ASR text with no sentence ends between a negated symptom list and a new medication
    text = "he has a cough for five days no fever use fluticasone nasal spray two sprays once daily"
    resp = detector.detect_entities(text)
    # Then the negation stops at the medication, and the duration belongs to the cough, not the drug
    assert trait(one(resp, "fever"), "NEGATION") is not None
    flut = one(resp, "fluticasone")
    assert trait(flut, "NEGATION") is None
    assert attrs(flut) == {"FORM": "nasal spray", "DOSAGE": "two sprays", "FREQUENCY": "once daily"}
    assert attrs(one(resp, "cough")) == {}
    assert [a["Text"] for a in one(resp, "for five days")["Attributes"]] == ["cough"]
    assert [e["Text"] for e in entities(resp, "MEDICATION")] == ["fluticasone"]


# ---- any text ------------------------------------------------------------------------------------------
_VOCAB = (
    "metformin 500 mg twice daily no denies fever chest pain . , ; by mouth five hundred milligrams Dr. Smith "
    "54 year old A1c of 7.2 percent stopped aspirin for 7 days every 8 hours as needed \n lisinoprel x"
)
_WORDS = st.sampled_from(_VOCAB.split(" "))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(_WORDS, st.text(max_size=6)), max_size=40).map(" ".join))
@example("chest fever")  # a site that is also a top-level ANATOMY entity: one mention, one Id
def test_any_text_gives_a_valid_response_with_exact_offsets(
    detector: OfflineEntityDetector, text: str
) -> None:
    resp = detector.detect_entities(text)
    DetectEntitiesV2Response.model_validate(resp)
    check_offsets_and_ids(resp, text)


def test_unpunctuated_run_links_across_no_instruction_verb(detector: OfflineEntityDetector) -> None:
    text = (
        "check blood sugar every morning start glipizide five milligrams once daily continue metformin "
        "five hundred milligrams twice daily recheck a one c every three months"
    )
    resp = detector.detect_entities(text)
    assert attrs(one(resp, "glipizide")) == {"DOSAGE": "five milligrams", "FREQUENCY": "once daily"}
    assert attrs(one(resp, "metformin")) == {
        "DOSAGE": "five hundred milligrams",
        "FREQUENCY": "twice daily",
    }
    unmapped = {u["Attribute"]["Text"] for u in resp["UnmappedAttributes"]}
    assert unmapped == {"every morning", "every three months"}
