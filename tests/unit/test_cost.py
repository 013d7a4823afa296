"""The cost estimate against hand-computed cases (list prices of logic/cost.py's PriceTable)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from medscribe.logic import cost

# A recording's usage with nothing but its audio (each test names the seconds)
AUDIO_ONLY = {
    "transitions": 0,
    "lambda_gb_seconds": 0,
    "lambda_requests": 0,
    "comprehend_units": 0,
    "rxnorm_units": 0,
}


def test_a_ten_minute_recording_costs_the_sum_of_its_hand_computed_parts() -> None:
    # Given 10 minutes of audio, 9 transitions, 2 GB-s over 9 Lambda requests, 90 + 90 Comprehend units
    usage = cost.Usage(
        transitions=9,
        lambda_gb_seconds=2.0,
        lambda_requests=9,
        audio_seconds=600,
        comprehend_units=90,
        rxnorm_units=90,
    )
    # When
    estimate = cost.estimate(usage, cost.PriceTable())
    # Then: 9 x 0.000025; 2 x 0.0000133334 + 9 x 0.0000002; 10 x 0.075; 90 x 0.01; 90 x 0.0014
    assert estimate.parts.step_functions == 0.000225
    assert estimate.parts.aws_lambda == 0.000028
    assert estimate.parts.transcribe_medical == 0.75
    assert estimate.parts.comprehend_medical == 0.9
    assert estimate.parts.infer_rxnorm == 0.126
    assert estimate.total == 1.776253
    assert (estimate.prices_as_of, estimate.region) == (cost.PRICES_AS_OF, "us-east-1")


@pytest.mark.parametrize(("seconds", "billed"), [(5.0, 15.0), (15.0, 15.0), (23.3, 24.0), (0.0, 0.0)])
def test_transcribe_medical_bills_whole_seconds_with_a_15_second_minimum(
    seconds: float, billed: float
) -> None:
    assert cost.billed_audio_seconds(seconds) == billed
    usage = cost.Usage(**(AUDIO_ONLY | {"audio_seconds": seconds}))
    assert cost.estimate(usage, cost.PriceTable()).parts.transcribe_medical == round(billed / 60 * 0.075, 6)


@pytest.mark.parametrize(
    ("chars", "window", "units"),
    [
        (0, 19_000, 0),
        (50, 19_000, 1),
        (250, 19_000, 3),
        (19_050, 19_000, 191),
        (19_050, 9_500, 191),
        (9_600, 9_500, 96),
    ],
)
def test_comprehend_units_are_per_request_100_characters_with_a_one_unit_minimum(
    chars: int, window: int, units: int
) -> None:
    assert cost.comprehend_units(chars, window) == units


def test_prices_are_overridable_by_a_json_file_and_reject_unknown_keys(tmp_path: Path) -> None:
    # Given a price file that raises Transcribe Medical to $0.10 a minute
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"transcribe_medical_per_minute": 0.10, "as_of": "2027-01-01"}))
    prices = cost.load_prices({"MEDSCRIBE_PRICES": str(path)})
    usage = cost.Usage(**(AUDIO_ONLY | {"audio_seconds": 600}))
    # Then 10 minutes cost $1.00 and the table's date says which prices were used
    estimate = cost.estimate(usage, prices)
    assert estimate.parts.transcribe_medical == 1.0
    assert estimate.prices_as_of == "2027-01-01"
    assert cost.load_prices({}) == cost.PriceTable()
    path.write_text(json.dumps({"transcribe_per_minute_typo": 0.1}))
    with pytest.raises(ValidationError):
        cost.load_prices({"MEDSCRIBE_PRICES": str(path)})


def _event(kind: str, at: float, **details: Any) -> dict[str, Any]:
    return {"type": kind, "timestamp": datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=at), **details}


def test_transitions_and_lambda_time_are_read_from_an_execution_history() -> None:
    # Given a history: a Pass, a Task that fails once and is retried, a Choice
    scheduled = {"taskScheduledEventDetails": {"parameters": json.dumps({"FunctionName": "arn:fn:big"})}}
    history = [
        _event("ExecutionStarted", 0),
        _event("PassStateEntered", 0),
        _event("TaskStateEntered", 0),
        _event("TaskScheduled", 0, **scheduled),
        _event("TaskFailed", 0.5),
        _event("TaskScheduled", 1.0, **scheduled),
        _event("TaskSucceeded", 3.0),
        _event("ChoiceStateEntered", 3.0),
    ]
    # Then: 3 states entered + 1 retry; 0.5 s + 2 s at 2048 MB = 5 GB-s over 2 requests
    assert cost.transitions_in(history) == 4
    assert cost.lambda_usage_in(history, {"big": 2048}) == (5.0, 2)


def test_callback_transitions_are_constant_and_the_poll_loop_grows_with_the_job() -> None:
    # Given 60 minutes of dictation (900 characters a minute) and a job of 18 minutes (73 polls of 15 s)
    callback = cost.modelled_usage(duration_seconds=3600, char_count=54_000, wait_mode="callback")
    poll = cost.modelled_usage(duration_seconds=3600, char_count=54_000, wait_mode="poll", polls=73)
    short = cost.modelled_usage(duration_seconds=60, char_count=900, wait_mode="callback")
    # Then
    assert callback.transitions == short.transitions == 9
    assert poll.transitions == 9 + 4 * 73
    assert callback.comprehend_units == 540  # 19,000 + 19,000 + 16,000 characters
    assert callback.rxnorm_units == 540
    total = cost.estimate(callback, cost.PriceTable()).total
    assert total == pytest.approx(4.5 + 5.40 + 0.756, abs=0.01)  # Transcribe + NERe + RxNorm dominate
