"""The sections object (docs/draft.md): "Needs review" first, "Nothing flagged" only when every guard ran, an
item's flags exactly the review flags about it."""

from __future__ import annotations

from aws_shaped import AwsNote

from medscribe.logic.document import build_draft
from medscribe.logic.document.model import GuardRun
from medscribe.logic.document.sections import NOTHING_FLAGGED, TITLES, build_sections

TEXT = "Continue lisinopril 10 mg by mouth daily."


def lisinopril() -> AwsNote:
    return AwsNote(TEXT).med("lisinopril", STRENGTH="10 mg", ROUTE_OR_MODE="by mouth", FREQUENCY="daily")


def test_every_title_in_print_order_needs_review_first() -> None:
    sections = build_sections(build_draft(lisinopril().response, TEXT))
    assert [s.title for s in sections.sections] == list(TITLES)
    assert TITLES[0] == "Needs review"


def test_nothing_flagged_only_when_every_guard_ran() -> None:
    draft = build_draft(lisinopril().response, TEXT)
    assert draft.complete
    assert draft.flags == ()
    assert build_sections(draft).section("Needs review").items[0].text == NOTHING_FLAGGED
    # When one guard could not run, Then the draft says so instead of "Nothing flagged"
    failed = draft.model_copy(
        update={
            "guards": (*draft.guards, GuardRun(name="look_alike", status="failed", note="list not loaded"))
        }
    )
    review = build_sections(failed).section("Needs review").items
    assert [(i.text, i.flags) for i in review] == [
        ("Not checked: look_alike could not run (list not loaded)", ["GUARD_NOT_RUN"])
    ]
    # And a draft that records no guards at all (made before guards existed) never says "Nothing flagged"
    legacy = draft.model_copy(update={"guards": ()})
    assert build_sections(legacy).section("Needs review").items[0].flags == ["GUARD_NOT_RUN"]


def test_an_items_flags_are_the_flags_about_it_and_empty_when_stated_as_fact() -> None:
    text = "Continue lisinopril 10 mg by mouth daily. Take metformin 500 mg daily."
    note = AwsNote(text).med("lisinopril", STRENGTH="10 mg", ROUTE_OR_MODE="by mouth", FREQUENCY="daily")
    note.med("metformin", STRENGTH="500 mg", FREQUENCY="daily")  # no route: BLANK_CELL
    sections = build_sections(build_draft(note.response, text))
    rows = {i.name: i for i in sections.section("Medications").items}
    assert rows["lisinopril"].flags == []
    assert rows["metformin"].flags == ["BLANK_CELL"]
    assert rows["metformin"].review_label == "[REVIEW: blank cell]"
    assert [i.flags for i in sections.section("Needs review").items] == [["BLANK_CELL"]]
