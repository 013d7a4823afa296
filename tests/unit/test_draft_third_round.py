"""Cases of the draft fixes of session 7's third round (issue 15): a drug that treated a reaction is not its
allergen, and the standard prescribing abbreviations (bd, tds, qds, nocte, …) are read, not flagged — each
drafted on both backends and in both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items, names

from medscribe.logic.document.schedule import normalise_frequency

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _flag_kinds(d: dict[str, Any]) -> list[str]:
    return [k for i in items(d, "Needs review") for k in i["flags"]]


@both
@forms
@pytest.mark.parametrize(
    "said",
    [
        "Reaction to penicillin, treated as anaphylaxis with adrenaline.",
        "Reaction to penicillin last year. Treated as anaphylaxis with adrenaline.",
    ],
)
def test_the_drug_a_reaction_was_treated_with_is_not_an_allergen(backend: str, form: str, said: str) -> None:
    # Given an allergy whose reaction was treated with a drug
    text = f"{said} Continue amlodipine 5 mg once daily."

    def build(n: AwsNote) -> None:
        n.med("penicillin")
        n.condition("anaphylaxis")
        n.med("adrenaline")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    # When it is drafted
    d = drafted(text, build, backend, form)
    allergens = " ".join(names(d, "Allergies")).lower()
    # Then the allergen is penicillin, never the adrenaline that treated the reaction
    assert "penicillin" in allergens
    assert "adrenaline" not in allergens


@both
@forms
def test_a_drug_said_after_anaphylaxis_with_no_treatment_word_is_still_the_allergen(
    backend: str, form: str
) -> None:
    # Given "anaphylaxis with penicillin" (the allergen, no treatment said)
    text = "Anaphylaxis with penicillin in 2010. Continue amlodipine 5 mg once daily."

    def build(n: AwsNote) -> None:
        n.condition("Anaphylaxis")
        n.med("penicillin")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then penicillin is the allergy
    assert "penicillin" in " ".join(names(d, "Allergies")).lower()


@pytest.mark.parametrize(
    ("said", "meaning"),
    [
        ("od", "once daily"),
        ("bd", "twice daily"),
        ("tds", "three times daily"),
        ("qds", "four times daily"),
        ("nocte", "at night"),
        ("mane", "every morning"),
        ("om", "every morning"),
        ("on", "at night"),
        ("prn", "as needed"),
        ("stat", "immediately (once)"),
        ("bd prn", "twice daily as needed"),
        ("b.d.", "twice daily"),
    ],
)
def test_prescribing_abbreviations_are_read_as_their_meaning(said: str, meaning: str) -> None:
    assert normalise_frequency(said).value == meaning


@both
@forms
@pytest.mark.parametrize(
    ("said", "shown"), [("bd", "twice daily"), ("tds", "three times daily"), ("nocte", "at night")]
)
def test_a_drug_given_bd_prints_its_meaning_and_is_not_flagged_not_understood(
    backend: str, form: str, said: str, shown: str
) -> None:
    # Given a drug whose frequency is a standard prescribing abbreviation
    text = f"Ethosuximide 250 mg {said}."

    def build(n: AwsNote) -> None:
        n.med("Ethosuximide", STRENGTH="250 mg", FREQUENCY=said)

    d = drafted(text, build, backend, form)
    # Then the row prints what it means, and nothing says it was not understood
    (row,) = [i for i in items(d, "Medications") if "ethosuximide" in i["text"].lower()]
    assert shown in row["text"]
    assert "NOT_NORMALISED" not in row["flags"]
    assert "NOT_NORMALISED" not in _flag_kinds(d)


def _rows(d: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [i for i in items(d, "Medications") if name in i["text"].lower()]


@both
@forms
@pytest.mark.parametrize("clinician", ["the GP", "the consultant", "her cardiologist", "the team"])
def test_a_clinician_who_stopped_a_drug_is_no_relation_of_the_patient(
    backend: str, form: str, clinician: str
) -> None:
    # Given a relation reporting that a clinician stopped the patient's drug
    text = f"Mum says {clinician} stopped the Epilim she was on before. Continue ethosuximide 250 mg twice daily."

    def build(n: AwsNote) -> None:
        n.med("Epilim")
        n.med("ethosuximide", STRENGTH="250 mg", FREQUENCY="twice daily")

    d = drafted(text, build, backend, form)
    # Then the drug is the patient's, stopped: never a relation's, never a current prescription
    assert not [i for i in items(d, "Family history") if "epilim" in i["text"].lower()]
    assert not _rows(d, "epilim")
    assert [i for i in items(d, "Not taking") if "epilim" in i["text"].lower()]


@both
@forms
@pytest.mark.parametrize(
    "whose",
    ["The quetiapine belongs to the flatmate and is not for her.", "The quetiapine is her flatmate's."],
)
def test_a_drug_said_to_belong_to_another_person_is_theirs(backend: str, form: str, whose: str) -> None:
    # Given a drug said, after its name, to belong to another person
    text = f"Increase fluoxetine to 40 mg once daily. {whose}"

    def build(n: AwsNote) -> None:
        n.med("fluoxetine", STRENGTH="40 mg", FREQUENCY="once daily")
        n.med("quetiapine")

    d = drafted(text, build, backend, form)
    # Then it is the other person's, never on the prescription
    assert not _rows(d, "quetiapine")
    assert [i for i in items(d, "Other people") if "flatmate: quetiapine" in i["text"].lower()]


@both
@forms
def test_a_drug_taken_in_an_overdose_of_another_persons_supply_is_theirs(backend: str, form: str) -> None:
    # Given "an overdose of her flatmate's quetiapine" (a possessive after a preposition)
    text = "Admitted after an overdose of her flatmate's quetiapine. Increase fluoxetine to 40 mg once daily."

    def build(n: AwsNote) -> None:
        n.med("quetiapine")
        n.med("fluoxetine", STRENGTH="40 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then the quetiapine is the flatmate's
    assert not _rows(d, "quetiapine")
    assert [i for i in items(d, "Other people") if "flatmate: quetiapine" in i["text"].lower()]


@both
@forms
def test_each_of_two_drugs_offered_as_alternatives_is_flagged_as_a_guess(backend: str, form: str) -> None:
    # Given a relation unsure which of two drugs the patient takes
    text = (
        "Paracetamol 1 g four times daily continues. "
        "He thinks she's on tramadol for the knees, or it might be the trazodone for sleep."
    )

    def build(n: AwsNote) -> None:
        n.med("tramadol")
        n.med("trazodone")
        n.med("Paracetamol", STRENGTH="1 g", FREQUENCY="four times daily")

    d = drafted(text, build, backend, form)
    # Then both rows say the name is unclear (not only the one after "might be")
    for name in ("tramadol", "trazodone"):
        (row,) = _rows(d, name)
        assert "NAME_UNCLEAR" in row["flags"], row
    (paracetamol,) = _rows(d, "paracetamol")
    assert "NAME_UNCLEAR" not in paracetamol["flags"]


@pytest.mark.parametrize(
    ("said", "meaning"),
    [("each morning", "every morning"), ("each night", "at night"), ("a day", "once daily")],
)
def test_everyday_schedule_words_are_read(said: str, meaning: str) -> None:
    assert normalise_frequency(said).value == meaning


@both
@forms
def test_a_dose_after_another_drugs_taper_words_is_not_silently_the_next_drugs(
    backend: str, form: str
) -> None:
    # Given a taper whose last step runs into the next drug's name (as a recogniser writes it, no full stop)
    text = (
        "Prednisolone 15 mg a day for four weeks then 12.5 mg for four weeks then 10 mg a day after that "
        "gliclazide 40 mg each morning"
    )

    def build(n: AwsNote) -> None:
        n.med("Prednisolone", STRENGTH="15 mg")
        n.med("gliclazide", STRENGTH="40 mg", FREQUENCY="each morning")
        # the detector's link: the taper's last step given to gliclazide
        gliclazide = n.entities[-1]
        gliclazide["Attributes"].append(n._attr("STRENGTH", "10 mg", 0, "MEDICATION", "STRENGTH"))

    d = drafted(text, build, backend, form)
    # Then gliclazide's row shows its own 40 mg, not the taper's 10 mg, and says why what was linked is unused
    (row,) = _rows(d, "gliclazide")
    assert "40 mg" in row["text"]
    assert "10 mg" not in row["text"]
    assert any("a step of the drug named before it" in r for r in row.get("reasons") or []), row


@both
@forms
@pytest.mark.parametrize("relation", ["Her mother", "His brother", "Her husband"])
def test_a_relation_diagnosed_with_a_condition_keeps_it(backend: str, form: str, relation: str) -> None:
    # Given the clinician's account said of a relation ("was diagnosed with"), not of the patient
    text = f"{relation} was diagnosed with lupus. Follow up in 3 months."

    def build(n: AwsNote) -> None:
        n.condition("lupus", traits={"DIAGNOSIS": 0.9})

    d = drafted(text, build, backend, form)
    # Then the lupus is the relation's, never the patient's problem (a husband's under Other people: no blood relative)
    assert not [i for i in items(d, "Problems") if "lupus" in i["text"].lower()]
    where = "Other people" if relation == "Her husband" else "Family history"
    assert [i for i in items(d, where) if "lupus" in i["text"].lower()]


@both
@forms
def test_a_treatment_verb_of_the_sentence_before_does_not_unmake_an_allergy(backend: str, form: str) -> None:
    # Given a treatment said in the sentence before "anaphylaxis with penicillin" (one run-on in recogniser text)
    text = "She received two doses of amoxicillin in hospital. Anaphylaxis with penicillin in 2010."

    def build(n: AwsNote) -> None:
        n.med("amoxicillin")
        n.condition("Anaphylaxis")
        n.med("penicillin")

    d = drafted(text, build, backend, form)
    # Then penicillin is still the allergy
    assert "penicillin" in " ".join(names(d, "Allergies")).lower()


@both
@forms
def test_a_bare_finding_after_a_list_whose_items_each_had_their_own_no_is_not_silently_denied(
    backend: str, form: str
) -> None:
    # Given "no A, no B, C": each denied item said with its own cue, then a bare finding after a comma
    text = "No loss of consciousness, no head injury, shortening and external rotation of the right leg."

    def build(n: AwsNote) -> None:
        n.condition("loss of consciousness", traits={"NEGATION": 0.9})
        n.condition("head injury", traits={"NEGATION": 0.9})
        n.condition("shortening", traits={"SIGN": 0.8})

    d = drafted(text, build, backend, form)
    # Then the shortening is never a silent denial: a problem, or flagged as undecided
    denied = [i for i in items(d, "Denied") if "shortening" in i["text"].lower()]
    assert all(i["flags"] for i in denied), denied
    assert denied or [i for i in items(d, "Problems") if "shortening" in i["text"].lower()]
    assert "head injury" in " ".join(i["text"].lower() for i in items(d, "Denied"))
