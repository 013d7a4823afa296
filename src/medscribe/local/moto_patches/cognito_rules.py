"""The local Cognito refuses what AWS refuses — moto 5.2.6's cognito-idp accepts all of it.

moto 5.2.6 (``moto.cognitoidp``):

- signs every pool's tokens with the RSA key shipped inside the moto wheel (``jwks-private.json``, kid
  ``dummy``): anyone holding moto can mint a token the local gateway would accept. AWS signs with a key of
  the pool's own. Here: one RSA key per data directory (``<MEDSCRIBE_HOME>/cognito/signing-key.pem``,
  mode 0600, generated at first use), its public half at ``/{pool}/.well-known/jwks.json``; a token signed by
  moto's key fails verification (-> 401);
- lets ``SignUp`` create users although the pool says ``AdminCreateUserConfig.AllowAdminCreateUserOnly``.
  AWS: ``NotAuthorizedException`` "SignUp is not permitted for this user pool";
- lets ``UpdateUserAttributes`` (a user's own access token) write any attribute. AWS writes only the app
  client's ``WriteAttributes``: ``NotAuthorizedException`` "A client attempted to write unauthorized
  attribute"; and never an immutable one (``Mutable: false``, as ``custom:tenant`` in template.yaml);
- lets ``AdminUpdateUserAttributes`` rewrite an immutable attribute. AWS: ``InvalidParameterException``
  "user.custom:tenant: Attribute cannot be updated.";
- puts every ``custom:`` attribute into ID tokens whatever the client's ``ReadAttributes``. AWS: only the
  readable ones.

``apply(stack, home)`` enters every patch on ``stack``; ``medscribe serve`` applies it (``apply_front_door``).
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="Cognito refuses SignUp on admin-only pools, writes only the client's WriteAttributes and never an immutable attribute, and signs tokens with the pool's own key (Cognito API Reference: SignUp, UpdateUserAttributes, AdminUpdateUserAttributes).",
    targets=(
        "moto.cognitoidp.models.CognitoIdpUserPool.create_jwt",
        "moto.cognitoidp.models.CognitoIdpBackend.sign_up",
        "moto.cognitoidp.models.CognitoIdpBackend.update_user_attributes",
        "moto.cognitoidp.models.CognitoIdpBackend.admin_update_user_attributes",
        "moto.cognitoidp.responses.CognitoIdpJsonWebKeyResponse.json_web_key",
    ),
    canary="tests/local/test_moto_patch_cognito_rules.py::test_canary_moto_lets_sign_up_through_an_admin_only_pool",
)
KEY_FILE = Path("cognito") / "signing-key.pem"
SIGNUP_REFUSED = "SignUp is not permitted for this user pool"
UNAUTHORIZED_WRITE = "A client attempted to write unauthorized attribute"
# Standard attributes AWS never lets anyone rewrite (the rest of the standard schema is mutable by default).
_IMMUTABLE_STANDARD = {"sub"}


class SigningKey:
    """The data directory's RSA key: ``sign(claims)`` and the public ``jwks`` document."""

    def __init__(self, private: rsa.RSAPrivateKey) -> None:
        self.private = private
        numbers = private.public_key().public_numbers()
        self._public = {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "n": _b64(numbers.n),
            "e": _b64(numbers.e),
        }
        self.kid = hashlib.sha256(f"{self._public['n']}.{self._public['e']}".encode()).hexdigest()[:32]

    @classmethod
    def for_home(cls, home: Path) -> SigningKey:
        """The key kept under ``home`` (created, 0600, on first use): tokens survive a restart of serve."""
        path = home / KEY_FILE
        if path.exists():
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(loaded, rsa.RSAPrivateKey):
                raise ValueError(f"{path} is not an RSA private key")
            return cls(loaded)
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return cls(private)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [{**self._public, "kid": self.kid}]}

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": self.kid})


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _is_mutable(pool: Any, name: str) -> bool:
    attribute = pool.schema_attributes.get(name)
    if attribute is not None:
        return bool(attribute.mutable)
    return name not in _IMMUTABLE_STANDARD


def check_admin_update(pool: Any, attributes: list[dict[str, str]]) -> None:
    """AdminUpdateUserAttributes: an immutable attribute -> InvalidParameterException (as AWS)."""
    from moto.cognitoidp.exceptions import InvalidParameterException

    for attribute in attributes:
        if not _is_mutable(pool, attribute["Name"]):
            raise InvalidParameterException(f"user.{attribute['Name']}: Attribute cannot be updated.")


def check_client_write(pool: Any, client_id: str, attributes: list[dict[str, str]]) -> None:
    """A write through an app client (SignUp, UpdateUserAttributes): only its ``WriteAttributes``."""
    from moto.cognitoidp.exceptions import NotAuthorizedError

    client = pool.clients.get(client_id)
    writable = (client.extended_config.get("WriteAttributes") if client else None) or None
    if writable is None:
        return  # a client without WriteAttributes may write every writable attribute (AWS's default)
    if any(a["Name"] not in writable for a in attributes):
        raise NotAuthorizedError(UNAUTHORIZED_WRITE)


def check_sign_up(pool: Any, client_id: str, attributes: list[dict[str, str]]) -> None:
    from moto.cognitoidp.exceptions import NotAuthorizedError

    if (pool.extended_config.get("AdminCreateUserConfig") or {}).get("AllowAdminCreateUserOnly"):
        raise NotAuthorizedError(SIGNUP_REFUSED)
    check_client_write(pool, client_id, attributes)


def readable_claims(pool: Any, client_id: str, claims: dict[str, Any]) -> dict[str, Any]:
    """An ID token's ``custom:`` claims limited to the client's ``ReadAttributes`` (when it names any)."""
    client = pool.clients.get(client_id)
    readable = client.extended_config.get("ReadAttributes") if client else None
    if not readable:
        return claims
    return {k: v for k, v in claims.items() if not k.startswith("custom:") or k in readable}


def _pool_of_client(backend: Any, client_id: str) -> Any:
    return next((p for p in backend.user_pools.values() if client_id in p.clients), None)


@contextmanager
def enforced(key: SigningKey) -> Iterator[None]:
    from moto.cognitoidp import models, responses

    pool_class = models.CognitoIdpUserPool
    backend_class = models.CognitoIdpBackend
    original_jwt = pool_class.create_jwt
    original_sign_up = backend_class.sign_up
    original_update = backend_class.update_user_attributes
    original_admin_update = backend_class.admin_update_user_attributes

    def create_jwt(
        self: Any,
        client_id: str,
        username: str,
        token_use: str,
        expires_in: int = 60 * 60,
        extra_data: dict[str, Any] | None = None,
    ) -> tuple[str, int]:
        token, expires = original_jwt(self, client_id, username, token_use, expires_in, extra_data)
        claims = jwt.decode(token, options={"verify_signature": False})
        if token_use == "id":
            claims = readable_claims(self, client_id, claims)
        return key.sign(claims), expires

    def sign_up(
        self: Any, client_id: str, username: str, password: str, attributes: list[dict[str, str]]
    ) -> Any:
        pool = _pool_of_client(self, client_id)
        if pool is not None:
            check_sign_up(pool, client_id, attributes)
        return original_sign_up(self, client_id, username, password, attributes)

    def update_user_attributes(self: Any, access_token: str, attributes: list[dict[str, str]]) -> None:
        for pool in self.user_pools.values():
            if access_token in pool.access_tokens:
                client_id, _ = pool.access_tokens[access_token]
                check_client_write(pool, client_id, attributes)
                check_admin_update(pool, attributes)
        original_update(self, access_token, attributes)

    def admin_update_user_attributes(
        self: Any, user_pool_id: str, username: str, attributes: list[dict[str, str]]
    ) -> None:
        check_admin_update(self.describe_user_pool(user_pool_id), attributes)
        original_admin_update(self, user_pool_id, username, attributes)

    import json

    jwks = json.dumps(key.jwks()).encode()
    with (
        mock.patch.object(pool_class, "create_jwt", create_jwt),
        mock.patch.object(backend_class, "sign_up", sign_up),
        mock.patch.object(backend_class, "update_user_attributes", update_user_attributes),
        mock.patch.object(backend_class, "admin_update_user_attributes", admin_update_user_attributes),
        mock.patch.object(responses.CognitoIdpJsonWebKeyResponse, "json_web_key", jwks),
    ):
        yield


def apply(stack: Any, home: Path) -> SigningKey:
    """Enter the patches on ``stack`` with ``home``'s signing key; returns the key."""
    key = SigningKey.for_home(home)
    stack.enter_context(enforced(key))
    return key
