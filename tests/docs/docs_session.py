"""Run a document's blocks as a reader would: one shell session per document, against one ``medscribe serve``.

The reader's checkout is a temp mirror (every top-level entry of the checkout symlinked, except ``out/`` and
``.git``), so ``.venv/bin/medscribe``, ``samples/`` and ``make`` work as shown while whatever a block writes
lands in the temp dir. Each block is its own ``bash -e -o pipefail``; what it leaves (exported and plain shell
variables, the working directory) is saved and restored into the next block of the same document.

The module's ``serve`` listens on free ports, so the check rewrites each block before running it: the
default ports (``localhost:3000``, ``127.0.0.1:4566``, ...) become the serve's, a line that starts a local
server in the background (``medscribe serve &``, ``medscribe endpoint [--port N] &``) is replaced by that
serve, and the ``kill %1`` that stops it is dropped. ``MEDSCRIBE_AWS_ENDPOINT`` and ``AWS_ENDPOINT_URL`` name
it. A server line with other options (``--mock-config FILE``) runs for real, on a free port that replaces its
``--port N`` in that line and ``localhost:N`` / ``127.0.0.1:N`` in the rest of the document. What a block
leaves running in the background runs until the document ends (as in a terminal), then gets SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from decode_memo_support import memo_env
from docs_blocks import ROOT, Block, bare_command

from medscribe.local.endpoint import free_port

SERVER_LINE = re.compile(r"^\s*(?:\S*/)?medscribe (?:serve|endpoint)\b(?P<options>[^#]*)&\s*(?:#.*)?$")
STAND_IN = re.compile(r"^\s*(?:--(?:port|aws-port) \d+\s*)*$")  # options the module's serve stands in for
PORT_OPTION = re.compile(r"--port (\d+)")
API_PORT = re.compile(r"\b(?:localhost|127\.0\.0\.1):3000\b")
AWS_PORT = re.compile(r"\b(?:localhost|127\.0\.0\.1):4566\b")
NOT_MIRRORED = {".git", "out"}
BLOCK_TIMEOUT = 300.0


@dataclass
class Serve:
    process: subprocess.Popen[str]
    api_url: str
    aws_url: str
    log: list[str] = field(default_factory=list)

    def executions(self, wait_seconds: float) -> dict[str, str]:
        """Name -> status of every execution of the serve's pipeline, once none is RUNNING (bounded)."""
        import boto3

        sfn = boto3.client(
            "stepfunctions",
            endpoint_url=self.aws_url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        (arn,) = [
            m["stateMachineArn"]
            for m in sfn.list_state_machines()["stateMachines"]
            if m["name"].endswith("-transcribe-pipeline")
        ]
        deadline = time.monotonic() + wait_seconds
        while True:
            listed = sfn.list_executions(stateMachineArn=arn, maxResults=1000)["executions"]
            statuses: dict[str, str] = {e["name"]: str(e["status"]) for e in listed}
            if "RUNNING" not in statuses.values() or time.monotonic() > deadline:
                return statuses
            time.sleep(1)

    def stop(self) -> None:
        """SIGTERM, as a reader's `kill %1`: serve stops its executions, saves its state, stops PostgreSQL."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                "medscribe serve did not stop on SIGTERM:\n" + "".join(self.log[-20:])
            ) from None


def start_serve(home: Path, timeout: float = 240) -> Serve:
    """``medscribe serve`` as a reader starts it, on free ports, with its own MEDSCRIBE_HOME."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "AWS_ENDPOINT_URL", "AWS_PROFILE")
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "medscribe.cli", "serve", "--port", "0", "--aws-port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "MEDSCRIBE_HOME": str(home), **memo_env()},  # the docs are under test, not the decode
    )
    assert proc.stderr is not None
    log: list[str] = []
    api = aws = ""
    deadline = time.monotonic() + timeout
    for line in proc.stderr:
        log.append(line)
        if m := re.search(r"API\s+(http://\S+)", line):
            api = m.group(1)
        if m := re.search(r"AWS endpoint\s+(http://\S+)", line):
            aws = m.group(1)
        if "medscribe: ready" in line or time.monotonic() > deadline:
            break
    if not (api and aws and proc.poll() is None):
        proc.kill()
        raise AssertionError("medscribe serve did not start:\n" + "".join(log)[-3000:])
    serve = Serve(proc, api, aws, log)
    threading.Thread(target=lambda: log.extend(proc.stderr or ()), daemon=True).start()
    return serve


@dataclass
class Outcome:
    block: Block
    returncode: int
    output: str
    seconds: float
    skipped_lines: list[tuple[str, str]]  # command, reason

    def tail(self, chars: int = 4000) -> str:
        return self.output[-chars:]


class Session:
    """One reader, one document: a mirror of the checkout as the working directory, state carried."""

    def __init__(self, base: Path, serve: Serve, reader_home: Path) -> None:
        self.base = base
        self.work = base / "checkout"
        self.work.mkdir(parents=True)
        for entry in ROOT.iterdir():
            if entry.name not in NOT_MIRRORED:
                (self.work / entry.name).symlink_to(entry)
        (base / "tmp").mkdir()
        (base / "user").mkdir()
        self.state = base / "state.sh"
        self.serve = serve
        self.ports: dict[str, str] = {}  # a port a document's own server line names -> the free port it got
        self.groups: list[int] = []  # process groups of the blocks run (background jobs live on)
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        drop = (
            *("DATABASE_URL", "AWS_PROFILE", "MEDSCRIBE_PASSWORD", "SFN_MOCK_CONFIG", "SFN_MOCK_HYBRID"),
            *("MAKEFLAGS", "MFLAGS", "MAKELEVEL"),  # a reader's terminal, not the `make test` that runs this
        )
        self.env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTEST")}
        self.env |= {
            "HOME": str(base / "user"),  # `rm -rf ~/.medscribe` removes this reader's, nobody else's
            "XDG_CACHE_HOME": cache,  # the offline NER's derived tables, built once per machine
            "TMPDIR": str(base / "tmp"),
            "MEDSCRIBE_HOME": str(reader_home),
            "MEDSCRIBE_AWS_ENDPOINT": serve.aws_url,
            "AWS_ENDPOINT_URL": serve.aws_url,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            **memo_env(),  # `make demo`, `medscribe backfill samples/`...: the docs are under test, not the decode
        }

    def created(self) -> list[str]:
        """What the document's blocks left in the checkout's top level (the mirror's own links excluded)."""
        return sorted(p.name for p in self.work.iterdir() if not p.is_symlink())

    def script(self, block: Block) -> tuple[str, list[tuple[str, str]]]:
        """The block as bash runs it here, and the lines the docs mark not to run."""
        lines, skipped = [], []
        server_replaced = False
        api_port = self.serve.api_url.rsplit(":", 1)[1]
        aws_port = self.serve.aws_url.rsplit(":", 1)[1]
        for command in block.commands():
            note = block.note_for(command) if block.lang != "python" else None
            if note is not None and note.kind == "skip-line":
                skipped.append((bare_command(command), note.reason))
                continue
            server = SERVER_LINE.match(command)
            if server and STAND_IN.match(server.group("options")):
                lines.append(": docs-check: the medscribe serve of this check answers here")
                server_replaced = True
                continue
            if server and (named := PORT_OPTION.search(command)):
                self.ports.setdefault(named.group(1), str(free_port()))
                command = PORT_OPTION.sub(f"--port {self.ports[named.group(1)]}", command)
            for shown, port in self.ports.items():
                command = re.sub(rf"\b(?:localhost|127\.0\.0\.1):{shown}\b", f"127.0.0.1:{port}", command)
            if server_replaced and command.strip() == "kill %1":
                continue
            command = AWS_PORT.sub(f"127.0.0.1:{aws_port}", API_PORT.sub(f"127.0.0.1:{api_port}", command))
            if block.lang == "python":
                command = f"python - <<'DOCS_CHECK_PYTHON'\n{command}DOCS_CHECK_PYTHON"
            if note is not None and note.kind == "exit":
                shown = shlex.quote(bare_command(command))
                command = (
                    f"__docs_rc=0; {bare_command(command)} || __docs_rc=$?\n"
                    f'[ "$__docs_rc" = {note.code} ] || {{ echo "docs-check: "{shown}" exited $__docs_rc, '
                    f'the docs say {note.code}" >&2; exit 1; }}'
                )
            lines.append(command)
        return "\n".join(lines) + "\n", skipped

    def run(self, block: Block, timeout: float = BLOCK_TIMEOUT) -> Outcome:
        body, skipped = self.script(block)
        state = shlex.quote(str(self.state))
        script = (
            "set -e -o pipefail\n"
            "__docs_base=\" $(compgen -v | tr '\\n' ' ') \"\n"
            f"if [ -f {state} ]; then source {state}; fi\n"
            f"{body}"
            '{ export -p; for __docs_v in $(compgen -v); do case "$__docs_base" in *" $__docs_v "*) ;; '
            '__docs*) ;; *) declare -p "$__docs_v";; esac; done; printf \'cd %q\\n\' "$PWD"; } '
            f"> {state}.new && mv {state}.new {state}\n"
        )
        path = self.base / f"block-{block.line}.sh"
        path.write_text(script)
        log = self.base / f"block-{block.line}.log"
        started = time.monotonic()
        with log.open("w") as sink:
            proc = subprocess.Popen(
                ["bash", "--noprofile", "--norc", str(path)],
                cwd=self.work,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: whatever it leaves running is stopped below
            )
            self.groups.append(proc.pid)
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                code = -1
                _stop_group(proc.pid)
        return Outcome(block, code, log.read_text(errors="replace"), time.monotonic() - started, skipped)

    def close(self, grace: float = 60) -> None:
        """The document is done: what its blocks left running gets SIGTERM (a server stops cleanly), then
        SIGKILL after ``grace`` seconds."""
        for pgid in self.groups:
            _stop_group(pgid, grace)


def _stop_group(pgid: int, grace: float = 5) -> None:
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
