"""Query parameter names: the API takes exactly those api/openapi.yaml declares for the route."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml
from api_support import Api

ROOT = Path(__file__).resolve().parents[2]


def _app() -> Any:
    spec = importlib.util.spec_from_file_location(
        "api_app_for_query_names", ROOT / "lambdas" / "api" / "app.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_handler_declares_the_query_names_of_the_spec() -> None:
    spec = yaml.safe_load((ROOT / "api" / "openapi.yaml").read_text())
    declared: dict[str, frozenset[str]] = {}
    for path, item in spec["paths"].items():
        for op in item.values():
            params = op.get("parameters", []) if isinstance(op, dict) else []
            names = {p["name"] for p in params if isinstance(p, dict) and p.get("in") == "query"}
            if names:
                declared[path] = declared.get(path, frozenset()) | names
    assert declared == _app().QUERY_PARAMETERS


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/recordings", {"statu": "FAILED"}),
        ("/recordings/search", {"q": "cough", "tenant": "clinic-b"}),
        ("/recordings/00000000-0000-4000-8000-000000000000", {"x": "1"}),
    ],
)
def test_an_undeclared_query_parameter_is_a_400_problem(api: Api, path: str, query: dict[str, str]) -> None:
    response = api.call("GET", path, "alice", params=query)
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
