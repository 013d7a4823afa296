"""Every runtime dependency has a binary wheel for CPython 3.11, 3.12, 3.13 and 3.14 on manylinux x86_64.

The runtime set is pyproject's ``dependencies`` plus the ``local`` extra (what ``make demo`` installs), closed
over their requirements (markers evaluated for each target Python) and pinned by constraints.txt. For each
Python version, pip resolves every pinned package with ``--only-binary=:all: --no-deps`` for that interpreter
and platform (``pip install --dry-run``: it reads the index and the wheels' metadata, the wheels themselves are
not downloaded), so a package that would need a compiler, or has no wheel for a version, fails the check.

    python scripts/check_wheels.py [--python 3.13 ...] [--json]

Exit 0 when every package has a wheel for every version; 1 with a table of what is missing otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ("3.11", "3.12", "3.13", "3.14")
# glibc 2.17 (manylinux2014) up to 2.28: Debian/Ubuntu of the last years and Lambda's Amazon Linux 2023
PLATFORMS = (
    "manylinux2014_x86_64",
    "manylinux_2_17_x86_64",
    "manylinux_2_24_x86_64",
    "manylinux_2_28_x86_64",
)
PIP_TIMEOUT_SECONDS = 600
NO_MATCH = re.compile(r"No matching distribution found for ([^\s]+)")
# Gaps known and accepted for now: (package, Python) -> why (scripts/wheel_gaps.json, which
# scripts/python_deps.py reads too). The check fails when a listed gap has closed (so the entry is removed) as
# much as when a new one opens.
KNOWN_GAPS: dict[tuple[str, str], str] = {
    (name, python): why
    for name, by_python in json.loads((ROOT / "scripts" / "wheel_gaps.json").read_text()).items()
    if name != "_"
    for python, why in by_python.items()
}


@dataclass
class Result:
    python: str
    wheels: dict[str, str] = field(default_factory=dict)  # name -> wheel file name
    missing: dict[str, str] = field(default_factory=dict)  # name -> why


def _environment(python: str) -> dict[str, str]:
    env: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    return env | {"python_version": python, "python_full_version": f"{python}.0"}


def pins(python: str) -> dict[str, str]:
    """constraints.txt's pins that apply to one target Python (a pin may carry a python_version marker)."""
    env = _environment(python)
    out: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" not in line:
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(env):
            out[canonicalize_name(req.name)] = str(req.specifier).removeprefix("==")
    return out


def roots() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["local"]]]


def closure(python: str) -> dict[str, set[str]]:
    """Runtime package names (with the extras asked of each) for one target Python, from installed metadata."""
    env = _environment(python)
    wanted: dict[str, set[str]] = {}
    todo = [r for r in roots() if r.marker is None or r.marker.evaluate(env | {"extra": ""})]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in wanted and set(req.extras) <= wanted[name]:
            continue
        extras = wanted.setdefault(name, set())
        extras.update(req.extras)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # not installed here (a marker for another Python): checked by its pin alone
        for raw in requires:
            sub = Requirement(raw)
            if sub.marker is None or any(sub.marker.evaluate(env | {"extra": e}) for e in {"", *extras}):
                todo.append(sub)
    return wanted


def check(python: str, names: list[str], pinned: dict[str, str]) -> Result:
    """One pip resolution per Python; pip names the first package it finds no wheel for, which is set aside
    and the rest asked again (one more call per missing package, not one per package)."""
    result = Result(python)
    specs = {}
    for name in names:
        if name in pinned:
            specs[name] = f"{name}=={pinned[name]}"
        else:
            result.missing[name] = "not pinned in constraints.txt"
    while specs:
        found, failed = _resolve(python, list(specs.values()))
        if failed is None:
            result.wheels.update(found)
            break
        if (
            failed not in specs
        ):  # pip failed for a reason that names no package of ours: report all as unknown
            result.missing.update({n: f"pip failed: {failed}" for n in specs})
            break
        result.missing[failed] = "no wheel"
        del specs[failed]
    return result


def _resolve(python: str, specs: list[str]) -> tuple[dict[str, str], str | None]:
    """(name -> wheel file, None) when every spec has a wheel; ({}, the first failing name or pip's error)."""
    with tempfile.TemporaryDirectory(prefix="check-wheels-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--dry-run",
            "--ignore-installed",
            "--no-deps",
        ]
        cmd += ["--only-binary=:all:", "--python-version", python, "--implementation", "cp", "--target", tmp]
        cmd += [a for p in PLATFORMS for a in ("--platform", p)]
        cmd += ["--report", str(report), *specs]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_SECONDS, check=False)
        if done.returncode != 0:
            match = NO_MATCH.search(done.stderr)
            if match:
                return {}, canonicalize_name(Requirement(match.group(1)).name)
            return {}, done.stderr.strip().splitlines()[
                -1
            ] if done.stderr.strip() else f"exit {done.returncode}"
        installs = json.loads(report.read_text())["install"]
    found: dict[str, str] = {
        str(canonicalize_name(i["metadata"]["name"])): i["download_info"]["url"].rsplit("/", 1)[-1]
        for i in installs
    }
    return found, None


def _tag(wheel: str) -> str:
    parts = wheel.removesuffix(".whl").split("-")
    return "-".join(parts[-3:-1]) if len(parts) >= 5 else wheel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", choices=PYTHONS, help="default: all four")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    args = parser.parse_args(argv)
    pythons = args.python or list(PYTHONS)
    with ThreadPoolExecutor(max_workers=len(pythons)) as pool:  # network-bound: the four at once
        results = list(pool.map(lambda py: check(py, sorted(closure(py)), pins(py)), pythons))
    names = sorted({n for r in results for n in (*r.wheels, *r.missing)})
    if args.json:
        print(json.dumps({r.python: {"wheels": r.wheels, "missing": r.missing} for r in results}, indent=1))
    else:
        print(f"{'package':32} " + " ".join(f"{r.python:30}" for r in results))
        for n in names:
            cells = []
            for r in results:
                version = pins(r.python).get(n, "?")
                cells.append(
                    f"{version} MISSING" if n in r.missing else f"{version} {_tag(r.wheels.get(n, '-'))}"
                )
            print(f"{n:32} " + " ".join(f"{c:30}" for c in cells))
    known = [(n, r.python) for r in results for n in r.missing if (n, r.python) in KNOWN_GAPS]
    new = [(n, r.python, r.missing[n]) for r in results for n in r.missing if (n, r.python) not in KNOWN_GAPS]
    closed = [gap for gap in KNOWN_GAPS if gap[1] in pythons and gap not in known]
    for name, python in known:
        print(f"known gap: {name} on {python}: {KNOWN_GAPS[(name, python)]}", file=sys.stderr)
    for name, python, why in new:
        print(f"MISSING: {name}=={pins(python).get(name, '?')} on CPython {python}: {why}", file=sys.stderr)
    for name, python in closed:
        print(
            f"known gap closed: {name} now has a wheel for {python}: remove it from KNOWN_GAPS",
            file=sys.stderr,
        )
    print(
        f"check-wheels: {len(names)} packages x {len(results)} Pythons, {len(new)} missing", file=sys.stderr
    )
    return 1 if new or closed else 0


if __name__ == "__main__":
    sys.exit(main())
