"""Cases of the draft's silent-error guards (issue 15, session 7): restarts, holds with an end, stops said with a
circumstance, reported speech, advice before a condition and a condition after another drug — each drafted on
both backends (AWS-shaped responses carry no traits) and in both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, item, items, texts

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _named(d: dict[str, Any], title: str, name: str) -> list[dict[str, Any]]:
    return [i for i in items(d, title) if name in str(i.get("name") or "")]


@both
@forms
def test_a_drug_held_and_restarted_in_one_clause_is_a_current_row(backend: str, form: str) -> None:
    # Given a drug held on the ward and restarted today, in one clause
    text = (
        "furosemide was held on the ward and restarted at 20 mg by mouth once daily today. Review in a week."
    )

    def build(n: AwsNote) -> None:
        n.med("furosemide", STRENGTH="20 mg", ROUTE_OR_MODE="by mouth", FREQUENCY="once daily")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then it is prescribed at the restarted dose, said to be restarted, not "Not taking"
    row = item(d, "Medications", "furosemide")
    assert "20 mg" in row["text"]
    assert "restarted" in row["text"]
    assert _named(d, "Not taking", "furosemide") == []


@both
@forms
def test_a_restart_said_for_later_is_not_a_restart(backend: str, form: str) -> None:
    # Given a drug held now and to be restarted by someone else later
    text = "aspirin is held for two weeks, to be restarted at the clinic's decision. Review in a week."
    # When it is drafted
    d = drafted(text, lambda n: n.med("aspirin"), backend, form)
    # Then it is not taken now
    assert [r for r in _named(d, "Medications", "aspirin") if not r["flags"]] == []
    assert _named(d, "Not taking", "aspirin")


@both
@forms
@pytest.mark.parametrize(
    "later",
    [
        "When the level is below 1.0, lithium restarts at 400 mg at night.",
        "Once the bleeding has settled, aspirin restarts at 75 mg once daily.",
    ],
)
def test_a_restart_said_under_a_time_or_condition_clause_is_for_later(
    backend: str, form: str, later: str
) -> None:
    # Given a drug stopped now, and its restart said under "when / once / after …" (either written form)
    drug = "lithium" if "lithium" in later else "aspirin"
    text = f"Her {drug} is stopped for now. {later} Review in a week."
    # When it is drafted
    d = drafted(text, lambda n: n.med(drug), backend, form)
    # Then it is on no unflagged current row, and no row says it is restarted
    assert [r for r in _named(d, "Medications", drug) if not r["flags"]] == []
    assert all("restarted" not in r["text"] for r in _named(d, "Medications", drug))


@both
@forms
@pytest.mark.parametrize(
    "said",
    [
        "Do not take ibuprofen while on apixaban.",  # a "do not take" with a circumstance: not now either
        "Came off ibuprofen while she was vomiting.",  # a stop that happened: not a conditional hold
        "She must not take ibuprofen.",
    ],
)
def test_a_stop_with_a_circumstance_is_not_a_prescription(backend: str, form: str, said: str) -> None:
    # Given a drug stopped or forbidden, with a circumstance said after it
    text = f"Review today. {said} paracetamol 1 g by mouth four times daily as needed."

    def build(n: AwsNote) -> None:
        n.med("ibuprofen")
        n.med("paracetamol", STRENGTH="1 g", ROUTE_OR_MODE="by mouth", FREQUENCY="four times daily")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then it is under "Not taking", never a prescription row
    assert _named(d, "Medications", "ibuprofen") == []
    assert _named(d, "Not taking", "ibuprofen")


@forms
def test_a_relation_spoken_of_by_another_relation_is_flagged_not_silently_someone_elses(form: str) -> None:
    # Given a carer's report of "her mother" (who may be the patient) and a condition with no sentence end after it
    text = (
        "Telephone call with her daughter, who cares for her. The daughter says her mother is more confused "
        "since Sunday. Known hypothyroidism on levothyroxine 100 micrograms by mouth once daily."
    )
    # When it is drafted (the pipeline's own path)
    d = drafted(text, lambda n: None, "offline", form)
    # Then the confusion is nowhere stated as fact: it is flagged wherever it is drafted
    found = [i for s in d["sections"] for i in s["items"] if "confus" in str(i.get("name") or "")]
    assert found
    assert all(i["flags"] for i in found)
    # And the reflexive "the daughter herself" keeps the daughter's drug hers
    d2 = drafted(
        "The daughter herself has hyperthyroidism and takes carbimazole.", lambda n: None, "offline", form
    )
    assert _named(d2, "Medications", "carbimazole") == []
    assert "daughter" in texts(d2, "Family history")


@both
def test_advice_before_in_case_of_makes_the_next_instruction_unclear(backend: str) -> None:
    # Given a recogniser's run: advice, "in case of", then an instruction to continue a drug
    text = (
        "asthma review no wheeze today watch for a barking cough in case of croup continue beclometasone "
        "100 micrograms by mouth twice daily"
    )

    def build(n: AwsNote) -> None:
        n.condition("wheeze")
        n.condition("croup")
        n.med("beclometasone", STRENGTH="100 micrograms", ROUTE_OR_MODE="by mouth", FREQUENCY="twice daily")

    # When it is drafted
    d = drafted(text, build, backend, "recogniser")
    # Then the drug is drafted with a flag naming the condition's unclear reach, wherever it is
    found = [i for s in d["sections"] for i in s["items"] if "beclometasone" in i["text"].lower()]
    assert found
    assert all("CONDITION_SCOPE_UNCLEAR" in i["flags"] for i in found)


@both
def test_a_condition_after_another_drugs_dose_is_not_the_first_drugs(backend: str) -> None:
    # Given a recogniser's run: a restart, another drug with its own dose, then "if … increase to …"
    text = (
        "she ran out of her gliclazide three weeks ago restart gliclazide 80 mg by mouth twice daily lantus "
        "18 units at night if fasting sugars stay above 8 increase to 20 units"
    )

    def build(n: AwsNote) -> None:
        n.med("gliclazide")
        n.med(
            "gliclazide",
            after=text.index("restart"),
            STRENGTH="80 mg",
            ROUTE_OR_MODE="by mouth",
            FREQUENCY="twice daily",
        )
        n.med("lantus", STRENGTH="18 units", FREQUENCY="at night")

    # When it is drafted
    d = drafted(text, build, backend, "recogniser")
    # Then the restarted drug is a current row at its dose; the conditional 20 units is no row's unflagged dose
    assert "80 mg" in item(d, "Medications", "gliclazide")["text"]
    assert [r for r in _named(d, "Medications", "lantus") if "20 units" in r["text"] and not r["flags"]] == []


@both
def test_a_start_whose_condition_has_its_own_consequence_is_flagged(backend: str) -> None:
    # Given a recogniser's run: a start, "should …", and the condition's own consequence after it
    text = (
        "start sertraline 50 mg by mouth once daily should her mood worsen the crisis team is to be contacted"
    )

    def build(n: AwsNote) -> None:
        n.med("sertraline", STRENGTH="50 mg", ROUTE_OR_MODE="by mouth", FREQUENCY="once daily")

    # When it is drafted
    d = drafted(text, build, backend, "recogniser")
    # Then the start is nowhere stated as fact
    found = [i for s in d["sections"] for i in s["items"] if "sertraline" in i["text"].lower()]
    assert found
    assert all(i["flags"] for i in found)


@forms
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Metformin 500 mg twice daily for polycystic ovaries.", "polycystic ovaries"),
        ("Prednisolone during treatment for sarcoid.", "sarcoid"),
    ],
)
def test_an_indication_the_draft_does_not_hold_is_flagged(form: str, text: str, quoted: str) -> None:
    # Given a drug said with what it treats, a condition the detector does not know ("polymyalgia" was one
    # until the detector learnt it, session 7 second round)
    d = drafted(text, lambda n: None, "offline", form)
    # Then the condition is named by a flag
    assert any(quoted in i["text"] for i in items(d, "Needs review")), items(d, "Needs review")


@forms
@pytest.mark.parametrize("said", ["for a further 5 days", "for sleep", "for up to a week", "for now"])
def test_a_duration_or_purpose_after_a_dose_is_no_indication(form: str, said: str) -> None:
    # Given "for" after a dose that introduces no condition
    d = drafted(f"Zopiclone 3.75 mg at night {said}.", lambda n: None, "offline", form)
    # Then no flag says a condition was missed
    assert [i for i in items(d, "Needs review") if "POSSIBLE_CONDITION_NOT_CAPTURED" in i["flags"]] == []


@forms
def test_another_persons_allergy_is_family_history_not_the_patients(form: str) -> None:
    # Given a relative's allergy said as a clause of their own, beside the patient's
    text = "Cow's milk allergy, with vomiting and hives. Her older brother has a peanut allergy."
    # When it is drafted
    d = drafted(text, lambda n: None, "offline", form)
    # Then the brother's allergy is his, and the patient's stays hers
    assert "peanut" not in texts(d, "Allergies")
    assert "brother: peanut" in texts(d, "Family history")
    assert "milk" in texts(d, "Allergies")


@both
@forms
def test_the_subject_of_a_condition_does_not_end_its_reach(backend: str, form: str) -> None:
    # Given a condition whose verb no list holds, its subject right after "if"
    text = "No head injury. If she spikes a temperature, send blood cultures."

    def build(n: AwsNote) -> None:
        n.condition("head injury")
        n.condition("temperature")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then the temperature is not a current problem stated as fact
    assert [i for i in items(d, "Problems") if "temperature" in i["text"].lower() and not i["flags"]] == []
    assert "temperature" in texts(d, "Plan and conditional")
