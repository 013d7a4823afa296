"""Look-alike / sound-alike guards (issue 15 item 6).

- ``look_alike``: a draft that holds both members of a confused pair (ISMP List of Confused Drug Names, FDA and
  ISMP Tall Man sets: ``data/confused_names.csv``, ``data/tall_man.csv``), or an audio transcript in which one
  member was heard below the ASR confidence bound, is flagged LOOK_ALIKE naming the pair in Tall Man letters;
  the pair's flag is on each prescribed row of either member (one flag per row; unlocated when neither is a row).
- ``sound_alike``: a hypo-/hyper- condition word (``data/sound_alike_conditions.csv``) heard below the bound is
  flagged SOUND_ALIKE: the prefix that reverses the diagnosis may be the wrong one.

A text draft (no ASR words) has no heard-with-low-confidence part to check; an audio transcript whose words carry
no readable confidence cannot be checked: the guard is skipped, and says so (:mod:`.guards`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from medscribe.logic.document.guard_data import drug_spelling, lasa_partners, sound_alike_patterns, tall_man
from medscribe.logic.document.model import ReviewFlag

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput


def _pair_text(a: str, b: str) -> str:
    return f"{tall_man(a)} / {tall_man(b)}"


def _names(row_name: str, names: tuple[str, ...]) -> bool:
    """The row is for one of ``names`` (its name, or a word of it: "hydralazine", "Hydralazine MR"), in either
    spelling ("valaciclovir" is the list's "valacyclovir")."""
    keys = {drug_spelling(n) for n in names}
    words = [drug_spelling(w) for w in row_name.split()]
    return drug_spelling(row_name) in keys or any(w in keys for w in words)


@functools.cache
def _listed() -> dict[str, str]:
    """A spelling key (:func:`drug_spelling`) -> the name the lists write."""
    return {drug_spelling(n): n for n in lasa_partners()}


def look_alike(inp: GuardInput) -> list[ReviewFlag]:
    partners = lasa_partners()
    listed = _listed()
    flags: list[ReviewFlag] = []
    # a name in the British spelling the lists do not write ("valaciclovir" for "valacyclovir") is the same drug
    held = sorted({listed[k] for w in inp.captured_words if (k := drug_spelling(w)) in listed})
    for i, a in enumerate(held):
        for b in held[i + 1 :]:
            if b in partners[a]:
                message = (
                    f"{_pair_text(a, b)}: both in the draft and a known look-alike / sound-alike "
                    "pair (ISMP / FDA lists): check each is the drug meant"
                )
                # on each prescribed row of the pair, so the row itself names why it is to be checked
                rows = [r for r in inp.draft.prescriptions if r.spans and _names(r.name, (a, b))]
                flags += [
                    ReviewFlag(
                        kind="LOOK_ALIKE",
                        subject=f"{a} / {b}",
                        message=message,
                        begin_offset=r.spans[0][0],
                        end_offset=r.spans[0][1],
                    )
                    for r in rows
                ] or [ReviewFlag(kind="LOOK_ALIKE", subject=f"{a} / {b}", message=message)]
    for word in inp.heard_words():
        name = listed.get(drug_spelling(word.content), "")
        if name in partners and word.confidence < inp.asr_bound:
            others = ", ".join(tall_man(p) for p in partners[name])
            flags.append(
                ReviewFlag(
                    kind="LOOK_ALIKE",
                    subject=word.content,
                    message=f"“{tall_man(name)}” was heard with low confidence and is confused with {others} "
                    "(ISMP / FDA lists): check which drug was said",
                    score=round(word.confidence, 4),
                )
            )
    return flags


def sound_alike(inp: GuardInput) -> list[ReviewFlag]:
    flags: list[ReviewFlag] = []
    for word in inp.heard_words():
        if word.confidence >= inp.asr_bound:
            continue
        for pattern, family in sound_alike_patterns():
            if pattern.match(word.content):
                flags.append(
                    ReviewFlag(
                        kind="SOUND_ALIKE",
                        subject=word.content,
                        message=f"“{word.content}” was heard with low confidence ({family}): the prefix may be "
                        "the other one, check the recording",
                        score=round(word.confidence, 4),
                    )
                )
                break
    return flags
