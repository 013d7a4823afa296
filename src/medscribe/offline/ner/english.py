"""Ordinary English words, British spellings included, that the drug matchers must never take for a drug name.

The word list (``ner_lexicon.english_words``: the CMU pronouncing dictionary and stop words) is American: it holds
"liter", "pediatric", "color", "organize", but not "litre", "paediatric", "colour", "organise". A UK dictation is
full of the British forms, and the fuzzy matcher took them for near-miss drugs ("litre" -> a brand), the
unknown-name rule for new drugs before a dose ("flavoured 5 ml"). A word is English when it is in the list, when
its American spelling by the regular British-American correspondences is ("ae"/"oe" -> "e", "-our" -> "-or",
"-re" -> "-er", "-ise" -> "-ize", "-yse" -> "-yze", a doubled "l" before a suffix), or when it is an agent noun
("-er") of a word in it ("preventer" = "prevent" + "er"): no drug name is any of those.
"""

from __future__ import annotations

import re
from functools import lru_cache

from medscribe.offline import ner_lexicon as lex

# British -> American spellings, applied one after another (a word may need several: "manoeuvre" -> "maneuver")
_AMERICAN = (
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),  # paediatric, haematology, orthopaedic
    (re.compile(r"(?<=[a-z])oe(?=[a-z])"), "e"),  # foetus, manoeuvre, oesophagus (also at the start below)
    (re.compile(r"^oe(?=[a-z])"), "e"),  # oestrogen, oedema
    (re.compile(r"our(?=s?$|ed$|ing$|ite$|ites$|able$)"), "or"),  # colour, flavoured, favourite
    (re.compile(r"(?<=[bcdgtv])re(?=s?$|d$)"), "er"),  # litre, centres, fibre, sombre, manoeuvred
    (re.compile(r"is(?=e$|es$|ed$|ing$|ation$|ations$)"), "iz"),  # organise, immunised, immunisation
    (re.compile(r"ys(?=e$|es$|ed$|ing$)"), "yz"),  # analyse, dialysed
    (re.compile(r"ll(?=ing$|ed$|er$|ers$|or$|ors$)"), "l"),  # counselling, travelled
)
_AGENT = ("ers", "er")


@lru_cache(maxsize=4096)
def is_english(word: str) -> bool:
    """``word`` (lower case) is an ordinary English word in its American or British spelling, or an agent noun."""
    english = lex.english_words()
    if word in english:
        return True
    american = word
    for pattern, repl in _AMERICAN:
        american = pattern.sub(repl, american)
        if american != word and american in english:
            return True
    for suffix in _AGENT:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and (stem in english or stem + "e" in english):
            return True
    return False
