"""Nothing said is dropped silently (issue 15 item 7): a clinical clause the draft holds nothing of — no cue word,
no word any list knows — is quoted in ONE NOT_DRAFTED flag per draft, in punctuated and recogniser form and on a
Comprehend Medical-shaped response alike; follow-up, admin, normal-finding and drafted clauses are not."""

from __future__ import annotations

from aws_shaped import AwsNote, recogniser

from medscribe.logic.document import build_draft
from medscribe.logic.document.coverage_clauses import clauses
from medscribe.logic.document.guards import GUARDS
from medscribe.logic.document.model import Draft
from medscribe.logic.document.not_drafted import MAX_QUOTED
from medscribe.textdraft import draft_from_text

NOTE = (
    "Seen today for review. She has a squint in the left eye and her feet go numb at night. Also craves salt. "
    "Blood pressure 130/80. Continue ramipril 5 mg daily. Review in 3 months."
)


def _not_drafted(draft: Draft) -> list[str]:
    return [f.message for f in draft.flags if f.kind == "NOT_DRAFTED"]


def test_lost_statements_are_named_in_one_line() -> None:
    # Given a note whose numb feet and salt craving no detector and no cue can see
    # When it is drafted (the offline detector, as `medscribe draft` does)
    _, draft = draft_from_text(NOTE)
    # Then one review line quotes both statements, and the draft is not "Nothing flagged"
    lines = _not_drafted(draft)
    assert len(lines) == 1
    assert "“her feet go numb at night”" in lines[0]
    assert "craves salt" in lines[0]
    assert "not_drafted" in draft.guards_run
    assert not draft.nothing_flagged
    # and the drafted, follow-up and vitals statements are not quoted
    for said in ("squint", "ramipril", "Seen today", "Review in", "Blood pressure"):
        assert said not in lines[0]


def test_recogniser_form_names_the_lost_statement() -> None:
    # Given the same note as a recogniser writes it (lower case, no punctuation)
    text = recogniser(NOTE)
    # When it is drafted
    _, draft = draft_from_text(text)
    # Then the line still quotes both: a new subject after "and", "also" and a drafted test's reading ("blood
    # pressure 130/80") start a clause in the run
    lines = _not_drafted(draft)
    assert len(lines) == 1
    assert "“her feet go numb at night”" in lines[0]
    assert "“also craves salt”" in lines[0]
    assert "ramipril" not in lines[0]
    assert "squint" not in lines[0]


def test_same_on_a_comprehend_medical_response() -> None:
    # Given the note and a response shaped as Comprehend Medical returns it (its site glued to the squint)
    note = (
        AwsNote(NOTE)
        .condition("squint", site="eye")
        .med("ramipril", STRENGTH="5 mg", FREQUENCY="daily")
        .test("Blood pressure")
    )
    # When the draft is built from that response
    draft = build_draft(note.response, NOTE)
    # Then the same statements are named, once
    lines = _not_drafted(draft)
    assert len(lines) == 1
    assert "“her feet go numb at night”" in lines[0]
    assert "craves salt" in lines[0]
    assert "squint" not in lines[0]


def test_a_fully_drafted_note_raises_no_line() -> None:
    # Given a note of drafted items, follow-up, an admin header and normal findings only
    text = (
        "Cardiology clinic letter. Seen today with his wife. Chest clear, heart sounds normal. "
        "Continue ramipril 5 mg once daily. Review in 3 months."
    )
    note = AwsNote(text).med("ramipril", STRENGTH="5 mg", FREQUENCY="once daily")
    # When it is drafted
    draft = build_draft(note.response, text)
    # Then nothing is said to be missing
    assert _not_drafted(draft) == []


def test_the_line_stays_short() -> None:
    # Given a note of many statements none of which is drafted
    text = " ".join(
        f"Her {w} goes wobbly at dusk."
        for w in ("elbow", "knee", "chin", "nose", "heel", "wrist", "ankle", "thumb", "shin")
    )
    # When it is drafted on an empty response
    draft = build_draft(AwsNote(text).response, text)
    # Then one line quotes the first few and counts the rest
    (line,) = _not_drafted(draft)
    assert line.count("“") == MAX_QUOTED
    assert f"(and {9 - MAX_QUOTED} more)" in line


def test_registered_with_the_other_guards() -> None:
    # Given the guard registry, Then the coverage guard is one of the checks "Nothing flagged" needs
    assert "not_drafted" in GUARDS


def test_clauses_follow_the_drafts_boundaries() -> None:
    # Given a sentence and a recogniser run
    text = "She has a squint in the left eye and her feet go numb at night. Also craves salt."
    run = recogniser(text)
    # When they are cut into clauses
    said = [text[b:e] for b, e in clauses(text)]
    said_run = [run[b:e] for b, e in clauses(run)]
    # Then a new subject after "and", and "also", start a clause in both forms
    assert said == ["She has a squint in the left eye", "her feet go numb at night", "Also craves salt"]
    assert said_run == ["she has a squint in the left eye", "her feet go numb at night", "also craves salt"]


HALF = (
    "Seen today. Raised lipoprotein(a) and mild LV impairment on the echo. Continue ramipril 5 mg daily. "
    "Review in 3 months."
)


def test_a_half_drafted_clause_names_its_lost_part() -> None:
    # Given a clause coordinating a lost finding with a drafted problem and a drafted test (the echo)
    # When it is drafted (the offline detector, as `medscribe draft` does)
    _, draft = draft_from_text(HALF)
    # Then the clause is accounted for piecewise: the part no item holds is quoted, the drafted part is not
    (line,) = _not_drafted(draft)
    assert "“Raised lipoprotein(a)”" in line
    assert "impairment" not in line
    assert "ramipril" not in line


def test_a_half_drafted_clause_in_a_recogniser_run() -> None:
    # Given the same note as a recogniser writes it: "seen today" glued to the finding, no sentence mark
    text = recogniser(HALF)
    # When it is drafted
    _, draft = draft_from_text(text)
    # Then the follow-up opening ends at its time word and the lost part is still named on its own
    (line,) = _not_drafted(draft)
    assert "“raised lipoprotein a”" in line
    assert "impairment" not in line


def test_a_half_drafted_clause_on_a_comprehend_medical_response() -> None:
    # Given the note and a response shaped as Comprehend Medical returns it (the echo a test, LV impairment a
    # condition, ramipril a medication)
    note = (
        AwsNote(HALF)
        .condition("LV impairment")
        .test("echo")
        .med("ramipril", STRENGTH="5 mg", FREQUENCY="daily")
    )
    # When the draft is built from that response
    draft = build_draft(note.response, HALF)
    # Then the lost part is named and the drafted ones are not
    (line,) = _not_drafted(draft)
    assert "“Raised lipoprotein(a)”" in line
    assert "impairment" not in line


def test_a_part_needs_something_of_its_own_to_be_named() -> None:
    # Given a drafted clause whose other parts are a bare participle, an age or an attribute after "with"
    text = "67-year-old man. Admitted with pneumonia, treated. He has gout with a flare in the right toe."
    note = AwsNote(text).condition("pneumonia").condition("gout")
    # When it is drafted
    draft = build_draft(note.response, text)
    # Then nothing is said to be missing: a part is named only with a subject of its own or two content words
    assert _not_drafted(draft) == []


def test_a_statement_glued_to_a_drafted_item_in_a_recogniser_run() -> None:
    # Given a recogniser run where a lost statement follows a drafted problem and drug with no subject, "and" or mark
    text = (
        "known asthma on salbutamol as needed ankles swell by the evening throbbing after long walks since the "
        "spring continue ramipril 5 mg daily review in 3 months"
    )
    # When it is drafted (the offline detector, as `medscribe draft` does)
    _, draft = draft_from_text(text)
    # Then the stretch between the held words that says something of its own is quoted, the drafted items are not
    (line,) = _not_drafted(draft)
    assert "ankles swell by the evening" in line
    assert "asthma" not in line
    assert "ramipril" not in line


def test_a_lost_one_word_member_of_a_drug_list_is_named() -> None:
    # Given a punctuated list of drugs, two drafted and a one-word member no item holds
    text = "Seen today. She takes ramipril, amlodipine and zorbitol. Review in 3 months."
    # When it is drafted (the offline detector, as `medscribe draft` does)
    _, draft = draft_from_text(text)
    # Then the member is quoted with the siblings it was listed with, and the drafted ones are not quoted
    (line,) = _not_drafted(draft)
    assert "“zorbitol” (listed with ramipril, amlodipine)" in line
    assert "“ramipril" not in line


def test_a_lost_member_between_held_items_in_a_recogniser_run() -> None:
    # Given the list as a recogniser writes it, the lost member between two drafted drugs with no mark
    text = "seen today she takes ramipril zorbitol and amlodipine review in 3 months"
    # When it is drafted
    _, draft = draft_from_text(text)
    # Then the bare member between the held items is quoted
    (line,) = _not_drafted(draft)
    assert "“zorbitol” (listed with ramipril, amlodipine)" in line


def test_a_lost_member_of_a_condition_list_on_a_comprehend_medical_response() -> None:
    # Given a response shaped as Comprehend Medical returns it: cough and wheeze found, croakiness (a word no lexicon
    # guard knows) not
    text = "Seen today. She has a cough, wheeze and croakiness. Review in 3 months."
    note = AwsNote(text).condition("cough").condition("wheeze")
    # When the draft is built from that response
    draft = build_draft(note.response, text)
    # Then the lost member is named once, with its siblings
    (line,) = _not_drafted(draft)
    assert "“croakiness” (listed with cough, wheeze)" in line


def test_a_lost_member_of_a_denied_list_is_a_lost_denial() -> None:
    # Given a negated list whose first two members Comprehend Medical found negated and the third not at all
    text = "She reports no cough, wheeze or croakiness. Review in 3 months."
    negated = {"NEGATION": 0.9}
    note = AwsNote(text).condition("cough", traits=negated).condition("wheeze", traits=negated)
    # When the draft is built from that response
    draft = build_draft(note.response, text)
    # Then the member is quoted as denied with its siblings: the Denied list is short of one
    (line,) = _not_drafted(draft)
    assert "“croakiness” (denied with cough, wheeze)" in line


def test_a_list_of_mixed_kinds_or_ordinary_words_names_no_member() -> None:
    # Given lists whose held members are of two kinds, or whose other member is an ordinary word
    text = "Asthma, ramipril and zorbitol. Cough, wheeze and so on. Seen with cough, wheeze and her wife."
    note = (
        AwsNote(text)
        .condition("Asthma")
        .med("ramipril")
        .condition("Cough")
        .condition("wheeze")
        .condition("cough", after=40)
        .condition("wheeze", after=40)
    )
    # When the draft is built from that response
    draft = build_draft(note.response, text)
    # Then no member is named: one kind of sibling, and a member with a content word of its own, are both needed
    assert _not_drafted(draft) == []


TOPIC = "Scaffolder's shoulder: pain on lifting since Monday. Naproxen 250 mg twice daily."


def test_a_topic_said_before_a_colon_is_a_part_of_its_own() -> None:
    # Given a topic dictated before a colon, its findings after it ("X: pain on lifting"): the drafted pain must
    # not account for the topic no item holds (punctuated form; a recogniser writes no colon)
    # When it is drafted (the offline detector, as `medscribe draft` does)
    _, draft = draft_from_text(TOPIC)
    # Then the topic is quoted, the drafted finding and drug are not
    (line,) = _not_drafted(draft)
    assert "“Scaffolder's shoulder”" in line
    assert "pain" not in line
    assert "Naproxen" not in line


def test_a_topic_before_a_colon_on_a_comprehend_medical_response() -> None:
    # Given the note and a response shaped as Comprehend Medical returns it (the pain a condition, the shoulder its
    # site, naproxen a medication)
    note = (
        AwsNote(TOPIC)
        .condition("pain", site="shoulder")
        .med("Naproxen", STRENGTH="250 mg", FREQUENCY="twice daily")
    )
    # When the draft is built from that response
    draft = build_draft(note.response, TOPIC)
    # Then the topic is named and the drafted ones are not
    (line,) = _not_drafted(draft)
    assert "Scaffolder's shoulder" in line
    assert "lifting" not in line


def test_a_dictated_header_before_a_colon_is_not_named() -> None:
    # Given dictated headers before colons, each followed by drafted items
    text = "Past medical history: gout. Medications: allopurinol 100 mg once daily."
    note = AwsNote(text).condition("gout").med("allopurinol", STRENGTH="100 mg", FREQUENCY="once daily")
    # When it is drafted
    draft = build_draft(note.response, text)
    # Then no header is said to be missing
    assert _not_drafted(draft) == []


CLOSED = "Seen with dad. No cough or fever, both tonsils large and angry looking. Review in two days."


def test_a_statement_after_a_closed_negated_list_is_not_a_pertinent_negative() -> None:
    # Given a negated list closed by "or", then a comma and a finding no item holds (punctuated form; a recogniser
    # writes no comma, the run-on negation is read by the negation guards)
    # When it is drafted (the offline detector, as `medscribe draft` does)
    _, draft = draft_from_text(CLOSED)
    # Then the finding is quoted, the denials are not
    (line,) = _not_drafted(draft)
    assert "“both tonsils large and angry looking”" in line
    assert "cough" not in line


def test_a_statement_after_a_closed_negated_list_on_a_comprehend_medical_response() -> None:
    # Given the note and a response shaped as Comprehend Medical returns it (both denials negated conditions)
    note = (
        AwsNote(CLOSED)
        .condition("cough", traits={"NEGATION": 0.9})
        .condition("fever", traits={"NEGATION": 0.9})
    )
    # When the draft is built from that response
    draft = build_draft(note.response, CLOSED)
    # Then the finding is named; an open list ("No cough, earache or fever") stays a pertinent negative
    (line,) = _not_drafted(draft)
    assert "tonsils large" in line
    open_list = "Seen with dad. No cough, earache or fever. Review in two days."
    note = (
        AwsNote(open_list)
        .condition("cough", traits={"NEGATION": 0.9})
        .condition("earache", traits={"NEGATION": 0.9})
        .condition("fever", traits={"NEGATION": 0.9})
    )
    assert _not_drafted(build_draft(note.response, open_list)) == []
