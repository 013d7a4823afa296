"""The PHI property's tools (imported by name: ``from phi_support import ...``): file names with PHI-like
tokens, a sink for every log line, and one text blob of everything an operator or a trace can see."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from api_support import Api
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from hypothesis import strategies as st

# consonants outside hex: never an English word, a hex digit run or a JSON key by accident
_WORD = st.text(alphabet="ghjklmnpqrstvwxz", min_size=6, max_size=10)
_MRN = st.integers(min_value=10**9, max_value=10**10 - 1).map(lambda n: "9" + str(n))


@st.composite
def phi_file_names(draw: st.DrawFn) -> tuple[str, list[str]]:
    """``(file name, its PHI tokens)``: e.g. ``Qrtvks_MNPGHL_DOB_1966-03-02_MRN_94488120000.wav``."""
    first, last = draw(_WORD), draw(_WORD)
    mrn = draw(_MRN)
    year = draw(st.integers(1931, 1999))
    sep = draw(st.sampled_from(["_", " ", "-", "."]))
    name = sep.join([first.title(), last.upper(), "DOB", f"{year}-03-02", "MRN", mrn]) + ".wav"
    return name, [first, last, mrn]


def _s3_keys(pipeline: Any) -> list[str]:
    """Every key of every bucket of the stack, current or not (versions and delete markers included)."""
    s3 = pipeline.client("s3")
    keys: list[str] = []
    for bucket in pipeline.stack.buckets.values():
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            keys += [v["Key"] for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
    return keys


def _table_items(pipeline: Any) -> list[dict[str, Any]]:
    ddb = pipeline.client("dynamodb")
    items: list[dict[str, Any]] = []
    for table in ddb.list_tables()["TableNames"]:
        for page in ddb.get_paginator("scan").paginate(TableName=table):
            items += page["Items"]
    return items


def everything_visible(api: Api) -> str:
    """Execution names, inputs and histories, S3 keys (all buckets, all versions), every DynamoDB item, the
    events on the bus' queue: one text blob."""
    pipeline = api.server.pipeline
    sfn = pipeline.client("stepfunctions")
    executions = sfn.list_executions(stateMachineArn=pipeline.state_machine_arn)["executions"]
    history = sfn.get_paginator("get_execution_history")  # AWS pages histories (100 events by default)
    histories = [
        json.dumps([p["events"] for p in history.paginate(executionArn=e["executionArn"])], default=str)
        for e in executions
    ]
    return "\n".join(
        [
            *_s3_keys(pipeline),
            *(e["name"] for e in executions),
            *histories,
            json.dumps(pipeline.received_events(), default=str),
            json.dumps(_table_items(pipeline), default=str),
        ]
    )


def assert_no_token(tokens: list[str], visible: str) -> None:
    for token in tokens:
        assert not re.search(re.escape(token), visible, flags=re.IGNORECASE), token


class JsonLines(logging.Handler):
    """Every log record, formatted as the Lambda handlers' powertools JSON line (extras included), while
    installed on the root logger at DEBUG (``with JsonLines() as sink: ...; sink.text``).

    ``sdk_debug=False`` leaves out the DEBUG records of other libraries' loggers (botocore, s3transfer,
    urllib3, moto, ...): their wire-level traces name every request's key, the test's own uploads included,
    and never reach a Lambda's logs (the runtime's root logger is at WARNING; ``LogLevel`` sets medscribe's
    loggers only). medscribe's own loggers are kept at every level."""

    def __init__(self, *, sdk_debug: bool = True) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(LambdaPowertoolsFormatter())
        self.lines: list[str] = []
        self.sdk_debug = sdk_debug
        self._previous = logging.NOTSET

    def emit(self, record: logging.LogRecord) -> None:
        if self.sdk_debug or record.levelno >= logging.INFO or record.name.split(".")[0] == "medscribe":
            self.lines.append(self.format(record))

    def filter(self, record: logging.LogRecord) -> bool:
        # A powertools Logger initialised while this handler is on the root logger adds a SuppressFilter for
        # its service's child loggers to every root handler (its pytest de-duplication); this sink must see
        # every record whichever handler started first, so no filter applies to it.
        return True

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def __enter__(self) -> JsonLines:
        root = logging.getLogger()
        self._previous = root.level
        root.addHandler(self)
        # without sdk_debug, other libraries' DEBUG records are not even created (pytest's own capture would
        # format thousands of them); medscribe's loggers have their own level (powertools sets it)
        root.setLevel(logging.DEBUG if self.sdk_debug else logging.INFO)
        return self

    def __exit__(self, *exc: object) -> None:
        root = logging.getLogger()
        root.removeHandler(self)
        root.setLevel(self._previous)
