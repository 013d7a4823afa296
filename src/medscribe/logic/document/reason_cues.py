"""Two more cues of the clause guard (:mod:`.clause_guard`), read by structure around a drug's mention, so that a
row flagged for some other reason (a blank route) also names what is really in doubt:

- **a loading dose** ("Load with ticagrelor 180 mg, then 90 mg twice a day", "a loading dose of clopidogrel 300 mg",
  "apixaban 10 mg twice daily for seven days as a loading dose, then 5 mg"): the first amount is given once, the
  dose to continue is another; the row may show either or both, so its flag names the DOSE to check;
- **a reaction said as past** ("Naproxen caused indigestion before", "codeine made her vomit in the past",
  "lymecycline gave him headaches last year", "amlodipine had caused ankle swelling"): the drug itself is the
  subject of a reaction verb in the past, with a past time or the pluperfect, and no stop word (a stop said with a
  reason is :mod:`.intolerance`'s): an intolerance the patient may no longer take, flagged as not verified as taken
  (STOPPED / NOT_TAKING), never moved.

Both are read only in the drug's own sentence (the recogniser form has none: a few words either side).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document import clause_words as w

# "load with", "loading dose of", "a load of", "bolus of": said before the drug in its clause
LOADING_BEFORE = re.compile(
    r"\b(?:load(?:ing)?\s+(?:dose\s+)?(?:of\s+|with\s+)?|bolus\s+(?:dose\s+)?(?:of\s+)?)(?:the\s+|his\s+|her\s+)?$",
    re.I,
)
# "… as a loading dose", "… loading dose, then", "… (loading)", "… stat as a load": said after it, in its clause
# (not one that goes on to name its own drug: "aspirin 75 mg, loading dose of clopidogrel 300 mg")
LOADING_AFTER = re.compile(
    r"\b(?:loading(?:\s+dose)?|as\s+a\s+load|bolus(?:\s+dose)?)\b(?!\s+(?:dose\s+)?(?:of|with)\b)", re.I
)
LOADING_AFTER_WORDS = (
    12  # a dose, a schedule and a duration may stand between the drug and "as a loading dose"
)

# the drug as the subject of a reaction verb: "X caused", "X, which had caused", "X gave him", "X made her"
_REACTION_VERB = (
    r"(?:(?:which|that)\s+)?(?:(?:has|had|have)\s+)?(?P<before>previously\s+|once\s+|in\s+the\s+past\s+)?"
    r"(?P<verb>caused|gave\s+(?:him|her|them|me)|made\s+(?:him|her|them|me))\b"
)
_REACTION_AFTER = re.compile(rf"^[\s,]*{_REACTION_VERB}", re.I)
_PLUPERFECT = re.compile(r"\bhad\s+(?:previously\s+)?$", re.I)
# a past time said after the reaction, within a few words: "before", "previously", "in the past", "last year",
# "two years ago", "when she took it", "at the time"
PAST_TIME = re.compile(
    r"\b(?:before|previously|in\s+the\s+past|last\s+(?:time|year|month|week|winter|summer|spring|autumn)"
    r"|(?:\w+\s+)?(?:years?|months?|weeks?)\s+ago|when\s+(?:he|she|they|i)\s+(?:took|tried|was|were|had)"
    r"|at\s+the\s+time|as\s+a\s+child)\b",
    re.I,
)
PAST_WORDS = 6  # words after the reaction verb where its past time may be said


# a condition or option said after the drug's own dose and schedule words ("X 500 mg four times a day would only be
# needed if …", "X instead if …", "X afterwards is an option", "X is pending funding"); the words right after the
# drug are the clause guard's own CONDITIONAL_AFTER
LATER_CONDITION = re.compile(
    r"^[\s,]*(?:(?:instead|only)\s+if\b(?!\s+(?:needed|required|necessary|in\s+pain|pain|tolerated|symptomatic))"
    r"|(?:(?:instead|only|then|afterwards|later)\s+)?"
    r"(?:(?:may|might|could|would)\s+(?:only\s+|also\s+)?be\s+(?:needed|used|given|started|added|considered"
    r"|an?\s+option)\b|(?:is|are)\s+(?:an?\s+)?(?:option|possibility|alternative|pending|awaited)\b"
    r"|(?:is|are)\s+awaiting\b))",
    re.I,
)
# (a bare "if" after the dose is not read here: in a run-on it starts the next clause as often as not, "X 50 mg
# once daily if she stopped it …")


def later_condition_cue(after: str) -> str | None:
    """The condition or option said after the drug's own words (``after``: the words right after its mention),
    else None."""
    m = LATER_CONDITION.search(after[_own_words_end(after) :])
    return " ".join(m.group(0).split()).strip(" ,") if m else None


# a list join right after an item: "thyroxine and sertraline are held", "X, Y or Z were stopped"
_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)(?:(?:his|her|their|the)\s+)?", re.I)
LIST_ITEMS = 3  # how many items joined after it a state said after the list may be shared with


def after_list(text: str, end: int, others: Sequence[int]) -> int | None:
    """Where a list of other drafted items joined right after an item ending at ``end`` ends ("her thyroxine and
    sertraline are held": the end of "sertraline"), so that a state said after the list is read as each item's;
    None when no drafted item is joined to it (``others``: where the draft's other items begin)."""
    begins, at = set(others), end
    for _ in range(LIST_ITEMS):
        m = _JOIN.match(text, at)
        if not m or m.end() not in begins:
            break
        word = w.WORD.match(text, m.end())
        if not word:
            break
        at = word.end()
    return at if at != end else None


def loading_cue(before: str, after: str) -> str | None:
    """The loading-dose words said with the drug (``before``: its clause up to it; ``after``: the words after it),
    else None."""
    m = LOADING_BEFORE.search(before)
    if m:
        return m.group(0).strip()
    words = list(w.WORD.finditer(after))
    near = after[: words[LOADING_AFTER_WORDS - 1].end()] if len(words) >= LOADING_AFTER_WORDS else after
    m = LOADING_AFTER.search(near)
    return m.group(0).strip() if m else None


def past_reaction_cue(after: str) -> str | None:
    """The words saying the drug caused a reaction in the past, when ``after`` (the words right after the drug's
    mention, its dose or form at most between) says so, else None: "caused indigestion before"."""
    start = _own_words_end(after)
    m = _REACTION_AFTER.search(after[start:])
    if not m:
        return None
    said = m.group(0).strip(" ,")
    if m.group("before") or re.search(r"\bhad\b", said, re.I):
        return said  # "had caused", "previously caused": past by its own words
    rest = after[start + m.end() :]
    words = list(w.WORD.finditer(rest))
    window = rest[: words[PAST_WORDS - 1].end()] if len(words) >= PAST_WORDS else rest
    past = PAST_TIME.search(window)
    if not past:
        return None
    return " ".join(f"{said}{window[: past.end()]}".split())


def _own_words_end(after: str) -> int:
    """Where the drug's own words (its dose, form, route) end in ``after``: a reaction verb may follow them."""
    end = 0
    for m in w.WORD.finditer(after):
        word = m.group(0).lower()
        if not (word[0].isdigit() or word in w.OWN_STATEMENT):
            break
        end = m.end()
    return end
