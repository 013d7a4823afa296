"""Causes of silent errors and weak flags found on the readable parts (session 11, silent8), each fixed by its
structure: "the zopiclone has stopped working" is no stop (the drug is still taken); "Co-amoxiclav to be avoided"
is one; a drug the patient asks for or wants to try ("He asked to switch to Concerta instead") is no prescription;
and a drug said after a plan's drug and its reason ("consider melatonin for sleep sertraline 50 mg …", a recogniser
run-on) may be the plan's or a new line, so it is flagged, never silently the plan's. Both backends (offline
detector, AWS-shaped entities), both written forms."""

from __future__ import annotations

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]


def _where(d: dict, drug: str) -> dict[str, list[dict]]:
    return {
        title: [i for i in items(d, title) if drug in i["text"].lower()]
        for title in ("Medications", "Not taking", "Plan and conditional")
    }


@pytest.mark.parametrize("said", ["has stopped working", "stopped helping"])
def test_a_drug_that_stopped_working_is_still_taken(backend: str, form: str, said: str) -> None:
    # Given a prescription said again as no longer working
    text = f"Zopiclone 7.5 mg at night by mouth, and the zopiclone {said}."

    def build(n: AwsNote) -> None:
        n.med("Zopiclone", STRENGTH="7.5 mg", FREQUENCY="at night", ROUTE_OR_MODE="by mouth").med(
            "zopiclone", after=40
        )

    # When it is drafted
    where = _where(drafted(text, build, backend, form), "zopiclone")
    # Then it is the patient's prescription, not a stopped drug, and no contradiction is raised about it
    assert where["Medications"], where
    assert not where["Not taking"], where
    assert not any("CONTRADICTION" in i["flags"] for i in where["Medications"])


@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("Co-amoxiclav to be avoided.", "Co-amoxiclav"),
        # a plural class takes "are" (the auxiliaries' closed class, singular and plural)
        ("NSAIDs are to be avoided.", "NSAIDs"),
        ("All antibiotics are best avoided.", "antibiotics"),
        ("Opioids should now be avoided.", "Opioids"),
    ],
)
def test_a_drug_to_be_avoided_is_not_taken(backend: str, form: str, said: str, drug: str) -> None:
    # Given a drug said to be avoided, and another prescribed
    text = f"{said} Ramipril 5 mg once daily by mouth."

    def build(n: AwsNote) -> None:
        n.med(drug).med("Ramipril", STRENGTH="5 mg", FREQUENCY="once daily", ROUTE_OR_MODE="by mouth")

    d = drafted(text, build, backend, form)
    # Then it is under Not taking, never a row; the other drug goes on
    where = _where(d, drug.lower()[-6:])
    assert where["Not taking"], where
    assert not where["Medications"], where
    assert _where(d, "ramipril")["Medications"]


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        (
            "ADHD. Melatonin 3 mg at night by mouth. He asked to switch to Concerta instead; not now.",
            "concerta",
        ),
        (
            "Low mood. Sertraline 50 mg once daily by mouth. She wants to try St John's wort.",
            "st john's wort",
        ),
    ],
)
def test_a_drug_the_patient_asks_for_is_no_prescription(
    backend: str, form: str, text: str, drug: str
) -> None:
    # Given a drug the patient asks for or wants to try, beside a prescription
    first = text.split(". ")[1].split()[0]

    def build(n: AwsNote) -> None:
        n.med(first, STRENGTH=" ".join(text.split(". ")[1].split()[1:3]))
        n.med("Concerta" if drug == "concerta" else "St John's wort")

    d = drafted(text, build, backend, form)
    # Then the asked-for drug is no row stated as current (a plan, or a row that names why)
    where = _where(d, drug)
    assert where["Plan and conditional"] or where["Medications"], where
    assert all(i["flags"] and names_category(i, "conditional") for i in where["Medications"]), where


def test_a_dosed_drug_after_a_plans_reason_is_flagged_never_silently_the_plans(
    backend: str, form: str
) -> None:
    # Given a plan's drug and its reason, then another drug with its own dose (one run-on in recogniser form)
    text = "Consider melatonin for sleep. Sertraline 50 mg once daily by mouth."

    def build(n: AwsNote) -> None:
        n.med("melatonin").med(
            "Sertraline", STRENGTH="50 mg", FREQUENCY="once daily", ROUTE_OR_MODE="by mouth"
        )

    where = _where(drafted(text, build, backend, form), "sertraline")
    # Then the second drug is a prescription, or, where the words cannot say, flagged where it is listed
    assert where["Medications"] or where["Plan and conditional"], where
    assert all(i["flags"] for i in where["Plan and conditional"]), where


def test_a_passive_finished_has_no_object_after_it(backend: str, form: str) -> None:
    # Given "finished" said of another drug, passive, right before a new prescription (one run-on when recognised)
    text = "Pregabalin 150 mg twice daily stays for now. Come off it after the oxycodone is finished. Paracetamol 1 g four times a day by mouth."

    def build(n: AwsNote) -> None:
        n.med("Pregabalin", STRENGTH="150 mg", FREQUENCY="twice daily").med("oxycodone")
        n.med("Paracetamol", STRENGTH="1 g", FREQUENCY="four times a day", ROUTE_OR_MODE="by mouth")

    # Then the drug said after it is a prescription, not a stopped drug
    where = _where(drafted(text, build, backend, form), "paracetamol")
    assert where["Medications"], where
    assert not where["Not taking"], where


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Metformin 1 g twice daily: omit it on the morning of surgery.", "metformin"),
        (
            "Clopidogrel 75 mg once daily for a stent, withhold for seven days before the operation.",
            "clopidogrel",
        ),
        ("Start sildenafil 50 mg before sex, and never with nitrates.", "nitrates"),
        ("He had a course of azithromycin for chlamydia in June.", "azithromycin"),
    ],
    ids=["omit it", "withhold for", "never with", "had a course of"],
)
def test_a_drug_omitted_withheld_contraindicated_or_had_is_not_a_current_row(
    backend: str, form: str, text: str, drug: str
) -> None:
    # Given a drug said to be omitted, withheld, never given with another, or a course had, beside a prescription
    text = f"{text} Continue atorvastatin 40 mg at night by mouth."

    def build(n: AwsNote) -> None:
        n.med(drug.capitalize() if text.startswith(drug.capitalize()) else drug)
        n.med("atorvastatin", STRENGTH="40 mg", FREQUENCY="at night", ROUTE_OR_MODE="by mouth")

    d = drafted(text, build, backend, form)
    # Then it is no row stated as current: under Not taking, or a row that names the hold or stop
    where = _where(d, drug)
    assert where["Not taking"] or where["Medications"], where
    assert all(i["flags"] and names_category(i, "stopped") for i in where["Medications"]), where
    assert _where(d, "atorvastatin")["Medications"]


def test_either_of_two_named_drugs_is_a_guess_for_each(backend: str, form: str) -> None:
    # Given two drug names offered as alternatives ("either … or …")
    text = "He also takes a blood thinner, either apixaban or edoxaban, to be checked with his GP."

    def build(n: AwsNote) -> None:
        n.med("apixaban").med("edoxaban")

    d = drafted(text, build, backend, form)
    # Then neither is stated as the drug taken: each row names that the name is unclear
    rows = [i for i in items(d, "Medications") if {"apixaban", "edoxaban"} & set(i["text"].lower().split())]
    assert rows
    assert all("NAME_UNCLEAR" in i["flags"] for i in rows), rows
