"""The shared layer's requirements: pyproject's runtime pins minus boto3, and nothing local-only."""

from __future__ import annotations

import importlib.metadata as md
import tomllib

from cfn_support import ROOT, template
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQUIREMENTS = ROOT / "src" / "requirements.txt"
PROVIDED_BY_RUNTIME = {"boto3"}
LOCAL_ONLY = {"moto", "pocketsphinx", "pgserver", "psycopg", "psycopg-binary", "psycopg-c", "psycopg-pool"}


def _layer_requirements() -> list[Requirement]:
    lines = REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    return [Requirement(line.split("#", 1)[0].strip()) for line in lines if line.split("#", 1)[0].strip()]


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def _runtime_dependencies() -> list[Requirement]:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    return [Requirement(r) for r in project["dependencies"]]


def _pins(requirements: list[Requirement]) -> dict[str, str]:
    return {canonicalize_name(r.name): str(r.specifier) for r in requirements}


def _closure(names: set[str]) -> set[str]:
    """Installed distributions reachable from ``names`` through their (non-extra) requirements."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = md.distribution(name).requires or []
        except md.PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def test_given_pyproject_when_compared_then_layer_requirements_are_its_runtime_pins_minus_boto3() -> None:
    # Given
    runtime = _pins(_runtime_dependencies())
    # When
    layer = _pins(_layer_requirements())
    # Then
    assert layer == {name: spec for name, spec in runtime.items() if name not in PROVIDED_BY_RUNTIME}
    assert set(runtime) >= PROVIDED_BY_RUNTIME


def test_given_layer_requirements_when_read_then_each_is_an_exact_pin_without_extras_or_markers() -> None:
    for req in _layer_requirements():
        assert len(req.specifier) == 1, req
        (spec,) = req.specifier
        assert spec.operator == "==", req
        assert not req.extras, req
        assert req.marker is None, req


def test_given_layer_requirements_when_resolved_then_no_local_only_package_is_pulled_in() -> None:
    # Given
    direct: set[str] = {canonicalize_name(r.name) for r in _layer_requirements()}
    # When
    closure = _closure(direct)
    # Then
    assert not direct & (LOCAL_ONLY | PROVIDED_BY_RUNTIME)
    assert not closure & LOCAL_ONLY, sorted(closure & LOCAL_ONLY)


def test_given_the_local_extras_when_listed_then_the_layer_guard_knows_them() -> None:
    # The guard above is only as good as its list: every local-mode extra that is forbidden must be in it.
    extras = _pyproject()["project"]
    assert isinstance(extras, dict)
    local = {canonicalize_name(Requirement(r).name) for r in extras["optional-dependencies"]["local"]}
    assert {"moto", "pocketsphinx", "pgserver", "psycopg"} <= local
    assert {"moto", "pocketsphinx", "pgserver", "psycopg"} <= LOCAL_ONLY


def test_given_the_layer_resource_when_built_then_sam_builds_src_with_python_and_its_requirements() -> None:
    layer = template()["Resources"]["MedscribeLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "src/"
    assert layer["Metadata"]["BuildMethod"].startswith("python3.")
    # sam build's python workflow installs <ContentUri>/requirements.txt and copies the package beside it.
    assert REQUIREMENTS.parent == ROOT / layer["Properties"]["ContentUri"].rstrip("/")
    assert (REQUIREMENTS.parent / "medscribe" / "__init__.py").is_file()
