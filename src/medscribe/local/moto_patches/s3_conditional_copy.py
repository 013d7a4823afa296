"""CopyObject with ``If-None-Match: *`` (a conditional write) — moto 5.2.6 copies over an existing key anyway.

AWS refuses the copy with 412 ``PreconditionFailed`` when the destination key exists, atomically: of two
concurrent conditional copies to one key, exactly one succeeds. The pipeline relies on it to write a recording's
own audio key once (``medscribe.logic.intake``). moto's PutObject honours the header; its ``copy_object`` does
not look at it. This patch checks the destination and copies under one lock, so the local check is atomic too.
"""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="CopyObject with If-None-Match: * answers 412 PreconditionFailed when the key exists, atomically (S3 API Reference: CopyObject, 'Conditional writes').",
    targets=("moto.s3.responses.S3Response.copy_object",),
    canary="tests/emulator/test_canary_services.py::test_s3_conditional_copy",
)
_LOCK = threading.Lock()


def apply(stack: Any) -> None:
    from moto.s3.exceptions import PreconditionFailed
    from moto.s3.responses import S3Response

    original = S3Response.copy_object

    def copy_object(self: Any) -> Any:
        if self.headers.get("If-None-Match") != "*":
            return original(self)
        with _LOCK:
            if self.backend.get_object(self.bucket_name, self.parse_key_name()) is not None:
                raise PreconditionFailed("If-None-Match")
            return original(self)

    stack.enter_context(mock.patch.object(S3Response, "copy_object", copy_object))
