"""Functions in template.yaml: code folders, handlers, runtime, environment, logging."""

from __future__ import annotations

import ast
import importlib.metadata as md
import tomllib
from typing import Any

import pytest
from cfn_support import ALL_FUNCTIONS, ROOT, functions, refers_to, resources, template

from medscribe.config import Settings

GIB = 1024


def _env(tpl: dict[str, Any], logical_id: str) -> dict[str, Any]:
    merged = dict(tpl["Globals"]["Function"]["Environment"]["Variables"])
    merged.update(tpl["Resources"][logical_id]["Properties"].get("Environment", {}).get("Variables", {}))
    return merged


def _settings_aliases() -> set[str]:
    return {str(f.alias) for f in Settings.model_fields.values() if f.alias}


def test_given_the_template_when_listing_functions_then_one_per_step_plus_the_trigger() -> None:
    assert set(functions(template())) == set(ALL_FUNCTIONS)


@pytest.mark.parametrize(("logical_id", "folder"), sorted(ALL_FUNCTIONS.items()))
def test_given_a_function_when_built_then_its_code_folder_and_handler_follow_the_convention(
    logical_id: str, folder: str
) -> None:
    # Given
    tpl = template()
    props = tpl["Resources"][logical_id]["Properties"]
    # When
    handler = props.get("Handler", tpl["Globals"]["Function"].get("Handler"))
    # Then
    assert props["CodeUri"] == f"lambdas/{folder}/"
    assert handler == "app.lambda_handler"


@pytest.mark.parametrize("folder", sorted(ALL_FUNCTIONS.values()))
def test_given_a_code_folder_when_parsed_then_app_py_defines_lambda_handler(folder: str) -> None:
    # Given
    app = ROOT / "lambdas" / folder / "app.py"
    assert app.is_file(), f"{app.relative_to(ROOT)} is missing"
    # When
    tree = ast.parse(app.read_text(encoding="utf-8"), filename=str(app))
    # Then
    handlers = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "lambda_handler"
    ]
    assert len(handlers) == 1
    assert len(handlers[0].args.args) == 2, "lambda_handler(event, context)"


# Lambda Python runtimes on Amazon Linux 2 (glibc 2.26: manylinux2014 wheels at most); 3.12+ are on AL2023.
AL2_RUNTIMES = {"python3.8", "python3.9", "python3.10", "python3.11"}
# First releases that ship only manylinux_2_28 Linux wheels (none installable on AL2).
MANYLINUX_2_28_ONLY = {"numpy": (2, 3)}  # (Pillow 12+ too, no longer shipped: issue 10)


def _runtime_version(runtime: str) -> tuple[int, int]:
    major, minor = runtime.removeprefix("python").split(".")
    return int(major), int(minor)


def test_given_the_runtime_when_compared_then_functions_and_layer_build_use_one_python() -> None:
    # Given
    tpl = template()
    runtime = tpl["Globals"]["Function"]["Runtime"]
    layers = resources(tpl, "AWS::Serverless::LayerVersion")
    # Then: one runtime everywhere, and never older than the oldest Python the code is written for (pyproject's
    # requires-python, the version ruff and mypy check it against); the tests themselves run on 3.11 to 3.14
    assert all("Runtime" not in f["Properties"] for f in functions(tpl).values())
    assert "MedscribeLayer" in layers
    for layer in layers.values():
        assert layer["Properties"]["CompatibleRuntimes"] == [runtime]
        # Built by <ContentUri>/Makefile for that runtime's Python (bytecode of the runtime's version)
        assert layer["Metadata"]["BuildMethod"] == "makefile"
        makefile = (ROOT / layer["Properties"]["ContentUri"] / "Makefile").read_text(encoding="utf-8")
        assert f"PYTHON     ?= {runtime}\n" in makefile
        assert f"PY_VERSION ?= {runtime.removeprefix('python')}\n" in makefile
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert _runtime_version(runtime) >= _runtime_version(floor.removeprefix(">="))


def test_given_the_resolved_native_dependencies_when_deployed_then_the_runtime_glibc_can_load_them() -> None:
    # Given: the versions the pins resolve to (installed in the test environment)
    runtime = template()["Globals"]["Function"]["Runtime"]
    needs_2_28 = [
        name
        for name, first in MANYLINUX_2_28_ONLY.items()
        if tuple(int(p) for p in md.version(name).split(".")[:2]) >= first
    ]
    # Then
    if needs_2_28:
        assert runtime not in AL2_RUNTIMES, f"{needs_2_28} have no wheels for {runtime}'s glibc 2.26"


def test_given_the_architecture_when_chosen_globally_then_the_layer_is_built_for_it() -> None:
    tpl = template()
    architectures = tpl["Globals"]["Function"]["Architectures"]
    assert architectures in (["arm64"], ["x86_64"])
    assert all("Architectures" not in f["Properties"] for f in functions(tpl).values())
    wheel_arch = {"arm64": "aarch64", "x86_64": "x86_64"}[architectures[0]]
    for layer in resources(tpl, "AWS::Serverless::LayerVersion").values():
        assert layer["Properties"]["CompatibleArchitectures"] == architectures
        assert layer["Metadata"].get("BuildArchitecture", "x86_64") == architectures[0]
        makefile = (ROOT / layer["Properties"]["ContentUri"] / "Makefile").read_text(encoding="utf-8")
        assert f"ARCH       ?= {wheel_arch}\n" in makefile  # the wheels pip picks for the layer
    assert tpl["Globals"]["Function"]["Layers"] == [{"Ref": "MedscribeLayer"}]


def test_given_audio_up_to_2_gb_when_validated_then_tmp_and_timeout_leave_room_to_download_it() -> None:
    props = template()["Resources"]["ValidateAudioFunction"]["Properties"]
    assert props["EphemeralStorage"]["Size"] >= 2 * GIB + 512  # 2 GB object + the runtime's own /tmp use
    assert props["EphemeralStorage"]["Size"] == 4096
    assert props["Timeout"] == 300


@pytest.mark.parametrize("logical_id", sorted(ALL_FUNCTIONS))
def test_given_a_function_when_configured_then_its_env_is_what_config_py_reads(logical_id: str) -> None:
    # Given
    env = _env(template(), logical_id)
    config_names = {name for name in env if name in _settings_aliases()}
    # Then: every setting but the local-only DATABASE_URL and S3_PRESIGN_ENDPOINT_URL; STATE_MACHINE_ARN only on
    # the trigger and the API; the API's own settings only on the API
    expected = _settings_aliases() - {"DATABASE_URL", "S3_PRESIGN_ENDPOINT_URL"}
    if logical_id not in ("StartRecordingFunction", "ApiFunction"):
        expected -= {"STATE_MACHINE_ARN"}
    if logical_id != "ApiFunction":
        expected -= {
            "M2M_CLIENT_TENANTS",
            "MAX_UPLOAD_BYTES",
            "CURSOR_SIGNING_KEY",
            "BACKFILL_STATE_MACHINE_ARN",
            "BACKFILL_MAX_ITEMS",
        }
    assert config_names == expected
    assert env["TRANSCRIBE_BACKEND"] == "aws"
    assert env["NER_BACKEND"] == "aws"
    assert env["POWERTOOLS_SERVICE_NAME"] == "medscribe"
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == "Medscribe"
    assert env["POWERTOOLS_LOG_LEVEL"] == {"Ref": "LogLevel"}
    assert env["LOG_LEVEL"] == {"Ref": "LogLevel"}


def test_given_the_trigger_when_configured_then_it_starts_the_pipeline_state_machine() -> None:
    env = _env(template(), "StartRecordingFunction")
    assert env["STATE_MACHINE_ARN"] == {"Ref": "TranscribePipeline"}


def test_given_the_environment_when_parsed_by_settings_then_every_value_is_accepted() -> None:
    # Given: deploy-like strings for the references
    env = _env(template(), "StartRecordingFunction")
    plain = {k: (v if isinstance(v, str) else f"arn:aws:dummy:{k.lower()}") for k, v in env.items()}
    # When
    settings = Settings.model_validate(plain)
    # Then
    assert settings.transcribe_backend == "aws"
    assert settings.ner_backend == "aws"
    assert settings.infer_rxnorm is True
    assert settings.db_name == "medscribe"
    assert settings.database_url is None


def test_given_the_config_refs_when_resolved_then_they_name_the_right_resources() -> None:
    env = template()["Globals"]["Function"]["Environment"]["Variables"]
    assert env["RECORDINGS_TABLE_NAME"] == {"Ref": "RecordingsTable"}
    assert env["EVENT_BUS_NAME"] == {"Ref": "MedscribeBus"}
    assert env["AUDIO_BUCKET"] == {"Ref": "AudioBucket"}
    # The key ARN: the S3 puts name it and Transcribe's OutputEncryptionKMSKeyId condition compares it.
    assert env["KMS_KEY_ID"] == {"Fn::GetAtt": ["DataKey", "Arn"]}
    assert env["DB_CLUSTER_ARN"] == {"Fn::GetAtt": ["DbCluster", "DBClusterArn"]}
    assert env["DB_SECRET_ARN"] == {"Fn::GetAtt": ["DbCluster", "MasterUserSecret.SecretArn"]}
    assert env["DB_NAME"] == template()["Resources"]["DbCluster"]["Properties"]["DatabaseName"]


@pytest.mark.parametrize("logical_id", sorted(ALL_FUNCTIONS))
def test_given_a_function_when_it_logs_then_it_writes_to_its_own_encrypted_log_group(logical_id: str) -> None:
    # Given
    tpl = template()
    log_groups = resources(tpl, "AWS::Logs::LogGroup")
    # When
    target = tpl["Resources"][logical_id]["Properties"]["LoggingConfig"]["LogGroup"]
    # Then
    assert isinstance(target, dict)
    assert target["Ref"] in log_groups
    group = log_groups[target["Ref"]]["Properties"]
    assert refers_to(group["KmsKeyId"], "DataKey")
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    others = [f for lid, f in functions(tpl).items() if lid != logical_id]
    assert all(o["Properties"]["LoggingConfig"]["LogGroup"] != target for o in others)


def test_given_all_functions_when_traced_then_xray_is_active() -> None:
    tpl = template()
    assert tpl["Globals"]["Function"]["Tracing"] == "Active"
    assert tpl["Resources"]["TranscribePipeline"]["Properties"]["TracingConfiguration"] == {"Enabled": True}
