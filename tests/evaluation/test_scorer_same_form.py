"""The scorer compares a draft item and an expectation in one form (PROCEDURE.md section 6): a correct item is not
counted as an error because one side was written differently ("5th" / "fifth", "125 mg (5 mL)" / "5 ml",
"1 sachet" / "1 sachet" in a unit the scorer did not know), and a wrong one still is.

Each case is a small note written here and a hand-built sections object in the draft contract's shape."""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.evaluation.asr_form import ordinal_words, speak_ordinals
from medscribe.evaluation.drafts import score_sections
from medscribe.evaluation.matching import dose_forms, dose_matches, dose_mentions, mentions
from medscribe.evaluation.report import entity_key, score_entities
from medscribe.offline.ner.conformance import Tally


def _note(medications: list[dict[str, Any]], problems: list[str] | None = None) -> dict[str, Any]:
    expect = {
        "medications": medications,
        "problems": problems or [],
        "allergies": [],
        "family_history": [],
        "conditional": [],
        "denied": [],
        "not_taking": [],
        "forbidden": [],
        "needs_review": False,
        "entities": [],
    }
    return {"id": "s01", "split": "dev", "hazards": [], "text": "", "expect": expect}


def _row(name: str, dose: str, flags: list[str] | None = None) -> dict[str, Any]:
    return {"text": f"{name} {dose} twice daily", "flags": flags or [], "name": name, "dose": dose}


def _kinds(
    note: dict[str, Any], medications: list[dict[str, Any]], problems: tuple[str, ...] = ()
) -> list[str]:
    sections = [
        {"title": "Needs review", "items": [{"text": "Nothing flagged", "flags": []}]},
        {"title": "Problems", "items": [{"text": p, "flags": [], "name": p} for p in problems]},
        {"title": "Medications", "items": medications},
    ]
    return sorted(f.kind for f in score_sections(note, {"sections": sections}))


# --- ordinals: "5th" and "fifth" are one word on both sides ---------------------------------------------------


def test_an_ordinal_is_spoken_in_words() -> None:
    assert [ordinal_words(n) for n in (1, 2, 3, 5, 8, 9, 12, 20, 21, 50, 100)] == [
        "first", "second", "third", "fifth", "eighth", "ninth", "twelfth", "twentieth", "twenty first",
        "fiftieth", "one hundredth",
    ]  # fmt: skip
    assert speak_ordinals("the 5th metacarpal and 1ST toe, 21st, 2nd, 33rd; 5 th stays") == (
        "the fifth metacarpal and first toe, twenty first, second, thirty third; 5 th stays"
    )


@pytest.mark.parametrize(
    ("reference", "predicted"),
    [
        ("fifth metacarpal", "5th metacarpal"),
        ("first metatarsal head", "1st metatarsal head"),
        ("2nd toe", "second toe"),
    ],
)
def test_an_ordinal_anatomy_entity_found_in_digits_is_a_true_positive(reference: str, predicted: str) -> None:
    # Given a reference written in words (or digits) and the detector's text of the normalised note
    note = {"id": "a1", "expect": {"entities": [{"category": "ANATOMY", "text": reference}]}}
    response = {"Entities": [{"Category": "ANATOMY", "Text": predicted, "Score": 0.9}]}
    tally = Tally()
    score_entities(note, response, tally)
    # Then both sides have one key: a true positive, no miss, no extra
    assert entity_key(reference) == entity_key(predicted)
    assert (tally.tp["ANATOMY"], tally.fp["ANATOMY"], tally.fn["ANATOMY"]) == (1, 0, 0)


def test_different_ordinals_still_differ() -> None:
    assert entity_key("fifth metacarpal") != entity_key("4th metacarpal")


# --- names: numbers and ordinals in the form of the other side -------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "said"),
    [
        ("T2DM|type 2 diabetes", "t two dm"),  # the recogniser form's item
        ("Adcal-D3", "adcal d 3"),
        ("type 2 diabetes", "type two diabetes"),
        ("fifth metacarpal fracture", "5th metacarpal fracture"),
        ("hydroxyzine", "hydrOXYzine"),  # Tall Man lettering
    ],
)
def test_a_name_written_with_digits_or_words_is_the_same_name(expected: str, said: str) -> None:
    assert mentions({"text": said, "name": said.lower()}, expected)


def test_a_problem_said_in_the_recogniser_form_is_not_an_omission() -> None:
    note = _note([], ["T2DM|type 2 diabetes"])
    assert _kinds(note, [], ("t two dm",)) == []
    assert _kinds(note, [], ("asthma",)) == ["false_all_clear", "omission"]


def test_a_different_number_is_not_the_same_name() -> None:
    assert not mentions({"text": "type one diabetes"}, "type 2 diabetes")


# --- doses: units the scorer knew on neither side ---------------------------------------------------------------


@pytest.mark.parametrize("dose", ["1 sachet", "1 drop", "1 spray", "1 patch", "2 pessaries", "1 suppository"])
def test_a_count_of_a_form_is_a_dose(dose: str) -> None:
    note = _note([{"name": "laxido", "dose": dose}])
    assert _kinds(note, [_row("laxido", dose)]) == []
    # and another count of it is still a wrong dose
    assert _kinds(note, [_row("laxido", "3 " + dose.split()[1])]) == ["false_all_clear", "wrong_dose"]


def test_a_plural_unit_is_its_singular() -> None:
    assert dose_mentions("2 sprays") == dose_mentions("2 spray") == {"2 spray"}
    assert dose_mentions("2 patches") == {"2 patch"}


@pytest.mark.parametrize(
    ("said", "written"),
    [("10 IU", "10 units"), ("ten international units", "10 units"), ("2 caps", "2 capsules")],
)
def test_a_unit_abbreviation_is_the_unit(said: str, written: str) -> None:
    assert dose_mentions(said) == dose_mentions(written) != set()


@pytest.mark.parametrize("shown", ["1 %", "1%", "1 percent"])
def test_a_per_cent_strength_is_the_dose_of_a_cream(shown: str) -> None:
    # a cream drafted "clotrimazole cream 1 % twice daily" states the expected "1%": no wrong dose (on main's
    # scorer "%" was no unit, so every per-cent expectation counted as a wrong dose or a weak flag)
    note = _note([{"name": "clotrimazole", "dose": "1%"}])
    assert _kinds(note, [_row("clotrimazole", shown)]) == []
    # another strength, or none, is still a wrong dose
    assert _kinds(note, [_row("clotrimazole", "2 %")]) == ["false_all_clear", "wrong_dose"]
    assert not dose_matches({"text": "clotrimazole cream twice daily"}, "1%")


# --- doses: one mass in mg, mcg, micrograms or g ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "shown"),
    [("1 g", "1000 mg"), ("500 micrograms", "0.5 mg"), ("10 mcg", "10 µg"), ("62.5 mcg", "62.5 micrograms")],
)
def test_one_mass_in_another_unit_is_the_same_dose(expected: str, shown: str) -> None:
    assert dose_matches({"dose": shown}, expected)


def test_a_different_mass_is_still_a_wrong_dose() -> None:
    assert not dose_matches({"dose": "100 mg"}, "1 g")
    assert not dose_matches({"dose": "50 mcg"}, "0.5 mg")


# --- doses: a half said in words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("one and a half tablets", "1.5 tablets"),
        ("two and a half tablets", "2.5 tablets"),
        ("half a tablet", "0.5 tablets"),
        ("a half tablet", "0.5 tablets"),
        ("1/2 tablet", "0.5 tablets"),  # was read as "2 tablet"
        ("½ tablet", "0.5 tablets"),
        ("1 1/2 tablets", "1.5 tablets"),
    ],
)
def test_a_half_in_words_is_the_same_dose(said: str, digits: str) -> None:
    assert dose_mentions(said) == dose_mentions(digits) != set()


# --- doses: an equivalent in brackets or after "=", as an expectation's "|" alternatives ----------------------------


def test_the_forms_of_a_dose_are_the_text_and_each_bracketed_or_equal_equivalent() -> None:
    assert dose_forms("125 mg (5 mL)") == [{"125 mg"}, {"5 ml"}]
    assert dose_forms("1.5 tablets (said “one and a half tablets”) = 120 mg") == [{"1.5 tablet"}, {"120 mg"}]
    # a per-cent strength is a form of its own, judged only against an expectation in per cent
    assert dose_forms("0.5 % (1 drop)") == [{"0.5 %"}, {"1 drop"}]
    assert dose_matches({"dose": "0.5 % (1 drop)"}, "1 drop")
    assert dose_forms("5 mg (0.5 tablet (said “half a tablet”))") == [{"5 mg"}, {"0.5 tablet"}]


def test_a_strength_in_brackets_beside_the_expected_volume_is_the_expected_dose() -> None:
    # Given a note whose author wrote the dose as a volume, and a draft row stating the mass with the volume in brackets
    note = _note([{"name": "amoxicillin", "dose": "5 ml"}])
    # Then the row states the expected dose: no wrong dose, flagged or not (no weak flag either)
    assert _kinds(note, [_row("amoxicillin", "125 mg (5 mL)")]) == []
    assert _kinds(note, [_row("amoxicillin", "125 mg (5 mL)", ["BLANK_CELL"])]) == ["false_all_clear"]
    # And the same with the equivalent after "="
    tablets = _note([{"name": "prednisolone", "dose": "1.5 tablets"}])
    assert _kinds(tablets, [_row("prednisolone", "1.5 tablets = 7.5 mg")]) == []


def test_an_equivalent_in_a_unit_the_expectation_gives_is_still_judged() -> None:
    # Given an expectation listing both forms, a row whose bracketed equivalent is not the expected one is wrong
    note = _note([{"name": "prednisolone", "dose": "1.5 tablets|7.5 mg"}])
    assert _kinds(note, [_row("prednisolone", "1.5 tablets (7.5 mg)")]) == []
    assert _kinds(note, [_row("prednisolone", "1.5 tablets (15 mg)")]) == ["false_all_clear", "wrong_dose"]
    # And a wrong count beside a strength in brackets is wrong
    volume = _note([{"name": "amoxicillin", "dose": "5 ml"}])
    assert _kinds(volume, [_row("amoxicillin", "125 mg (10 mL)")]) == ["false_all_clear", "wrong_dose"]
    # And a dose in another unit with no equivalent in the expected unit is still wrong (unchanged rule)
    assert _kinds(volume, [_row("amoxicillin", "125 mg")]) == ["false_all_clear", "wrong_dose"]


def test_a_taper_step_in_a_count_unit_must_be_on_the_row() -> None:
    # Given a taper whose steps are counts of sprays, and a row showing only the first step
    note = _note([{"name": "beconase", "doses": ["2 sprays", "1 spray"]}])
    # Then the missing step is a wrong dose, and with both steps shown there is none
    assert _kinds(note, [_row("beconase", "2 sprays")]) == ["false_all_clear", "wrong_dose"]
    assert _kinds(note, [_row("beconase", "2 sprays, then 1 spray")]) == []


# --- prescriptions (PROCEDURE.md section 27): what a row says beside its dose is not its dose -----------------------


@pytest.mark.parametrize(
    ("said", "mentions"),
    [
        ("half a 2.5 mg tablet", {"0.5 tablet", "1.25 mg"}),  # was read as 2.5 mg
        ("half of a 50 mg tablet", {"0.5 tablet", "25 mg"}),  # was read as 50 mg
        ("one and a half 100 mg tablets", {"1.5 tablet", "150 mg"}),
        ("two 500 mg tablets", {"2 tablet", "1000 mg"}),
        ("75 mg/m2", {"75 mg/m2"}),  # was read as 75 mg
        ("seventy five milligrams m two", {"75 mg/m2"}),
        ("75 mg per square metre", {"75 mg/m2"}),
    ],
)
def test_a_count_of_a_strength_is_the_dose_it_makes_and_a_dose_per_area_its_own_unit(
    said: str, mentions: set[str]
) -> None:
    assert dose_mentions(said) == mentions


def test_a_fraction_of_a_tablet_is_not_the_tablets_strength() -> None:
    # Given "bisoprolol half a 2.5 mg tablet, so 1.25 mg", the whole tablet forbidden as the dose read by mistake
    note = _note([{"name": "bisoprolol", "dose": "0.5 tablet|1.25 mg"}])
    note["expect"]["forbidden"] = [
        {"section": "Medications", "name": "bisoprolol", "dose": "2.5 mg", "why": "fraction"}
    ]
    # Then a row giving the fraction of the tablet is right, in either form, and the whole tablet is still wrong
    assert _kinds(note, [_row("bisoprolol", "1.25 mg (half a 2.5 mg tablet)")]) == []
    assert _kinds(note, [_row("bisoprolol", "half a 2.5 mg tablet")]) == []
    assert _kinds(note, [_row("bisoprolol", "2.5 mg")]) == ["false_all_clear", "wrong_fact"]


def test_a_dose_per_area_is_not_the_same_mass() -> None:
    note = _note([{"name": "azacitidine", "dose": "75 mg/m2|142 mg"}])
    assert _kinds(note, [_row("azacitidine", "75 mg/m2 (142 mg)")]) == []
    assert _kinds(note, [_row("azacitidine", "75 mg")]) == ["false_all_clear", "wrong_dose"]


def test_a_liquids_strength_beside_the_dose_is_not_a_dose() -> None:
    # Given "Oramorph 10 mg in 5 mL, 5 mg, that is 2.5 mL"
    note = _note([{"name": "oramorph", "dose": "5 mg|2.5 mL"}])
    # Then a row giving the strength and the dose is right, and a row giving only the strength has no dose
    assert _kinds(note, [_row("oramorph", "10 mg in 5 mL, 5 mg (2.5 mL)")]) == []
    assert _kinds(note, [_row("oramorph", "10 mg/5 mL: 2.5 mL")]) == []
    assert _kinds(note, [_row("oramorph", "10 mg in 5 mL")]) == ["false_all_clear", "wrong_dose"]
    assert _kinds(note, [_row("oramorph", "10 mg")]) == ["false_all_clear", "wrong_dose"]


@pytest.mark.parametrize(
    "shown",
    [
        "1 g four times a day, max 4 g in 24 hours",
        "1 g (maximum 4 g/24 h)",
        "one gram four times a day maximum four grams in twenty four hours",
        "1 g, no more than 4 g a day",
    ],
)
def test_a_maximum_dose_limit_is_not_the_rows_dose(shown: str) -> None:
    # Given "paracetamol 1 g four times a day, max 4 g in 24 hours": the limit read as the dose is forbidden
    note = _note([{"name": "paracetamol", "dose": "1 g"}])
    limit = {"section": "Medications", "name": "paracetamol", "dose": "4 g", "why": "limit"}
    note["expect"]["forbidden"] = [limit]
    # Then a row stating the dose and its limit is right
    assert _kinds(note, [_row("paracetamol", shown)]) == []


def test_a_limit_read_as_the_dose_is_a_wrong_fact_named_by_a_dose_flag() -> None:
    note = _note([{"name": "co-codamol", "dose": "2 tablets"}])
    limit = {"section": "Medications", "name": "co-codamol", "dose": "8 tablets", "why": "limit"}
    note["expect"]["forbidden"] = [limit]
    assert _kinds(note, [_row("co-codamol", "8 tablets")]) == ["false_all_clear", "wrong_fact"]
    assert _kinds(note, [_row("co-codamol", "8 tablets", ["DOSE_UNCERTAIN"])]) == ["false_all_clear"]
    assert _kinds(note, [_row("co-codamol", "8 tablets", ["PERTAINS_TO_FAMILY"])]) == [
        "false_all_clear",
        "weak_flag",
    ]
