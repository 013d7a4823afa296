"""Cold start as deployed (`make bench-coldstart`): every function of template.yaml, built the way `sam build`
builds it, loaded the way the python3.12 Lambda runtime loads it.

Build: each layer a function uses (Globals Layers + its own) is built by the layer's own Makefile target
(``make -C <ContentUri> build-<LogicalId> ARTIFACTS_DIR=...``: the exact recipe `sam build` runs for
``BuildMethod: makefile``), with ARCH set to this machine's (the deployed layers are the same pins as arm64
wheels; binaries of the other architecture cannot be loaded here). Function code is CodeUri copied as is (no
bytecode: /var/task is read-only, app.py is compiled at every cold start, as on Lambda).

Measure: per function and repeat, a fresh ``python3.12 -I -S -B`` process (no site-packages, nothing written)
with sys.path = function dir + each layer's python/ (/var/task + /opt/python), Lambda's environment variables
(template values, LAMBDA_TASK_ROOT, X-Ray daemon address, credentials in the environment), runs
scripts/lambda_sim.py: times ``import app``, then the first invocation with the sample event from
events/<folder>.json (lazy imports, settings, boto3 clients, the step's work, JSON result); AWS calls answered
at botocore's before-call hook, no network. Medians of the repeats. Prints a table, then as the last line one
JSON object: {"max_import_ms", "max_first_invoke_ms", "largest_package_mb", "layers_mb": {layer: [unzipped,
zipped]}, "per_function": {...}}.

    .venv/bin/python scripts/bench_coldstart.py [--repeats 5] [--python python3.12] [--baseline-layer DIR]
        [--only FUNCTION ...] [--out DIR (default out/coldstart)]
    .venv/bin/python scripts/bench_coldstart.py --describe FUNCTION   # event path + Lambda environment, JSON

``--baseline-layer DIR`` measures every function against one prebuilt layer directory instead (DIR/python/),
e.g. a single layer as plain `sam build` ships it, for before/after figures.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from medscribe.local.cfn_yaml import load_template

ROOT = Path(__file__).resolve().parents[1]
SIM = ROOT / "scripts" / "lambda_sim.py"
OUT = ROOT / "out" / "coldstart"
GOALS = {"import_ms": 250.0, "invoke_ms": 400.0}
ACCOUNT, REGION = "123456789012", "us-east-1"


# ---------------------------------------------------------------------------------------------------------
# Template: functions, their layers and environment
# ---------------------------------------------------------------------------------------------------------
def _refs(layers: Any) -> list[str]:
    return [item["Ref"] for item in layers or [] if isinstance(item, dict) and "Ref" in item]


def function_layers(tpl: dict[str, Any], logical_id: str) -> list[str]:
    """Layer logical ids of a function: Globals' list, then the function's own (SAM appends lists)."""
    glob_layers = tpl.get("Globals", {}).get("Function", {}).get("Layers")
    own = tpl["Resources"][logical_id]["Properties"].get("Layers")
    return list(dict.fromkeys(_refs(glob_layers) + _refs(own)))


def functions(tpl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in tpl["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}


# Parameter overrides for the simulated deployment (as `sam deploy --parameter-overrides` would give): the
# sample events in events/ upload under incoming/default/, so that tenant must be a known one.
PARAMETER_OVERRIDES = {"Tenants": "default,demo"}


def _fake(value: Any, tpl: dict[str, Any]) -> str:
    """Deploy-like string for an environment value (intrinsics become plausible names/ARNs)."""
    if not isinstance(value, dict):
        return str(value).lower() if isinstance(value, bool) else str(value)
    ((fn, arg),) = value.items()
    if fn == "Ref":
        if arg in PARAMETER_OVERRIDES:
            return PARAMETER_OVERRIDES[arg]
        param = tpl.get("Parameters", {}).get(arg)
        return str(param.get("Default", "")) if param else f"medscribe-{arg.lower()}"
    if fn == "Fn::GetAtt":
        name = arg if isinstance(arg, str) else arg[0]
        return f"arn:aws:sim:{REGION}:{ACCOUNT}:{name}"
    if fn == "Fn::Sub":
        return str(arg if isinstance(arg, str) else arg[0]).replace("${", "").replace("}", "")
    return "sim"


def lambda_environment(tpl: dict[str, Any], logical_id: str, task_root: Path) -> dict[str, str]:
    props = tpl["Resources"][logical_id]["Properties"]
    glob_fn = tpl.get("Globals", {}).get("Function", {})
    variables = {
        **glob_fn.get("Environment", {}).get("Variables", {}),
        **props.get("Environment", {}).get("Variables", {}),
    }
    name = f"medscribe-{logical_id}"
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "LAMBDA_TASK_ROOT": str(task_root),
        "_HANDLER": str(props.get("Handler", glob_fn.get("Handler", "app.lambda_handler"))),
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(props.get("MemorySize", glob_fn.get("MemorySize", 128))),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        # Lambda hands the role's credentials in the environment; never a config file or IMDS.
        "AWS_ACCESS_KEY_ID": "ASIASIMULATEDKEY0000",
        "AWS_SECRET_ACCESS_KEY": "simulated/secret/key/for/the/cold/start/bench",
        "AWS_SESSION_TOKEN": "simulated-session-token",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    env |= {key: _fake(value, tpl) for key, value in variables.items()}
    return env


# ---------------------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------------------
def _tree_digest(folder: Path, extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def build_layer(tpl: dict[str, Any], logical_id: str, python: str, out: Path) -> Path:
    resource = tpl["Resources"][logical_id]
    method = resource.get("Metadata", {}).get("BuildMethod")
    if method != "makefile":
        raise SystemExit(f"{logical_id}: BuildMethod {method!r}; the bench builds makefile layers only")
    source = ROOT / str(resource["Properties"]["ContentUri"])
    arch = platform.machine()
    digest = _tree_digest(source, f"{python} {arch}")
    target = out / "layers" / logical_id
    stamp = target / ".digest"
    if stamp.is_file() and stamp.read_text() == digest:
        return target
    shutil.rmtree(target, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:  # like sam build: make runs in a copy of ContentUri
        work = Path(scratch) / "src"
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("__pycache__"))
        cmd = ["make", "-s", "-C", str(work), f"build-{logical_id}", f"ARTIFACTS_DIR={target}"]
        cmd += [f"PYTHON={python}", f"ARCH={arch}"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"building {logical_id} failed:\n{done.stdout}\n{done.stderr}")
    stamp.write_text(digest)
    return target


def copy_function(tpl: dict[str, Any], logical_id: str, out: Path) -> Path:
    code = ROOT / str(tpl["Resources"][logical_id]["Properties"]["CodeUri"])
    target = out / "functions" / logical_id
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(code, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.name != ".digest")


def zipped_bytes(folder: Path) -> int:
    with tempfile.TemporaryFile() as fh:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.name != ".digest":
                    zf.write(path, path.relative_to(folder).as_posix())
        return fh.tell()


# ---------------------------------------------------------------------------------------------------------
# Measure
# ---------------------------------------------------------------------------------------------------------
def find_python312(explicit: str | None) -> tuple[str, str]:
    """(interpreter, version) — python3.12 on PATH, then pyenv's; 3.11 only as a stated fallback."""
    candidates = [explicit] if explicit else []
    candidates += [shutil.which("python3.12") or ""]
    candidates += sorted(
        glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")), reverse=True
    )
    candidates += [shutil.which("python3.11") or ""]
    for candidate in filter(None, candidates):
        done = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            return candidate, done.stdout.strip()
    raise SystemExit("no python3.12 (nor python3.11) interpreter found")


def run_once(
    python: str, function_dir: Path, layers: list[Path], event: Path, fixtures: Path, env: dict[str, str]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        cmd = [python, "-I", "-S", "-B", str(SIM), "run", "--function-dir", str(function_dir)]
        for layer in layers:
            cmd += ["--layer", str(layer)]
        cmd += ["--event", str(event), "--fixtures", str(fixtures), "--result", str(result)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=120)
        if not result.is_file():
            return {"ok": False, "error": f"exit {done.returncode}: {done.stderr[-2000:]}"}
        data: dict[str, Any] = json.loads(result.read_text())
        return data


def event_for(tpl: dict[str, Any], logical_id: str) -> Path | None:
    folder = Path(str(tpl["Resources"][logical_id]["Properties"]["CodeUri"])).name
    event = ROOT / "events" / f"{folder}.json"
    return event if event.is_file() else None


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--python", default=os.environ.get("PYTHON312"))
    parser.add_argument("--baseline-layer", type=Path, help="one prebuilt layer dir (with python/) for all")
    parser.add_argument("--only", action="append", help="function logical id(s) to measure")
    parser.add_argument("--out", type=Path, default=OUT, help="build folder (layers kept by digest)")
    parser.add_argument(
        "--describe",
        metavar="FUNCTION",
        help="print one JSON object (the sample event's path, Lambda's environment for the function's CodeUri) "
        "and exit: what tests/template/test_function_imports.py runs each handler with",
    )
    args = parser.parse_args(argv)
    if args.describe:
        tpl = load_template(ROOT / "template.yaml")
        code = ROOT / str(tpl["Resources"][args.describe]["Properties"]["CodeUri"])
        event = event_for(tpl, args.describe)
        env = lambda_environment(tpl, args.describe, code)
        print(json.dumps({"event": str(event) if event else None, "environment": env}))
        return 0

    python, version = find_python312(args.python)
    load_before = _load()
    tpl = load_template(ROOT / "template.yaml")
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    fixtures = out / "fixtures"
    measured = [lid for lid in sorted(functions(tpl)) if not args.only or lid in args.only]
    needed = [] if args.baseline_layer else sorted({lid for f in measured for lid in function_layers(tpl, f)})
    # The layers' builds (mostly waiting on pip's downloads and on the disk) and the stubbed AWS answers run at
    # once, each its own process; the measured runs below start once all are done.
    with ThreadPoolExecutor(max_workers=len(needed) + 1) as pool:
        stubs = pool.submit(subprocess.run, [sys.executable, str(SIM), "fixtures", str(fixtures)], check=True)
        builds = {lid: pool.submit(build_layer, tpl, lid, python, out) for lid in needed}
        stubs.result()
        built = {lid: build.result() for lid, build in builds.items()}

    per_function: dict[str, dict[str, Any]] = {}
    layer_sizes: dict[str, tuple[int, int]] = {}
    for logical_id in measured:
        if args.baseline_layer:
            layers = {"baseline": args.baseline_layer.resolve()}
        else:
            layers = {lid: built[lid] for lid in function_layers(tpl, logical_id)}
        for lid, path in layers.items():
            if lid not in layer_sizes:
                layer_sizes[lid] = (tree_bytes(path), zipped_bytes(path))
        code = copy_function(tpl, logical_id, out)
        env = lambda_environment(tpl, logical_id, code)
        event = event_for(tpl, logical_id)
        runs = []
        for _ in range(args.repeats):
            runs.append(run_once(python, code, list(layers.values()), event or SIM, fixtures, env))
        good = [r for r in runs if r.get("ok")]
        imports = [r["import_ms"] for r in runs if r.get("import_ms") is not None]
        package = tree_bytes(code) + sum(layer_sizes[lid][0] for lid in layers)
        per_function[logical_id] = {
            "import_ms": _median(imports) if imports else None,
            "first_invoke_ms": _median([r["invoke_ms"] for r in good]) if good and event else None,
            "import_cpu_ms": _median([r["import_cpu_ms"] for r in good]) if good else None,
            "first_invoke_cpu_ms": _median([r["invoke_cpu_ms"] for r in good]) if good and event else None,
            "layers": list(layers),
            "package_mb": round(package / 2**20, 1),
            "package_zip_mb": round(
                (zipped_bytes(code) + sum(layer_sizes[lid][1] for lid in layers)) / 2**20, 1
            ),
            "aws_calls": good[0]["calls"] if good else [],
            "error": None if good or not runs else (runs[0].get("error") or "")[-600:],
        }

    print(f"python {version} ({python}); {args.repeats} fresh processes per function; medians")
    print(
        f"load average before/after: {load_before} / {_load()} on {os.cpu_count()} CPUs (wall ms inflate with it)"
    )
    print(
        f"{'function':28} {'import ms':>9} {'(cpu)':>6} {'1st invoke':>10} {'(cpu)':>6}"
        f" {'package MB':>10} {'zip MB':>6}  layers"
    )
    for lid, row in per_function.items():
        cells = [
            _cell(row[k]) for k in ("import_ms", "import_cpu_ms", "first_invoke_ms", "first_invoke_cpu_ms")
        ]
        print(
            f"{lid:28} {cells[0]:>9} {cells[1]:>6} {cells[2]:>10} {cells[3]:>6}"
            f" {row['package_mb']:>10.1f} {row['package_zip_mb']:>6.1f}  " + ",".join(row["layers"])
        )
        if row["error"]:
            print(f"    ERROR: {row['error']}")
    for lid, (raw, zipped) in layer_sizes.items():
        print(f"layer {lid:26} {raw / 2**20:7.1f} MB unzipped {zipped / 2**20:7.1f} MB zipped")
    largest = max(per_function.items(), key=lambda kv: kv[1]["package_mb"]) if per_function else ("", {})
    if largest[0]:
        print(
            f"largest function package: {largest[0]} {largest[1]['package_mb']} MB unzipped (code + layers)"
        )
    imports_all = [r["import_ms"] for r in per_function.values() if r["import_ms"] is not None]
    invokes_all = [r["first_invoke_ms"] for r in per_function.values() if r["first_invoke_ms"] is not None]
    cpu_imports = [r["import_cpu_ms"] for r in per_function.values() if r["import_cpu_ms"] is not None]
    cpu_invokes = [
        r["first_invoke_cpu_ms"] for r in per_function.values() if r["first_invoke_cpu_ms"] is not None
    ]
    summary = {
        "python": version,
        "max_import_ms": max(imports_all, default=None),
        "max_first_invoke_ms": max(invokes_all, default=None),
        "max_import_cpu_ms": max(cpu_imports, default=None),
        "max_first_invoke_cpu_ms": max(cpu_invokes, default=None),
        "load_average": [load_before, _load()],
        "largest_package_mb": largest[1].get("package_mb") if largest[0] else None,
        "largest_package": largest[0],
        "layers_mb": {
            lid: [round(raw / 2**20, 1), round(zipped / 2**20, 1)]
            for lid, (raw, zipped) in layer_sizes.items()
        },
        "per_function": {
            lid: {k: v for k, v in row.items() if k not in ("layers", "aws_calls", "error")}
            for lid, row in per_function.items()
        },
    }
    print(json.dumps(summary))
    failed = any(row["error"] for row in per_function.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
