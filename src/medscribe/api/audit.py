"""The audit trail of PHI access, one shape for every channel (``api``, ``console``, ``ops-cli``).

Each access writes one append-only ``audit_events`` row (who: sub, role, tenant; what: action, recording,
target tenant, outcome; where: channel, source ip, user agent, request id; when: the row's ``occurred_at``)
and one PHI-free structured log line. Values a caller chose are bounded before they are stored: a recording
id that is not a well-formed id is kept as ``sha256:<32 hex>`` of the value (a 60,000-character path
segment never reaches the table), a user agent as its first 200 characters.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from aws_lambda_powertools import Logger

from medscribe.models import RECORDING_ID_PATTERN
from medscribe.ports import AuditLog

logger = Logger(child=True)

Channel = Literal["api", "console", "ops-cli"]
USER_AGENT_CHARS = 200
SOURCE_CHARS = 64
_ID = re.compile(RECORDING_ID_PATTERN.removeprefix("^").removesuffix("$"))


class Actor(Protocol):
    """Who reads: from verified claims (API ``Caller``, console ``Viewer``) or the AWS principal (ops CLI)."""

    @property
    def sub(self) -> str: ...
    @property
    def tenant(self) -> str: ...
    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Principal:
    sub: str
    tenant: str
    role: str


@dataclass(frozen=True)
class RequestMeta:
    """Where a request came from (API Gateway's requestContext, the console's WSGI environ): for the trail."""

    source_ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


def bounded_id(value: str | None) -> str | None:
    """A recording id as it may be stored: itself when well-formed, else a fixed-length digest of it."""
    if value is None or _ID.fullmatch(value):
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def is_well_formed_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


def _bounded(value: str | None, limit: int) -> str | None:
    return (value or "")[:limit] or None


def record(
    log: AuditLog,
    actor: Actor,
    action: str,
    channel: Channel,
    meta: RequestMeta,
    *,
    recording_id: str | None = None,
    target_tenant: str | None = None,
    outcome: str = "allowed",
    detail: Mapping[str, Any] | None = None,
) -> Mapping[str, Any]:
    """One row and one log line; returns the row as written."""
    entry = {
        "actor_sub": actor.sub,
        "actor_tenant": actor.tenant,
        "actor_role": actor.role,
        "action": action,
        "channel": channel,
        "recording_id": bounded_id(recording_id),
        "target_tenant": target_tenant,
        "outcome": outcome,
        "source_ip": _bounded(meta.source_ip, SOURCE_CHARS),
        "user_agent": _bounded(meta.user_agent, USER_AGENT_CHARS),
        "request_id": _bounded(meta.request_id, SOURCE_CHARS),
        "detail": dict(detail)
        if detail is not None
        else None,  # PHI-free by contract (e.g. a search's digest)
    }
    log.append_audit(entry)
    logger.info("audit", extra={"audit": {k: v for k, v in entry.items() if k != "user_agent"}})
    return entry
