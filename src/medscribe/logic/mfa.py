"""MFA for the privileged roles: no tokens for a clinic-admin or operator who has not enrolled a second factor.

Cognito has no per-group MFA setting. The pool's MFA is OPTIONAL (clinicians may enrol); a user who has enrolled
TOTP is challenged for it at every sign-in (no remembered devices). Cognito calls the pre-token-generation
trigger before it issues tokens, on sign-in and on refresh, with the groups the tokens will carry; this refuses
a member of ``clinic-admin`` or ``operator`` whose enrolment (``AdminGetUser``'s ``UserMFASettingList``) holds
no second factor: the sign-in fails with ``MfaRequired``, and no token is issued (docs/security-template.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from medscribe import errors

PRIVILEGED_GROUPS = frozenset({"clinic-admin", "operator"})
SECOND_FACTORS = frozenset({"SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"})


class GroupConfiguration(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    groups: list[str] = Field(default_factory=list, alias="groupsToOverride")


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    group_configuration: GroupConfiguration = Field(
        default_factory=GroupConfiguration, alias="groupConfiguration"
    )


class PreTokenGenerationEvent(BaseModel):
    """The fields of Cognito's pre-token-generation event this check reads (the rest is passed back as is)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    user_pool_id: str = Field(alias="userPoolId", min_length=1, max_length=55)
    user_name: str = Field(alias="userName", min_length=1, max_length=128)
    trigger_source: str = Field(alias="triggerSource", max_length=64)
    request: TokenRequest


def needs_mfa(groups: Sequence[str]) -> bool:
    return bool(PRIVILEGED_GROUPS.intersection(groups))


def require_mfa(
    event: dict[str, Any], enrolled_factors: Callable[[str, str], Sequence[str]]
) -> dict[str, Any]:
    """Return the event unchanged (tokens issued as Cognito built them) unless the user is in a privileged group
    and ``enrolled_factors(pool id, user name)`` holds no second factor: then ``MfaRequired``."""
    parsed = PreTokenGenerationEvent.model_validate(event)
    if needs_mfa(parsed.request.group_configuration.groups):
        factors = set(enrolled_factors(parsed.user_pool_id, parsed.user_name))
        if not factors & SECOND_FACTORS:
            raise errors.MfaRequired("clinic-admin and operator sign in with MFA: enrol a TOTP app first")
    return event


def cognito_enrolled_factors(client: Any) -> Callable[[str, str], Sequence[str]]:
    """``AdminGetUser``'s ``UserMFASettingList``: the second factors the user has enrolled."""

    def factors(user_pool_id: str, user_name: str) -> Sequence[str]:
        user = client.admin_get_user(UserPoolId=user_pool_id, Username=user_name)
        return list(user.get("UserMFASettingList") or [])

    return factors
