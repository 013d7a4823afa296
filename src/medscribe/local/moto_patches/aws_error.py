"""The base of the AWS errors the patches raise from moto's responses.

moto 5.2.5's ``moto.core.exceptions.AWSError`` (a ``JsonRESTError`` with class-level ``TYPE`` and ``STATUS``)
is gone in moto 5.2.6 (its services moved to ``ServiceException``). ``JsonRESTError`` is in both, and moto's
``BaseResponse.call_action`` turns it into the same JSON error body in both (``{"__type": TYPE, "message": ...}``
with HTTP ``STATUS``), so the patches' errors keep their wire format whichever moto is installed.
"""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError


class AWSError(JsonRESTError):
    """Subclasses set ``TYPE`` (the error code clients match on) and ``STATUS`` (the HTTP status)."""

    TYPE: str | None = None
    STATUS = 400

    def __init__(self, message: str, exception_type: str | None = None, status: int | None = None) -> None:
        super().__init__(exception_type or self.TYPE or "", message)
        self.code = status or self.STATUS
