"""Caller from verified claims only: tenant from custom:tenant (users) or the trusted client map (M2M)."""

from __future__ import annotations

import pytest

from medscribe.api.caller import Forbidden, Unauthenticated, caller_from_claims, parse_client_tenants

USER = {"sub": "s1", "token_use": "id", "custom:tenant": "clinic-a"}


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ("clinician", "clinician"),
        ("[clinic-admin]", "clinic-admin"),
        (["operator"], "operator"),
        ("x,clinician", "clinician"),
    ],
)
def test_role_is_the_one_role_group(groups: object, role: str) -> None:
    caller = caller_from_claims({**USER, "cognito:groups": groups}, {})
    assert caller.role == role
    assert caller.tenant == "clinic-a"


@pytest.mark.parametrize(
    "claims",
    [
        {**USER, "cognito:groups": "clinician,operator"},  # two roles: ambiguous
        {**USER, "cognito:groups": ""},
        {**USER, "cognito:groups": "clinician", "custom:tenant": "Clinic A"},
        {"sub": "s1", "token_use": "id", "cognito:groups": "clinician"},
        {"sub": "c", "token_use": "access", "client_id": "unmapped"},
    ],
)
def test_claims_without_one_role_or_a_valid_tenant_are_forbidden(claims: dict[str, object]) -> None:
    with pytest.raises(Forbidden):
        caller_from_claims(claims, {"mapped": "clinic-b"})


def test_no_claims_is_unauthenticated() -> None:
    with pytest.raises(Unauthenticated):
        caller_from_claims(None, {})
    with pytest.raises(Unauthenticated):
        caller_from_claims({"custom:tenant": "clinic-a"}, {})


def test_machine_callers_get_the_tenant_of_the_trusted_map_never_a_claim() -> None:
    claims = {"sub": "c", "token_use": "access", "client_id": "ehr-1", "custom:tenant": "clinic-a"}
    caller = caller_from_claims(claims, parse_client_tenants('{"ehr-1": "clinic-b"}'))
    assert caller.tenant == "clinic-b"
    assert caller.role == "integration"
    assert not caller.is_operator
    assert parse_client_tenants("not json") == {}
