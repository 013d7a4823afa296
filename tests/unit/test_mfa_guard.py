"""The pre-token-generation trigger: no tokens for clinic-admin or operator without an enrolled second factor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medscribe.errors import MfaRequired
from medscribe.logic.mfa import cognito_enrolled_factors, require_mfa

EVENT = Path(__file__).resolve().parents[2] / "events" / "mfa_guard.json"


def _event(groups: list[str]) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(EVENT.read_text("utf-8"))
    event["request"]["groupConfiguration"]["groupsToOverride"] = groups
    return event


class Pool:
    """AdminGetUser of a pool whose users have enrolled ``factors`` (records who was asked)."""

    def __init__(self, factors: list[str] | None) -> None:
        self.factors, self.asked = factors, []

    def admin_get_user(self, *, UserPoolId: str, Username: str) -> dict[str, Any]:
        self.asked.append((UserPoolId, Username))
        user: dict[str, Any] = {"Username": Username}
        if self.factors is not None:
            user["UserMFASettingList"] = self.factors
        return user


@pytest.mark.parametrize("groups", [["clinic-admin"], ["operator"], ["clinician", "clinic-admin"]])
@pytest.mark.parametrize("factors", [None, []])
def test_a_privileged_user_without_mfa_gets_no_token(groups: list[str], factors: list[str] | None) -> None:
    # Given a clinic-admin or operator who has enrolled no second factor
    pool = Pool(factors)
    # When Cognito asks the trigger before issuing tokens / Then it is refused, after reading that very user
    with pytest.raises(MfaRequired):
        require_mfa(_event(groups), cognito_enrolled_factors(pool))
    assert pool.asked == [("us-east-1_Example12", "5f7c2a1e-4b3d-4e8a-9c1f-2d6b7e8f9a0b")]


@pytest.mark.parametrize("groups", [["clinic-admin"], ["operator"]])
def test_a_privileged_user_with_totp_gets_the_tokens_cognito_built(groups: list[str]) -> None:
    event = _event(groups)
    assert require_mfa(event, cognito_enrolled_factors(Pool(["SOFTWARE_TOKEN_MFA"]))) == _event(groups)


@pytest.mark.parametrize("factors", [None, ["SOFTWARE_TOKEN_MFA"]])
def test_a_clinician_may_but_need_not_use_mfa(factors: list[str] | None) -> None:
    pool = Pool(factors)
    assert require_mfa(_event(["clinician"]), cognito_enrolled_factors(pool)) == _event(["clinician"])
    assert pool.asked == []  # no call on the clinicians' sign-in path


def test_a_user_in_no_group_is_not_privileged() -> None:
    event = _event([])
    del event["request"]["groupConfiguration"]
    assert require_mfa(event, cognito_enrolled_factors(Pool(None))) == event
