"""Look-alike / sound-alike guards (issue 15 item 6), through build_draft."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from draft_notes import Note

from medscribe.logic.document import build_draft, build_summary, render_html
from medscribe.logic.document.guard_data import confused_pairs, tall_man
from medscribe.shapes import TranscriptItem


def _items(text: str, low: dict[str, float]) -> list[TranscriptItem]:
    """ASR items for ``text``: every word heard at 0.95 except those in ``low``."""
    return [
        TranscriptItem.model_validate(
            {
                "type": "pronunciation",
                "start_time": "0.0",
                "end_time": "0.1",
                "alternatives": [{"confidence": f"{low.get(w.lower(), 0.95):.4f}", "content": w}],
            }
        )
        for w in text.replace(".", "").split()
    ]


def _kinds(draft: Any, kind: str) -> list[Any]:
    return [f for f in draft.flags if f.kind == kind]


def test_a_draft_holding_hydroxyzine_and_hydralazine_flags_the_pair_in_tall_man_letters() -> None:
    # Given a note prescribing both members of an FDA Tall Man pair
    text = "Start hydroxyzine 25 mg at night for itching. Continue hydralazine 50 mg three times daily."
    n = Note(text).drug("hydroxyzine", attributes={"STRENGTH": "25 mg"})
    n.drug("hydralazine", attributes={"STRENGTH": "50 mg"})
    # When the draft is built
    draft = build_draft(n.response, text)
    # Then it is flagged LOOK_ALIKE naming the pair, in Tall Man letters, on each row of the pair, and does not
    # say "Nothing flagged"
    flags = _kinds(draft, "LOOK_ALIKE")
    assert len(flags) == 2
    assert all("hydrALAZINE" in f.message and "hydrOXYzine" in f.message for f in flags)
    assert sorted((f.begin_offset, f.end_offset) for f in flags) == sorted(
        r.spans[0] for r in draft.prescriptions
    )
    assert not draft.nothing_flagged
    # And the rows print the names in Tall Man letters
    assert sorted(r.label.split()[0] for r in draft.prescriptions) == ["hydrALAZINE", "hydrOXYzine"]


def test_one_member_alone_and_heard_clearly_is_not_flagged() -> None:
    text = "Continue hydralazine 50 mg three times daily."
    n = Note(text).drug("hydralazine", attributes={"STRENGTH": "50 mg"})
    draft = build_draft(n.response, text, asr_items=_items(text, {}))
    assert _kinds(draft, "LOOK_ALIKE") == []


def test_one_member_heard_below_the_asr_bound_is_flagged_with_its_partner() -> None:
    text = "Continue hydralazine 50 mg three times daily."
    n = Note(text).drug("hydralazine", attributes={"STRENGTH": "50 mg"})
    draft = build_draft(n.response, text, asr_items=_items(text, {"hydralazine": 0.41}))
    (flag,) = _kinds(draft, "LOOK_ALIKE")
    assert "hydrOXYzine" in flag.message
    assert flag.score == 0.41


def test_tall_man_letters_follow_the_lists_and_leave_other_words_alone() -> None:
    assert tall_man("hydroxyzine") == "hydrOXYzine"
    assert tall_man("Hydralazine 25 mg") == "hydrALAZINE 25 mg"
    assert tall_man("glipizide and glyburide") == "glipiZIDE and glyBURIDE"
    assert tall_man("lisinopril") == "lisinopril"
    assert frozenset({"hydralazine", "hydroxyzine"}) in confused_pairs()


def test_the_pdf_prints_tall_man_names() -> None:
    text = "Start hydroxyzine 25 mg at night."
    n = Note(text).drug("hydroxyzine", attributes={"STRENGTH": "25 mg"})
    html = render_html(_view(text, build_draft(n.response, text)))
    assert "hydrOXYzine" in html


def _view(text: str, draft: Any) -> Any:
    return build_summary(
        recording_id="r1",
        tenant="t1",
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
        duration_seconds=10.0,
        transcript_text=text,
        entities=[],
        draft=draft,
    )


def test_a_low_confidence_hypothyroidism_is_flagged_sound_alike() -> None:
    text = "History of hypothyroidism on levothyroxine."
    n = Note(text).condition("hypothyroidism").drug("levothyroxine")
    draft = build_draft(n.response, text, asr_items=_items(text, {"hypothyroidism": 0.38}))
    (flag,) = _kinds(draft, "SOUND_ALIKE")
    assert flag.subject == "hypothyroidism"
    assert "hypo-/hyperthyroidism" in flag.message


def test_a_clearly_heard_hypothyroidism_is_not_flagged() -> None:
    text = "History of hypothyroidism on levothyroxine."
    n = Note(text).condition("hypothyroidism").drug("levothyroxine")
    draft = build_draft(n.response, text, asr_items=_items(text, {}))
    assert _kinds(draft, "SOUND_ALIKE") == []


def test_an_unintelligible_transcript_is_named_at_the_top_of_the_page() -> None:
    # Given an audio draft whose words were heard with low confidence and hold no clinical entity
    text = "Fall and invasion had a present and island has pilot had when."
    low = {w.lower(): 0.3 for w in text.replace(".", "").split()}
    draft = build_draft(Note(text).response, text, asr_items=_items(text, low))
    (flag,) = _kinds(draft, "TRANSCRIPT_MAY_BE_UNINTELLIGIBLE")
    assert "no clinical content" in flag.message
    assert draft.flags[0] == flag  # first in "Needs review"
    # When the page is drawn, the warning comes before the first section
    html = render_html(_view(text, draft))
    assert html.index("Transcript may be unintelligible") < html.index("Needs review")
