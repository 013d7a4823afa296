"""A value the speaker takes back while dictating is never drafted silently (issue 15; PROCEDURE.md section 23):
the later value is the row's, the row carries SELF_CORRECTION quoting both, a retracted drug name is no
prescription, and a cue whose scope cannot be decided is flagged, not guessed. On both backends (the offline
detector, and AWS-shaped DetectEntitiesV2 responses whose attributes hold both values) and both written forms."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import EXAMPLES, backends, drafted, forms, items
from hypothesis import assume, given
from hypothesis import strategies as st

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.drafts import names_category
from medscribe.textdraft import draft_sections

DRUGS = ("metoprolol", "ramipril", "amlodipine", "sertraline", "atorvastatin", "lisinopril", "citalopram")
DOSES = (2.5, 5, 10, 20, 25, 40, 50, 80, 100)
# PROCEDURE.md section 23's closed list, as written between the two doses
CUES = (
    "sorry",
    "I'm sorry",
    "I mean",
    "no",
    "scratch that",
    "strike that",
    "correction",
    "rather",
    "or rather",
    "I should say",
    "make that",
    "um, no",
    "er",
)


def _amount(n: float) -> str:
    return f"{n:g} mg"


def _rows(d: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [i for i in items(d, "Medications") if drug in i["text"].lower()]


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    doses=st.lists(st.sampled_from(DOSES), min_size=2, max_size=2, unique=True),
    cue=st.sampled_from(CUES),
    backend=backends,
    form=forms,
)
def test_the_later_of_two_doses_joined_by_a_cue_is_drafted_and_the_row_is_flagged(
    drug: str, doses: list[float], cue: str, backend: str, form: str
) -> None:
    # Given a drug said with dose A, a retraction cue, then dose B
    a, b = (_amount(n) for n in doses)
    text = f"Seen today. {drug.capitalize()} {a}, {cue}, {b} once daily."

    def build(n: AwsNote) -> None:  # AWS relates both doses to the drug
        n.med(drug.capitalize(), FREQUENCY="once daily")
        e = n.entities[-1]
        first = n._attr("STRENGTH", a, e["EndOffset"], "MEDICATION", "STRENGTH")
        later = n._attr("STRENGTH", b, first["EndOffset"], "MEDICATION", "STRENGTH")
        e["Attributes"] += [first, later]

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then the drug's one row shows dose B, not A, and carries the correction flag quoting both
    rows = _rows(d, drug)
    assert len(rows) == 1, (text, rows)
    row = rows[0]
    assert row["dose"] == b, (text, row)
    assert "SELF_CORRECTION" in row["flags"], (text, row)
    said = " ".join(row.get("reasons", [])) or " ".join(i["text"] for i in items(d, "Needs review"))
    assert f"{a} → {b}" in said, (text, row, said)


@EXAMPLES
@given(
    pair=st.sampled_from(
        (("amlodipine", "amitriptyline"), ("olanzapine", "clozapine"), ("lansoprazole", "omeprazole"))
    ),
    cue=st.sampled_from(("no, I mean", "sorry", "I mean", "scratch that", "or rather")),
    backend=backends,
    form=forms,
)
def test_a_retracted_drug_name_is_never_drafted_as_a_prescription(
    pair: tuple[str, str], cue: str, backend: str, form: str
) -> None:
    # Given a drug name taken back for another
    old, new = pair
    text = f"Plan: start {old}, {cue}, {new} 10 mg at night."

    def build(n: AwsNote) -> None:
        n.med(old)
        n.med(new, STRENGTH="10 mg", FREQUENCY="at night")

    d = drafted(text, build, backend, form)
    # Then the retracted name is on no Medications row, and the kept row names both
    assert _rows(d, old) == [], (text, items(d, "Medications"))
    kept = _rows(d, new)
    assert len(kept) == 1, (text, items(d, "Medications"))
    assert "SELF_CORRECTION" in kept[0]["flags"], (text, kept)


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_a_drug_said_again_after_a_cue_names_the_correction_on_its_row(form: str) -> None:
    # Given a drug with a value, a take-back cue, then the drug said again with another value
    text = "Use ketoconazole 2% shampoo, sorry, ketoconazole 1% shampoo twice a week."
    sections = draft_sections(text if form == "punctuated" else recogniser_form(text))
    rows = next(i for i in sections["sections"] if i["title"] == "Medications")["items"]
    # Then whichever values the row shows, it names the correction: never a silent or unnamed old value
    assert rows
    assert all(names_category(r, "retracted") for r in rows if "2 %" in r["text"]), rows


@EXAMPLES
@given(
    pair=st.sampled_from(
        (("codeine", "tramadol"), ("erythromycin", "doxycycline"), ("penicillin", "amoxicillin"))
    ),
    said=st.sampled_from(("Allergic to {old}, {cue}, {new}.", "Known {old} allergy, {cue}, {new} allergy.")),
    cue=st.sampled_from(("sorry, I mean", "sorry", "scratch that, it is", "no, sorry,")),
    backend=backends,
    form=forms,
)
def test_an_allergen_taken_back_is_not_listed_and_its_correction_is_named(
    pair: tuple[str, str], said: str, cue: str, backend: str, form: str
) -> None:
    # Given an allergen taken back for another, then the first drug prescribed
    old, new = pair
    text = (
        said.format(old=old, Old=old.capitalize(), new=new, cue=cue)
        + f" {old.capitalize()} 500 mg twice daily."
    )

    def build(n: AwsNote) -> None:
        n.med(old)
        n.med(new)
        n.med(old.capitalize(), after=n.text.lower().rfind(old), STRENGTH="500 mg")

    d = drafted(text, build, backend, form)
    # Then the allergy listed is the later one, flagged naming the correction; the first is not an allergy, and
    # neither mention of the allergy statement is a prescription
    allergies = items(d, "Allergies")
    assert [a for a in allergies if new in a["text"].lower() and "SELF_CORRECTION" in a["flags"]], allergies
    assert not [a for a in allergies if a["text"].lower().startswith(old)], allergies
    assert not _rows(d, new), items(d, "Medications")


@EXAMPLES
@given(
    drugs=st.sampled_from(
        (
            ("penicillin", "codeine", "tramadol"),
            ("aspirin", "ibuprofen", "naproxen"),
            ("trimethoprim", "erythromycin", "clarithromycin"),
        )
    ),
    said=st.sampled_from(
        (
            "Allergic to {kept} and {old}, {cue}, not {old}, it was {new}.",
            "Allergies: {kept} and {old}. {Cue}, {kept} and {new}.",
            "Allergic to {kept}, {old} and lisinopril, {cue}, not {old}, {new}.",
        )
    ),
    cue=st.sampled_from(("sorry", "sorry, I mean", "scratch that")),
    backend=backends,
    form=forms,
)
def test_an_allergy_list_corrected_keeps_the_rest_and_lists_the_correction(
    drugs: tuple[str, str, str], said: str, cue: str, backend: str, form: str
) -> None:
    # Given an allergy list with one allergen taken back: named after "not", or the list said again after the cue
    # (a list joined by commas only is a list when punctuated: the recogniser's form loses its commas)
    assume(form == "punctuated" or "lisinopril" not in said)
    kept, old, new = drugs
    text = said.format(kept=kept, old=old, new=new, cue=cue, Cue=cue.capitalize()) + " Amlodipine 5 mg daily."

    def build(n: AwsNote) -> None:
        at = 0
        for word in re.findall(rf"\b(?:{kept}|{old}|{new}|lisinopril)\b", n.text):
            n.med(word, after=at)
            at = n.text.find(word, at) + len(word)
        n.med("amlodipine" if form == "recogniser" else "Amlodipine", STRENGTH="5 mg")

    d = drafted(text, build, backend, form)
    # Then the allergen said instead is listed and flagged naming the correction, the one taken back is not listed,
    # the others stay, and no drug of the statement is a prescription
    allergies = items(d, "Allergies")
    assert [a for a in allergies if a["text"].lower().startswith(new) and "SELF_CORRECTION" in a["flags"]], (
        allergies
    )
    assert not [a for a in allergies if a["text"].lower().startswith(old)], allergies
    assert [a for a in allergies if a["text"].lower().startswith(kept)], allergies
    assert not [r for drug in (kept, old, new) for r in _rows(d, drug)], items(d, "Medications")
    assert _rows(d, "amlodipine"), items(d, "Medications")


@pytest.mark.parametrize("backend", ["offline", "aws"])
@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
@pytest.mark.parametrize(
    "said",
    [
        "No known drug allergies, sorry, scratch that, she is allergic to {new}.",
        "NKDA. Correction, he is allergic to {new}.",
        "No known drug allergies, sorry, I mean {new} allergy.",
    ],
)
def test_no_known_allergies_taken_back_is_not_the_statement(said: str, backend: str, form: str) -> None:
    # Given "no known drug allergies" taken back by a cue and an allergy said after it
    text = said.format(new="trimethoprim") + " Sertraline 50 mg daily."

    def build(n: AwsNote) -> None:
        n.med("trimethoprim")
        n.med("sertraline" if form == "recogniser" else "Sertraline", STRENGTH="50 mg")

    d = drafted(text, build, backend, form)
    # Then the allergy is listed, "no known allergies" is not, and nothing says the two conflict
    allergies = items(d, "Allergies")
    assert [a for a in allergies if a["text"].lower().startswith("trimethoprim")], allergies
    assert not [a for a in allergies if "known" in a["text"].lower()], allergies
    assert not [i for s in d["sections"] for i in s["items"] if "ALLERGY_CONFLICT" in i.get("flags", [])], d


def test_a_cue_whose_scope_cannot_be_decided_is_flagged_not_guessed() -> None:
    text = "Sertraline 50 mg and propranolol 10 mg as needed. Correction, the dose is 20 mg. Sleep is better."

    def build(n: AwsNote) -> None:
        n.med("Sertraline", STRENGTH="50 mg")
        n.med("propranolol", STRENGTH="10 mg", FREQUENCY="as needed")
        n.entities[-1]["Attributes"].append(n._attr("STRENGTH", "20 mg", 0, "MEDICATION", "STRENGTH"))

    for backend in ("offline", "aws"):
        for form in ("punctuated", "recogniser"):
            d = drafted(text, build, backend, form)
            for drug in ("sertraline", "propranolol"):
                rows = _rows(d, drug)
                assert rows, (backend, form, items(d, "Medications"))
                assert all("CORRECTION_SCOPE_UNCLEAR" in r["flags"] for r in rows), (backend, form, rows)
                assert all("20" not in r["dose"] for r in rows), (backend, form, rows)


def test_cue_words_in_their_other_sense_correct_nothing() -> None:
    # "no" of a negation, "rather" as an adverb, "sorry to hear": no SELF_CORRECTION, the dose as said
    text = (
        "Lithium 400 mg at night. No suicidal thoughts. Mum is rather worried. Sorry to hear about the move. "
        "Levothyroxine 75 micrograms once daily. Weakness of the right arm, no left-sided symptoms. Left knee pain "
        "and right hip pain."
    )
    for form in ("punctuated", "recogniser"):
        d = drafted(text, lambda n: None, "offline", form)
        flags = [f for t in ("Medications", "Problems", "Denied") for i in items(d, t) for f in i["flags"]]
        assert "SELF_CORRECTION" not in flags, (form, items(d, "Medications"))
        assert "CORRECTION_SCOPE_UNCLEAR" not in flags, (form, items(d, "Medications"))
        assert _rows(d, "lithium")[0]["dose"] == "400 mg"


NEGATIONS = (
    ("Denies{f} chest pain or{f} cough.", ("chest pain", "cough")),
    ("No{f} fever or{f} rash.", ("fever", "rash")),
    ("She denies{f} headache.", ("headache",)),
)
DRUG_ROWS = (
    ("Start{f} metformin 500 mg{f} twice daily.", "metformin"),
    ("Tiotropium{f} once daily.", "tiotropium"),
    ("Continue the the{f} amlodipine 5 mg once daily.", "amlodipine"),
)


def _seen(d: dict[str, Any]) -> dict[str, Any]:
    """What a reader signs off: each section's names, and each row's dose and frequency and whether it is flagged."""
    out: dict[str, Any] = {t: sorted(i.get("name", "") for i in items(d, t)) for t in ("Problems", "Denied")}
    out["Medications"] = sorted(
        (i.get("name", ""), i.get("dose", ""), i["text"]) for i in items(d, "Medications")
    )
    return out


@EXAMPLES
@given(
    negation=st.sampled_from(NEGATIONS),
    row=st.sampled_from(DRUG_ROWS),
    filler=st.sampled_from((", um,", ", er,", " uh", ", erm,", " um um")),
    backend=backends,
    form=forms,
)
def test_fillers_break_neither_a_drug_row_nor_a_negation(
    negation: tuple[str, tuple[str, ...]], row: tuple[str, str], filler: str, backend: str, form: str
) -> None:
    # Given a negation list and a drug row, said with hesitations and without
    said, denied = negation
    line, drug = row
    fluent = f"Seen today. {said.format(f='')} {line.format(f='')}"
    halting = f"Seen today. {said.format(f=filler)} {line.format(f=filler)}"

    def build(n: AwsNote) -> None:
        for c in denied:
            n.condition(c)
        dose = re.search(r"\d+ mg", line)
        freq = re.search(r"(?:once|twice) daily", line)
        attrs = {"STRENGTH": dose.group(0)} if dose else {}
        n.med(
            drug if drug in n.text else drug.capitalize(),
            **attrs,
            **({"FREQUENCY": freq.group(0)} if freq else {}),
        )

    # When both are drafted
    # Then a reader sees the same problems, denials and rows (name, dose, what the row says)
    assert _seen(drafted(halting, build, backend, form)) == _seen(drafted(fluent, build, backend, form)), (
        halting
    )


@EXAMPLES
@given(
    condition=st.sampled_from(("DVT", "cellulitis", "knee pain")),
    sides=st.sampled_from((("right", "left"), ("left", "right"))),
    cue=st.sampled_from(("I mean", "sorry", "scratch that", "no")),
    backend=backends,
    form=forms,
)
def test_a_side_taken_back_is_the_later_side_flagged(
    condition: str, sides: tuple[str, str], cue: str, backend: str, form: str
) -> None:
    # Given a condition said on one side, then the other after a cue
    old, new = sides
    text = f"Seen after a {condition} of the {old} leg, {cue}, the {new} leg. Paracetamol 1 g as needed."

    def build(n: AwsNote) -> None:
        n.condition(condition if form == "punctuated" else condition.lower())
        n.entities[-1]["Attributes"].append(n._attr("DIRECTION", old, 0, "MEDICAL_CONDITION", None))
        n.med("Paracetamol", STRENGTH="1 g")

    d = drafted(text, build, backend, form)
    # Then the condition's item shows the later side, not the earlier, and is flagged quoting both
    found = [i for i in items(d, "Problems") if condition.lower() in i.get("name", "")]
    assert found, (text, items(d, "Problems"))
    item = found[0]
    assert new in item["text"].lower(), (text, item)
    assert old not in item["text"].lower(), (text, item)
    assert "SELF_CORRECTION" in item["flags"], (text, item)


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
@pytest.mark.parametrize(
    "text",
    [
        "She has er asthma no sorry COPD and uses tiotropium.",
        "She has asthma, sorry, COPD.",
        "She has asthma, I mean COPD.",
    ],
)
def test_a_condition_taken_back_is_never_a_silent_problem(form: str, text: str) -> None:
    # Given a condition name taken back for another one with nothing but the retraction between
    said = text if form == "punctuated" else recogniser_form(text)
    sections = {s["title"]: s["items"] for s in draft_sections(said)["sections"]}
    # Then the later one is the problem, and the first is nowhere unflagged
    assert any("copd" in i["text"].lower() for i in sections["Problems"])
    assert not [i for i in sections["Problems"] if "asthma" in i["text"].lower() and not i["flags"]]
    assert any("SELF_CORRECTION" in i["flags"] for i in sections["Needs review"])


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_two_conditions_said_plainly_are_both_problems(form: str) -> None:
    text = "She has asthma and COPD."
    said = text if form == "punctuated" else recogniser_form(text)
    problems = {
        i["text"].lower()
        for s in draft_sections(said)["sections"]
        if s["title"] == "Problems"
        for i in s["items"]
    }
    assert {"asthma", "copd"} <= problems
