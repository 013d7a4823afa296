"""``estimated_cost_usd`` of a local run: what the same recording would cost on AWS.

Usage is measured where the run measured it: state transitions and Lambda task durations from the execution
history (local durations stand in for Lambda's), audio seconds and transcript characters from the recording;
the functions invoked outside the execution (the upload trigger, the callback signal) count as requests at
``MODELLED_LAMBDA_SECONDS``. InferRxNorm units follow the deployed template's ``INFER_RXNORM`` (local runs use
the offline detector, which has no RxNorm call).
"""

from __future__ import annotations

from typing import Any

from medscribe.logic import cost


def run_cost(
    pipeline: Any, history: list[dict[str, Any]], duration_seconds: float, char_count: int
) -> dict[str, Any]:
    memory: dict[str, int] = {}
    globals_memory = int(
        pipeline.stack.template.get("Globals", {}).get("Function", {}).get("MemorySize", 512)
    )
    for spec in pipeline.stack.functions.values():
        props = pipeline.stack.template["Resources"][spec.logical_id]["Properties"]
        memory[spec.arn] = int(props.get("MemorySize", globals_memory))
    gb_seconds, requests = cost.lambda_usage_in(history, memory)
    outside = [
        i
        for i in pipeline.dispatcher.invocations
        if i.function in ("StartRecordingFunction", "TranscriptionDoneFunction")
    ]
    gb_seconds += len(outside) * globals_memory / 1024 * cost.MODELLED_LAMBDA_SECONDS
    deployed_rxnorm = (
        str(
            pipeline.stack.template.get("Globals", {})
            .get("Function", {})
            .get("Environment", {})
            .get("Variables", {})
            .get("INFER_RXNORM", "true")
        ).lower()
        == "true"
    )
    entities, rxnorm = cost.text_units(char_count, deployed_rxnorm)
    usage = cost.Usage(
        transitions=cost.transitions_in(history),
        lambda_gb_seconds=round(gb_seconds, 6),
        lambda_requests=requests + len(outside),
        audio_seconds=duration_seconds,
        comprehend_units=entities,
        rxnorm_units=rxnorm,
    )
    return cost.estimate(usage).to_json()
