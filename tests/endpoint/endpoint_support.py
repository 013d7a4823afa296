"""Helpers for the endpoint API-semantics tests: an outside client, and waiting for an execution to end
(shared with the other emulator-level tests: tests/moto_support.py)."""

from __future__ import annotations

from moto_support import ROLE, aws_client, finished

__all__ = ["ROLE", "aws_client", "finished"]
