"""What a Distributed Map over an S3 archive needs from moto 5.2.6 (BackfillPipeline), as AWS documents it.

- ItemReader ``s3:listObjectsV2``: AWS reads every page of the listing, an empty prefix gives a Map Run of 0
  items, and each item is ``{"Key", "Etag", "LastModified" (epoch seconds), "Size", "StorageClass"}``. moto
  reads the first page only, raises ``KeyError: 'Contents'`` on an empty prefix, and hands boto3's dicts
  (a ``datetime`` that is not JSON) to the children.
- ResultWriter ``s3:putObject``: AWS writes ``{Prefix}{map run id}/manifest.json`` and the result files
  ``SUCCEEDED_0.json`` / ``FAILED_0.json`` (each child's ``Input``, ``Output`` or ``Error``/``Cause``, ``Status``)
  that the manifest lists. moto writes the manifest with empty ``ResultFiles`` and no result file.

- ``arn:aws:states:::states:startExecution.sync:2``: AWS maps the Task's ``StateMachineArn``/``Name``/``Input``
  to the API's members; moto hands them to botocore as they are (``KeyError: 'StateMachineArn'``).

Children's outcomes are kept per Map Run (``outcomes``) while it runs, which also gives local callers progress.
"""

from __future__ import annotations

import json
import threading
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores="A Distributed Map's ItemReader s3:listObjectsV2 reads every page (empty prefix: 0 items), its ResultWriter writes the manifest and result files, and startExecution.sync:2 maps StateMachineArn/Name/Input (Developer Guide, 'ItemReader', 'ResultWriter', 'Start a new AWS Step Functions state machine').",
    targets=(
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn.StateTaskServiceSfn._eval_service_task",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn.StateTaskServiceSfn._build_sync2_resolver",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn.StateTaskServiceSfn._normalise_parameters",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.item_reader.eval.resource_eval_s3.ResourceEvalS3._handle_list_objects_v2",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.itemprocessor.distributed_item_processor_worker.DistributedItemProcessorWorker._eval_job",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval.resource_eval_s3.ResourceEvalS3._handle_put_object",
    ),
    canary="tests/local/test_backfill_map.py::test_canary_moto_5_2_5_still_needs_the_patch",
    private="the ItemReader/ResultWriter S3 handlers and the sfn task's parameter mapping are private methods; no public hooks",
)

_lock = threading.Lock()
outcomes: dict[str, list[dict[str, Any]]] = {}  # map run ARN -> one entry per finished child
items_total: dict[str, int] = {}  # map run ARN -> items read
map_runs: dict[str, list[str]] = {}  # execution ARN -> its map run ARNs


def finished(execution_arn: str) -> list[dict[str, Any]]:
    """The finished children of one execution's Map Runs (one entry each, as in the result files)."""
    with _lock:
        return [e for run in map_runs.get(execution_arn, []) for e in outcomes.get(run, [])]


def progress(execution_arn: str) -> tuple[int, int]:
    """(children finished, items read) of the Map Runs of one execution (local progress bars)."""
    with _lock:
        runs = map_runs.get(execution_arn, [])
        return sum(len(outcomes.get(r, [])) for r in runs), sum(items_total.get(r, 0) for r in runs)


def _list_all(s3_client: Any, parameters: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in s3_client.get_paginator("list_objects_v2").paginate(**parameters):
        for obj in page.get("Contents", []):
            items.append(
                {
                    "Etag": obj["ETag"],
                    "Key": obj["Key"],
                    "LastModified": int(obj["LastModified"].timestamp()),
                    "Size": obj["Size"],
                    "StorageClass": obj.get("StorageClass", "STANDARD"),
                }
            )
    return items


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
        StatesErrorNameType,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.item_reader.eval import (
        resource_eval_s3 as reader,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.itemprocessor import (
        distributed_item_processor_worker as worker,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval import (
        resource_eval_s3 as writer,
    )
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramError
    from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for

    def list_objects_v2(env: Any, runtime: Any, credentials: Any) -> None:
        client: Any = boto_client_for(service="s3", region=runtime.region, state_credentials=credentials)
        env.stack.append(_list_all(client, env.stack.pop()))

    original_eval_job = worker.DistributedItemProcessorWorker._eval_job

    def eval_job(self: Any, env: Any, job: Any) -> None:
        arn = self._map_run_record.map_run_arn
        with _lock:
            if arn not in items_total:
                items_total[arn] = int(getattr(self._job_pool, "_jobs_number", 0))
                map_runs.setdefault(self._map_run_record.execution_arn, []).append(arn)
        original_eval_job(self, env, job)
        state = env.program_state()
        entry: dict[str, Any] = {"Input": json.dumps(job.job_input), "Index": job.job_index}
        if isinstance(state, ProgramError):
            details = state.error or {}
            entry.update(Status="FAILED", Error=details.get("error"), Cause=details.get("cause"))
        elif job.job_output is None:
            entry.update(Status="FAILED", Error="States.Runtime", Cause=None)
        else:
            entry.update(Status="SUCCEEDED", Output=json.dumps(job.job_output))
        with _lock:
            outcomes.setdefault(arn, []).append(entry)

    def put_object(env: Any, runtime: Any, credentials: Any) -> None:
        parameters = env.stack.pop()
        env.stack.pop()  # the Map Run's outputs (written to the files instead)
        client: Any = boto_client_for(service="s3", region=runtime.region, state_credentials=credentials)
        record = env.map_run_record_pool_manager.get_all().pop()
        arn = record.map_run_arn
        prefix = parameters.get("Prefix", "")
        prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        base = f"{prefix}{arn.split(':')[-1]}/"
        with _lock:
            done = sorted(outcomes.get(arn, []), key=lambda e: e["Index"])
        files: dict[str, list[dict[str, Any]]] = {"FAILED": [], "PENDING": [], "SUCCEEDED": []}
        for status in ("SUCCEEDED", "FAILED"):
            entries = [{k: v for k, v in e.items() if k != "Index"} for e in done if e["Status"] == status]
            if not entries:
                continue
            key = f"{base}{status}_0.json"
            client.put_object(Bucket=parameters["Bucket"], Key=key, Body=json.dumps(entries).encode())
            files[status].append({"Key": key, "Size": len(entries)})
        manifest = {"DestinationBucket": parameters["Bucket"], "MapRunArn": arn, "ResultFiles": files}
        client.put_object(
            Bucket=parameters["Bucket"], Key=f"{base}manifest.json", Body=json.dumps(manifest).encode()
        )
        env.stack.append(
            {
                "MapRunArn": arn,
                "ResultWriterDetails": {"Bucket": parameters["Bucket"], "Key": f"{base}manifest.json"},
            }
        )

    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service_sfn as sfn_task,
    )

    original_normalise = sfn_task.StateTaskServiceSfn._normalise_parameters
    original_eval_service_task = sfn_task.StateTaskServiceSfn._eval_service_task

    def normalise(self: Any, parameters: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        original_normalise(self, parameters, *args, **kwargs)
        for name in [k for k in parameters if k[:1].isupper()]:
            parameters[name[0].lower() + name[1:]] = parameters.pop(name)

    def eval_service_task(self: Any, env: Any, *args: Any, **kwargs: Any) -> None:
        original_eval_service_task(self, env, *args, **kwargs)
        response = env.stack[-1]
        if isinstance(response, dict):  # the API's members, as the Task's result names them (ExecutionArn)
            env.stack[-1] = {k[0].upper() + k[1:]: v for k, v in response.items()}

    def build_sync2_resolver(
        self: Any, env: Any, resource_runtime_part: Any, normalised_parameters: Any, state_credentials: Any
    ) -> Any:
        client: Any = boto_client_for(
            service="stepfunctions", region=resource_runtime_part.region, state_credentials=state_credentials
        )
        arn = env.stack.pop()["ExecutionArn"]

        def resolve() -> Any:
            described = client.describe_execution(executionArn=arn)
            if described["status"] == "RUNNING":
                return None
            out = {k[0].upper() + k[1:]: v for k, v in described.items() if k != "ResponseMetadata"}
            for key in ("StartDate", "StopDate", "RedriveDate"):
                if key in out:
                    out[key] = int(out[key].timestamp() * 1000)
            for key in ("Input", "Output"):
                if isinstance(out.get(key), str):
                    out[key] = json.loads(out[key])
            if described["status"] == "SUCCEEDED":
                return out
            details: Any = {  # moto's EventDetails (a TypedDict of every kind of event)
                "taskFailedEventDetails": TaskFailedEventDetails(
                    resource="startExecution.sync:2",
                    resourceType="states",
                    error=StatesErrorNameType.StatesTaskFailed.to_name(),
                    cause=json.dumps(out),
                )
            }
            raise FailureEventException(
                FailureEvent(
                    env=env,
                    error_name=StatesErrorName(typ=StatesErrorNameType.StatesTaskFailed),
                    event_type=HistoryEventType.TaskFailed,
                    event_details=details,
                )
            )

        return resolve

    stack.enter_context(
        mock.patch.object(sfn_task.StateTaskServiceSfn, "_eval_service_task", eval_service_task)
    )
    stack.enter_context(
        mock.patch.object(sfn_task.StateTaskServiceSfn, "_build_sync2_resolver", build_sync2_resolver)
    )
    stack.enter_context(mock.patch.object(sfn_task.StateTaskServiceSfn, "_normalise_parameters", normalise))
    stack.enter_context(
        mock.patch.object(reader.ResourceEvalS3, "_handle_list_objects_v2", staticmethod(list_objects_v2))
    )
    stack.enter_context(mock.patch.object(worker.DistributedItemProcessorWorker, "_eval_job", eval_job))
    stack.enter_context(
        mock.patch.object(writer.ResourceEvalS3, "_handle_put_object", staticmethod(put_object))
    )
