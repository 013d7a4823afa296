"""Validate responses against api/openapi.yaml (OpenAPI 3.0: ``nullable`` becomes a JSON Schema null type)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import requests
import yaml

SPEC = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    return loaded


def _to_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def _schema(ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    defs = {k: _to_json_schema(v) for k, v in spec()["components"]["schemas"].items()}
    return {**_to_json_schema(ref_or_schema), "$defs": defs}


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        _, _, section, name = node["$ref"].split("/")
        node = spec()["components"][section][name]
    return node


@cache
def _validator(path: str, method: str, status: str, media: str) -> Any:
    """What ``jsonschema.validate`` builds for that response's schema (checked against its metaschema), once
    per response kind: the tests validate a hundred responses against a dozen schemas."""
    content = _resolve(spec()["paths"][path][method]["responses"][status])["content"]
    schema = _schema(content[media]["schema"])
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def assert_conforms(response: requests.Response, path: str, method: str) -> None:
    """The status is documented for the operation and the body matches that response's schema."""
    operation = spec()["paths"][path][method.lower()]
    documented = operation["responses"]
    assert str(response.status_code) in documented, (path, method, response.status_code, response.text)
    content = _resolve(documented[str(response.status_code)]).get("content", {})
    media = response.headers.get("Content-Type", "").split(";")[0]
    assert media in content, (path, method, media)
    validator = _validator(path, method.lower(), str(response.status_code), media)
    error = jsonschema.exceptions.best_match(validator.iter_errors(response.json()))
    if error is not None:
        raise error  # as jsonschema.validate raises it
