"""Body bounds (``medscribe.api.body``) and bounded audit values (``medscribe.api.audit``), without a server."""

from __future__ import annotations

import pytest

from medscribe.api.audit import bounded_id, is_well_formed_id
from medscribe.api.body import MAX_BODY_BYTES, MAX_DEPTH, BodyRefused, check_json_body


@pytest.mark.parametrize(
    "body",
    [
        None,
        "",
        "{}",
        '{"clinician_name": "Dr Quinn", "date_of_service": "2026-11-30"}',
        '{"a": "[[[[[[[[[[ in a string: not nesting"}',
        '{"n": 12345678901234567890, "f": 1.5e3}',
        "{not json",  # the resolver's own validation answers it
    ],
)
def test_bodies_within_the_bounds_pass(body: str | None) -> None:
    check_json_body(body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested"),
        ("[" * 100_000, "larger"),
        ("[" * 5_000 + "]" * 5_000, "nested"),
        ('{"n": ' + "9" * 5000 + "}", "number"),
        ('{"n": -' + "9" * 40 + "}", "number"),
        ('{"n": 1.' + "5" * 40 + "}", "number"),
        ('{"s": "a\\u0000b"}', "control"),
        ('{"s\\u0001": "key"}', "control"),
        ('{"s": ["ok", {"t": "\\u001f"}]}', "control"),
        ('{"n": NaN}', "not JSON"),
        ('{"s": "' + "a" * MAX_BODY_BYTES + '"}', "larger"),
    ],
)
def test_bodies_beyond_a_bound_are_refused(body: str, reason: str) -> None:
    with pytest.raises(BodyRefused, match=reason):
        check_json_body(body)


def test_a_well_formed_id_is_kept_and_anything_else_is_a_bounded_digest() -> None:
    rid = "3b56cfb0-5b4a-4110-bdcd-9984c6c7b377"
    assert bounded_id(rid) == rid
    assert bounded_id(None) is None
    for bad in ("A" * 60_000, "a/../b", "abc\n", "a\x00b", ""):
        stored = bounded_id(bad)
        assert stored is not None
        assert stored.startswith("sha256:")
        assert len(stored) == 39
        assert not is_well_formed_id(bad)
    assert bounded_id("A" * 60_000) == bounded_id("A" * 60_000)  # the same value, the same digest
