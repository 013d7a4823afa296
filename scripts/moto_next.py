"""A moto upgrade trial (docs/emulator.md, "Upgrading moto"): `make moto-next [MOTO=X.Y.Z] [SUITE=1]`.

    python scripts/moto_next.py [--moto X.Y.Z] [--suite] [--workdir out/moto-next]

1. The release: ``--moto``, else the newest moto on the package index (``pip index versions moto``). When that is
   the pinned release and no ``--moto`` was given, says so and stops (exit 0): nothing to trial.
2. A trial checkout: ``git clone`` of this checkout's HEAD into WORKDIR/checkout (commit first what you want
   tried), its moto pin in pyproject.toml and constraints.txt moved to the release, and its own ``.venv``
   (``make venv``). This checkout and its ``.venv`` are left as they are.
3. The patched targets: ``scripts/moto_patch_targets.py record`` under the pinned moto (this checkout's .venv) and
   under the release (the trial's), then ``compare``: WORKDIR/targets.diff (a changed target is a patch to re-read).
4. The canaries (every ``PatchInfo.canary`` file) under the release with ``MEDSCRIBE_MOTO_TRIAL``: each failing
   canary is listed with what its failure means (the ``[moto]`` case: moto no longer needs the patch; the
   ``[patched]`` case: moto changed what the patch wraps). Log: WORKDIR/canaries.log.
5. ``--suite``: the whole suite in the trial checkout (``make test``, with ``MEDSCRIBE_MOTO_TRIAL``): every test,
   the docs check and the subprocesses included, runs on the release. Log: WORKDIR/suite.log.

Exit 0 when the canaries (and the suite, if run) pass on the release, 1 otherwise. The last stdout line is JSON:
``{"pinned", "trial", "targets_changed", "canaries_failed": [...], "suite": "passed" | "failed" | null}``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"(moto(?:\[[^\]]*\])?==)(\d+\.\d+\.\d+)")


def pinned() -> str:
    match = PIN.search((ROOT / "constraints.txt").read_text())
    assert match, "constraints.txt pins no moto"
    return match.group(2)


def newest() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "moto"], capture_output=True, text=True, check=True
    )
    match = re.search(r"^moto \((\d+\.\d+\.\d+)\)", done.stdout, re.M)
    if not match:
        raise SystemExit(f"cannot read the newest moto from pip index:\n{done.stdout}{done.stderr}")
    return match.group(1)


def canary_files() -> list[str]:
    code = (
        "import importlib, json; from medscribe.local.moto_patches.inventory import APPLIED; "
        "mods = [*APPLIED, 'cognito_rules', 's3_post_policy']; "
        "print(json.dumps(sorted({importlib.import_module('medscribe.local.moto_patches.' + m).PATCH.canary"
        ".split('::')[0] for m in mods})))"
    )
    env = dict(os.environ, MEDSCRIBE_MOTO_TRIAL="1")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return list(json.loads(done.stdout))


def trial_checkout(work: Path, release: str, python: str) -> Path:
    checkout = work / "checkout"
    shutil.rmtree(checkout, ignore_errors=True)
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(checkout)], check=True)
    for name in ("pyproject.toml", "constraints.txt"):
        path = checkout / name
        path.write_text(PIN.sub(lambda m: m.group(1) + release, path.read_text()))
    print(f"moto-next: installing moto {release} into {checkout}/.venv (make venv)...", file=sys.stderr)
    subprocess.run(["make", "-s", "-C", str(checkout), "venv", f"PYTHON={python}"], check=True)
    return checkout


def failed_tests(log: str) -> list[str]:
    return sorted(set(re.findall(r"^FAILED (\S+)", log, re.M)) | set(re.findall(r"^ERROR (\S+)", log, re.M)))


def meaning(test: str) -> str:
    if "[moto]" in test or "test_canary_moto" in test:
        return "moto now behaves as AWS: the patch may go (docs/emulator.md step 3)"
    if "[patched]" in test:
        return "moto changed what the patch wraps: rewrite it against the new source"
    return "read the failure: a speed-up's target moved, or the inventory changed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moto", help="the release to trial (default: the newest on the package index)")
    parser.add_argument("--suite", action="store_true", help="also run the whole suite on it (make test)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "out" / "moto-next")
    parser.add_argument("--python", default=sys.executable, help="the trial venv's interpreter")
    args = parser.parse_args(argv)
    pin = pinned()
    release = args.moto or newest()
    summary: dict[str, object] = {"pinned": pin, "trial": release}
    if release == pin and not args.moto:
        print(
            f"moto-next: moto {pin} is both the pin and the newest release: nothing to trial", file=sys.stderr
        )
        print(json.dumps(summary | {"targets_changed": 0, "canaries_failed": [], "suite": None}))
        return 0
    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    checkout = trial_checkout(work, release, args.python)
    trial_python = str(checkout / ".venv" / "bin" / "python")
    env = dict(os.environ, MEDSCRIBE_MOTO_TRIAL=release)
    targets = ROOT / "scripts" / "moto_patch_targets.py"
    subprocess.run([sys.executable, str(targets), "record", str(work / "targets-pinned.json")], check=True)
    recorded = subprocess.run(
        [trial_python, str(targets), "record", str(work / "targets-trial.json")], env=env, check=False
    )
    if recorded.returncode != 0:  # a patch module imports a name the release removed
        summary["targets_changed"] = "record failed (a patch imports a name the release removed)"
    else:
        diff = subprocess.run(
            [
                sys.executable,
                str(targets),
                "compare",
                str(work / "targets-pinned.json"),
                str(work / "targets-trial.json"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        (work / "targets.diff").write_text(diff.stdout)
        summary["targets_changed"] = int(re.findall(r"^(\d+) of \d+ targets differ", diff.stdout, re.M)[-1])
    canaries = subprocess.run(
        [trial_python, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *canary_files()],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    (work / "canaries.log").write_text(canaries.stdout + canaries.stderr)
    failed = failed_tests(canaries.stdout)
    for test in failed:
        print(f"moto-next: {test}: {meaning(test)}", file=sys.stderr)
    summary["canaries_failed"] = failed
    summary["suite"] = None
    if args.suite:
        with (work / "suite.log").open("w") as log:
            suite = subprocess.run(
                ["make", "-C", str(checkout), "test", f"PYTHON={args.python}"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        summary["suite"] = "passed" if suite.returncode == 0 else "failed"
    print(f"moto-next: logs and the target diff in {work}", file=sys.stderr)
    print(json.dumps(summary))
    ok = canaries.returncode == 0 and summary["suite"] in (None, "passed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
