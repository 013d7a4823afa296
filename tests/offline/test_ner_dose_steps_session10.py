"""Offline detector, session 10 (time-expression precision): a time said as a step of a drug's plan is the drug's
attribute, never a TIME_EXPRESSION; a time after a drug's dose in a clause that reports an event (was increased,
given) stays one; how long a drug was missed or run out of is a time expression, not its course; a visit's time
("see him again in a month", "observe overnight") dates nothing (PROCEDURE.md section 4). Each case runs on the
punctuated text and on its recogniser form, through the pipeline's normalisation."""

from __future__ import annotations

from typing import Any

import pytest
from ner_support import FORMS
from ner_support import said_key as _key
from ner_support import time_entities as _times

from medscribe.offline.ner import OfflineEntityDetector


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        # the steps of a titration
        "Titrate the Toujeo: 20 units nightly this week, then 22 units next week, then 24 units.",
        # a day's doses at clock times
        "He takes prednisolone 5 mg on waking and 2.5 mg at 2 pm.",
        # a planned change after a while
        "Started lamotrigine 25 mg once daily, to go up to 50 mg once daily after two weeks if no rash.",
        # a course's end
        "Ticagrelor 90 mg twice daily until June next year.",
        # a time ahead in an instruction about the drug: the plan's step
        "Omit the metformin tonight and tomorrow morning, then restart at 500 mg twice daily.",
        "Reduce the mirtazapine to 15 mg at night over the next fortnight.",
        "Start the bisoprolol next week.",
    ],
)
def test_a_time_that_is_a_step_of_a_drug_plan_is_no_time_expression(
    detector: OfflineEntityDetector, form: Any, text: str
) -> None:
    # When a dose plan is said with times of its steps
    times = _times(detector, form(text))
    # Then none of them is a time expression (AWS: the drug's FREQUENCY / DURATION)
    assert times == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "drug"),
    [
        ("Her sertraline was increased to 100 mg each morning last month.", "last month", "sertraline"),
        ("Metformin was reduced to 500 mg twice daily in January.", "in January", "metformin"),
        # an instruction's time now or past is when the change is made
        ("Increase the sertraline to 100 mg each morning from today.", "from today", "sertraline"),
    ],
)
def test_a_time_after_a_dose_in_a_clause_with_an_event_dates_the_drug(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, drug: str
) -> None:
    # When a dose change that happened is dated
    times = _times(detector, form(text))
    # Then the date is a time expression of the drug
    hit = [t for t in times if _key(t["Text"]) == _key(time)]
    assert len(hit) == 1
    assert hit[0]["Type"] == "TIME_TO_MEDICATION_NAME"
    assert [a["Text"].lower() for a in hit[0]["Attributes"]] == [drug]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "drug"),
    [
        ("He missed his apixaban for three days after the move.", "for three days", "apixaban"),
        ("She ran out of quetiapine for a week.", "for a week", "quetiapine"),
    ],
)
def test_how_long_a_drug_was_missed_is_a_time_expression_not_its_course(
    detector: OfflineEntityDetector, form: Any, text: str, time: str, drug: str
) -> None:
    # When the patient went without a drug for a while
    times = _times(detector, form(text))
    # Then that stretch dates the drug (TIME_TO_MEDICATION_NAME), as a prescribed course would not
    assert [(_key(t["Text"]), t["Type"]) for t in times] == [(_key(time), "TIME_TO_MEDICATION_NAME")]
    assert [a["Text"].lower() for a in times[0]["Attributes"]] == [drug]


@pytest.mark.parametrize("form", FORMS)
def test_a_prescribed_course_stays_the_drug_attribute(detector: OfflineEntityDetector, form: Any) -> None:
    # When a course is prescribed
    times = _times(detector, form("Amoxicillin 500 mg three times a day for seven days."))
    # Then it is no time expression
    assert times == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Bloods in two weeks for renal function and we will see him again in a month.", ["in two weeks"]),
        ("No head injury. Observe overnight on the ward with hourly observations.", []),
    ],
)
def test_a_visit_or_a_stay_dates_nothing(
    detector: OfflineEntityDetector, form: Any, text: str, kept: list[str]
) -> None:
    # When a test's date is followed by a visit's, or a stay is timed
    times = _times(detector, form(text))
    # Then only the test's date is a time expression
    assert [_key(t["Text"]) for t in times] == [_key(k) for k in kept]


@pytest.mark.parametrize("form", FORMS)
def test_a_time_after_taken_dates_the_drug_across_commas(detector: OfflineEntityDetector, form: Any) -> None:
    # When a drug's taking is dated after an aside set off by commas
    times = _times(
        detector, form("An overdose of his own citalopram, about thirty tablets, taken three hours ago.")
    )
    # Then the time dates the drug the participle speaks of
    assert [(_key(t["Text"]), t["Type"]) for t in times] == [
        (_key("three hours ago"), "TIME_TO_MEDICATION_NAME")
    ]
    assert [a["Text"].lower() for a in times[0]["Attributes"]] == ["citalopram"]


@pytest.mark.parametrize("form", FORMS)
def test_a_course_after_the_drugs_indication_stays_the_drugs(
    detector: OfflineEntityDetector, form: Any
) -> None:
    # When a drug's course is said after the condition it is given for
    times = _times(detector, form("Doxycycline 100 mg for a chest infection for seven days."))
    # Then the course is the drug's DURATION, not the infection's time
    assert times == []


@pytest.mark.parametrize("form", FORMS)
def test_a_symptoms_recurrence_after_a_drug_and_the_symptom_dates_the_symptom(
    detector: OfflineEntityDetector, form: Any
) -> None:
    # When a symptom and its recurrence follow a drug's schedule
    times = _times(detector, form("Fluoxetine 20 mg each morning, headaches in the evenings, appetite fine."))
    # Then the recurrence dates the symptom, and the drug keeps its own schedule
    assert [(_key(t["Text"]), t["Type"]) for t in times] == [(_key("in the evenings"), "TIME_TO_DX_NAME")]
    assert [a["Text"].lower() for a in times[0]["Attributes"]] == ["headaches"]


@pytest.mark.parametrize("form", FORMS)
def test_a_drugs_frequency_is_never_its_time_expression(detector: OfflineEntityDetector, form: Any) -> None:
    # When a dose change ends with when the dose is taken
    times = _times(detector, form("Her sugars are high, so raise the Lantus to 24 units at night."))
    # Then "at night" is the drug's FREQUENCY, no time expression
    assert times == []
