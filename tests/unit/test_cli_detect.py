"""``medscribe detect-entities``: the offline DetectEntitiesV2 JSON for a text, from an argument or stdin."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from medscribe.cli import main
from medscribe.shapes import DetectEntitiesV2Response


def test_text_argument_prints_a_detectentitiesv2_response(capsys: pytest.CaptureFixture[str]) -> None:
    # Given a med-list line / When running the subcommand with the text as argument
    text = "Clonidine 0.1 mg 1 and 1/2 tabs po qhs. Cough for 3 days."
    assert main(["detect-entities", text]) == 0
    resp = json.loads(capsys.readouterr().out)
    # Then stdout is one DetectEntitiesV2 response for that text, with exact offsets
    DetectEntitiesV2Response.model_validate(resp)
    clonidine = next(e for e in resp["Entities"] if e["Text"] == "Clonidine")
    assert {a["Type"]: a["Text"] for a in clonidine["Attributes"]} == {
        "STRENGTH": "0.1 mg",
        "DOSAGE": "1 and 1/2 tabs",
        "ROUTE_OR_MODE": "po",
        "FREQUENCY": "qhs",
    }
    time = next(e for e in resp["Entities"] if e["Category"] == "TIME_EXPRESSION")
    assert (time["Text"], time["Type"], [a["Text"] for a in time["Attributes"]]) == (
        "for 3 days",
        "TIME_TO_DX_NAME",
        ["Cough"],
    )
    for e in resp["Entities"]:
        assert text[e["BeginOffset"] : e["EndOffset"]] == e["Text"]


def test_dash_reads_stdin_and_min_score_filters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given text on stdin with an unknown drug name (kept at a low score) and a known one
    monkeypatch.setattr(sys, "stdin", io.StringIO("Zyntravex 10 mg daily and metformin 500 mg bid"))
    # When reading it with "-" and a score floor above the unknown name's score
    assert main(["detect-entities", "-", "--min-score", "0.7", "--compact"]) == 0
    out = capsys.readouterr().out
    # Then one compact line, holding only the confident entity
    assert out.count("\n") == 1
    assert [e["Text"] for e in json.loads(out)["Entities"]] == ["metformin"]


def test_too_long_text_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["detect-entities", "--text", "a" * 20_001]) == 2
    assert "too long" in capsys.readouterr().err


def test_installed_command_runs_as_a_process() -> None:
    # Given the module run as a program (what the console script does) / When piping text into it
    proc = subprocess.run(
        [sys.executable, "-m", "medscribe.cli", "detect-entities"],
        input="Denies chest pain.",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # Then the negated condition is in the JSON
    [pain] = json.loads(proc.stdout)["Entities"]
    assert pain["Text"] == "chest pain"
    assert "NEGATION" in {t["Name"] for t in pain["Traits"]}
