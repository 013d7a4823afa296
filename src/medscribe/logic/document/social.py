"""Social history read from the transcript's words (issue 15): smoking, alcohol, recreational drugs, vaping.

Neither backend types these as a medication (DetectEntitiesV2 may type "20 units" as a DOSAGE with no drug), so
the statement is read from the words, the same for both: a cue ("smoking", "ex-smoker", "drinks … units",
"teetotal", "cannabis", "vapes") and the amount words said with it ("10 a day", "20 pack years", "quit in
2015", "20 units a week", "socially"). Each statement is one item of the "Social history" section, its words as
said (numbers never converted); its status (current / ex / never) only when the words say it, "unclear" when
they are doubtful ("smokes occasionally?"). The amounts inside a statement are consumed: no orphan dose row, no
dose on a neighbouring drug's row (:func:`consume`).

"drinks" is a drinking statement only with an alcohol word in it ("units", "socially", "pints", "wine", …):
"drinks 2 litres of water" is not; "units" are alcohol units only inside a drinking statement ("insulin 20
units" stays a dose).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from medscribe.shapes import Entity, UnmappedAttribute

_SMOKING = (
    r"smok(?:e|es|ed|ing|er|ers)|non[- ]?smoker|ex[- ]?smoker|cigarettes?|cigars?|roll[- ]?ups?|tobacco"
    r"|pack[- ]?years?"
)
_VAPING = r"vap(?:e|es|ed|ing|er)|e[- ]?cig(?:arette)?s?"
_ALCOHOL = r"alcohol|teetotal(?:ler)?|tee[- ]total|(?:ex[- ]|non[- ])?drinker|drink(?:s|ing)?|drank"
_DRUGS = (
    r"recreational\s+drugs?|illicit\s+drugs?|street\s+drugs?|drug\s+use|cannabis|marijuana|weed|cocaine"
    r"|heroin|ecstasy|mdma|amphetamines?|ketamine"
)
CUES = {
    "Smoking": re.compile(rf"\b(?:{_SMOKING})\b", re.IGNORECASE),
    "Vaping": re.compile(rf"\b(?:{_VAPING})\b", re.IGNORECASE),
    "Alcohol": re.compile(rf"\b(?:{_ALCOHOL})\b", re.IGNORECASE),
    "Recreational drugs": re.compile(rf"\b(?:{_DRUGS})\b", re.IGNORECASE),
}
# A "drink" cue is alcohol only with one of these in its statement.
_ALCOHOL_WORDS = re.compile(
    r"\b(?:alcohol|units?|socially|social|occasionally|heavily|heavy|light|beers?|wine|lager|cider|spirits|vodka"
    r"|whisk(?:e)?y|gin|rum|pints?|cans?|bottles?|glass(?:es)?|alcoholic|teetotal\w*|drinker)\b",
    re.IGNORECASE,
)
# Words a statement runs over after its cue: amounts, what, how often, since when.
_AMOUNT_WORDS = frozenset(
    (
        "a", "an", "per", "day", "days", "daily", "week", "weeks", "weekly", "month", "months", "year", "years",
        "pack", "packs", "pack-years", "units", "unit", "cigarettes", "cigarette", "roll-ups", "roll", "ups",
        "cigars", "pints", "pint", "glasses", "glass", "bottles", "bottle", "cans", "can", "of", "wine", "beer",
        "beers", "lager", "cider", "spirits", "vodka", "whisky", "whiskey", "gin", "about", "around",
        "approximately", "roughly", "up", "to", "socially", "occasionally", "heavily", "nightly", "at", "weekends",
        "weekend", "night", "nights", "most", "every", "the", "in", "since", "quit", "quitting", "stopped",
        "stopping", "gave", "until", "ago", "for", "alcohol", "red", "white", "or", "so", "odd", "ish",
        "half", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "thirty",
        "forty", "fifty", "hundred", "use", "tobacco", "e-cigarette", "e-cigarettes", "regularly", "only", "just",
        "intake", "excess", "more", "than", "less",
    )
)  # fmt: skip
# Words said before a cue that belong to its statement ("still smoking", "lifelong non-smoker", "denies").
_LEAD_WORDS = frozenset(
    (
        "still", "currently", "now", "ex", "former", "never", "non", "lifelong", "life-long", "doesn't", "does",
        "not", "no", "nil", "he", "she", "they", "patient", "is", "was", "has", "had", "used", "to", "heavy", "light",
        "social", "occasional", "denies", "denied", "quit", "stopped", "gave", "up", "previously", "a",
        "an", "regular", "drinks", "smokes", "uses", "any", "history", "of", "recent", "recently",
    )
)  # fmt: skip
_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)?|\d+-\d+)$")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.-]*[A-Za-z0-9]|[A-Za-z0-9]|\?")
_BOUNDARY = re.compile(r"[.;:!\n]|,(?=\s)")
# After a comma a statement runs on only into a number or a "since when" ("Ex-smoker, 20 pack years, quit in
# 2015"); anything else after a comma is the next clause.
_AFTER_COMMA = frozenset(
    ("quit", "stopped", "gave", "since", "about", "around", "approximately", "roughly", "up")
)
# A one-word statement is kept only when the word says the habit ("Smoker.", "Teetotal."), not a bare noun
# ("alcohol gel", "tobacco").
_HABIT_WORD = re.compile(r"smok|vap|teetotal|tee|drinker", re.IGNORECASE)
MAX_LEAD = 3  # words before a cue
MAX_WORDS = 14  # words of one statement

_NEVER = re.compile(r"\b(?:never|non[- ]?smoker|non[- ]?drinker|teetotal\w*|tee[- ]total|lifelong)\b", re.I)
_EX = re.compile(
    r"\b(?:ex[- ]?(?:smoker|drinker|user)s?|former|formerly|stopped|quit|quitting|gave\s+up|used\s+to|previously|"
    r"until|smoked|no\s+longer)\b",
    re.IGNORECASE,
)
_NONE = re.compile(r"\b(?:doesn't|does\s+not|don't|do\s+not|denies|denied|no|nil|not|none)\b", re.IGNORECASE)
_HISTORY = re.compile(r"\bhistory\s+of\b", re.IGNORECASE)  # "history of alcohol excess": past, or still?
_DOUBT = re.compile(r"\?|\b(?:maybe|possibly|perhaps|might|unsure|not\s+sure|unclear)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SocialStatement:
    topic: str  # Smoking | Alcohol | Recreational drugs | Vaping
    status: str  # current | ex | never | none (denied, "doesn't drink") | history ("history of") | unclear
    said: str  # the words as said
    begin: int
    end: int

    @property
    def text(self) -> str:
        """ "Smoking (current): still smoking 10 a day" — the words as said, numbers never converted."""
        return f"{self.topic} ({self.status}): {self.said}"


def read_social(text: str) -> list[SocialStatement]:
    """The social-history statements of ``text`` (a normalised transcript), in order; one per topic and clause."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    found: list[SocialStatement] = []
    for topic, cue in CUES.items():
        for m in cue.finditer(text):
            if any(s.begin <= m.start() < s.end for s in found if s.topic == topic):
                continue
            if text[m.end() : m.end() + 1] == "-":
                continue  # "smoking-related", "alcohol-based": a description, not a habit
            span = _statement(text, words, m.start(), m.end())
            said = text[span[0] : span[1]]
            if len(said.split()) == 1 and not _HABIT_WORD.search(said):
                continue
            if topic == "Alcohol" and not _drinking(said):
                continue  # "drinks plenty of water"
            if topic == "Smoking" and re.search(
                r"\bcessation\b", text[m.end() : m.end() + 12], re.IGNORECASE
            ):
                continue  # "smoking cessation" is a plan, not a habit
            found.append(SocialStatement(topic, _status(said), " ".join(said.split()), *span))
    found = _without_overlap(text, found)
    drugs = [s for s in found if s.topic == "Recreational drugs"]
    found = [  # "he smokes cannabis": drug use, not tobacco
        s
        for s in found
        if s.topic != "Smoking" or not any(d.begin <= s.begin and s.end <= d.end for d in drugs)
    ]
    return sorted(found, key=lambda s: s.begin)


def _statement(text: str, words: Sequence[tuple[int, int]], begin: int, end: int) -> tuple[int, int]:
    """The cue's statement: up to :data:`MAX_LEAD` lead words before it, then amount words after it, inside its
    clause (never past a full stop, a semicolon or a comma followed by words that are not amounts)."""
    at = next(i for i, (b, e) in enumerate(words) if e > begin)
    last = next((i for i, (b, e) in enumerate(words) if e >= end), at)
    first = at
    while first > 0 and at - first < MAX_LEAD:
        b, e = words[first - 1]
        if _BOUNDARY.search(text, e, words[first][0]) or text[b:e].lower() not in _LEAD_WORDS:
            break
        first -= 1
    stop = last
    while stop + 1 < len(words) and stop + 1 - first < MAX_WORDS:
        b, e = words[stop + 1]
        token = text[b:e].lower().rstrip(".")
        gap = text[words[stop][1] : b]
        if token == "?" and not _BOUNDARY.search(gap):
            stop += 1
            continue
        after_comma = gap.strip() == "," and (token in _AFTER_COMMA or bool(_NUMBER.match(token)))
        if _BOUNDARY.search(gap) and not after_comma:
            break
        if not _amount(token) or token == "?":
            break
        stop += 1
    while stop > last and text[words[stop][0] : words[stop][1]].lower() in ("a", "an", "the", "of", "and"):
        stop -= 1
    return words[first][0], words[stop][1]


def _drinking(said: str) -> bool:
    """A statement about alcohol: an alcohol word in it, or drinking given up or denied ("stopped drinking")."""
    return bool(_ALCOHOL_WORDS.search(said)) or _status(said) in ("ex", "never", "none")


def _amount(token: str) -> bool:
    return token in _AMOUNT_WORDS or bool(_NUMBER.match(token)) or bool(re.fullmatch(r"(?:19|20)\d\d", token))


def _status(said: str) -> str:
    if _DOUBT.search(said):
        return "unclear"
    if _HISTORY.search(said):
        return "history"
    if _NEVER.search(said):
        return "never"
    if _EX.search(said):
        return "ex"
    if _NONE.search(said):
        return "none"
    return "current"


def _without_overlap(text: str, found: list[SocialStatement]) -> list[SocialStatement]:
    """Two statements of one topic sharing words ("Alcohol 40 units a week, previously heavy drinker") are one;
    two topics may share words ("smokes cannabis": Recreational drugs and Smoking)."""
    out: list[SocialStatement] = []
    for s in sorted(found, key=lambda x: x.begin):
        o = next((o for o in out if o.topic == s.topic and o.begin < s.end and s.begin < o.end), None)
        if o is None:
            out.append(s)
            continue
        begin, end = min(o.begin, s.begin), max(o.end, s.end)
        said = " ".join(text[begin:end].split())
        out[out.index(o)] = SocialStatement(s.topic, _status(said), said, begin, end)
    return out


def inside(statements: Sequence[SocialStatement], begin: int, end: int) -> bool:
    return any(s.begin <= begin and end <= s.end for s in statements)


def consume(
    statements: Sequence[SocialStatement], entities: Sequence[Entity], unmapped: Sequence[UnmappedAttribute]
) -> tuple[list[Entity], list[UnmappedAttribute]]:
    """The response without what the social statements hold: a MEDICATION entity said inside one ("cannabis",
    "alcohol"), every attribute inside one (an unmapped "20 units", a "14 units" related to a drug said before),
    so no orphan row and no neighbouring drug's dose is made of a drinking or smoking amount."""
    if not statements:
        return list(entities), list(unmapped)
    kept = []
    for e in entities:
        if e.Category == "MEDICATION" and inside(statements, e.BeginOffset, e.EndOffset):
            continue
        attributes = [a for a in e.Attributes if not inside(statements, a.BeginOffset, a.EndOffset)]
        kept.append(
            e if len(attributes) == len(e.Attributes) else e.model_copy(update={"Attributes": attributes})
        )
    said = [u for u in unmapped if not inside(statements, u.Attribute.BeginOffset, u.Attribute.EndOffset)]
    return kept, said
