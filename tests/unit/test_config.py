"""Run-time settings from environment variables (medscribe.config): names without regard to case, values
validated from their strings, defaults for what is unset, other variables ignored."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from medscribe.config import Settings, get_settings


def test_given_variables_in_any_case_when_read_then_each_field_gets_its_typed_value() -> None:
    # Given: Lambda-style upper-case names, one lower-case, strings for a bool and an int, an unrelated variable
    environ = {
        "RECORDINGS_TABLE_NAME": "recordings-prod",
        "tenants": "clinic-a, clinic-b",
        "INFER_RXNORM": "false",
        "MAX_UPLOAD_BYTES": "1048576",
        "NER_BACKEND": "offline",
        "AWS_REGION": "eu-west-1",
    }
    # When
    settings = Settings.from_environment(environ)
    # Then
    assert settings.recordings_table_name == "recordings-prod"
    assert settings.known_tenants == frozenset({"clinic-a", "clinic-b"})
    assert settings.infer_rxnorm is False
    assert settings.max_upload_bytes == 1048576
    assert settings.ner_backend == "offline"
    assert settings.transcribe_backend == "aws"  # unset: the default
    assert settings.kms_key_id is None
    assert "aws_region" not in settings.model_dump()


def test_given_no_variables_when_read_then_every_default_applies() -> None:
    settings = Settings.from_environment({})
    assert settings.event_bus_name == "medscribe"
    assert settings.infer_rxnorm is True
    assert settings.database_url is None
    assert settings.max_upload_bytes == 500 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "value"), [("NER_BACKEND", "spacy"), ("INFER_RXNORM", "maybe"), ("MAX_UPLOAD_BYTES", "1 GB")]
)
def test_given_a_value_of_the_wrong_kind_when_read_then_it_is_refused(name: str, value: str) -> None:
    with pytest.raises(ValidationError):
        Settings.from_environment({name: value})


def test_given_the_process_environment_when_settings_are_first_read_then_they_come_from_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given
    monkeypatch.setenv("EVENT_BUS_NAME", "bus-from-env")
    get_settings.cache_clear()
    try:
        # When / Then
        assert get_settings().event_bus_name == "bus-from-env"
    finally:
        get_settings.cache_clear()
