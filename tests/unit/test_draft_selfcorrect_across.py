"""A correction said across a sentence or clause break (``selfcorrect_across``; PROCEDURE.md section 23): the
corrected value is drafted, the taken-back value is never a silent fact, and where the words do not say what is
replaced (two drugs before the cue, a replacement of another type) every candidate is flagged, never guessed. On
both backends (the offline detector, and AWS-shaped DetectEntitiesV2 responses, where a value said after a full stop
is an unmapped attribute) and both written forms (the recogniser form has no full stop at all)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import EXAMPLES, backends, drafted, forms, items
from hypothesis import given
from hypothesis import strategies as st

DRUGS = ("ramipril", "amlodipine", "sertraline", "atorvastatin", "furosemide")
DOSES = (2.5, 5, 10, 20, 40, 80)
# cues that open the next sentence (the first word capitalised there)
OPENERS = ("Sorry", "No wait", "Make that", "I meant", "Correction:", "Sorry, I mean", "Actually, make that")
BOTH = [(b, f) for b in ("offline", "aws") for f in ("punctuated", "recogniser")]


def _rows(d: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [i for i in items(d, "Medications") if drug in i["text"].lower()]


def _said(d: dict[str, Any], row: dict[str, Any]) -> str:
    return " ".join(row.get("reasons", [])) + " " + " ".join(i["text"] for i in items(d, "Needs review"))


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    doses=st.lists(st.sampled_from(DOSES), min_size=2, max_size=2, unique=True),
    cue=st.sampled_from(OPENERS),
    backend=backends,
    form=forms,
)
def test_a_dose_taken_back_in_the_next_sentence_is_the_corrected_one(
    drug: str, doses: list[float], cue: str, backend: str, form: str
) -> None:
    # Given a drug's row, a full stop, then a cue and a dose alone ("Ramipril 5 mg once daily. Sorry, 2.5 mg.")
    a, b = (f"{n:g} mg" for n in doses)
    text = f"Reviewed today. {drug.capitalize()} {a} once daily. {cue} {b} once daily."

    def build(n: AwsNote) -> None:  # AWS relates nothing across the full stop: the later dose is unmapped
        n.med(drug.capitalize(), STRENGTH=a, FREQUENCY="once daily")
        n.unmapped("STRENGTH", b, after=n.entities[-1]["Attributes"][-1]["EndOffset"])
        n.unmapped("FREQUENCY", "once daily", after=n.unmapped_attributes[-1]["Attribute"]["EndOffset"])

    d = drafted(text, build, backend, form)
    # Then the drug's one row shows the later dose, flagged quoting both; the earlier dose is on no row, and the
    # schedule said again after the later dose is that row's, not an orphan row
    rows = _rows(d, drug)
    assert len(rows) == 1, (text, items(d, "Medications"))
    assert rows[0]["dose"] == b, (text, rows)
    assert "SELF_CORRECTION" in rows[0]["flags"], (text, rows)
    assert f"{a} → {b}" in _said(d, rows[0]), (text, rows)
    assert not [i for i in items(d, "Medications") if "not identified" in i["text"]], (text, d)


@pytest.mark.parametrize(("backend", "form"), BOTH)
def test_two_drugs_before_a_cue_are_both_flagged_and_neither_dose_guessed(backend: str, form: str) -> None:
    # Given two dosed drugs in one sentence, then a cue and a dose: which drug it corrects is not said
    text = "Start lisinopril 10 mg once daily and simvastatin 40 mg at night. Sorry, 20 mg."

    def build(n: AwsNote) -> None:
        n.med("lisinopril", STRENGTH="10 mg", FREQUENCY="once daily")
        n.med("simvastatin", STRENGTH="40 mg", FREQUENCY="at night")
        n.unmapped("STRENGTH", "20 mg", after=n.entities[-1]["Attributes"][-1]["EndOffset"])

    d = drafted(text, build, backend, form)
    # Then both rows are flagged "correction unclear" naming both drugs, and no row shows the later dose
    for drug in ("lisinopril", "simvastatin"):
        rows = _rows(d, drug)
        assert rows, (backend, form, items(d, "Medications"))
        assert all("CORRECTION_SCOPE_UNCLEAR" in r["flags"] for r in rows), (backend, form, rows)
        assert all(r["dose"] != "20 mg" for r in rows), (backend, form, rows)
        assert "lisinopril / simvastatin" in _said(d, rows[0]), (backend, form, rows)


@pytest.mark.parametrize(("backend", "form"), BOTH)
@pytest.mark.parametrize(
    "text",
    [
        "Reflux. Ranitidine 150 mg twice daily. Not ranitidine, famotidine 20 mg twice daily.",
        "Reflux. Start ranitidine 150 mg twice daily. Scratch that, start famotidine 20 mg twice daily.",
        "Reflux. Ranitidine 150 mg twice daily; I meant famotidine 20 mg twice daily.",
        "Reflux. Ranitidine 150 mg twice daily. No wait, famotidine 20 mg twice daily.",
    ],
)
def test_a_drug_name_taken_back_across_a_break_is_no_prescription(backend: str, form: str, text: str) -> None:
    def build(n: AwsNote) -> None:
        n.condition("Reflux")
        first = "ranitidine" if "Start ranitidine" in text else "Ranitidine"
        n.med(first, STRENGTH="150 mg", FREQUENCY="twice daily")
        if "Not ranitidine" in text:  # AWS reads the name said again after "not" as a negated mention
            n.med("ranitidine", traits={"NEGATION": 0.9}, after=n.entities[-1]["EndOffset"])
        n.med("famotidine", STRENGTH="20 mg", FREQUENCY="twice daily")

    d = drafted(text, build, backend, form)
    # Then ranitidine is on no Medications row and famotidine's row is current (not under Not taking), flagged
    assert _rows(d, "ranitidine") == [], (backend, form, items(d, "Medications"))
    kept = _rows(d, "famotidine")
    assert len(kept) == 1, (backend, form, d)
    assert "SELF_CORRECTION" in kept[0]["flags"], (backend, form, kept)
    assert "ranitidine → famotidine" in _said(d, kept[0]).lower(), (backend, form, kept)


@pytest.mark.parametrize(("backend", "form"), BOTH)
@pytest.mark.parametrize("cue", ["Actually, scratch that, hold off for now.", "Strike that, we will wait."])
def test_a_drug_taken_back_with_nothing_in_its_place_is_not_drafted(
    backend: str, form: str, cue: str
) -> None:
    text = f"Migraine twice a week. Start sumatriptan 50 mg as needed. {cue}"

    def build(n: AwsNote) -> None:
        n.condition("Migraine")
        n.med("sumatriptan", STRENGTH="50 mg", FREQUENCY="as needed")

    d = drafted(text, build, backend, form)
    # Then sumatriptan is on no Medications row and a Needs review line names it (one reading, not also "unclear")
    assert _rows(d, "sumatriptan") == [], (backend, form, items(d, "Medications"))
    review = " ".join(i["text"] for i in items(d, "Needs review")).lower()
    assert "sumatriptan: taken back while dictating" in review, (backend, form, review)
    assert "correction unclear" not in review, (backend, form, review)


@pytest.mark.parametrize(("backend", "form"), BOTH)
def test_a_replacement_of_another_type_flags_the_first_item(backend: str, form: str) -> None:
    # Given a condition, a cue, then a drug: whether the condition is taken back is not said
    text = "Diagnosis of sciatica. Sorry, I mean pregabalin 75 mg twice daily."

    def build(n: AwsNote) -> None:
        n.condition("sciatica")
        n.med("pregabalin", STRENGTH="75 mg", FREQUENCY="twice daily")

    d = drafted(text, build, backend, form)
    problems = [i for i in items(d, "Problems") if "sciatica" in i["text"].lower()]
    assert problems, (backend, form, d)
    assert all("CORRECTION_SCOPE_UNCLEAR" in i["flags"] for i in problems), (backend, form, problems)
    assert _rows(d, "pregabalin"), (backend, form, d)


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        ("Swollen right ankle. Sorry, left ankle. Ibuprofen 200 mg three times daily.", "right", "left"),
        ("Sciatica down the left leg. No wait, the right leg. Naproxen 250 mg twice daily.", "left", "right"),
    ],
)
def test_a_side_taken_back_in_the_next_sentence_is_the_later_side(
    form: str, text: str, old: str, new: str
) -> None:
    d = drafted(text, lambda n: None, "offline", form)
    problems = items(d, "Problems")
    assert problems, (form, d)
    assert all("SELF_CORRECTION" in i["flags"] for i in problems), (form, problems)
    assert f"side {old} → {new}" in _said(d, problems[0]), (form, problems)


@pytest.mark.parametrize(("backend", "form"), BOTH)
@pytest.mark.parametrize(
    "text",
    [
        "Paracetamol 1 g four times daily. No ibuprofen.",
        "Hypertension. Amlodipine 5 mg once daily. No ankle swelling. Wait and see.",
    ],
)
def test_a_negation_opening_the_next_sentence_corrects_nothing(backend: str, form: str, text: str) -> None:
    def build(n: AwsNote) -> None:
        if text.startswith("Paracetamol"):
            n.med("Paracetamol", STRENGTH="1 g", FREQUENCY="four times daily")
            n.med("ibuprofen", traits={"NEGATION": 0.9})
        else:
            n.condition("Hypertension")
            n.med("Amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")
            n.condition("ankle swelling", traits={"NEGATION": 0.9})

    d = drafted(text, build, backend, form)
    # Then no item is flagged as corrected, and the first drug's row keeps its dose
    said = " ".join(" ".join(i.get("flags", [])) for s in d["sections"] for i in s["items"])
    assert "SELF_CORRECTION" not in said, (backend, form, d)
    assert "CORRECTION_SCOPE_UNCLEAR" not in said, (backend, form, d)
    first = "paracetamol" if "Paracetamol" in text else "amlodipine"
    rows = _rows(d, first)
    assert rows, (backend, form, d)
    assert rows[0]["dose"] in ("1 g", "1000 mg", "5 mg"), (backend, form, rows)


@pytest.mark.parametrize(("backend", "form"), BOTH)
@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        (
            "History of hypothyroidism. Sorry, hyperthyroidism. Carbimazole 20 mg once daily.",
            "hypothyroidism",
            "hyperthyroidism",
        ),
        ("History of asthma. No wait, COPD. Tiotropium 18 micrograms once daily.", "asthma", "COPD"),
        ("Her mother had asthma, sorry, COPD. Salbutamol as needed.", "asthma", "COPD"),
    ],
)
def test_a_condition_taken_back_is_listed_in_no_section(
    backend: str, form: str, text: str, old: str, new: str
) -> None:
    # Given a condition taken back for another, under "History of" (past history) or a relative's (family history)
    def build(n: AwsNote) -> None:
        n.condition(old, traits={"PAST_HISTORY": 0.9})
        n.condition(new, traits={"PAST_HISTORY": 0.9})
        n.med(text.split(". ")[-1].split()[0])

    d = drafted(text, build, backend, form)
    # Then the name taken back is in no section but Needs review, and the line there names both
    listed = [i["text"].lower() for s in d["sections"] if s["title"] != "Needs review" for i in s["items"]]
    assert not [t for t in listed if old in t.replace(new.lower(), "")], (backend, form, listed)
    review = " ".join(i["text"] for i in items(d, "Needs review")).lower()
    assert f"“{old}” is" in review, (backend, form, review)


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_a_span_of_time_taken_back_flags_its_condition(form: str) -> None:
    d = drafted(
        "Knee pain for a week. I mean two weeks. Ibuprofen 400 mg three times daily.",
        lambda n: None,
        "offline",
        form,
    )
    pain = [i for i in items(d, "Problems") if "knee pain" in i["text"].lower()]
    assert pain, (form, d)
    assert "SELF_CORRECTION" in pain[0]["flags"], (form, pain)
    assert "→ two weeks" in _said(d, pain[0]), (form, pain)


@pytest.mark.parametrize(("backend", "form"), BOTH)
def test_not_a_drug_said_for_the_first_time_is_a_negation(backend: str, form: str) -> None:
    # Given "not X, Y" where X was never said before: no correction, X is not taken, Y is
    text = "Atrial fibrillation. Not warfarin, apixaban 5 mg twice daily."

    def build(n: AwsNote) -> None:
        n.condition("Atrial fibrillation")
        n.med("warfarin", traits={"NEGATION": 0.9})
        n.med("apixaban", STRENGTH="5 mg", FREQUENCY="twice daily")

    d = drafted(text, build, backend, form)
    review = " ".join(i["text"] for i in items(d, "Needs review"))
    assert "warfarin → apixaban" not in review.lower(), (backend, form, review)
    assert _rows(d, "warfarin") == [], (backend, form, items(d, "Medications"))
