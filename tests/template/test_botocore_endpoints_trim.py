"""The core layer's botocore endpoints.json keeps only the shipped services (src/layer_build/trim_botocore_endpoints.py, run
by src/Makefile): every shipped client must resolve exactly as with botocore's full file."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore
import pytest
from botocore.regions import EndpointResolver
from cfn_support import ROOT

DATA = Path(botocore.__file__).parent / "data"
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "ca-central-1", "us-gov-west-1", "cn-north-1")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_trim_botocore_endpoints", ROOT / "src" / "layer_build" / "trim_botocore_endpoints.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shipped_services() -> list[str]:
    makefile = (ROOT / "src" / "Makefile").read_text("utf-8")
    match = re.search(r"^BOTOCORE_SERVICES = (.*)$", makefile, re.MULTILINE)
    assert match is not None
    return match.group(1).split()


@pytest.fixture(scope="module")
def shipped_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of botocore's data folder as the Makefile leaves it: shipped models only, then the trim."""
    data = tmp_path_factory.mktemp("botocore-data")
    for service in _shipped_services():
        for model in (DATA / service).glob("*/service-2.json*"):
            target = data / service / model.parent.name / model.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(model.read_bytes())
    (data / "endpoints.json").write_bytes((DATA / "endpoints.json").read_bytes())
    _script().main(data)
    return data


def _resolve(resolver: EndpointResolver, prefix: str, region: str, **variant: bool) -> Any:
    return resolver.construct_endpoint(prefix, region, **variant)


def test_given_the_trimmed_file_when_each_shipped_client_resolves_then_it_gets_what_the_full_file_gives(
    shipped_data: Path,
) -> None:
    # Given: botocore's full endpoints data and the trimmed one
    full = EndpointResolver(json.loads((DATA / "endpoints.json").read_text("utf-8")))
    trimmed_data = json.loads((shipped_data / "endpoints.json").read_text("utf-8"))
    trimmed = EndpointResolver(trimmed_data)
    prefixes = _script().endpoint_prefixes(shipped_data)
    # When / Then: every shipped service (by its endpoint prefix, "states" for stepfunctions) in every partition,
    # plain and FIPS, resolves the same
    assert {"s3", "states", "rds-data", "comprehendmedical"} <= prefixes
    assert len(prefixes) == len(_shipped_services())
    for prefix in sorted(prefixes):
        for region in REGIONS:
            for variant in ({}, {"use_fips_endpoint": True}):
                assert _resolve(trimmed, prefix, region, **variant) == _resolve(
                    full, prefix, region, **variant
                )
    # and nothing else is listed, partitions and their regions whole
    listed = {name for p in trimmed_data["partitions"] for name in p["services"]}
    assert listed <= prefixes
    full_data = json.loads((DATA / "endpoints.json").read_text("utf-8"))
    assert [p["regions"] for p in trimmed_data["partitions"]] == [
        p["regions"] for p in full_data["partitions"]
    ]
    assert (shipped_data / "endpoints.json").stat().st_size < (DATA / "endpoints.json").stat().st_size / 10
