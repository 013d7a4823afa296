"""Where an item's clause starts and ends, and who its pronouns are: the clause reading both clause guards
(:mod:`.clause_guard`, :mod:`.placement_guard`) share, with the words of :mod:`.clause_words`."""

from __future__ import annotations

from collections.abc import Sequence

from medscribe.logic.document import clause_words as w
from medscribe.logic.document.model import ReviewFlag

Span = tuple[int, int]


def shown_flags(ids: Sequence[int], spans: Sequence[Span], flags: Sequence[ReviewFlag]) -> list[ReviewFlag]:
    """The draft's flags shown on the item (:meth:`.model.ReviewFlag.shown_on`)."""
    return [f for f in flags if f.shown_on(ids, spans)]


def clause_start(text: str, begin: int) -> int:
    """Where the item's clause starts: the last sentence mark before it, at most WINDOW_WORDS words back."""
    hard = max((m.end() for m in w.HARD.finditer(text, 0, begin)), default=0)
    words = [m.start() for m in w.WORD.finditer(text, hard, begin)]
    return words[-w.WINDOW_WORDS] if len(words) > w.WINDOW_WORDS else hard


def clause_after(text: str, end: int, limit: int = w.AFTER_WORDS) -> str:
    """The words said right after the item, up to ``limit`` words and never past a sentence mark."""
    stop = w.HARD.search(text, end)
    rest = text[end : stop.start() if stop else len(text)]
    words = list(w.WORD.finditer(rest))
    return rest[: words[limit - 1].end()] if len(words) >= limit else rest


def own_clause_after(text: str, end: int, others: Sequence[int] = ()) -> str:
    """The item's clause after it (STATE_AFTER_WORDS words at most), up to a new subject, an instruction or the
    next mention of another item of the draft (``others``: where they begin)."""
    after = clause_after(text, end, w.STATE_AFTER_WORDS)
    after = after[: min((b - end for b in others if end <= b < end + len(after)), default=len(after))]
    ends = [m.start() for r in (w.NEW_SUBJECT, w.RESET) for m in [r.search(after)] if m]
    return after[: min(ends, default=len(after))]


def patient_gender(text: str) -> str | None:
    """ "female" / "male" when every "his/her <relation>" of the text agrees ("her partner": the patient is a
    she), else None (no pronoun reasoning)."""
    said = {m.group("pronoun").lower() for m in w.POSSESSIVE_BEFORE_RELATION.finditer(text)}
    if said == {"her"}:
        return "female"
    if said == {"his"}:
        return "male"
    return None


def is_other_gender(pronoun: str, gender: str) -> bool:
    female = pronoun.lower() in w.FEMALE
    return female != (gender == "female")


def resets(between: str, gender: str | None, *, verbs: bool = False) -> bool:
    """Words between a cue and the item that start a new statement about the patient or a new prescription (or,
    with ``verbs``, any other clause)."""
    if w.RESET.search(between) or w.DOSE.search(between) or (verbs and w.FINITE.search(between)):
        return True
    if gender is None:
        return False
    return any(not is_other_gender(m.group("pronoun"), gender) for m in w.SUBJECT_PRONOUN.finditer(between))
