"""Builds the adapters behind the ports from configuration, lazily and once per process (Lambda container).

On AWS every port is an AWS adapter. ``TRANSCRIBE_BACKEND=offline`` / ``NER_BACKEND=offline`` swap in the
offline stand-ins (local mode); ``DATABASE_URL`` selects psycopg instead of the RDS Data API. Nothing here runs
at import time: handlers call ``get_services()`` inside the invocation.
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from medscribe.config import Settings
    from medscribe.logic.document.pdf import RenderedDocument, SummaryView
    from medscribe.ports import (
        AuditLog,
        EntityDetector,
        EventPublisher,
        ObjectStore,
        OutcomePublisher,
        RecordingSearch,
        RecordingsTable,
        ResultsRepository,
        TaskCallbacks,
        TranscriptionService,
    )


@cache
def _trace_aws_calls() -> None:
    """X-Ray subsegments for every AWS call: patch botocore (only; not powertools' patch_all of every
    library it knows). A no-op unless tracing is on (on Lambda). Done at the first client, not when a handler
    module loads, since patching imports botocore."""
    from aws_lambda_powertools import Tracer

    Tracer(auto_patch=False).patch(["botocore"])


@cache
def client(service: str) -> Any:
    # boto3 is imported here, at the first client a step needs, not when a handler module loads (~110 ms).
    _trace_aws_calls()
    import boto3
    from botocore.config import Config

    # botocore's own retries (standard mode: exponential backoff with jitter) before an error reaches our code.
    config = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=60)
    return boto3.client(service, config=config)  # type: ignore[call-overload]


class Services:
    """The ports, built on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def store(self) -> ObjectStore:
        from medscribe.adapters.s3 import S3ObjectStore

        return S3ObjectStore(
            client("s3"),
            kms_key_id=self.settings.kms_key_id,
            presign_endpoint_url=self.settings.s3_presign_endpoint_url,
        )

    @cached_property
    def transcriber(self) -> TranscriptionService:
        if self.settings.transcribe_backend == "offline":
            from medscribe.offline.transcribe_service import OfflineTranscribeMedical

            return OfflineTranscribeMedical(self.store)
        from medscribe.adapters.transcribe import TranscribeMedical

        return TranscribeMedical(client("transcribe"), kms_key_id=self.settings.kms_key_id)

    @cached_property
    def detector(self) -> EntityDetector:
        if self.settings.ner_backend == "offline":
            from medscribe.offline.workers import PooledEntityDetector

            return PooledEntityDetector()  # off this process's GIL, dictionaries loaded once per worker
        from medscribe.adapters.comprehend import ComprehendMedicalDetector

        return ComprehendMedicalDetector(client("comprehendmedical"), infer_rxnorm=self.settings.infer_rxnorm)

    @cached_property
    def render_document(self) -> Callable[[SummaryView], RenderedDocument]:
        """``logic.document.render``: drawn in the handler's process, locally as on Lambda (~15 ms warm)."""
        from medscribe.logic.document.pdf import render

        return render

    @cached_property
    def table(self) -> RecordingsTable:
        from medscribe.adapters.dynamodb import DynamoRecordingsTable

        return DynamoRecordingsTable(client("dynamodb"), self.settings.recordings_table_name)

    @cached_property
    def publisher(self) -> EventPublisher:
        from medscribe.adapters.events import EventBridgePublisher

        return EventBridgePublisher(client("events"), self.settings.event_bus_name)

    @cached_property
    def outcomes(self) -> OutcomePublisher:
        from medscribe.adapters.outcomes import ClaimedPublisher

        return ClaimedPublisher(
            self.publisher, table_name=self.settings.recordings_table_name, client=client("dynamodb")
        )

    @cached_property
    def repository(self) -> ResultsRepository:
        from medscribe.adapters import database

        repository: ResultsRepository
        if self.settings.database_url:
            repository = database.PsycopgRepository(self.settings.database_url)
        elif self.settings.db_cluster_arn and self.settings.db_secret_arn:
            repository = database.DataApiRepository(
                client("rds-data"),
                cluster_arn=self.settings.db_cluster_arn,
                secret_arn=self.settings.db_secret_arn,
                database=self.settings.db_name,
            )
        else:
            raise RuntimeError("set DATABASE_URL, or DB_CLUSTER_ARN and DB_SECRET_ARN for the RDS Data API")
        # Versioned migrations, once per process (Lambda cold start): idempotent and serialised by an advisory
        # lock, so the schema exists on a fresh Aurora cluster without a separate deploy step.
        repository.migrate()
        return repository

    @cached_property
    def search(self) -> RecordingSearch:
        repository: Any = self.repository  # PostgreSQL does the searching (adapters.search_sql)
        search: RecordingSearch = repository
        return search

    @cached_property
    def audit(self) -> AuditLog:
        repository: Any = self.repository  # the PostgreSQL repository holds the append-only audit table
        audit: AuditLog = repository
        return audit

    @cached_property
    def sfn(self) -> Any:
        return client("stepfunctions")

    @cached_property
    def callbacks(self) -> TaskCallbacks:
        from medscribe.adapters.stepfunctions import StepFunctionsCallbacks

        return StepFunctionsCallbacks(client("stepfunctions"))


@cache
def get_services() -> Services:
    from medscribe.config import get_settings  # with the first invocation, not at import

    return Services(get_settings())


def reset() -> None:
    """Forget cached settings, clients and adapters (the local engine calls this when it sets up an env)."""
    from medscribe.config import get_settings

    get_services.cache_clear()
    get_settings.cache_clear()
    client.cache_clear()
