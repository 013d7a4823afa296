"""What `make` needs of the interpreter it makes .venv with (PYTHON, python3 by default), checked before pip runs.

    python3.13 scripts/python_deps.py              # check PYTHON itself (the Makefile's venv recipe runs this)
    python3 scripts/python_deps.py --as 3.14       # what a newcomer on 3.14 needs (the checks, not the version)

- CPython 3.11 or newer (pyproject's requires-python).
- ``venv`` with ``ensurepip``: Debian/Ubuntu ship it apart, as ``python3.X-venv``.
- On a Python for which a runtime dependency has no wheel (scripts/wheel_gaps.json, the known gaps that
  scripts/check_wheels.py accepts: pocketsphinx on 3.14), pip builds it from its sdist: a C compiler and the
  interpreter's headers (``Python.h``). CMake, Ninja and Cython come from PyPI as build requirements.

Debian/Ubuntu as root or with passwordless sudo: installs what is missing with apt-get. Otherwise stops at once
(exit 1) with the one command to run (``sudo apt-get install …``; on macOS ``xcode-select --install``). Nothing to do: exit 0, silent. Standard library only, so it runs under any
python3 it is given.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig

MINIMUM = (3, 11)
GAPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wheel_gaps.json")


def sdist_only(version: tuple[int, int]) -> list[str]:
    """The runtime dependencies pip must build from source on this Python (scripts/wheel_gaps.json)."""
    with open(GAPS, encoding="utf-8") as f:
        gaps = json.load(f)
    tag = f"{version[0]}.{version[1]}"
    return sorted(name for name, by_python in gaps.items() if name != "_" and tag in by_python)


def needs(version: tuple[int, int]) -> tuple[list[str], list[str]]:
    """(what is missing, in words; the Debian/Ubuntu packages that provide it) for this interpreter."""
    missing: list[str] = []
    packages: list[str] = []
    tag = f"{version[0]}.{version[1]}"
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        missing.append(f"the venv module with ensurepip (python{tag}-venv)")
        packages.append(f"python{tag}-venv")
    builds = sdist_only(version)
    if builds:
        why = f"to build {', '.join(builds)} (no wheel for Python {tag})"
        if not any(shutil.which(cc) for cc in ("cc", "gcc", "clang")):
            missing.append(f"a C compiler {why}")
            packages.append("gcc")
        include = sysconfig.get_paths().get("include") or ""
        if not os.path.exists(os.path.join(include, "Python.h")):
            missing.append(f"Python {tag}'s headers (Python.h) {why}")
            packages.append(f"python{tag}-dev")
    return missing, packages


def _sudo() -> list[str] | None:
    """The prefix that runs apt-get as root, or None when this user cannot."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as", dest="as_version", help="check as if this were Python X.Y (e.g. 3.14)")
    args = parser.parse_args(argv)
    version = (
        tuple(int(p) for p in args.as_version.split(".")[:2]) if args.as_version else sys.version_info[:2]
    )
    version = (version[0], version[1])
    if version < MINIMUM:
        print(
            f"medscribe needs Python >= 3.11; {sys.executable} is {version[0]}.{version[1]}.\n"
            "run with another interpreter:  make demo PYTHON=python3.12",
            file=sys.stderr,
        )
        return 1
    missing, packages = needs(version)
    if not missing:
        return 0
    print(f"Python {version[0]}.{version[1]} prerequisites missing: {'; '.join(missing)}", file=sys.stderr)
    if not shutil.which("apt-get"):  # not Debian/Ubuntu: the one command is the platform's
        if sys.platform == "darwin":
            print("run once:  xcode-select --install   (the C compiler)", file=sys.stderr)
        else:
            print(f"install with your package manager: {', '.join(missing)}", file=sys.stderr)
        return 1
    command = f"sudo apt-get install -y --no-install-recommends {' '.join(packages)}"
    sudo = _sudo()
    if sudo is None:
        print(f"run once:  {command}", file=sys.stderr)
        return 1
    print(f"installing {' '.join(packages)} (apt-get)...", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=False, env=env)
    done = subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=False, env=env
    )
    if done.returncode != 0 or needs(version)[0]:
        print(f"apt-get did not provide them; run once:  {command}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
