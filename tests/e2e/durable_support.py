"""Real ``medscribe serve`` / ``run`` processes on one MEDSCRIBE_HOME, for the durability tests: start, read
their ports, list their process family (children + the embedded postmaster), kill them, count survivors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import psutil
from decode_memo_support import memo_env

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "dictation.wav"


def env_for(home: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "AWS_ENDPOINT_URL", "AWS_PROFILE")
    }
    return env | {"MEDSCRIBE_HOME": str(home), "MEDSCRIBE_ROOT": str(ROOT)}


@dataclass
class Serve:
    process: subprocess.Popen[str]
    api_url: str
    aws_url: str
    log: list[str]

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.aws_url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )


def start_serve(home: Path, timeout: float = 240) -> Serve:
    """``medscribe serve`` on ``home``. No recording is decoded in these tests (the one upload goes to an unknown
    tenant), so the run's decode memo is on: its ASR workers start without loading the decoder (0.4-0.5 s of CPU
    each, two per start)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "medscribe.cli", "serve", "--port", "0", "--aws-port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(home) | memo_env(),
    )
    assert proc.stderr is not None
    log: list[str] = []
    deadline = time.monotonic() + timeout
    api = aws = ""
    for line in proc.stderr:
        log.append(line)
        if m := re.search(r"API\s+(http://\S+)", line):
            api = m.group(1)
        if m := re.search(r"AWS endpoint\s+(http://\S+)", line):
            aws = m.group(1)
        if "ready" in line or time.monotonic() > deadline:
            break
    assert api, "".join(log)[-3000:]
    assert aws, "".join(log)[-3000:]
    serve = Serve(proc, api, aws, log)

    def drain() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            log.append(line)

    threading.Thread(target=drain, daemon=True).start()
    return serve


def postmaster(home: Path) -> int | None:
    try:
        return int((home / "pgdata" / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def family(pid: int, home: Path) -> list[psutil.Process]:
    """The process, every descendant, and the postmaster of its data directory with its backends."""
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    pm = postmaster(home)
    if pm is not None and psutil.pid_exists(pm):
        procs += [psutil.Process(pm), *psutil.Process(pm).children(recursive=True)]
    return procs


def running(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            continue
    return out


def survivors(procs: list[psutil.Process], timeout: float = 30) -> list[psutil.Process]:
    """Those still running after ``timeout`` (polled: returns as soon as none is left)."""
    deadline = time.monotonic() + timeout
    while running(procs) and time.monotonic() < deadline:
        time.sleep(0.2)
    return running(procs)


def wait_for(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
