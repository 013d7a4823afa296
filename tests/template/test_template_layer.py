"""The shared layer's requirements: pyproject's runtime pins minus boto3, and nothing local-only."""

from __future__ import annotations

import ast
import importlib.metadata as md
import sys
import tomllib
from pathlib import Path

from cfn_support import ROOT, template
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQUIREMENTS = ROOT / "src" / "requirements.txt"
# Ship boto3 in the layer too: aws-xray-sdk pulls botocore, which would otherwise shadow the runtime's boto3
# with a mismatched pair. So nothing in [project] dependencies is left to the runtime.
PROVIDED_BY_RUNTIME: set[str] = set()
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


# What a deployed function can import: the layer's requirement closure + what the runtime provides.
RUNTIME_PROVIDED = {"boto3"}
# Local-mode code that the layer ships as source but no deployed code path imports.
NOT_DEPLOYED = ("medscribe/local/", "medscribe/offline/", "medscribe/cli.py")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _third_party_imports(tree: ast.AST) -> set[tuple[str, bool]]:
    """(top-level module, imported inside a function) for every import outside ``if TYPE_CHECKING:``."""
    found: set[tuple[str, bool]] = set()
    todo: list[tuple[ast.AST, bool]] = [(tree, False)]
    while todo:
        node, in_function = todo.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            todo.extend((n, in_function) for n in node.orelse)
            continue
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], in_function) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], in_function))
        nested = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        todo.extend((child, nested) for child in ast.iter_child_nodes(node))
    return {
        (n, f) for n, f in found if n not in sys.stdlib_module_names and n not in {"medscribe", "__future__"}
    }


def _deployed_sources() -> list[Path]:
    package = sorted((ROOT / "src" / "medscribe").rglob("*.py"))
    deployed = [p for p in package if not p.relative_to(ROOT / "src").as_posix().startswith(NOT_DEPLOYED)]
    return deployed + sorted((ROOT / "lambdas").glob("*/app.py"))


def test_given_deployed_code_when_its_imports_are_resolved_then_the_layer_or_runtime_provides_each() -> None:
    # Given: what the layer and runtime provide; local-mode packages may only be imported lazily (in a
    # function that runs in local mode, e.g. the psycopg repository), never at module level.
    available = _closure({canonicalize_name(r.name) for r in _layer_requirements()} | RUNTIME_PROVIDED)
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    local_extras = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["local"]}
    providers = md.packages_distributions()
    missing: dict[str, str] = {}
    # When
    for path in _deployed_sources():
        for module, lazy in _third_party_imports(ast.parse(path.read_text(encoding="utf-8"))):
            dists = {canonicalize_name(d) for d in providers.get(module, [])}
            if dists & available or (lazy and dists & local_extras):
                continue
            missing[module] = path.relative_to(ROOT).as_posix()
    # Then
    assert not missing, f"imported by deployed code but not in the layer: {missing}"
