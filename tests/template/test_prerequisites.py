"""The two commands' prerequisites on a fresh machine (issue 19, item 1): `make` checks the interpreter
(scripts/python_deps.py) and `make test` the browser test's Chromium (scripts/browser_deps.sh). Each installs what
is missing with apt-get where it can (root, or passwordless sudo) and otherwise stops at once with the one command
to run. The scripts run for real, on a PATH that holds only what each case gives them (fake apt-get, sudo, id)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON_DEPS = ROOT / "scripts" / "python_deps.py"
BROWSER_DEPS = ROOT / "scripts" / "browser_deps.sh"
BASH = shutil.which("bash") or "/bin/bash"
CHMOD = shutil.which("chmod") or "/bin/chmod"


def tool(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def fake_apt(bin_dir: Path, provides: list[str]) -> Path:
    """An apt-get that logs its arguments and, on install, puts the named programs on PATH; a sudo that runs its
    command (root or not, the scripts reach apt-get either way)."""
    log = bin_dir.parent / "apt.log"
    made = " ".join(provides)
    tool(
        bin_dir,
        "apt-get",
        f'echo "$*" >> {log}\n'
        f'if [ "$1" = install ]; then for p in {made}; do printf "#!{BASH}\\n" > {bin_dir}/$p; '
        f"{CHMOD} +x {bin_dir}/$p; done; fi",
    )
    tool(bin_dir, "sudo", 'if [ "$1" = -n ]; then shift; fi\n"$@"')
    return log


def run(cmd: list[str], bin_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(bin_dir), "HOME": str(bin_dir.parent)}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60, check=False)


def bin_with(tmp_path: Path, *programs: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in programs:
        found = shutil.which(name)
        assert found, name
        (bin_dir / name).symlink_to(found)
    return bin_dir


def test_the_known_wheel_gaps_are_one_file_both_scripts_read() -> None:
    gaps = json.loads((ROOT / "scripts" / "wheel_gaps.json").read_text())
    assert gaps["pocketsphinx"].keys() == {"3.14"}
    assert "wheel_gaps.json" in (ROOT / "scripts" / "check_wheels.py").read_text()
    assert "wheel_gaps.json" in PYTHON_DEPS.read_text()


def test_python_on_a_version_with_every_wheel_needs_nothing(tmp_path: Path) -> None:
    # Given no compiler on PATH / When checked as 3.13 (every runtime wheel exists) / Then silent success
    done = run([sys.executable, str(PYTHON_DEPS), "--as", "3.13"], bin_with(tmp_path))
    assert (done.returncode, done.stderr) == (0, "")


def test_python_3_14_without_a_compiler_and_no_apt_stops_naming_what_is_missing(tmp_path: Path) -> None:
    # Given Python 3.14 (pocketsphinx has no wheel: pip builds the sdist) and no C compiler, no apt-get
    done = run([sys.executable, str(PYTHON_DEPS), "--as", "3.14"], bin_with(tmp_path))
    # Then it stops before pip runs, naming what is missing (no apt command where there is no apt)
    assert done.returncode == 1
    assert "a C compiler to build pocketsphinx" in done.stderr
    assert "apt-get install" not in done.stderr


def test_python_3_14_without_a_compiler_or_root_stops_with_the_apt_command() -> None:
    # Given apt-get, but a user who cannot run it as root (sudo asks for a password); as root (CI, containers) the
    # case runs as the unprivileged user `nobody` (python_deps.py asks the kernel, not `id`), in a directory it
    # can read, from a PATH of programs it may run
    as_user: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip(
                "running as root: needs setpriv (apt-get install util-linux) to run the case as nobody"
            )
        as_user = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        bin_dir = bin_with(root)
        log = fake_apt(bin_dir, ["gcc"])
        tool(bin_dir, "sudo", "exit 1")
        for path in (root, bin_dir, *bin_dir.iterdir()):
            path.chmod(0o755)
            if as_user:
                os.chown(path, 65534, 65534)  # nobody's own, as a user's checkout and temp dir are
        done = run([*as_user, sys.executable, str(PYTHON_DEPS), "--as", "3.14"], bin_dir)
        # Then it installs nothing and names the one command
        assert done.returncode == 1, done.stderr
        assert "run once:  sudo apt-get install -y --no-install-recommends gcc" in done.stderr
        assert not log.exists()


def test_python_3_14_without_a_compiler_installs_it_with_apt(tmp_path: Path) -> None:
    # Given apt-get (reached as root or through passwordless sudo) that provides the compiler
    bin_dir = bin_with(tmp_path)
    log = fake_apt(bin_dir, ["gcc"])
    # When checked as 3.14
    done = run([sys.executable, str(PYTHON_DEPS), "--as", "3.14"], bin_dir)
    # Then it installed gcc and succeeded (it looked again after apt-get)
    assert done.returncode == 0, done.stderr
    assert "install -y -qq --no-install-recommends gcc" in log.read_text()


def test_a_python_older_than_3_11_is_refused_with_how_to_choose_another(tmp_path: Path) -> None:
    done = run([sys.executable, str(PYTHON_DEPS), "--as", "3.10"], bin_with(tmp_path))
    assert done.returncode == 1
    assert "make demo PYTHON=python3.12" in done.stderr


def test_the_browser_found_prints_its_paths_for_env(tmp_path: Path) -> None:
    bin_dir = bin_with(tmp_path, "uname")
    for name in ("chromium", "chromedriver", "curl"):
        tool(bin_dir, name, "")
    done = run([BASH, str(BROWSER_DEPS)], bin_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"MEDSCRIBE_CHROME={bin_dir / 'chromium'}",
        f"MEDSCRIBE_CHROMEDRIVER={bin_dir / 'chromedriver'}",
    ]


def test_no_browser_and_no_apt_stops_at_once(tmp_path: Path) -> None:
    done = run([BASH, str(BROWSER_DEPS)], bin_with(tmp_path, "uname"))
    assert done.returncode == 1
    assert "run once:" in done.stderr


def test_no_browser_without_root_or_sudo_stops_with_the_apt_command(tmp_path: Path) -> None:
    # Given apt-get but a user that is not root and has no sudo
    bin_dir = bin_with(tmp_path, "uname")
    log = fake_apt(bin_dir, ["chromium", "chromedriver", "curl"])
    (bin_dir / "sudo").unlink()
    tool(bin_dir, "id", "echo 1000")
    # Then it installs nothing and names the one command
    done = run([BASH, str(BROWSER_DEPS)], bin_dir)
    assert done.returncode == 1
    assert "run once:  sudo apt-get install -y --no-install-recommends chromium chromium-driver curl" in (
        done.stderr
    )
    assert not log.exists()


def test_no_browser_with_root_installs_it_with_apt(tmp_path: Path) -> None:
    bin_dir = bin_with(tmp_path, "uname")
    log = fake_apt(bin_dir, ["chromium", "chromedriver", "curl"])
    tool(bin_dir, "id", "echo 0")
    done = run([BASH, str(BROWSER_DEPS)], bin_dir)
    assert done.returncode == 0, done.stderr
    assert "install -y -qq --no-install-recommends chromium chromium-driver curl" in log.read_text()
    assert done.stdout.splitlines()[0] == f"MEDSCRIBE_CHROME={bin_dir / 'chromium'}"


def test_make_names_the_interpreter_and_checks_it_before_pip() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("$(STAMP): pyproject.toml constraints.txt\n", 1)[1].split("\n\n", 1)[0]
    assert recipe.splitlines()[0].strip() == "$(PYTHON) scripts/python_deps.py"
    assert recipe.index("python_deps.py") < recipe.index("pip install")
    assert "PYTHON ?= python3" in makefile
    assert os.access(PYTHON_DEPS, os.R_OK)


def test_make_test_checks_the_browser_before_it_makes_any_venv() -> None:
    # a missing browser stops `make test` at once, not after minutes of installing
    makefile = (ROOT / "Makefile").read_text()
    (line,) = [x for x in makefile.splitlines() if x.startswith("test:")]
    assert line.split()[1] == "browser-deps"
    assert "\tbash scripts/browser_deps.sh" in makefile.replace("@bash", "bash")
