"""A guessed drug name's reach (issue 15, session 8): a guess word ("possibly", "maybe", "might be", "I think
it's") reaches the drugs listed with it, never past a concept not coordinated with it, as a negation's scope is
bounded (docs/guards.md); a drug juxtaposed with the guessed one (a recogniser's run-on) is flagged as unclear,
never stated as fact. Both backends, both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _row(d: dict[str, Any], drug: str) -> dict[str, Any]:
    return next(i for i in items(d, "Medications") if drug in i["text"].lower())


def _guess_reasons(row: dict[str, Any]) -> list[str]:
    return [r for r in row.get("reasons") or [] if "guess" in r]


@both
@forms
@pytest.mark.parametrize(
    ("said", "guessed", "concept"),
    [
        (
            "Possibly sumatriptan for the migraines, also on amlodipine 5 mg daily.",
            "sumatriptan",
            "migraines",
        ),
        ("Maybe propranolol for the tremor and she takes amlodipine 5 mg daily.", "propranolol", "tremor"),
        ("It might be the omeprazole for the reflux, also on amlodipine 5 mg daily.", "omeprazole", "reflux"),
        (
            "I think it's the omeprazole for the reflux, also on amlodipine 5 mg daily.",
            "omeprazole",
            "reflux",
        ),
    ],
)
def test_a_guess_does_not_reach_a_drug_past_another_concept(
    backend: str, form: str, said: str, guessed: str, concept: str
) -> None:
    # Given a guessed drug, a concept of its own, then another drug with no punctuation between (recogniser)
    def build(n: AwsNote) -> None:
        n.med(guessed)
        n.condition(concept)
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="daily")

    d = drafted(said, build, backend, form)
    # Then the guessed drug is flagged, naming the guess, and the later drug is not said to be a guess
    assert "NAME_UNCLEAR" in _row(d, guessed)["flags"]
    assert _guess_reasons(_row(d, guessed))
    amlodipine = _row(d, "amlodipine")
    assert "NAME_UNCLEAR" not in amlodipine["flags"]
    assert not _guess_reasons(amlodipine)


@both
@forms
def test_a_guess_reaches_every_drug_of_its_list(backend: str, form: str) -> None:
    text = "She couldn't remember the name, possibly sumatriptan or rizatriptan."

    def build(n: AwsNote) -> None:
        n.med("sumatriptan")
        n.med("rizatriptan")

    d = drafted(text, build, backend, form)
    for drug in ("sumatriptan", "rizatriptan"):
        assert "NAME_UNCLEAR" in _row(d, drug)["flags"]


@both
@forms
def test_a_drug_juxtaposed_with_a_guessed_one_is_flagged_as_unclear_reach(backend: str, form: str) -> None:
    # Given a guessed name and another drug right after it with nothing between
    text = "Maybe propranolol atenolol 50 mg daily."

    def build(n: AwsNote) -> None:
        n.med("propranolol")
        n.med("atenolol", STRENGTH="50 mg", FREQUENCY="daily")

    d = drafted(text, build, backend, form)
    # Then the second drug is flagged too, saying the guess's reach is unclear
    atenolol = _row(d, "atenolol")
    assert "NAME_UNCLEAR" in atenolol["flags"]
    assert any("reaches it" in r for r in atenolol["reasons"])


@both
@forms
@pytest.mark.parametrize(
    ("said", "offered"),
    [
        # the other alternative need not be a drug the detector holds ("or D")
        ("The dietitian started a vitamin, vitamin E or D, she is not sure which.", ("vitamin E",)),
        ("She uses a nasal spray, Nasonex or Avamys, she could not say which.", ("Nasonex", "Avamys")),
        (
            "He was given an eye drop, latanoprost or timolol, he cannot tell which.",
            ("latanoprost", "timolol"),
        ),
        # a concession naming another drug doubts the name said first as well
        (
            "She takes a tablet she calls pregabalin, though it may be sertraline.",
            ("pregabalin", "sertraline"),
        ),
        ("He uses an inhaler he calls Seretide, but it might be Symbicort.", ("Seretide", "Symbicort")),
    ],
)
def test_a_doubt_said_after_offered_alternatives_makes_each_a_guess(
    backend: str, form: str, said: str, offered: tuple[str, ...]
) -> None:
    # Given drugs offered as alternatives, then the speaker's doubt of which it is, said after them
    def build(n: AwsNote) -> None:
        for drug in offered:
            n.med(drug)
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(f"{said} Continue amlodipine 5 mg once daily.", build, backend, form)
    # Then each offered drug's row is flagged as a guess (never a silent prescription, never a blank cell alone)
    for drug in offered:
        row = _row(d, drug.lower())
        assert "NAME_UNCLEAR" in row["flags"], row
        assert names_category(row, "unclear"), row
    assert "NAME_UNCLEAR" not in _row(d, "amlodipine")["flags"]


@both
@forms
@pytest.mark.parametrize(
    "said",
    [
        "She cannot recall whether she was told to start the letrozole or not.",
        "He does not remember if the GP asked him to take the allopurinol.",
    ],
)
def test_a_drug_inside_a_doubted_whether_clause_is_a_guess_though_an_instruction_verb_is_in_it(
    backend: str, form: str, said: str
) -> None:
    drug = "letrozole" if "letrozole" in said else "allopurinol"

    def build(n: AwsNote) -> None:
        n.med(drug)

    d = drafted(said, build, backend, form)
    # Then the drug, inside what the speaker cannot recall, is flagged as unclear wherever it is listed
    listed = [s for s in d["sections"] if s["title"] != "Needs review"]
    said_items = [i for s in listed for i in s["items"] if drug in i["text"].lower()]
    assert said_items, d
    for item in said_items:
        assert "NAME_UNCLEAR" in item["flags"], item
        assert names_category(item, "unclear"), item


@both
@forms
def test_a_concession_about_the_dose_is_no_guess_of_the_name(backend: str, form: str) -> None:
    # Given "but it may be …" said of a drug's dose, with no other drug named after it
    d = drafted(
        "Continue metformin 500 mg twice daily, but it may be increased next month.",
        lambda n: n.med("metformin", STRENGTH="500 mg", FREQUENCY="twice daily"),
        backend,
        form,
    )
    # Then its name is not flagged as a guess
    assert "NAME_UNCLEAR" not in _row(d, "metformin")["flags"]


@both
@forms
def test_an_instruction_after_a_doubt_with_no_whether_is_no_guess(backend: str, form: str) -> None:
    # Given a doubt of something else, then an instruction to start a drug (no "whether" / "if" between)
    text = "She cannot remember the dates, so start amlodipine 5 mg once daily."

    def build(n: AwsNote) -> None:
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then the started drug is no guess
    assert not _guess_reasons(_row(d, "amlodipine"))
