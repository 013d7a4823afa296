"""scripts/lint_asl.py, scripts/sam_validate.sh and samconfig.toml."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from cfn_support import ROOT, template

LINT_ASL = ROOT / "scripts" / "lint_asl.py"
SAM_VALIDATE = ROOT / "scripts" / "sam_validate.sh"


def _copy_project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "template.yaml", tmp_path / "template.yaml")
    shutil.copytree(ROOT / "statemachine", tmp_path / "statemachine")
    return tmp_path


def _lint(template_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(LINT_ASL), "--template", str(template_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_given_the_project_when_the_asl_is_linted_then_it_is_clean() -> None:
    result = _lint(ROOT / "template.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_given_a_placeholder_without_substitution_when_linted_then_it_fails(tmp_path: Path) -> None:
    # Given
    root = _copy_project(tmp_path)
    text = (root / "template.yaml").read_text()
    (root / "template.yaml").write_text(text.replace("        MaxPolls: !Ref MaxPolls\n", ""))
    # When
    result = _lint(root / "template.yaml")
    # Then
    assert result.returncode == 1
    assert "${MaxPolls}" in result.stdout


def test_given_a_dangling_next_when_linted_then_statelint_reports_it(tmp_path: Path) -> None:
    # Given
    root = _copy_project(tmp_path)
    asl_path = root / "statemachine" / "transcribe_pipeline.asl.json"
    definition = json.loads(asl_path.read_text())
    definition["States"]["FilterEntities"]["Next"] = "NoSuchState"
    asl_path.write_text(json.dumps(definition))
    # When
    result = _lint(root / "template.yaml")
    # Then
    assert result.returncode == 1
    assert "statelint" in result.stdout
    assert "NoSuchState" in result.stdout


def test_given_a_tunable_that_is_not_json_when_linted_then_it_fails(tmp_path: Path) -> None:
    # Given: StringToJson('${ConfidenceThreshold}') needs a JSON number
    root = _copy_project(tmp_path)
    text = (root / "template.yaml").read_text()
    (root / "template.yaml").write_text(text.replace("    Default: 0.5\n", "    Default: half\n", 1))
    # When
    result = _lint(root / "template.yaml")
    # Then
    assert result.returncode == 1
    assert "ConfidenceThreshold" in result.stdout


def test_given_the_sam_validate_script_when_parsed_by_bash_then_it_is_valid_and_pins_sam_cli() -> None:
    text = SAM_VALIDATE.read_text()
    bash = shutil.which("bash")
    assert bash is not None
    assert subprocess.run([bash, "-n", str(SAM_VALIDATE)], check=False, timeout=30).returncode == 0
    assert 'SAM_CLI_VERSION="1.170.0"' in text
    assert "validate --lint --template template.yaml" in text
    assert ".sam-venv" in text


def test_given_samconfig_when_read_then_deploy_validate_and_build_defaults_are_set() -> None:
    # Given
    with (ROOT / "samconfig.toml").open("rb") as fh:
        config = tomllib.load(fh)
    deploy = config["default"]["deploy"]["parameters"]
    # Then
    assert config["version"] == 0.1
    assert deploy["stack_name"] == "medscribe"
    assert "CAPABILITY_IAM" in deploy["capabilities"]
    assert deploy["resolve_s3"] is True
    assert deploy["confirm_changeset"] is True
    assert deploy["region"] == "us-east-1"
    assert config["default"]["validate"]["parameters"]["lint"] is True
    assert config["default"]["build"]["parameters"]["cached"] is True
    assert config["default"]["build"]["parameters"]["parallel"] is True


def test_given_samconfig_overrides_when_applied_then_each_is_a_valid_template_parameter_value() -> None:
    # Given
    with (ROOT / "samconfig.toml").open("rb") as fh:
        config = tomllib.load(fh)
    parameters = template()["Parameters"]
    for env in ("default", "prod"):
        overrides = config[env]["deploy"]["parameters"]["parameter_overrides"]
        for item in overrides:
            # When
            name, value = item.split("=", 1)
            spec = parameters[name]
            # Then
            if "AllowedValues" in spec:
                assert value in {str(v) for v in spec["AllowedValues"]}, item
            if spec["Type"] == "Number":
                assert (
                    spec.get("MinValue", float("-inf")) <= float(value) <= spec.get("MaxValue", float("inf"))
                ), item
