"""Property harness: a dose said aloud comes back with its numbers, or the normaliser says it cannot tell.

Phrases are generated from a small dose grammar (drug, strength in digits — combination strengths such as
"30/500" included — unit, count and form, fractions, ranges, frequency, duration, and an age / year / time
around them), turned into recogniser text by :func:`medscribe.evaluation.asr_form.recogniser_form` and read
back by :func:`medscribe.textnorm.read_numbers`. Each case must be either **exact** (the written text holds
the phrase's numbers, in order) or **flagged** (the reading reports an unclear span). A case that is neither
is a silent misread ("30/500 2 tablets" coming back as "30 over 502 tablets").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.textnorm import read_numbers

DRUGS = ("paracetamol", "co-codamol", "co-dydramol", "salbutamol", "Fostair", "prednisolone", "amoxicillin")
STRENGTHS = (0.5, 1, 2.5, 5, 10, 12.5, 20, 25, 30, 40, 50, 62.5, 75, 100, 125, 200, 250, 400, 500, 875, 1000)
COMBINATIONS = ("30/500", "8/500", "15/500", "10/500", "49/51", "100/6", "200/6", "10/20", "24/26")
UNITS = ("", "", "mg", "mcg", "micrograms", "g", "ml", "units")
FORMS = ("tablet", "capsule", "puff", "drop", "spray")
FREQUENCIES = (
    "",
    "once daily",
    "twice daily",
    "every 4 hours",
    "4 times a day",
    "qds",
    "at night",
    "at 8 pm",
)
DURATIONS = ("", "for 5 days", "x 7 days", "for 2 weeks", "for 28 days", "x 3 days")
CONTEXTS = ("", "aged 72,", "since 2019,", "in 1998,", "at 10:30", "for the last 3 years,")


def _number(n: float) -> str:
    return f"{n:g}"


@st.composite
def strengths(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("listed", "any", "combination", "any_combination")))
    if kind == "listed":
        return _number(draw(st.sampled_from(STRENGTHS)))
    if kind == "any":
        return str(draw(st.integers(min_value=1, max_value=1000)))
    if kind == "combination":
        return draw(st.sampled_from(COMBINATIONS))
    top, bottom = draw(st.integers(1, 500)), draw(st.integers(1, 1000))
    return f"{top}/{bottom}"


@st.composite
def amounts(draw: st.DrawFn) -> str:
    """A count of a form: "2 tablets", "half a tablet", "1 and a half tablets", "1-2 puffs", "2 to 3 drops"."""
    form = draw(st.sampled_from(FORMS))
    kind = draw(st.sampled_from(("count", "count", "half", "and_a_half", "range", "to_range", "decimal")))
    if kind == "half":
        return f"half a {form}"
    if kind == "and_a_half":
        return f"{draw(st.integers(1, 3))} and a half {form}s"
    if kind == "decimal":
        return f"{draw(st.sampled_from(('0.5', '1.5', '2.5')))} {form}s"
    low = draw(st.integers(1, 4))
    high = low + draw(st.integers(1, 2))
    if kind == "range":
        return f"{low}-{high} {form}s"
    if kind == "to_range":
        return f"{low} to {high} {form}s"
    count = draw(st.integers(1, 10))
    return f"{count} {form}" + ("" if count == 1 else "s")


@st.composite
def dose_phrases(draw: st.DrawFn) -> str:
    """A dose phrase; a count may be said with no count unit ("paracetamol 500 2 qds"), then always before a
    frequency (the words that mark it as a count; docs/guards.md "Spoken numbers run together")."""
    bare = draw(st.booleans()) and draw(st.booleans())  # a quarter of the phrases
    parts = [
        draw(st.sampled_from(CONTEXTS)),
        draw(st.sampled_from(DRUGS)),
        draw(strengths()) + (" " + unit if (unit := draw(st.sampled_from(UNITS))) else ""),
        str(draw(st.integers(1, 4))) if bare else draw(st.one_of(st.just(""), amounts())),
        draw(st.sampled_from(FREQUENCIES[1:] if bare else FREQUENCIES)),
        draw(st.sampled_from(DURATIONS)),
    ]
    return " ".join(p for p in parts if p)


# ---- reading the numbers of a text (the harness's own reader, not the production one) -------------------
_SMALL_WORDS = {"zero": 0.0, "one": 1.0, "two": 2.0, "three": 3.0}  # Transcribe's style: lone small numbers
_HALF = re.compile(r"\b(\d+|zero|one|two|three)\s+and\s+a\s+half\b")
_HALF_A = re.compile(r"\bhalf\s+an?\b")
_NUM = re.compile(r"\d+(?:\.\d+)?|\b(?:zero|one|two|three)\b")


def numbers_in(text: str) -> list[float]:
    """The quantities a reader takes from ``text``: digits, "1 and a half" (1.5), "half a" (0.5), and the
    small number words Transcribe leaves as words ("two days")."""
    text = text.lower()
    text = _HALF.sub(lambda m: _number((_SMALL_WORDS.get(m.group(1)) or float(m.group(1))) + 0.5), text)
    text = _HALF_A.sub("0.5", text)
    return [_SMALL_WORDS[t] if t in _SMALL_WORDS else float(t) for t in _NUM.findall(text)]


@dataclass(frozen=True)
class Outcome:
    exact: bool
    flagged: bool

    @property
    def silent_misread(self) -> bool:
        return not self.exact and not self.flagged


def outcome(phrase: str) -> Outcome:
    reading = read_numbers(recogniser_form(phrase))
    return Outcome(numbers_in(reading.text) == numbers_in(phrase), bool(reading.unclear))


# ---- the properties ---------------------------------------------------------------------------------------
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(dose_phrases())
@example("co-codamol 30/500 2 tablets qds")  # "thirty over five hundred two tablets": 30/502 or 30/500 x 2
@example("paracetamol 500 2 tablets 4 times a day")
@example("salbutamol 20 2 puffs")
@example("Fostair 100/6 2 puffs twice daily")
@example("amoxicillin 25 1 tablet")
@example("salbutamol 10 2 puffs")
@example("salbutamol 125 mcg 2 puffs")
@example("paracetamol 500 mg 2 to 3 tablets for 5 days")
@example("prednisolone 5 mg 1 and a half tablets x 7 days")
@example("prednisolone 5 mg half a tablet")
@example("prednisolone 1.5 mg since 2019,")
@example("paracetamol 500 2 qds")  # "five hundred two qds": 502, or 500 then a count of 2 said with no unit
@example("paracetamol 500 2 4 times a day")
@example("co-codamol 30/500 2 at night")
def test_no_dose_is_misread_silently(phrase: str) -> None:
    # Given a dose said aloud, when it is read back, then its numbers are exact or the span is reported
    result = outcome(phrase)
    assert not result.silent_misread, (phrase, recogniser_form(phrase), read_numbers(recogniser_form(phrase)))


@settings(max_examples=150)
@given(
    st.sampled_from(DRUGS),
    strengths(),
    st.sampled_from(("mg", "mcg", "micrograms", "g", "ml", "units")),
    amounts(),
    st.sampled_from(FREQUENCIES),
)
def test_a_count_after_a_strength_with_its_unit_is_certain(
    drug: str, strength: str, unit: str, amount: str, frequency: str
) -> None:
    # "500 mg 2 tablets": the unit closes the strength, so nothing is reported and the numbers come back exact
    phrase = " ".join(p for p in (drug, strength, unit, amount, frequency) if p)
    reading = read_numbers(recogniser_form(phrase))
    assert reading.unclear == ()
    assert numbers_in(reading.text) == numbers_in(phrase)


@settings(max_examples=150)
@given(dose_phrases())
def test_unclear_spans_quote_the_spoken_words(phrase: str) -> None:
    spoken = recogniser_form(phrase)
    for span in read_numbers(spoken).unclear:
        assert spoken[span.begin : span.end] == span.said
        assert len(span.readings) >= 2


@settings(max_examples=150)
@given(dose_phrases())
def test_reading_is_idempotent_and_keeps_the_report(phrase: str) -> None:
    # The draft's guard reads the normalised text again: an unclear span must still be found there
    first = read_numbers(recogniser_form(phrase))
    again = read_numbers(first.text)
    assert again.text == first.text
    assert [u.said for u in again.unclear] == [u.said for u in first.unclear]
