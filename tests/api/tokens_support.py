"""Tokens an attacker could present: forged (another key), tampered, alg=none, expired, wrong audience."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _moto_pool_key() -> Any:
    """The key moto's cognito-idp signs every pool's tokens with (its JWKS publishes the public half)."""
    from moto.utilities.utils import load_resource

    return jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key


def signed_by_pool(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, _moto_pool_key(), algorithm="RS256", headers={"kid": "dummy"})


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


def expired(claims: dict[str, Any]) -> str:
    now = int(time.time())
    return signed_by_pool({**claims, "iat": now - 7200, "auth_time": now - 7200, "exp": now - 3600})
