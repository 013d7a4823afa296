"""Operations over the pipeline's AWS APIs (boto3 only): the same calls against the local endpoint
(``medscribe serve`` / ``AwsEndpoint``) and a deployed stack with ordinary AWS credentials. The ops CLI
(``medscribe list/status/history/redrive/open``) and the console page are two faces of this package."""

from medscribe.ops.operations import Ops, OpsError, RecordingNotFound
from medscribe.ops.views import Execution, TimelineEntry

__all__ = ["Execution", "Ops", "OpsError", "RecordingNotFound", "TimelineEntry"]
