"""The Lambda layers of template.yaml as requirement sets: which layers each function gets, which
distributions each layer ships (``<ContentUri>/requirements.txt``, installed ``--no-deps``)."""

from __future__ import annotations

import importlib.metadata as md
from pathlib import Path
from typing import Any

from cfn_support import ROOT, functions, resources
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LAYER_TYPE = "AWS::Serverless::LayerVersion"
# Declared by a shipped distribution but never imported on the deployed code paths, so left out of the
# layers (install is --no-deps): cffi's C-declaration parser (soundfile ships a precompiled ABI-mode module).
NOT_SHIPPED_REQUIREMENTS = {"pycparser"}
# Test-only PDF readers (the PDF is written by fpdf2 in the PdfLayer; reading it back is for tests).
NEVER_SHIPPED = {"pypdf", "pdfminer-six"}


def layers(tpl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return resources(tpl, LAYER_TYPE)


def requirements_file(tpl: dict[str, Any], layer_id: str) -> Path:
    return ROOT / str(tpl["Resources"][layer_id]["Properties"]["ContentUri"]) / "requirements.txt"


def read_requirements(path: Path) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [Requirement(line) for line in lines if line]


def layer_requirements(tpl: dict[str, Any], layer_id: str) -> list[Requirement]:
    return read_requirements(requirements_file(tpl, layer_id))


def layer_dists(tpl: dict[str, Any], layer_id: str) -> set[str]:
    return {canonicalize_name(r.name) for r in layer_requirements(tpl, layer_id)}


def layer_packages(tpl: dict[str, Any], layer_id: str) -> set[str]:
    """The project's own packages a layer's Makefile copies in: the package folders beside its requirements
    (src/medscribe in the core layer; layers/pdf/medscribe_fonts, the PDF's fonts, in the PdfLayer). All are
    installed by the one medscribe distribution, so the distribution alone does not say which layer has them."""
    return {init.parent.name for init in requirements_file(tpl, layer_id).parent.glob("*/__init__.py")}


def function_packages(tpl: dict[str, Any], function_id: str) -> set[str]:
    """The project's own top-level packages on the function's path (its layers' :func:`layer_packages`)."""
    return set().union(*(layer_packages(tpl, layer_id) for layer_id in function_layers(tpl, function_id)))


def project_packages(tpl: dict[str, Any]) -> set[str]:
    return set().union(*(layer_packages(tpl, layer_id) for layer_id in layers(tpl)))


def _refs(value: Any) -> list[str]:
    return [v["Ref"] for v in value or [] if isinstance(v, dict) and "Ref" in v]


def function_layers(tpl: dict[str, Any], function_id: str) -> list[str]:
    """Globals' Layers then the function's own: SAM appends a function's list to the Globals list."""
    shared = _refs(tpl.get("Globals", {}).get("Function", {}).get("Layers"))
    own = _refs(tpl["Resources"][function_id]["Properties"].get("Layers"))
    return list(dict.fromkeys(shared + own))


def function_dists(tpl: dict[str, Any], function_id: str) -> set[str]:
    """Every distribution on the function's path (all of its layers), the medscribe package included."""
    dists = {"medscribe"}
    for layer_id in function_layers(tpl, function_id):
        dists |= layer_dists(tpl, layer_id)
    return dists


def closure(names: set[str]) -> set[str]:
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


def all_functions(tpl: dict[str, Any]) -> list[str]:
    return sorted(functions(tpl))
