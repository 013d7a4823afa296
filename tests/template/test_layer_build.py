"""The layers as `sam build` builds them, for python3.12 (the Lambda runtime): RenderPdf's layers are built by their
own Makefiles (scripts/bench_coldstart.py, run as a command: the recipe of ``BuildMethod: makefile``, with this
machine's architecture) and the handler runs in a fresh ``python3.12 -I -S`` with only those layers on its path.
The PDF's fonts ship in the PdfLayer, not in the core layer every function loads; a PdfLayer without them fails.

The build downloads the layers' pinned wheels from PyPI (pip's cache keeps them); python3.12 is looked for on
PATH and in pyenv, and python3.11 is the stated fallback (the summary names the version used)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cfn_support import ROOT

from medscribe.logic.document import fonts

BENCH = ROOT / "scripts" / "bench_coldstart.py"
FUNCTION = "RenderPdfFunction"


def _bench(out: Path) -> tuple[int, str, dict[str, Any]]:
    cmd = [sys.executable, str(BENCH), "--only", FUNCTION, "--repeats", "1", "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=900)
    lines = done.stdout.strip().splitlines()
    summary: dict[str, Any] = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return done.returncode, done.stdout + done.stderr, summary


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("layer-build")
    code, output, summary = _bench(out)
    return out, code, output, summary


def _site(out: Path, layer_id: str) -> Path:
    return out / "layers" / layer_id / "python"


def test_given_the_built_layers_when_render_pdf_runs_on_them_then_it_draws_the_pdf(
    built: tuple[Path, int, str, dict[str, Any]],
) -> None:
    # Given RenderPdf's layers built by their Makefiles, When the handler runs with only them on its path
    _, code, output, summary = built
    # Then the first invocation succeeded and stored the PDF
    assert code == 0, output[-3000:]
    row = summary["per_function"][FUNCTION]
    assert row["first_invoke_ms"] is not None, output[-3000:]
    assert set(summary["layers_mb"]) == {"MedscribeLayer", "PdfLayer"}


def test_given_the_built_layers_when_listed_then_the_fonts_are_in_the_pdf_layer_only(
    built: tuple[Path, int, str, dict[str, Any]],
) -> None:
    out, code, output, _ = built
    assert code == 0, output[-3000:]
    # Given every font file the PDF registers (regular and bold faces, the fallbacks)
    stems = [*fonts.FACES.values(), *fonts.FALLBACKS]
    # Then each is in the PdfLayer's font package, and the core layer ships no font file at all
    package = _site(out, "PdfLayer") / fonts.FONTS_PACKAGE
    assert sorted(p.stem for p in package.glob("*.ttf")) == sorted(stems)
    assert sorted(_site(out, "MedscribeLayer").rglob("*.ttf")) == []


def test_given_a_pdf_layer_without_its_fonts_when_render_pdf_runs_then_it_fails(
    built: tuple[Path, int, str, dict[str, Any]], tmp_path: Path
) -> None:
    out, code, output, _ = built
    assert code == 0, output[-3000:]  # the control: the same build with its fonts passes
    # Given a copy of the built PdfLayer with its font package taken out, beside the same core layer. The copy's
    # files are hard links (the layers are only read: bytecode is precompiled and the handler runs with -B);
    # removing the copy's fonts unlinks them from the copy only.
    own = tmp_path / "layer-build"
    pdf_layer = own / "layers" / "PdfLayer"
    shutil.copytree(out / "layers" / "PdfLayer", pdf_layer, symlinks=True, copy_function=os.link)
    shutil.rmtree(_site(own, "PdfLayer") / fonts.FONTS_PACKAGE)
    layers = {"MedscribeLayer": out / "layers" / "MedscribeLayer", "PdfLayer": pdf_layer}
    # When RenderPdf runs on them as the bench runs it (its run_once: a fresh python3.12 -I -S with only those
    # layers, the same stubbed AWS answers), without building, measuring or zipping the layers again
    bench = _bench_module()
    tpl = bench.load_template(ROOT / "template.yaml")
    assert bench.function_layers(tpl, FUNCTION) == list(layers)
    python, _ = bench.find_python312(os.environ.get("PYTHON312"))
    function_dir = bench.copy_function(tpl, FUNCTION, own)
    env = bench.lambda_environment(tpl, FUNCTION, function_dir)
    run = bench.run_once(
        python, function_dir, list(layers.values()), bench.event_for(tpl, FUNCTION), out / "fixtures", env
    )
    # Then the step fails with its own named error, the missing package named as the cause's type
    assert run["ok"] is False, run
    assert "DocumentRenderFailed" in run["error"]
    assert "ModuleNotFoundError" in run["error"]
    # and the shared build still has its fonts
    assert (_site(out, "PdfLayer") / fonts.FONTS_PACKAGE).is_dir()


def _bench_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_coldstart", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
