"""Each function's layers hold exactly what its handler imports: ``import app`` and a first invocation with the
sample event (scripts/lambda_sim.py: Lambda's environment, AWS answered at botocore's before-call hook) in a
fresh process where every installed package outside the function's layers is unimportable. The handler must
succeed (nothing missing) and import every distribution its layers ship (nothing extra)."""

from __future__ import annotations

import importlib.metadata as md
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cfn_support import ROOT, template
from layer_support import NEVER_SHIPPED, all_functions, function_dists, function_packages, project_packages
from packaging.utils import canonicalize_name

SIM = ROOT / "scripts" / "lambda_sim.py"
BENCH = ROOT / "scripts" / "bench_coldstart.py"
# Shipped, required by what is imported, yet not imported on a first invocation: none today. A package that
# lands here must be explained (e.g. imported only on an error path).
SHIPPED_NOT_IMPORTED: dict[str, set[str]] = {}
# medscribe code the core layer leaves out (src/Makefile NOT_DEPLOYED): never imported on AWS.
NOT_DEPLOYED = ("medscribe/local/", "medscribe/offline/", "medscribe/cli")


@cache
def _describe(function_id: str) -> dict[str, Any]:
    """The sample event's path and Lambda's environment for a function (scripts/bench_coldstart.py --describe,
    run as a command: tests never import scripts/)."""
    done = subprocess.run(
        [sys.executable, str(BENCH), "--describe", function_id],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    described: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return described


def _make_fixtures(out: Path) -> None:
    subprocess.run([sys.executable, str(SIM), "fixtures", str(out)], check=True, timeout=300)


@cache
def _module_dists() -> dict[str, set[str]]:
    return {m: {canonicalize_name(d) for d in ds} for m, ds in md.packages_distributions().items()}


def _hidden_modules(allowed: set[str], packages: set[str]) -> list[str]:
    """Top-level modules of installed distributions that are not on the function's path: another layer's
    distributions, and the project's own packages (one distribution, several layers) outside ``packages``."""
    own = project_packages(template())
    return sorted(
        m
        for m, dists in _module_dists().items()
        if (m in own and m not in packages) or (m not in own and not dists & allowed)
    )


def _run(function_id: str, fixtures: Path, work: Path) -> dict[str, Any]:
    tpl = template()
    allowed = function_dists(tpl, function_id)
    code = ROOT / str(tpl["Resources"][function_id]["Properties"]["CodeUri"])
    described = _describe(function_id)
    event = described["event"]
    assert event is not None, f"no sample event events/{code.name}.json for {function_id}"
    hide, result = work / f"{function_id}.hide.json", work / f"{function_id}.result.json"
    hide.write_text(json.dumps(_hidden_modules(allowed, function_packages(tpl, function_id))))
    env = described["environment"]
    cmd = [sys.executable, "-I", "-B", str(SIM), "run", "--function-dir", str(code), "--event", str(event)]
    cmd += ["--fixtures", str(fixtures), "--result", str(result), "--hide", str(hide)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=180)
    assert result.is_file(), done.stderr[-3000:]
    data: dict[str, Any] = json.loads(result.read_text())
    data["allowed"] = sorted(allowed)
    data["packages"] = sorted(function_packages(tpl, function_id))
    data["stderr"] = done.stderr
    return data


@pytest.fixture(scope="module")
def sim_fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stubbed AWS answers (lambda_sim.py fixtures), made once for the module: the runs only read them."""
    out = tmp_path_factory.mktemp("function-imports-fixtures")
    _make_fixtures(out)
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, sim_fixtures: Path) -> dict[str, dict[str, Any]]:
    work = tmp_path_factory.mktemp("function-imports")
    with ThreadPoolExecutor(max_workers=2) as pool:
        ids = all_functions(template())
        results = pool.map(lambda fid: _run(fid, sim_fixtures, work), ids)
        return dict(zip(ids, results, strict=True))


def _imported_dists(run: dict[str, Any]) -> set[str]:
    dists: set[str] = set()
    for module in run["modules"]:
        dists |= _module_dists().get(module, set())
    return dists


@pytest.mark.parametrize("function_id", all_functions(template()))
def test_given_only_its_layers_when_the_handler_loads_and_runs_then_nothing_is_missing(
    runs: dict[str, dict[str, Any]], function_id: str
) -> None:
    run = runs[function_id]
    assert run["ok"], run["error"]
    assert run["calls"], "the first invocation made no AWS call: the stub did not see the real clients"
    assert _imported_dists(run) <= set(run["allowed"]), sorted(_imported_dists(run) - set(run["allowed"]))
    local = [f for f in run["files"] if any(part in Path(f).as_posix() for part in NOT_DEPLOYED)]
    assert local == [], "local-mode code imported on the deployed path"


@pytest.mark.parametrize("function_id", all_functions(template()))
def test_given_its_layers_when_compared_with_what_ran_then_every_shipped_package_was_imported(
    runs: dict[str, dict[str, Any]], function_id: str
) -> None:
    run = runs[function_id]
    assert run["ok"], run["error"]
    unused = set(run["allowed"]) - _imported_dists(run) - {"medscribe"}
    assert unused == SHIPPED_NOT_IMPORTED.get(function_id, set()), (
        f"{function_id} ships unused {sorted(unused)}"
    )
    # and each of the project's own packages its layers copy in (the PDF's fonts only where PDFs are drawn)
    assert set(run["packages"]) <= set(run["modules"]), sorted(set(run["packages"]) - set(run["modules"]))


@pytest.mark.parametrize(
    ("missing_dist", "missing_package"),
    [("jinja2", ""), ("", "medscribe_fonts")],
    ids=["PdfLayer-without-jinja2", "PdfLayer-without-its-fonts"],
)
def test_given_the_stub_when_a_handler_needs_a_hidden_package_then_the_run_fails(
    tmp_path: Path, sim_fixtures: Path, missing_dist: str, missing_package: str
) -> None:
    # Given: the render step with part of its PDF layer hidden (a requirement, or the font package)
    tpl = template()
    code = ROOT / "lambdas" / "render_pdf"
    allowed = function_dists(tpl, "RenderPdfFunction") - {missing_dist}
    packages = function_packages(tpl, "RenderPdfFunction") - {missing_package}
    (tmp_path / "hide.json").write_text(json.dumps(_hidden_modules(allowed, packages)))
    cmd = [sys.executable, "-I", "-B", str(SIM), "run", "--function-dir", str(code)]
    cmd += ["--event", str(ROOT / "events" / "render_pdf.json"), "--fixtures", str(sim_fixtures)]
    cmd += ["--result", str(tmp_path / "r.json"), "--hide", str(tmp_path / "hide.json")]
    # When
    env = _describe("RenderPdfFunction")["environment"]
    subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=180)
    run = json.loads((tmp_path / "r.json").read_text())
    # Then: the missing package surfaces as the step's own error, not as a pass
    assert not run["ok"]
    assert "DocumentRenderFailed" in run["error"] or "jinja2" in run["error"], run["error"]


# Loaded by the first invocation that needs them, never by ``import app`` (the init phase). (Bare ``botocore``,
# its tiny package __init__, is imported by powertools to register its user agent.)
HEAVY = ("boto3", "botocore.client", "botocore.session", "s3transfer", "urllib3", "fpdf", "fontTools", "PIL")
HEAVY += (
    "jinja2",
    "numpy",
    "soundfile",
    "mutagen",
    "filetype",
    "text_to_num",
    "pydantic_settings",
)


@pytest.mark.parametrize("function_id", all_functions(template()))
def test_given_a_handler_when_its_module_loads_then_no_heavy_library_or_sdk_is_imported_yet(
    runs: dict[str, dict[str, Any]], function_id: str
) -> None:
    loaded = runs[function_id]["import_modules"]
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == [], (
        "import app loaded these: import them inside the function that needs them, and create the handler's "
        "Tracer with auto_patch=False (medscribe.wiring patches botocore at the first client)"
    )


@pytest.mark.parametrize("function_id", all_functions(template()))
def test_given_tracing_on_as_on_lambda_when_the_first_client_is_built_then_aws_calls_are_traced(
    runs: dict[str, dict[str, Any]], function_id: str
) -> None:
    run = runs[function_id]
    assert run["ok"], run["error"]
    assert run["botocore_traced"], "botocore not patched by X-Ray: AWS calls would be missing from traces"


def test_given_the_render_step_with_only_its_layers_when_it_runs_then_fpdf2_draws_the_pdf(
    runs: dict[str, dict[str, Any]],
) -> None:
    # Given: the render step's layers ship fpdf2 and its dependencies, and no test-only PDF reader
    run = runs["RenderPdfFunction"]
    assert not set(run["allowed"]) & NEVER_SHIPPED
    # When the handler ran with every other package unimportable, Then fpdf2 rendered the stored document
    assert run["ok"], run["error"]
    assert {"fpdf", "fontTools", "medscribe_fonts"} <= set(run["modules"])
    assert "s3.PutObject" in run["calls"]
    # and nothing was printed as a warning
    assert "Warning" not in run["stderr"], run["stderr"][-2000:]
