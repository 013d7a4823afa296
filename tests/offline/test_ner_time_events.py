"""Offline detector, session 15 (time12): what a time is counted from and said of. A time counted from an event the
detector finds as an entity ("since the stroke", "two days after the colonoscopy") is whole and dates another
entity, never its own event (``time_events``); a procedure no list holds, named by its word form ("hemicolectomy",
"aortic valve replacement"), is an entity a time dates (``procedure_forms``). Each case runs on the punctuated text
and on its recogniser form, through the pipeline's normalisation, and reads the DetectEntitiesV2 shape."""

from __future__ import annotations

from typing import Any

import pytest
from ner_support import FORMS, check_offsets_and_ids
from ner_support import dated_by as _dated
from ner_support import said_key as _key
from ner_support import time_entities as _times

from medscribe.offline.ner import OfflineEntityDetector
from medscribe.textnorm import normalize_clinical_text


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated", "event"),
    [
        ("Low mood since the stroke.", "since the stroke", "Low mood", "stroke"),
        ("Constipation since the operation.", "since the operation", "Constipation", "operation"),
        ("Back pain since her hip replacement.", "since her hip replacement", "Back pain", "hip replacement"),
        (
            "Rectal bleeding two days after the colonoscopy.",
            "two days after the colonoscopy",
            "Rectal bleeding",
            None,
        ),
        ("Anxiety since the birth of her daughter.", "since the birth of her daughter", "Anxiety", None),
        (
            "Incontinence since the birth of her second child.",
            "since the birth of her second child",
            "Incontinence",
            None,
        ),  # an ordinal before whose birth it was (session 16)
    ],
)
def test_a_time_counted_from_a_named_event_keeps_the_event_and_dates_another_entity(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, dated: str, event: str | None
) -> None:
    # Given a time counted from an event the detector finds as an entity of its own (a condition, a procedure)
    said = normalize_clinical_text(form(text))
    resp = detector.detect_entities(said)
    times = [e for e in resp["Entities"] if e["Category"] == "TIME_EXPRESSION"]
    # Then the time is whole, with its event, and dates the other entity, never the event inside it
    assert _key(dated) in _dated(times).get(_key(time), set()), times
    assert all(_key(a["Text"]) != _key(event or "") for t in times for a in t["Attributes"])
    # and the event stays an entity (AWS returns both)
    assert event is None or _key(event) in {_key(e["Text"]) for e in resp["Entities"]}


def test_after_a_count_of_time_a_condition_is_what_is_dated_not_the_times_event(
    detector: OfflineEntityDetector,
) -> None:
    times = _times(detector, "Aphasia six weeks after a left MCA infarct.")
    assert not any("after" in t["Text"] for t in times), times


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "procedure", "type_"),
    [
        ("Listed for a sigmoid colectomy on Friday.", "on Friday", "colectomy", "PROCEDURE_NAME"),
        (
            "After a carpal tunnel decompression and a trapeziectomy in June.",
            "in June",
            "trapeziectomy",
            "PROCEDURE_NAME",
        ),
        ("Septoplasty next month.", "next month", "Septoplasty", "PROCEDURE_NAME"),
        ("Tricuspid valve repair last year.", "last year", "Tricuspid valve repair", "PROCEDURE_NAME"),
        ("Extraction of two premolars tomorrow.", "tomorrow", "Extraction", "PROCEDURE_NAME"),
        # session 16: a test named by its head noun after what is tested
        ("Genetic testing last year was negative.", "last year", "Genetic testing", "TEST_NAME"),
        ("Her partner's semen analysis in June was normal.", "in June", "semen analysis", "TEST_NAME"),
    ],
)
def test_a_procedure_named_by_its_word_form_is_what_its_time_dates(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, procedure: str, type_: str
) -> None:
    # Given a procedure (or test) no list holds, named by a surgical suffix, an operative noun after its site or
    # before "of", or a test's head noun after what is tested
    said = normalize_clinical_text(form(text))
    resp = detector.detect_entities(said)
    check_offsets_and_ids(resp, said)
    procedures = [e for e in resp["Entities"] if e["Type"] == type_]
    # Then it is a PROCEDURE_NAME (TEST_NAME) entity, and the time said with it dates it (TIME_TO_<its type>)
    assert _key(procedure) in {_key(p["Text"]) for p in procedures}, resp["Entities"]
    times = [e for e in resp["Entities"] if e["Category"] == "TIME_EXPRESSION"]
    assert _dated(times).get(_key(time)) == {_key(procedure)}, times
    assert {t["Type"] for t in times} == {f"TIME_TO_{type_}"}


@pytest.mark.parametrize(
    ("text", "word", "procedure"),
    [
        (
            "Kidney transplant in 2009, stable.",
            "transplant",
            False,
        ),  # a standing state, no operative noun here
        ("On hormone replacement therapy.", "replacement", False),  # a list's name keeps its category
        ("A false dichotomy, no pain.", "dichotomy", False),  # a suffix's look-alike
        ("Internal fixation of the radius on Monday.", "fixation", True),  # before "of", dated
        ("She has had a colostomy, no pain.", "colostomy", False),  # undated: a standing fact, not reported
        ("Genetic testing was negative.", "testing", False),  # undated: not reported
        ("Further testing next week for the cough.", "testing", False),  # no name of what is tested
    ],
)
def test_procedure_words_leave_other_entities_and_look_alikes(
    detector: OfflineEntityDetector, text: str, word: str, procedure: bool
) -> None:
    resp = detector.detect_entities(text)
    begin = text.index(word)
    holding = {e["Type"] for e in resp["Entities"] if e["BeginOffset"] <= begin < e["EndOffset"]}
    assert bool(holding & {"PROCEDURE_NAME", "TEST_NAME"}) is procedure, resp["Entities"]
