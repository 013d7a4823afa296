"""Offline detector, session 12 (time9): the time grammar (``time_grammar``: years, a symptom's recurrence) and the
clause rules of what a time expression dates (``time_links``). Each case runs on the punctuated text and on its
recogniser form, through the pipeline's normalisation, and reads the DetectEntitiesV2 shape: a TIME_EXPRESSION is
a top-level entity, Type TIME_TO_<type of what it dates>, whose Attributes are the entities it dates
(RelationshipType OVERLAP); with nothing to date it is not reported."""

from __future__ import annotations

from typing import Any

import pytest
from ner_support import FORMS, check_offsets_and_ids
from ner_support import dated_by as _dated
from ner_support import said_key as _key
from ner_support import time_entities as _times

from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner.time_grammar import RECURRENCE_RE, TIME_RE


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated", "type_"),
    [
        ("Hx of MI in 2015.", "in 2015", "MI", "TIME_TO_DX_NAME"),
        ("Allergic to penicillin, anaphylaxis in 2009.", "in 2009", "anaphylaxis", "TIME_TO_DX_NAME"),
        ("Knee replacement in the spring of 2020.", "in the spring of 2020", "Knee replacement", None),
        (
            "Chronic migraine, with attacks on 12 days a month.",
            "12 days a month",
            "migraine",
            "TIME_TO_DX_NAME",
        ),
        ("Wheeze more than once a week.", "more than once a week", "Wheeze", "TIME_TO_DX_NAME"),
        ("Admitted on 3 March with pneumonia.", "on 3 March", "pneumonia", "TIME_TO_DX_NAME"),
        # session 16: a weekday with a plural part of the day, "mid-", a season or month after a bound
        ("Heel pain worse on Saturday afternoons.", "on Saturday afternoons", "Heel pain", "TIME_TO_DX_NAME"),
        ("Two hypos this week, both mid-morning.", "mid-morning", "hypos", "TIME_TO_DX_NAME"),
        ("Low mood on weekday mornings.", "on weekday mornings", "Low mood", "TIME_TO_DX_NAME"),
        ("Anxiety every afternoon.", "every afternoon", "Anxiety", "TIME_TO_DX_NAME"),
        ("His athlete's foot from the summer has cleared.", "from the summer", "athlete's foot", None),
        ("He injected an anabolic steroid until January.", "until January", "anabolic steroid", None),
        # a time ahead in a condition's "if" is the hypothetical condition's (PROCEDURE.md section 4)
        ("If the pain is no better in four weeks, we may try a patch.", "in four weeks", "pain", None),
        # a time ahead dates the test within reach, not the nearer condition
        (
            "Renal cyst, ultrasound of the cyst in two weeks.",
            "in two weeks",
            "ultrasound",
            "TIME_TO_TEST_NAME",
        ),
    ],
)
def test_years_and_recurrences_are_time_expressions_of_what_they_date(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, dated: str, type_: str | None
) -> None:
    # Given a year or a recurrence said with a condition or procedure (PROCEDURE.md section 4)
    times = _times(detector, form(text))
    # Then it is one time expression, whole, dating that entity (OVERLAP), typed by it
    assert _dated(times).get(_key(time)) == {_key(dated)}, times
    (t,) = [t for t in times if _key(t["Text"]) == _key(time)]
    assert all(a["RelationshipType"] == "OVERLAP" for a in t["Attributes"])
    assert type_ is None or t["Type"] == type_


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "She moved house in 2015.",  # nothing medical dated
        "Metformin 2000 mg twice daily.",  # a strength, not a year
        "Methotrexate 2.5 mg 5 days a week.",  # a drug's schedule
        "Growth is back up on the 50th centile.",  # no day of a month
        "He walks the dog at weekends and swims most mornings.",  # habits, nothing medical dated
        "Night sweats; she is on bed 12 of ward 4, room 7, at 50 kg.",  # places and a weight, no time
        # session 16 (time_scope): an amount's period is the drug's, a limit or a step of its plan
        "Ibuprofen 400 mg three times a day, no more than 1200 mg in a day.",
        "Codeine 30 mg when needed, not more than 8 tablets in a day, for chest wall pain.",
        "Increase the sertraline to 100 mg in two weeks.",
        "Lymecycline was stopped after three weeks with no benefit.",  # how long a stopped drug was taken
        "Ibuprofen 200 mg every afternoon.",  # a drug's frequency
        # a time ahead of no test or procedure dates no condition: a visit's, a journey's
        "The ulcer on her shin, to be seen by the nurse in ten days.",
        "Trekking in Nepal next spring, with ulcerative colitis.",
    ],
)
def test_no_time_expression_without_an_entity_to_date_or_for_a_drugs_schedule(
    detector: OfflineEntityDetector, form: Any, text: str
) -> None:
    assert _times(detector, form(text)) == []


def test_a_drugs_days_a_week_is_its_frequency(detector: OfflineEntityDetector) -> None:
    said = "Methotrexate 2.5 mg 5 days a week."
    (drug,) = [e for e in detector.detect_entities(said)["Entities"] if e["Category"] == "MEDICATION"]
    assert ("FREQUENCY", "5 days a week") in {(a["Type"], a["Text"]) for a in drug["Attributes"]}


@pytest.mark.parametrize(
    "said",
    ["in 2015", "since 1998", "in two thousand and nine", "in two thousand fifteen", "in twenty fifteen",
     "in nineteen ninety eight", "in one thousand nine hundred ninety eight", "until the spring of 2020"],
)  # fmt: skip
def test_the_year_grammar_reads_digits_and_the_recognisers_words(said: str) -> None:
    m = TIME_RE.search(f"MI {said}.")
    assert m is not None
    assert m.group(0) == said


@pytest.mark.parametrize(
    "said",
    ["in 2000 mg", "in twenty five minutes", "in twenty minutes", "in 2015.5", "in 2015/16", "in 1500"],
)
def test_the_year_grammar_never_takes_an_amount(said: str) -> None:
    m = TIME_RE.search(said)
    assert m is None or m.group(0) != said.rstrip(".")
    assert m is None or not any(ch.isdigit() for ch in m.group(0)) or "ago" in m.group(0)


@pytest.mark.parametrize(
    ("said", "whole"),
    [
        ("more than once a week", True),
        ("at least twice a day", True),
        ("two or three times a month", True),
        ("twelve days a month", True),
        ("3 nights a week", True),
        ("once", False),
    ],
)
def test_the_recurrence_grammar(said: str, whole: bool) -> None:
    m = RECURRENCE_RE.fullmatch(said)
    assert (m is not None) is whole


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "not_dated"),
    [
        # a negation after the time opens the next clause of a recogniser's run-on
        ("Fell from a ladder this morning no head injury", "this morning", "head injury"),
        # a condition's "if" between a drug and a time: the time is the condition's, not the drug's
        (
            "Insulatard 4 units at bedtime if the fasting sugars are still above 5.3 after three days increase "
            "to 6 units",
            "after three days",
            "Insulatard",
        ),
        # another subject and its verb between an entity and a time: the time is that clause's event
        ("Dry cough at night. His son came with him today and took notes.", "today", "cough"),
        ("If the rash spreads, she should ring us the same day.", "the same day", "rash"),
        ("Swollen ankles, the nurse checked her feet this morning.", "this morning", "swollen"),
        (
            "Lactulose 10 mL twice daily. Her new practice nurse changed the dressing yesterday.",
            "yesterday",
            "Lactulose",
        ),
    ],
)
def test_a_time_dates_nothing_across_a_clause_break(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, not_dated: str
) -> None:
    dated = _dated(_times(detector, form(text)))
    assert _key(not_dated) not in dated.get(_key(time), set()), dated


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated"),
    [
        # "clinic" right before a time is a follow-up's only when the time is ahead
        ("Ceftriaxone 1 g intramuscularly was given in clinic today.", "today", "Ceftriaxone"),
        # a time opening its clause dates that clause's event, across its subject
        ("Today he reports presyncope on exertion.", "Today", "presyncope"),
        ("Known hypertension, but today he is hypotensive.", "today", "hypotensive"),
        # "for" names the purpose of a visit: the test is what the time dates
        ("Return in 2 weeks for a repeat A1c.", "in 2 weeks", "A1c"),
        # a relative clause of the entity, or a subordinate clause, still dates it
        ("The ramipril she stopped a fortnight ago gave her a cough.", "a fortnight ago", "ramipril"),
        ("The psoriasis has flared since they moved house two months ago.", "two months ago", "psoriasis"),
        # a word the drug matchers read as a compound person word ("maxi" + "mum") is no clause's subject
        (
            "Melatonin 2 mg at night, the maximum being 6 mg, to go up in a fortnight.",
            "in a fortnight",
            "Melatonin",
        ),
        # a time that closes its clause dates what it follows, not the next sentence's entity (a recogniser
        # writes no full stop: "... an hour ago tender over ...")
        (
            "Pain in the left wrist since slipping on ice an hour ago. Tender over the scaphoid.",
            "an hour ago",
            "Pain",
        ),
        (
            "Breathless on the stairs for three weeks. Swelling of both ankles.",
            "for three weeks",
            "Breathless",
        ),
        ("Headache worse in the mornings for a month. Nausea on waking.", "for a month", "Headache"),
        # a stretch before "of" after "after" is the condition's history, without the preposition
        ("Admitted with dehydration after three days of vomiting.", "three days", "vomiting"),
    ],
)
def test_a_time_dates_the_event_of_its_clause(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, dated: str
) -> None:
    assert _dated(_times(detector, form(text))).get(_key(time)) == {_key(dated)}


def test_a_visits_time_ahead_still_dates_nothing(detector: OfflineEntityDetector) -> None:
    assert _times(detector, "Review in clinic in 6 weeks.") == []


def test_a_phi_date_stays_a_date_and_with_its_preposition_dates_what_it_dates(
    detector: OfflineEntityDetector,
) -> None:
    said = "Admitted on 3 March with pneumonia."
    resp = detector.detect_entities(said)
    check_offsets_and_ids(resp, said)
    phi = [
        (e["Type"], e["Text"]) for e in resp["Entities"] if e["Category"] == "PROTECTED_HEALTH_INFORMATION"
    ]
    assert phi == [("DATE", "3 March")]
    assert _dated(_times(detector, said)) == {_key("on 3 March"): {"pneumonia"}}


def test_a_day_of_the_month_said_as_a_digit_ordinal_is_a_date(detector: OfflineEntityDetector) -> None:
    # (the recogniser says "the fourth", which names a floor or a dose as often as a day: not read as a date)
    assert _dated(_times(detector, "Rash since the 4th.")) == {_key("since the 4th"): {"rash"}}


@pytest.mark.parametrize("form", FORMS)
def test_a_duration_after_a_condition_and_its_site_dates_the_condition_not_the_next_drug(
    detector: OfflineEntityDetector, form: Any
) -> None:
    # Given a symptom with its site, its duration, then (run on, in recogniser form) a drug of the next sentence
    text = "She has had tingling in both feet for two months. Her cyanocobalamin 50 microgram tablets have been stopped."
    # Then the duration dates the symptom, as a time expression, and is no course of the drug
    assert _dated(_times(detector, form(text))).get(_key("for two months")) == {_key("tingling")}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated"),
    [
        ("Ulcerative colitis, left sided, diagnosed in 2017.", "in 2017", "ulcerative colitis"),
        ("Type 2 diabetes, on diet alone, for the past 4 years.", "for the past 4 years", "type 2 diabetes"),
        ("Migraine, with aura, three times a month.", "three times a month", "migraine"),
        ("Fell down the stairs two days ago, now with wrist pain.", "two days ago", "wrist pain"),
    ],
)
def test_commas_rank_what_a_time_dates_and_never_drop_it(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, dated: str
) -> None:
    # Given a time whose only entity within reach stands across a comma (a recogniser writes no commas)
    dated_by = _dated(_times(detector, form(text)))
    # Then both forms give the time expression, dating that entity (its name, or its name with what follows it)
    assert _key(time) in dated_by
    assert any(d.startswith(_key(dated)) for d in dated_by[_key(time)])


def test_a_comma_still_ranks_the_nearer_clause_first(detector: OfflineEntityDetector) -> None:
    # Given a time between two entities, a comma after it: it dates the one of its own clause
    assert _dated(_times(detector, "Rash on the arms for one week, itchy cough."))[_key("for one week")] == {
        "rash"
    }


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated"),
    [
        ("A 5-day history of sore throat.", "5-day", "sore throat"),
        ("Three-week history of back pain.", "Three-week", "back pain"),
    ],
)
def test_a_duration_before_history_of_is_the_conditions_time(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, dated: str
) -> None:
    # Given a condition's duration said before "history of", hyphenated (the recogniser writes a space)
    # Then it is the condition's time expression in both forms
    assert _dated(_times(detector, form(text))) == {_key(time): {_key(dated)}}


def test_a_test_name_holding_a_time_is_no_history_span() -> None:
    assert TIME_RE.search("7-day monitor showed short runs") is None
    assert TIME_RE.search("24-hour tape was normal") is None


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated"),
    [
        # habits: a quantifier before a plural part of the day, the days of the week as a class
        ("Tinnitus most afternoons.", "most afternoons", "Tinnitus"),
        ("Migraine at weekends.", "at weekends", "Migraine"),
        ("Reflux on weekdays.", "on weekdays", "Reflux"),
        ("Dizziness in the early mornings.", "in the early mornings", "Dizziness"),
        # the calendar: a holiday or a season with its preposition, a part of the day counted from another
        ("Cellulitis over the bank holiday.", "over the bank holiday", "Cellulitis"),
        ("Chest pain since the Easter holidays.", "since the Easter holidays", "Chest pain"),
        ("Psoriasis got worse over the winter.", "over the winter", "Psoriasis"),
        ("Gout the summer before last.", "the summer before last", "Gout"),
        ("Vomiting began that evening.", "that evening", "Vomiting"),
        # an hour said in words, a point counted from the day's event, a day counted from an operation
        ("Seizure at quarter to six this morning.", "at quarter to six this morning", "Seizure"),
        ("Chest pain started at about three am.", "at about three am", "Chest pain"),
        ("Troponin repeated at six hours.", "at six hours", "Troponin"),
        ("Pyrexia on post-op day 2.", "on post-op day 2", "Pyrexia"),
    ],
)
def test_habits_the_calendar_and_hours_in_words_date_what_they_date(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, dated: str
) -> None:
    # Given a time said with a closed class of time words (PROCEDURE.md section 4: a condition's habit is its
    # time expression)
    times = _times(detector, form(text))
    # Then it is one time expression, whole, dating that entity
    assert _dated(times).get(_key(time)) == {_key(dated)}, times


@pytest.mark.parametrize(
    "said",
    [
        "on the second post-operative day",
        "on day five post-op",
        "at twenty past eight",
        "at midnight",
        "since last Christmas",
        "over the summer holidays",
        "the following night",
        "every other weekend",
        "in the late evenings",
    ],
)
def test_the_closed_classes_of_time_words_give_the_whole_time(said: str) -> None:
    assert [m.group(0) for m in TIME_RE.finditer(f"Cough {said}.")] == [said]
