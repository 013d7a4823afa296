"""MockConfigFile parsing (medscribe.local.mocks) and the moto-version guard of the patch package."""

from __future__ import annotations

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
    [{"1": {"Return": 1}}, {"0": {"Return": 1}, "2": {"Return": 2}}, {"0": {}}, {"x": {"Return": 1}}],
)
def test_bad_response_tables_are_refused(responses: dict[str, Any]) -> None:
    # Given a table that does not start at 0, has a gap, has neither Return nor Throw, or a bad key
    raw = {**RAW, "MockedResponses": {"R": responses}}
    # When loaded, Then it is a named error
    with pytest.raises(MockConfigError):
        MockConfig(raw).test_case("M", "T")


def test_unknown_machine_or_case_is_a_named_error() -> None:
    with pytest.raises(MockConfigError):
        MockConfig(RAW).test_case("Other", "T")
    with pytest.raises(MockConfigError):
        MockConfig(RAW).test_case("M", "Other")


def test_patches_refuse_another_moto_version(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a moto other than the one the patches were written against
    monkeypatch.setattr(moto_patches, "version", lambda _name: "5.3.0")
    # When the patches are applied, Then they refuse
    with pytest.raises(RuntimeError, match=r"5\.2\.5"):
        moto_patches.check_version()
