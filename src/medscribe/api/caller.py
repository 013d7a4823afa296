"""``Caller``: the verified identity behind a request, from API Gateway's Cognito authorizer claims only.

API Gateway (or ``medscribe serve``, emulating it) has already verified the token's signature, issuer,
audience and expiry; the claims arrive in ``requestContext.authorizer.claims``. Tenant and role come from
there and nowhere else: a body or query naming a tenant is checked against the caller's, never used instead.

- users (ID tokens): tenant = ``custom:tenant`` (immutable in the user pool), role = the one role group in
  ``cognito:groups`` (clinician, clinic-admin, operator; several role groups is ambiguous: refused);
- machine-to-machine callers (client-credentials access tokens on the ``/m2m`` routes): tenant from the
  trusted ``M2M_CLIENT_TENANTS`` map (app client id -> tenant), role ``integration`` (create, start, read
  own tenant), never from the request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from medscribe.models import TENANT_PATTERN

Role = Literal["clinician", "clinic-admin", "operator", "integration"]
USER_ROLES: tuple[Role, ...] = ("clinician", "clinic-admin", "operator")
_TENANT = re.compile(TENANT_PATTERN)


class Unauthenticated(Exception):
    """No usable verified identity (-> 401)."""


class Forbidden(Exception):
    """Authenticated, but not allowed (-> 403)."""


@dataclass(frozen=True)
class Caller:
    sub: str
    tenant: str
    role: Role

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"

    @property
    def may_read_phi(self) -> bool:
        """Transcripts and PDFs: never operators (status and errors of every tenant only)."""
        return self.role in ("clinician", "clinic-admin", "integration")

    @property
    def may_write(self) -> bool:
        return self.role in ("clinician", "clinic-admin", "integration")

    def sees_tenant(self, tenant: str | None) -> bool:
        return self.is_operator or tenant == self.tenant


def _groups(value: Any) -> list[str]:
    """``cognito:groups`` as API Gateway passes it (a string: "a", "a,b" or "[a, b]") or as a JSON list."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if not isinstance(value, str) or not value.strip():
        return []
    text = value.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return [str(v) for v in parsed]
        except ValueError:
            text = text[1:-1]
    return [g for g in re.split(r"[,\s]+", text) if g]


def caller_from_claims(claims: Mapping[str, Any] | None, m2m_client_tenants: Mapping[str, str]) -> Caller:
    if not claims or not claims.get("sub"):
        raise Unauthenticated("no verified claims")
    if claims.get("token_use") == "access":
        client_id = str(claims.get("client_id", ""))
        tenant = m2m_client_tenants.get(client_id)
        if tenant is None or not _TENANT.match(tenant):
            raise Forbidden("client is not mapped to a tenant")
        return Caller(sub=f"client:{client_id}", tenant=tenant, role="integration")
    roles = [g for g in _groups(claims.get("cognito:groups")) if g in USER_ROLES]
    if len(roles) != 1:
        raise Forbidden("the user needs exactly one role group")
    role: Role = roles[0]
    tenant = str(claims.get("custom:tenant", ""))
    if not _TENANT.match(tenant):
        raise Forbidden("the user has no valid tenant")
    return Caller(sub=str(claims["sub"]), tenant=tenant, role=role)


def parse_client_tenants(raw: str) -> dict[str, str]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
