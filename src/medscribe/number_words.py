"""The number words a recogniser writes ("twenty five", "one hundred"): the one list, read by
:mod:`medscribe.spoken_numbers` (which runs of them the normaliser may join) and by the draft's readers of what
was said (:mod:`medscribe.logic.document.given_once`). Plain data, no text2num: a Lambda outside the NLP layer
may import it."""

from __future__ import annotations

DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS = frozenset((*DIGITS, *TEENS, *TENS, "hundred", "thousand"))
