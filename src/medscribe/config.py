"""Run-time configuration, from environment variables (set by template.yaml on AWS, by the local engine
locally). Read lazily (``get_settings()``), never at import time.

Read with pydantic alone, not pydantic-settings (whose import and environment sources cost every cold start
~30 ms of CPU): each field's alias is its variable's name, matched without regard to case; other variables are
ignored; values are validated from their strings as pydantic does ("true"/"false"/"1"/"0" for a bool, digits
for an int, one of the allowed words for a Literal).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Stores
    recordings_table_name: str = Field(default="medscribe-recordings", alias="RECORDINGS_TABLE_NAME")
    event_bus_name: str = Field(default="medscribe", alias="EVENT_BUS_NAME")
    kms_key_id: str | None = Field(default=None, alias="KMS_KEY_ID")
    state_machine_arn: str | None = Field(default=None, alias="STATE_MACHINE_ARN")
    audio_bucket: str | None = Field(default=None, alias="AUDIO_BUCKET")
    # Known tenants (comma-separated): uploads to any other incoming/{tenant}/ folder are refused.
    tenants: str = Field(default="", alias="TENANTS")
    # Machine-to-machine callers (client credentials): JSON {"<app client id>": "<tenant>"}, the trusted map.
    m2m_client_tenants: str = Field(default="{}", alias="M2M_CLIENT_TENANTS")
    s3_presign_endpoint_url: str | None = Field(default=None, alias="S3_PRESIGN_ENDPOINT_URL")
    max_upload_bytes: int = Field(default=500 * 1024 * 1024, alias="MAX_UPLOAD_BYTES")
    # HMAC key of the API's page cursors and search-audit digests (a Secrets Manager value on AWS); unset: a
    # random key per process (cursors then hold only within one warm container).
    cursor_signing_key: str | None = Field(default=None, alias="CURSOR_SIGNING_KEY", repr=False)
    # Backfills (issue 18): the BackfillPipeline state machine, and the most items one backfill may have.
    backfill_state_machine_arn: str | None = Field(default=None, alias="BACKFILL_STATE_MACHINE_ARN")
    backfill_max_items: int = Field(default=100_000, alias="BACKFILL_MAX_ITEMS")

    @property
    def known_tenants(self) -> frozenset[str]:
        return frozenset(t.strip() for t in self.tenants.split(",") if t.strip())

    # PostgreSQL: the RDS Data API on AWS (cluster + secret ARNs), or a libpq URL locally.
    db_cluster_arn: str | None = Field(default=None, alias="DB_CLUSTER_ARN")
    db_secret_arn: str | None = Field(default=None, alias="DB_SECRET_ARN")
    db_name: str = Field(default="medscribe", alias="DB_NAME")
    database_url: str | None = Field(default=None, alias="DATABASE_URL")

    # Backends for the two AI services.
    transcribe_backend: Literal["aws", "offline"] = Field(default="aws", alias="TRANSCRIBE_BACKEND")
    ner_backend: Literal["aws", "offline"] = Field(default="aws", alias="NER_BACKEND")
    infer_rxnorm: bool = Field(default=True, alias="INFER_RXNORM")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings ``environ`` (default: this process's environment) gives, defaults for the rest."""
        variables = {
            name.upper(): value for name, value in (os.environ if environ is None else environ).items()
        }
        names = [field.alias for field in cls.model_fields.values() if field.alias]
        return cls.model_validate({name: variables[name] for name in names if name in variables})


@cache
def get_settings() -> Settings:
    return Settings.from_environment()
