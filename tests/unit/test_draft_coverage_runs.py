"""Nothing said is dropped silently, in a recogniser's run and in short parts (issue 15 item 7): the coverage
guard's reading of a run stretch by stretch, of lists of two, of "X for Y", of a comparison with normal and of a
denial followed by another statement; each case was lost with no NOT_DRAFTED quote before its rule."""

from __future__ import annotations

from aws_shaped import recogniser

from medscribe.logic.document.model import Draft
from medscribe.textdraft import draft_from_text


def _not_drafted(draft: Draft) -> list[str]:
    return [f.message for f in draft.flags if f.kind == "NOT_DRAFTED"]


def _quoted(text: str) -> str:
    lines = _not_drafted(draft_from_text(text)[1])
    return lines[0].lower() if lines else ""


def test_a_recogniser_runs_opening_statement_is_named() -> None:
    # Given an event said by a verb first in the note, then a negative and a drafted finding, in recogniser form
    text = recogniser(
        "Tripped on the stairs this morning. No head injury. Tenderness over the left wrist. Paracetamol 1 g four "
        "times daily."
    )
    # When it is drafted, then the run's opening stretch (two content words, as a part needs) is quoted
    assert "tripped on the stairs" in _quoted(text)


def test_a_short_part_of_a_run_is_read_stretch_by_stretch() -> None:
    # Given a statement with its own subject glued to a drafted seizure, in a part shorter than RUN_PART_WORDS of a
    # recogniser's run (a sentence of more than RUN_WORDS words with no comma)
    text = recogniser(
        "Seizure yesterday at home. His legs go weak on standing and he takes levetiracetam 500 mg twice daily as "
        "before. Review in clinic in six weeks."
    )
    # Then the stretch with its own subject is quoted in the recogniser form as in the punctuated one
    assert "his legs go weak on standing" in _quoted(text)


def test_in_a_run_what_was_done_for_a_reason_is_read_against_the_reasons_first_words() -> None:
    # Given "<procedure> for <reason>" followed by the rest of the run (the reason no longer ends the part)
    text = recogniser(
        "Liver transplant in 2015 for primary sclerosing cholangitis. Tacrolimus 3 mg twice daily and azathioprine "
        "50 mg once daily."
    )
    # Then the transplant is quoted as in the punctuated form: the reason's words do not account for it
    assert "liver transplant in 2015" in _quoted(text)


def test_a_comparison_with_normal_is_no_normal_finding() -> None:
    # Given an amount compared with the normal one ("a third of her normal feeds")
    text = "Eight-month-old with bronchiolitis, taking a third of her normal feeds and mild wheeze."
    # Then the part is quoted: "normal" here says the intake is reduced, not that something is normal
    assert "her normal feeds" in _quoted(text)
    # while a normal finding said alone still is not
    assert "chest" not in _quoted("Eight-month-old with bronchiolitis. Chest clear.")


def test_a_list_member_beside_one_held_condition_is_named() -> None:
    # Given a symptom no detector knows, coordinated with one drafted condition and followed by time words
    text = "Hiccups and heartburn for a week. Omeprazole 20 mg once daily."
    # Then it is named with its sibling, in both forms
    assert "“hiccups” (listed with heartburn)" in _quoted(text)
    assert "“hiccups” (listed with heartburn)" in _quoted(recogniser(text))
    # while beside one drug (advice, not a problem list) nothing is named
    assert _quoted("Advised rest, fluids and paracetamol.") == ""


def test_a_qualifier_or_a_denial_opening_a_runs_part_is_not_a_statement() -> None:
    # Given a recogniser run whose parts open with a qualifier of the drafted item after it and with "he denies"
    text = recogniser(
        "Seen in clinic today with his daughter. On examination mild crackles at both bases. He denies rigors. "
        "Amoxicillin 500 mg three times daily for five days."
    )
    quoted = _quoted(text)
    # Then neither is quoted: "mild" qualifies the crackles, a denial is a pertinent negative
    assert "mild" not in quoted
    assert "denies" not in quoted


def test_in_a_run_what_follows_a_held_items_time_is_read_as_a_part() -> None:
    # Given a sign glued after a drafted symptom's time in a recogniser run ("cough since sunday night | nostrils
    # flaring"), named in the punctuated form
    text = "Two-year-old with a barking cough since Sunday night, nostrils flaring. Dexamethasone 0.15 mg/kg once."
    assert "nostrils flaring" in _quoted(text)
    # Then the recogniser form names it too (two content words after the time, as a part needs)
    assert "nostrils flaring" in _quoted(recogniser(text + " Review in the morning."))
    # while the held symptom's modifier after its time is not ("pain | for a month worse on stairs")
    run = recogniser(
        "Knee pain for a month worse on stairs. Naproxen 250 mg twice daily. Physiotherapy referral made."
    )
    assert "stairs" not in _quoted(run)


def test_a_denial_then_a_header_is_no_pertinent_negative_on_its_own() -> None:
    # Given a denial run into an examination finding with no full stop between ("… or weight loss on examination
    # there is …"), the finding in no item
    # (a finding the detector does not name: "spider naevi" was one until session 15 read a classical plural)
    text = (
        "She denies pale stools or weight loss on examination there is scleral icterus and shifting dullness in the "
        "flanks."
    )
    # Then the finding is quoted: a pertinent negative is said on its own, and the header starts another statement
    assert "shifting dullness" in _quoted(text)
    # (a denial said alone stays a pertinent negative)
    assert "denies" not in _quoted("He denies rigors. Amoxicillin 500 mg three times daily for five days.")
