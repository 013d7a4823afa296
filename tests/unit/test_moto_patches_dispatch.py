"""moto_patches.dispatch: moto's per-request dispatch without its needless scans, same answers."""

from __future__ import annotations

from contextlib import ExitStack

import boto3
import moto
import pytest
from moto.core import responses
from moto.core.utils import method_names_from_class
from moto.s3.responses import S3Response
from moto.sqs.responses import SQSResponse
from moto.stepfunctions.responses import StepFunctionResponse

from medscribe.local.moto_patches import dispatch


@pytest.mark.parametrize("clazz", [StepFunctionResponse, S3Response, SQSResponse])
def test_the_action_test_agrees_with_motos_method_list_for_every_name(clazz: type) -> None:
    # Given moto's own list of a response class's methods, and names that are not methods
    names = set(method_names_from_class(clazz))
    others = {"not_an_action", "__class__", "region", "automated_parameter_parsing", ""}
    # Then the patch's test agrees with it on every name
    checker = dispatch.MethodNames(clazz)
    assert all(name in checker for name in names)
    assert not any(name in checker for name in others - names)


def test_a_method_added_after_the_patch_is_still_dispatched() -> None:
    # Given the patch applied, when a class gets a new action later, then the action is found
    with ExitStack() as stack:
        dispatch.apply(stack)
        checker = responses.method_names_from_class(SQSResponse)
        assert "brand_new_action" not in checker
        stack.enter_context(
            __import__("unittest").mock.patch.object(
                SQSResponse, "brand_new_action", lambda self: "{}", create=True
            )
        )
        assert "brand_new_action" in checker


def test_xml_bodies_still_get_the_request_id_and_json_bodies_are_untouched() -> None:
    # Given the patch and an XML (SQS query protocol) and a JSON (Step Functions) API
    with moto.mock_aws(), ExitStack() as stack:
        dispatch.apply(stack)
        headers, xml = responses.BaseResponse._enrich_response(
            {"status": 200}, "<R><RequestId>x</RequestId></R>"
        )
        _, json_body = responses.BaseResponse._enrich_response({"status": 200}, '{"a": "<RequestIdx"}')
        _, raw = responses.BaseResponse._enrich_response({}, b"\x00<RequestId>bytes</RequestId>")
        # Then the XML element carries the request id moto generated for the response's headers
        assert xml == f"<R><RequestId>{headers['x-amzn-requestid']}</RequestId></R>"
        assert headers["status"] == "200"
        # And the other bodies come back as they were
        assert json_body == '{"a": "<RequestIdx"}'
        assert raw == b"\x00<RequestId>bytes</RequestId>"
        # And real calls through both protocols still answer
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="q")["QueueUrl"]
        assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["ResponseMetadata"]["RequestId"]
        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        assert sfn.list_state_machines()["stateMachines"] == []
