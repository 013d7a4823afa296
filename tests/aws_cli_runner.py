"""Runs AWS CLI commands one after another in one process of the AWS CLI's own venv (``.aws-venv``): what the
``aws`` script does for each (``awscli.clidriver.main``: a new botocore session from the environment, the
argument parser, the request, the output formatter), without paying the interpreter's start and the CLI's
imports again for each command. Driven by ``aws_cli_support.AwsCli``; not a pytest module.

Protocol: one JSON line per command on stdin, ``{"args": [...], "env": {...}}``; the command runs with exactly
that environment and its file descriptors 1 and 2 redirected to two temp files, whose paths, with the exit code,
come back as one JSON line on the descriptor that was stdout when this started."""

from __future__ import annotations

import json
import os
import sys
import tempfile


def run(args: list[str], env: dict[str, str], out_path: str, err_path: str) -> int:
    import awscli
    import awscli.clidriver

    os.environ.clear()
    os.environ.update(env)
    if os.environ.get("LC_CTYPE", "") == "UTF-8":  # as the aws script does before it imports the CLI
        os.environ["LC_CTYPE"] = "en_US.UTF-8"
    # what importing awscli does to the environment of a fresh process: its data folder after the caller's
    data = [
        os.path.expanduser(os.path.expandvars(p)) for p in env.get("AWS_DATA_PATH", "").split(os.pathsep) if p
    ]
    os.environ["AWS_DATA_PATH"] = os.pathsep.join(
        [*data, os.path.join(os.path.dirname(awscli.__file__), "data")]
    )
    saved = os.dup(1), os.dup(2)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        try:
            driver = awscli.clidriver.create_clidriver()
            code = driver.main(args)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
    return int(code or 0)


def main() -> None:
    replies = os.fdopen(os.dup(1), "w")
    scratch = tempfile.mkdtemp(prefix="aws-cli-runner-")
    out_path, err_path = os.path.join(scratch, "stdout"), os.path.join(scratch, "stderr")
    for line in sys.stdin:
        request = json.loads(line)
        code = run(request["args"], request["env"], out_path, err_path)
        replies.write(json.dumps({"code": code, "stdout": out_path, "stderr": err_path}) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
