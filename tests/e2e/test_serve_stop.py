"""A clean stop of ``medscribe serve`` (SIGINT as Ctrl-C sends it, SIGTERM): the steps in their order, no wait
past its bound (``MEDSCRIBE_HOME/last-stop.json``, written by the stopping process), the watchdog told of a
clean stop, exit code 0, and no process of its family left."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest
from durable_support import family, start_serve, survivors
from pg_support import seed_pgdata

pytestmark = pytest.mark.e2e

STEPS = [
    "api-http",
    "postgres-monitor",
    "aws-endpoint-http",
    "rule-deliveries",
    "running-executions",
    "postgres",
    "postgres-watchdog",
    "emulator-and-database",
    "asr-workers",
]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_idle_serve_stops_in_its_steps_with_no_wait_timed_out(
    tmp_path: Path, pgdata_template: Path, signum: signal.Signals
) -> None:
    home = tmp_path / "home"
    seed_pgdata(pgdata_template, home / "pgdata")
    # serve starts with SIGINT ignored, as a background job of a non-interactive shell (`make test &` in a
    # script) starts it: Ctrl-C / SIGINT must stop it all the same
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        serve = start_serve(home)
    finally:
        signal.signal(signal.SIGINT, previous)
    processes = family(serve.process.pid, home)
    serve.process.send_signal(signum)
    try:
        code = serve.process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        serve.process.kill()
        pytest.fail(f"serve still running 120 s after {signum.name}:\n" + "".join(serve.log)[-3000:])
    assert code == 0, "".join(serve.log)[-3000:]
    record = json.loads((home / "last-stop.json").read_text())["steps"]
    assert [s["step"] for s in record] == STEPS
    assert [s["step"] for s in record if s["timed_out"]] == []
    assert not any("StopTimedOut" in line for line in serve.log)
    watchdog = [json.loads(line) for line in (home / "pgwatch.log").read_text().splitlines() if line.strip()]
    assert watchdog[-1]["clean"] is True
    assert watchdog[-1]["stopped_postmaster"] is None  # serve stopped it itself
    assert survivors(processes) == []
