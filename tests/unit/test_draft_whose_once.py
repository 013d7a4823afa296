"""Whose an item is, doubted once per item (issue 15): "Her carer says she has been taking tramadol 50 mg at night
and the tramadol makes her drowsy" printed two identical SUBJECT_UNCLEAR lines for the one tramadol row, one per
mention. Now the item's whose-flags are one line naming every distinct reason and how many mentions it covers.
Both backends (offline detector, AWS-shaped entities), both written forms."""

from __future__ import annotations

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.document.said_once import whose_once


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", FORMS)
def test_a_drug_said_twice_after_a_speaker_gets_one_whose_line(backend: str, form: str) -> None:
    # Given a relation who speaks, and a drug said twice after it
    text = "Her carer says she has been taking tramadol 50 mg at night and the tramadol makes her drowsy."

    def build(n: AwsNote) -> None:
        n.med("tramadol", STRENGTH="50 mg", FREQUENCY="at night").med("tramadol").condition("drowsy")

    # When the draft is built
    d = drafted(text, build, backend, form)
    # Then the row is flagged whose-unclear, and the Needs review list says it once, naming both mentions
    (row,) = [i for i in items(d, "Medications") if "tramadol" in i["text"].lower()]
    assert "SUBJECT_UNCLEAR" in row["flags"]
    lines = [
        i for i in items(d, "Needs review") if "SUBJECT_UNCLEAR" in i["flags"] and "tramadol" in i["text"]
    ]
    assert len(lines) == 1, lines
    assert "said of 2 mentions" in lines[0]["text"]
    # And the other item of the clause keeps its own line
    assert [i for i in items(d, "Needs review") if "SUBJECT_UNCLEAR" in i["flags"] and "drowsy" in i["text"]]


def _whose(message: str, entity_id: int, begin: int) -> ReviewFlag:
    return ReviewFlag(
        kind="SUBJECT_UNCLEAR",
        subject="x",
        message=message,
        entity_id=entity_id,
        begin_offset=begin,
        end_offset=begin + 1,
    )


def test_a_flag_also_shown_on_another_item_is_never_merged_away() -> None:
    # Given two whose-flags of one item, the second also shown on a second item (its span lies in both)
    first, second = _whose("a", 1, 0), _whose("b", 2, 10)
    items_ = [((1, 2), ((0, 1), (10, 11))), ((), ((10, 11),))]
    # When the flags are merged per item
    kept = whose_once([first, second], items_)
    # Then the shared flag stays as it is: the second item is never left unflagged
    assert second in kept
    assert len(kept) == 2


def test_distinct_reasons_of_one_item_are_each_named_once() -> None:
    # Given three whose-flags of one item, two saying the same
    flags = [_whose("a", 1, 0), _whose("b", 2, 10), _whose("a", 3, 20)]
    # When merged
    (one,) = whose_once(flags, [((1, 2, 3), ())])
    # Then one line names each reason once and the three mentions
    assert one.message == "a; also: b (said of 3 mentions)"
