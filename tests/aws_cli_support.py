"""The AWS CLI (v1, pinned, in its own venv: ``make aws-venv``) as the endpoint and ops tests drive it: each
command runs through ``awscli.clidriver`` as the ``aws`` script runs it, with its own environment, exit code,
stdout and stderr, in one long-lived process of the CLI's venv (``aws_cli_runner.py``) instead of one process
per command (docs/testing.md, "The slowest units, twelfth session": a fresh ``aws`` process costs about 0.4 s
of CPU before it sends anything, and these modules run some forty commands)."""

from __future__ import annotations

import json
import selectors
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AWS = ROOT / ".aws-venv" / "bin" / "aws"
RUNNER = Path(__file__).with_name("aws_cli_runner.py")


class AwsCli:
    """One runner process; ``run`` returns what ``subprocess.run(["aws", *args], env=env)`` would."""

    def __init__(self) -> None:
        assert AWS.exists(), "the AWS CLI is missing: run `make aws-venv`"
        self.process: subprocess.Popen[str] | None = None

    def _runner(self) -> subprocess.Popen[str]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [str(AWS.parent / "python"), str(RUNNER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        return self.process

    def run(
        self, args: list[str], env: dict[str, str], timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        runner = self._runner()
        assert runner.stdin is not None
        assert runner.stdout is not None
        runner.stdin.write(json.dumps({"args": args, "env": env}) + "\n")
        runner.stdin.flush()
        with selectors.DefaultSelector() as ready:
            ready.register(runner.stdout, selectors.EVENT_READ)
            if not ready.select(timeout):
                self.close()
                raise subprocess.TimeoutExpired(["aws", *args], timeout)
        line = runner.stdout.readline()
        assert line, f"the AWS CLI runner exited with {runner.wait()}"
        reply = json.loads(line)
        stdout = Path(reply["stdout"]).read_text(errors="replace")
        stderr = Path(reply["stderr"]).read_text(errors="replace")
        return subprocess.CompletedProcess(["aws", *args], reply["code"], stdout, stderr)

    def close(self) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
