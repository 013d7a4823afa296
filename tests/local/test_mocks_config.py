"""MockConfigFile parsing (medscribe.local.mocks) and the moto-version guard of the patch package."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from medscribe.local import moto_patches
from medscribe.local.mocks import MockConfig, MockConfigError

RAW: dict[str, Any] = {
    "StateMachines": {"M": {"TestCases": {"T": {"A": "R"}}}},
    "MockedResponses": {"R": {"0": {"Return": 1}, "1-2": {"Throw": {"Error": "E", "Cause": "c"}}}},
}


def test_ranges_expand_to_one_response_per_invocation() -> None:
    # Given a response table with a range, When the test case is loaded
    run = MockConfig(RAW).test_case("M", "T")
    # Then each invocation index has its response, and the fourth has none
    assert run.response("A", 0) == {"Return": 1}
    assert run.response("A", 2) == {"Throw": {"Error": "E", "Cause": "c"}}
    assert run.response("A", 3) is None
    assert [run.next_index("A") for _ in range(3)] == [0, 1, 2]


@pytest.mark.parametrize(
    "responses",
    [
        {"1": {"Return": 1}},
        {"0": {"Return": 1}, "2": {"Return": 2}},
        {"0-1": {"Return": 1}, "1": {"Return": 2}},
        {"0": {}},
        {"0": {"Return": 1, "Throw": {"Error": "E"}}},
        {"0": {"Throw": {"Cause": "no error name"}}},
        {"0": {"Throw": "E"}},
        {"x": {"Return": 1}},
        {"-1": {"Return": 1}},
        {"0-": {"Return": 1}},
        {"1-0": {"Return": 1}},
        {},
    ],
)
def test_bad_response_tables_are_refused(responses: dict[str, Any]) -> None:
    # Given a table that does not start at 0, has a gap or an overlap, a response with neither or both of
    # Return / Throw, a Throw without an Error name, a bad key, or no response at all
    raw = {**RAW, "MockedResponses": {"R": responses}}
    # When loaded, Then it is a named error
    with pytest.raises(MockConfigError):
        MockConfig(raw).test_case("M", "T")


def test_unknown_machine_or_case_is_a_named_error() -> None:
    with pytest.raises(MockConfigError):
        MockConfig(RAW).test_case("Other", "T")
    with pytest.raises(MockConfigError):
        MockConfig(RAW).test_case("M", "Other")


def test_a_range_key_with_a_throw_then_a_return_answers_in_order() -> None:
    # Given a Throw for invocations 0-2 and a Return for 3 (AWS's retry example)
    raw = {
        **RAW,
        "MockedResponses": {
            "R": {"3": {"Return": "ok"}, "0-2": {"Throw": {"Error": "Lambda.TimeoutException"}}}
        },
    }
    # When loaded (keys in any order), Then four invocations are answered, the Throw thrice, then the Return
    run = MockConfig(raw).test_case("M", "T")
    assert [run.response("A", i) for i in range(5)] == [
        {"Throw": {"Error": "Lambda.TimeoutException"}}
    ] * 3 + [
        {"Return": "ok"},
        None,
    ]


def test_an_upgrade_trial_applies_the_patches_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given another moto and MEDSCRIBE_MOTO_TRIAL naming it (the refusal otherwise: tests/emulator)
    monkeypatch.setattr(moto_patches, "version", lambda _name: "5.3.0")
    monkeypatch.setenv(moto_patches.TRIAL_ENV, "5.3.0")
    # When the version is checked, Then it passes with a warning naming both versions
    with caplog.at_level(logging.WARNING, logger=moto_patches.__name__):
        moto_patches.check_version()
    assert any(
        "5.3.0" in r.getMessage() and moto_patches.MOTO_VERSION in r.getMessage() for r in caplog.records
    )
