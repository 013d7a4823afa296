"""Exactly-once publishing as consumers see it: a conditional claim before ``PutEvents``.

Read → PutEvents → remember publishes twice when two invocations race or when the process dies between
PutEvents and remember. Here the claim comes first: powertools idempotency (``idempotent_function`` over its
DynamoDB persistence layer) writes an ``INPROGRESS`` record with a conditional ``PutItem`` keyed on the event's
``idempotency_key``; only the winner calls PutEvents, and the record then stores the event id (``COMPLETED``).

- A concurrent second invocation finds the ``INPROGRESS`` claim and raises ``PublishInProgress`` (transient:
  the state machine retries, and the retry returns the winner's event id).
- A crash after PutEvents leaves the claim ``INPROGRESS`` until its in-progress expiry (the Lambda's remaining
  time, from the registered context); a retry after that publishes again with the SAME ``idempotency_key``, which
  is why consumers dedupe on it (docs/events.md). That window is the only way a consumer sees a duplicate.
- A failed PutEvents deletes the claim (powertools does), so the retry publishes.

Claims live in the recordings table as their own items (partition key ``recording_id`` =
``medscribe-outcome#<hash of the idempotency key>``, never a recording id: no tenant, so never in the
by-tenant-status index), with their own attribute names and the table's TTL attribute ``expires_at``.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
)

from medscribe.errors import PublishInProgress, ServiceThrottled
from medscribe.ports import EventPublisher

KEY_PREFIX = "medscribe-outcome"
CLAIM_EXPIRY_SECONDS = (
    30 * 86_400
)  # a claim outlives any redrive window of the execution (90 days max: re-run)


class ClaimedPublisher:
    """``publish_once``: PutEvents at most once per ``idempotency_key`` while its claim stands."""

    def __init__(
        self,
        publisher: EventPublisher,
        *,
        table_name: str,
        client: Any,
        expires_after_seconds: int = CLAIM_EXPIRY_SECONDS,
    ) -> None:
        self._publisher = publisher
        self._persistence = DynamoDBPersistenceLayer(
            table_name=table_name,
            key_attr="recording_id",
            expiry_attr="expires_at",
            in_progress_expiry_attr="claim_in_progress_expires_ms",
            status_attr="claim_status",
            data_attr="claim_data",
            validation_key_attr="claim_validation",
            boto3_client=client,
        )
        self._config = IdempotencyConfig(
            event_key_jmespath="idempotency_key",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_seconds,
            use_local_cache=False,
        )

    def register_context(self, context: Any) -> None:
        """The Lambda context bounds the in-progress claim by the invocation's remaining time."""
        if context is not None and hasattr(context, "get_remaining_time_in_millis"):
            self._config.register_lambda_context(context)

    def publish_once(self, *, idempotency_key: str, detail_type: str, detail: dict[str, Any]) -> str:
        publisher = self._publisher

        @idempotent_function(
            data_keyword_argument="claim",
            persistence_store=self._persistence,
            config=self._config,
            key_prefix=KEY_PREFIX,
        )
        def _publish(claim: dict[str, Any]) -> dict[str, str]:
            event_id = publisher.publish(
                detail_type=claim["detail_type"], detail=claim["detail"], resources=[]
            )
            return {"event_id": event_id}

        claim = {"idempotency_key": idempotency_key, "detail_type": detail_type, "detail": detail}
        try:
            result: dict[str, str] = _publish(claim=claim)
        except IdempotencyAlreadyInProgressError as exc:
            raise PublishInProgress(f"{detail_type} is being published by another invocation") from exc
        except IdempotencyPersistenceLayerError as exc:
            raise ServiceThrottled(f"claim store unavailable for {detail_type}") from exc
        return result["event_id"]
