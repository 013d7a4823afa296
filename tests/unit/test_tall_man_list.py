"""The FDA / ISMP Tall Man sets (``data/tall_man.csv``, issue 15 item 6), through the text draft."""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.logic.document.guard_data import rows, tall_man_forms
from medscribe.textdraft import draft_sections


def _medication_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for s in d["sections"] if s["title"] == "Medications" for i in s["items"]]


def _look_alike_notes(d: dict[str, Any]) -> list[str]:
    return [
        i["text"]
        for s in d["sections"]
        if s["title"] == "Needs review"
        for i in s["items"]
        if "LOOK_ALIKE" in i["flags"]
    ]


# sets of the 2016 list added to the file (risperiDONE / rOPINIRole is on FDA Table 1; the others ISMP Table 2)
PAIRS = [
    ("risperidone 2 mg at night", "ropinirole 0.25 mg at night", "risperiDONE", "rOPINIRole"),
    ("sumatriptan 50 mg for migraine", "zolmitriptan 2.5 mg for migraine", "SUMAtriptan", "ZOLMitriptan"),
    ("alprazolam 0.5 mg at night", "lorazepam 1 mg as needed", "ALPRAZolam", "LORazepam"),
    ("tramadol 50 mg twice daily", "trazodone 50 mg at night", "traMADol", "traZODone"),
]


@pytest.mark.parametrize(("first", "second", "tall_a", "tall_b"), PAIRS)
def test_both_members_in_one_draft_print_in_tall_man_letters_and_are_flagged(
    first: str, second: str, tall_a: str, tall_b: str
) -> None:
    # Given a dictation that prescribes both members of a listed set
    d = draft_sections(f"Continue {first}. Start {second}.")
    # Then each prescription row prints its name in Tall Man letters and carries the look-alike flag
    meds = _medication_rows(d)
    for tall in (tall_a, tall_b):
        row = next(r for r in meds if r["text"].startswith(tall))
        assert "LOOK_ALIKE" in row["flags"]
    # and the review list names the pair in Tall Man letters
    assert any(f"{tall_a} / {tall_b}" in note for note in _look_alike_notes(d))


@pytest.mark.parametrize(("first", "second", "tall_a", "tall_b"), PAIRS)
def test_one_member_alone_prints_in_tall_man_letters_and_is_not_flagged(
    first: str, second: str, tall_a: str, tall_b: str
) -> None:
    d = draft_sections(f"Continue {first}.")
    meds = _medication_rows(d)
    assert [r["text"].split()[0] for r in meds] == [tall_a]
    assert all("LOOK_ALIKE" not in r["flags"] for r in meds)
    assert _look_alike_notes(d) == []


def test_every_set_names_its_list_and_each_name_has_one_tall_man_form() -> None:
    sets = rows("tall_man.csv")
    assert {r["source"] for r in sets} == {"FDA", "ISMP"}
    seen: dict[str, str] = {}
    for r in sets:
        members = r["set"].split("|")
        assert len(members) >= 2, r
        for m in members:
            assert seen.setdefault(m.lower(), m) == m, f"{m} written two ways"
    assert tall_man_forms()["zolmitriptan"] == "ZOLMitriptan"
