"""The session 16 medication precision check set (corpus/drafts/check_medprec13.jsonl, PROCEDURE.md section "Session
16 medication precision check set, helper medprec13"): a drug said as a culture's result is forbidden as current and
never an expected allergy.
What every check set keeps (validity, size, references, hazards): its row in heldout_support.CHECK_SETS, tested by
test_check_sets.py."""

from __future__ import annotations

from heldout_support import draft_check_set

NAME = "check_medprec13.jsonl"


def test_a_susceptibility_drug_is_forbidden_as_current_and_never_an_expected_allergy() -> None:
    for note in draft_check_set(NAME):
        if "susceptibility" not in note["hazards"]:
            continue
        expect = note["expect"]
        forbidden = {f["name"] for f in expect["forbidden"] if f["why"] == "not taking"}
        allergies = {a["substance"] for a in expect["allergies"]}
        assert forbidden, note["id"]
        assert not forbidden & allergies, note["id"]
