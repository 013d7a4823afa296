"""Tokens an attacker could present: forged (another key, or the key shipped inside moto), tampered, alg=none,
expired, wrong audience. ``signed_by_pool`` signs with the local pool's real key (the data directory's, issue
16): what Cognito itself would issue, so a refusal is for the claim under test, not for the signature."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from medscribe.local.moto_patches.cognito_rules import SigningKey


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def signed_by_moto_key(claims: dict[str, Any]) -> str:
    """Signed with the private key that ships inside moto (which moto's cognito-idp signs with, unpatched)."""
    from moto.utilities.utils import load_resource

    key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})


def signed_by_pool(claims: dict[str, Any], key: SigningKey) -> str:
    return key.sign(claims)


def signed_by_other_key(claims: dict[str, Any]) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})


def tampered(token: str, **changes: Any) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    new_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{new_payload}.{signature}"


def alg_none(claims: dict[str, Any]) -> str:
    def b64(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': 'dummy'})}.{b64(claims)}."


def expired(claims: dict[str, Any], key: SigningKey) -> str:
    now = int(time.time())
    return signed_by_pool({**claims, "iat": now - 7200, "auth_time": now - 7200, "exp": now - 3600}, key)


def m2m_access_token(key: SigningKey, issuer: str, client_id: str, scopes: str) -> str:
    """What Cognito's /oauth2/token issues for a client-credentials grant (moto has no such flow)."""
    now = int(time.time())
    claims = {
        "sub": client_id,
        "token_use": "access",
        "scope": scopes,
        "auth_time": now,
        "iss": issuer,
        "exp": now + 3600,
        "iat": now,
        "version": 2,
        "jti": f"m2m-{now}",
        "client_id": client_id,
    }
    return key.sign(claims)
