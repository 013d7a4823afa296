"""The docs check's own machinery can fail: a session carries a reader's state from block to block, a failing
line fails its block, annotations mean what docs/testing.md says, and the walk-through's polling loop stops on
FAILED with a non-zero exit. No serve needed: these blocks never reach it."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import cast

import pytest
from docs_blocks import ROOT, AnnotationError, Block, blocks_in, blocks_of, parse_annotation
from docs_session import Serve, Session

FAKE = Serve(cast("subprocess.Popen[str]", None), "http://127.0.0.1:41001", "http://127.0.0.1:41002")


def session(tmp_path: Path) -> Session:
    return Session(tmp_path, FAKE, tmp_path / "reader-home")


def block(body: str, *notes: str, lang: str = "sh") -> Block:
    return Block("doc.md", 1, lang, body, [parse_annotation(n, "doc.md:0") for n in notes])


def test_variables_exports_and_the_working_directory_carry_to_the_next_block(tmp_path: Path) -> None:
    s = session(tmp_path)
    assert s.run(block("mkdir -p out\nPLAIN=1\nexport SHARED=2\ncd out\n")).returncode == 0
    after = s.run(block('test "$PLAIN" = 1\ntest "$SHARED" = 2\npwd\n'))
    assert after.returncode == 0, after.output
    assert after.output.strip().endswith("/checkout/out")


def test_a_failing_line_fails_its_block_and_the_rest_does_not_run(tmp_path: Path) -> None:
    outcome = session(tmp_path).run(block("echo first\nfalse\necho never\n"))
    assert outcome.returncode != 0
    assert "first" in outcome.output
    assert "never" not in outcome.output


def test_a_failure_inside_a_pipeline_fails_the_block(tmp_path: Path) -> None:
    assert session(tmp_path).run(block("false | cat\n")).returncode != 0


def test_an_exit_annotation_expects_that_code_and_no_other(tmp_path: Path) -> None:
    note = 'exit=1 line="sh -c \'exit $CODE\'" reason="an item fails"'
    s = session(tmp_path)
    assert (
        s.run(block("export CODE=1\nsh -c 'exit $CODE'   # one failed item\necho after\n", note)).returncode
        == 0
    )
    wrong = s.run(block("export CODE=0\nsh -c 'exit $CODE'\n", note))
    assert wrong.returncode != 0
    assert "the docs say 1" in wrong.output


def test_a_skipped_line_is_not_run_and_is_reported(tmp_path: Path) -> None:
    outcome = session(tmp_path).run(
        block("echo kept\nfalse   # would fail\n", 'skip-line="false" reason="r"')
    )
    assert outcome.returncode == 0
    assert outcome.skipped_lines == [("false", "r")]


def test_the_serve_a_block_starts_is_the_checks_own_on_its_ports(tmp_path: Path) -> None:
    text = ".venv/bin/medscribe serve &   # the API on :3000\necho localhost:3000 127.0.0.1:4566\nkill %1\n"
    outcome = session(tmp_path).run(block(text))
    assert outcome.returncode == 0, outcome.output
    assert outcome.output.split() == ["127.0.0.1:41001", "127.0.0.1:41002"]


def test_a_python_block_runs_in_the_session(tmp_path: Path) -> None:
    s = session(tmp_path)
    s.run(block("export GREETING=hello\n"))
    outcome = s.run(block("import os\nprint(os.environ['GREETING'] + ' from python')\n", lang="python"))
    assert outcome.returncode == 0, outcome.output
    assert "hello from python" in outcome.output


def test_the_walkthrough_polling_loop_stops_on_failed_with_a_non_zero_exit(tmp_path: Path) -> None:
    """The loop of docs/local-mode.md's walk-through, with the API answering FAILED: it stops at once."""
    (walkthrough,) = [b for b in blocks_of(ROOT / "docs/local-mode.md") if "seq 90" in b.body]
    loop = re.search(r"^for i in .*?^done;.*?$", walkthrough.body, re.S | re.M)
    assert loop is not None
    fake_api = 'curl() { echo \'{"status": "FAILED", "error_name": "NoSpeechDetected"}\'; }\nRID=r TOKEN=t\n'
    outcome = session(tmp_path).run(block(fake_api + loop.group(0) + "\necho never\n"), timeout=30)
    assert outcome.returncode != 0
    assert "FAILED" in outcome.output
    assert "never" not in outcome.output


@pytest.mark.parametrize(
    "comment",
    ["skip", 'skip reason=""', 'skip-line="make test"', 'exit=x line="a" reason="r"', 'run reason="r"'],
)
def test_an_annotation_without_a_reason_or_unknown_is_refused(comment: str) -> None:
    with pytest.raises(AnnotationError):
        parse_annotation(comment, "doc.md:1")


def test_a_background_job_lives_until_the_document_ends(tmp_path: Path) -> None:
    s = session(tmp_path)
    assert s.run(block("sleep 300 &\necho $! > job.pid\n")).returncode == 0
    pid = int((s.work / "job.pid").read_text())
    os.kill(pid, 0)  # still running after its block: a later block may use it
    s.close(grace=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    assert not _alive(pid)


def test_a_server_line_the_checks_serve_cannot_stand_in_for_runs_on_a_free_port(tmp_path: Path) -> None:
    s = session(tmp_path)
    text = "medscribe endpoint --port 4567 --mock-config m.json &\ncurl -s 127.0.0.1:4567 localhost:4566\n"
    script, _ = s.script(block(text))
    port = s.ports["4567"]
    assert f"medscribe endpoint --port {port} --mock-config m.json &" in script
    assert f"curl -s 127.0.0.1:{port} 127.0.0.1:41002" in script
    assert port != "4567"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_fence_inside_a_list_item_is_a_block_with_its_annotation() -> None:
    # Given a numbered step whose command block is indented under it (docs/emulator.md's upgrade steps), beside
    # inline code that shows a fence (```` ```text ````) and a top-level block
    text = (
        "1. **Step.** Run:\n\n"
        '   <!-- docs-check: skip reason="an upgrade trial" -->\n'
        "   ```sh\n"
        "   make moto-next\n"
        "     echo indented-more\n"
        "   ```\n\n"
        "   Fence a synopsis as ```` ```text ````.\n\n"
        "```sh\n"
        "echo top\n"
        "```\n"
    )
    # When the document's blocks are read
    found = blocks_in(text, "doc.md")
    # Then the indented block is found, with its annotation, its body without the list's indent, and the inline
    # fence is no block
    assert [(b.line, b.lang) for b in found] == [(4, "sh"), (11, "sh")]
    assert found[0].body == "make moto-next\n  echo indented-more\n"
    assert found[0].skipped is not None
    assert found[0].skipped.reason == "an upgrade trial"
    assert found[1].body == "echo top\n"
