"""Social history (issue 15): smoking, alcohol, recreational drugs and vaping said in a dictation are drafted under
"Social history" as said, and their amounts ("10 a day", "20 units a week") never become a medication row, a
dose on a drug's row, a "medication not captured" flag or a page-top "no clinical content" doubt. Through
``draft_sections`` (offline) and a hand-built DetectEntitiesV2 response (aws), both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, draft, drafted, items, texts

NOISE = (
    "ORPHAN_ATTRIBUTE",
    "POSSIBLE_MEDICATION_NOT_CAPTURED",
    "TRANSCRIPT_MAY_BE_UNINTELLIGIBLE",
    "NOT_DRAFTED",
)


def _kinds(sections: dict[str, Any]) -> set[str]:
    return {k for i in items(sections, "Needs review") for k in i["flags"]}


def _social(sections: dict[str, Any]) -> list[str]:
    return [i["text"] for i in items(sections, "Social history")]


def _aws_units(n: AwsNote) -> None:
    """AWS types "units" as a DOSAGE and "a day" as a FREQUENCY, with no drug (UnmappedAttributes)."""
    n.unmapped("FREQUENCY", "a day").unmapped("DOSAGE", "20 units")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", FORMS)
def test_smoking_and_drinking_are_social_history_not_a_medication(backend: str, form: str) -> None:
    d = drafted("Still smoking 10 a day, drinks 20 units a week.", _aws_units, backend, form)
    assert items(d, "Medications") == []
    assert _kinds(d) & set(NOISE) == set()
    said = " | ".join(_social(d)).lower()
    assert "smoking (current): still smoking 10 a day" in said
    assert "alcohol (current): drinks 20 units a week" in said


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", FORMS)
def test_units_in_a_drinking_clause_are_not_a_drugs_dose(backend: str, form: str) -> None:
    def build(n: AwsNote) -> None:  # AWS relates the nearest dose to the drug said before it
        n.med("metformin", STRENGTH="500 mg", FREQUENCY="twice daily", DOSAGE="14 units")

    d = drafted("Takes metformin 500 mg twice daily, drinks 14 units a week.", build, backend, form)
    (row,) = items(d, "Medications")
    assert "14" not in row["text"]
    assert "500 mg" in row["text"]
    assert "alcohol (current): drinks 14 units a week" in texts(d, "Social history")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", FORMS)
def test_insulin_units_stay_a_dose(backend: str, form: str) -> None:
    def build(n: AwsNote) -> None:
        n.med("Insulin", DOSAGE="20 units", FREQUENCY="at night")

    d = drafted("Insulin 20 units at night. Never smoked.", build, backend, form)
    assert any("20 units" in i["text"] for i in items(d, "Medications"))
    assert _social(d) == [
        ("Smoking (never): Never smoked" if form == "punctuated" else "Smoking (never): never smoked")
    ]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("Ex-smoker, 20 pack years, quit in 2015.", ["smoking (ex): ex"]),
        ("Never smoked. Teetotal.", ["smoking (never): never smoked", "alcohol (never): teetotal"]),
        (
            "Drinks socially, no recreational drugs.",
            ["alcohol (current): drinks socially", "recreational drugs (none)"],
        ),
        (
            "She vapes daily and stopped smoking in 2019.",
            ["vaping (current)", "smoking (ex): stopped smoking in 2019"],
        ),
        ("Uses cannabis at weekends.", ["recreational drugs (current): uses cannabis at weekends"]),
        ("Doesn't drink alcohol.", ["alcohol (none): doesn't drink alcohol"]),
        ("Gave up drinking 5 years ago.", ["alcohol (ex): gave up drinking 5 years ago"]),
        ("History of alcohol excess.", ["alcohol (history): history of alcohol excess"]),
        ("Drinks 20 units a week, alcohol excess.", ["alcohol (current): drinks 20 units a week"]),
    ],
)
def test_status_and_amount_as_said(form: str, said: str, want: list[str]) -> None:
    d = draft(said, form)
    got = " | ".join(i["text"] for i in d["Social history"]).lower()
    assert [w for w in want if w not in got] == []
    assert d["Medications"] == []
    assert {k for i in d["Needs review"] for k in i["flags"]} & set(NOISE) == set()


def test_pack_years_and_quit_year_kept_as_said() -> None:
    (item,) = draft("Ex-smoker, 20 pack years, quit in 2015.", "punctuated")["Social history"]
    assert item["text"] == "Smoking (ex): Ex-smoker, 20 pack years, quit in 2015"
    assert item["flags"] == []
    assert item["kind"] == "social"


def test_a_doubtful_statement_is_shown_as_said_and_unclear() -> None:
    (item, *_) = draft("Smokes occasionally? Drinks about 30 units a week.", "punctuated")["Social history"]
    assert item["text"] == "Smoking (unclear): Smokes occasionally?"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("said", ["Drinks 2 litres of water a day.", "Smoking cessation advice given."])
def test_not_a_habit_is_not_social_history(form: str, said: str) -> None:
    assert draft(said, form)["Social history"] == []


def test_social_history_prints_after_past_history() -> None:
    titles = [
        s["title"] for s in drafted("Never smoked.", lambda n: None, "offline", "punctuated")["sections"]
    ]
    assert titles.index("Social history") == titles.index("Past history") + 1


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", FORMS)
def test_another_persons_drinking_is_theirs(backend: str, form: str) -> None:
    d = drafted(
        "Tremor of both hands. His partner also drinks heavily.",
        lambda n: n.condition("Tremor"),
        backend,
        form,
    )
    assert items(d, "Social history") == []
    assert "partner: drinks heavily" in texts(d, "Other people")


@pytest.mark.parametrize("form", FORMS)
def test_the_topic_label_holds_no_transcript_word(form: str) -> None:
    # "Alcohol withdrawal" is no drinking statement; the Other people item's label must not hold "alcohol" for it
    d = draft("Alcohol withdrawal, seen on the ward. His partner also drinks heavily.", form)
    # (the withdrawal is the patient's problem; the partner's drinking is theirs, labelled with no word of it)
    assert [i for i in d["Problems"] if i["text"].lower() == "alcohol withdrawal"], d["Problems"]
    assert not [i for i in d.get("Other people", []) if "alcohol" in i["text"].lower()], d.get("Other people")
