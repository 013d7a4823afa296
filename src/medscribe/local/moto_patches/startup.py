"""moto 5.2.6: speed of building the local stack (no behaviour change), ~0.5 s of a 2.5-s start-up.

- ``moto.core.utils._load_service_model`` builds a new data loader for every service it serializes a response
  for (S3, Cognito, KMS...), and each new loader lists botocore's ~400 service folders again (``isdir`` /
  ``isfile`` on each) before reading the one model: ~60 ms per service. One loader serves them all here; the
  models it returns are the same files, read once.
- ``kms.models.Key.__init__`` generates a 2048-bit RSA private key for every key, ``SYMMETRIC_DEFAULT`` ones
  included (~100 ms each), where only Sign/Verify/GetPublicKey of an asymmetric key ever use it. A symmetric
  key's private key is generated when first used instead; asymmetric keys still get theirs at creation.
- ``cognitoidp.models.CognitoIdpUserPool.__init__`` parses and validates the same shipped JWKS RSA private key
  (``jwks-private.json``) for every user pool (~250 ms: cryptography checks the key). It is imported when a
  pool first signs a token, once per process, and shared: the key object is immutable, and every moto user
  pool signs with that same key anyway. ``medscribe run`` never signs one.
"""

from __future__ import annotations

import functools
import threading
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="speedup",
    moto_version=MOTO_VERSION,
    restores="No AWS behaviour: one botocore loader for moto's response models, KMS symmetric keys without an RSA key until used, one import of moto's shipped JWKS key.",
    targets=(
        "moto.core.utils.create_loader",
        "moto.kms.models.generate_private_key",
        "moto.cognitoidp.models.jwk",
        "moto.cognitoidp.models.CognitoIdpUserPool.json_web_key",
    ),
    canary="tests/emulator/test_canary_speedups.py::test_startup",
)


def apply(stack: ExitStack) -> None:
    _share_moto_loader(stack)
    _lazy_symmetric_private_keys(stack)
    _share_user_pool_key(stack)


def _share_moto_loader(stack: ExitStack) -> None:
    import moto.core.utils

    stack.enter_context(
        mock.patch.object(moto.core.utils, "create_loader", functools.cache(moto.core.utils.create_loader))
    )


class LazyPrivateKey:
    """Stands in for moto's ``RSAPrivateKey`` of a symmetric key; generated (once) on first attribute use."""

    def __init__(self, key_spec: str, generate: Any) -> None:
        self._key_spec = key_spec
        self._generate = generate
        self._lock = threading.Lock()
        self._key: Any = None

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if self._key is None:
                self._key = self._generate(self._key_spec)
        return getattr(self._key, name)


def _lazy_symmetric_private_keys(stack: ExitStack) -> None:
    from moto.kms import models

    original = models.generate_private_key

    def generate_private_key(key_spec: str) -> Any:
        if key_spec == "SYMMETRIC_DEFAULT":
            return LazyPrivateKey(key_spec, original)
        return original(key_spec)

    stack.enter_context(mock.patch.object(models, "generate_private_key", generate_private_key))


class _Deferred:
    """A JWK (dict) that a user pool imports when it first signs a token."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value


def _share_user_pool_key(stack: ExitStack) -> None:
    import json
    import types

    from moto.cognitoidp import models

    jwk = models.jwk
    original = jwk.RSAKey.import_key

    @functools.cache
    def import_once(text: str) -> Any:
        return original(json.loads(text))

    def import_key(value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(value, dict):
            return original(value, *args, **kwargs)
        return _Deferred(value)

    def get_key(pool: Any) -> Any:
        key = pool.__dict__.get("json_web_key")
        if isinstance(key, _Deferred):
            key = pool.__dict__["json_web_key"] = import_once(json.dumps(key.value, sort_keys=True))
        return key

    def set_key(pool: Any, key: Any) -> None:
        pool.__dict__["json_web_key"] = key

    # moto's models module reads only ``jwk.RSAKey.import_key`` (a pool's __init__) and the pool's
    # ``json_web_key`` (to sign a token): the import is deferred to that first read, then shared.
    shim = types.SimpleNamespace(**{k: v for k, v in vars(jwk).items() if not k.startswith("__")})
    shim.RSAKey = types.SimpleNamespace(import_key=import_key)
    stack.enter_context(mock.patch.object(models, "jwk", shim))
    stack.enter_context(
        mock.patch.object(models.CognitoIdpUserPool, "json_web_key", property(get_key, set_key), create=True)
    )
