"""Production AWS adapters behind the ports in ``medscribe.ports`` (built by ``medscribe.wiring``).

Each module takes an already-built boto3 client (never builds one at import time) and maps the service's
documented errors onto ``medscribe.errors``: throttling after retries -> ``ServiceThrottled``, a transient
database condition -> ``DatabaseUnavailable``, a failed event entry -> ``EventPublishFailed``.
"""
