"""Run-time configuration, from environment variables (set by template.yaml on AWS, by the local engine
locally). Read lazily (``get_settings()``), never at import time."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

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
    # Where RenderPdf draws the PDF: in the handler's process (Lambda), or in the offline worker processes
    # (local mode: off the GIL that the state machine and every other handler share).
    render_backend: Literal["inprocess", "worker"] = Field(default="inprocess", alias="RENDER_BACKEND")


@cache
def get_settings() -> Settings:
    return Settings()
