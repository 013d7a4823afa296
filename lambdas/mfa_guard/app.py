"""Cognito pre-token-generation trigger: no tokens for a clinic-admin or operator without MFA.

The pool's MFA is OPTIONAL (clinicians may enrol); see ``medscribe.logic.mfa`` and docs/security-template.md.
Raising fails the sign-in (or refresh): Cognito answers the client with the error's name and message.
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe import errors
from medscribe.logic.mfa import cognito_enrolled_factors, require_mfa
from medscribe.wiring import client

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return require_mfa(event, cognito_enrolled_factors(client("cognito-idp")))
    except errors.MfaRequired:
        # The user's sub/name is an identifier, not PHI, but the pool's trigger source is enough to count.
        logger.warning(
            "token refused: privileged role without MFA", extra={"trigger": event.get("triggerSource")}
        )
        metrics.add_metric(name="PrivilegedSignInWithoutMfa", unit=MetricUnit.Count, value=1)
        raise
