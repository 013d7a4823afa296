"""Names and doses of the draft's items compared with a held-out note's expectations, both sides in one form.

- names: both sides spoken as the recogniser form speaks them (:func:`name_key`: "T2DM" and "t two dm", "Adcal-D3"
  and "adcal d 3", "5th" and "fifth" agree), then case-insensitive (Tall Man "hydrOXYzine" is "hydroxyzine"),
  punctuation dropped, hyphens as spaces; an expectation may list aliases with ``|`` ("type 2 diabetes|diabetes").
  ``mentions`` (an item states the name: the expected name is whole words of the item's name or text) is the
  strict test used for wrong facts; ``related`` (either contains the other) the lenient one used for "is it
  anywhere at all".
- doses: ``normalize_clinical_text`` ("fifty milligrams" -> "50 mg"), a half in words as ".5" ("one and a half
  tablets" -> "1.5 tablet", "half a tablet" -> "0.5 tablet"), units singular ("tablets" -> "tablet", "sachets" ->
  "sachet"), a mass in mg ("1 g" -> "1000 mg", "500 micrograms" -> "0.5 mg"); then the dose mentions (number +
  unit) of an item are compared as a set with the expected alternatives. An item's equivalent in brackets or after
  "=" ("125 mg (5 mL)", "1.5 tablets = 7.5 mg") is a form of its dose as an expectation's ``|`` alternative is
  (:func:`dose_forms`): each form in a unit the expectation uses must be an expected dose, one at least.
- prescriptions (PROCEDURE.md section 27): a count of tablets of a strength is the count and its product ("half a
  2.5 mg tablet" -> "0.5 tablet (1.25 mg)"), not the strength; a dose per area is its own unit ("75 mg/m2" is not
  "75 mg"); on the item's side a liquid's strength ("10 mg in 5 mL", "1 mg/mL") and a maximum-dose limit ("max 4 g
  in 24 hours", "no more than 8 tablets in 24 hours") are not its dose (:func:`item_dose_text`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from medscribe.evaluation.asr_form import number_words, recogniser_form, speak_ordinals
from medscribe.textnorm import normalize_clinical_text

_COUNT_UNIT = r"sprays?|drops?|sachets?|patch(?:es)?|pessar(?:y|ies)|suppositor(?:y|ies)"
_UNIT = rf"(?:mg/kg|mg/m2|mg|mcg|g|ml|units?|tablets?|tabs?|capsules?|caps?|puffs?|{_COUNT_UNIT})"
# a per-cent strength ("1% cream", "1 % twice daily") is the row's dose of a cream, gel or drops: a unit of its own
_DOSE = re.compile(rf"(\d+(?:\.\d+)?)\s*({_UNIT}\b|%)")
_RANGE = re.compile(rf"\d+(?:\.\d+)?\s*{_UNIT}?\s*(?:-|\u2013|to)\s*\d+(?:\.\d+)?\s*{_UNIT}")
_WAS = re.compile(r"\((?:was|previously|old dose)[^)]*\)", re.IGNORECASE)
_SAID = re.compile(r"\(said [^)]*\)", re.IGNORECASE)
_SINGULAR = {"units": "unit", "tablets": "tablet", "tabs": "tablet", "tab": "tablet", "capsules": "capsule"}
_SINGULAR |= {"caps": "capsule", "cap": "capsule"}
_SINGULAR |= {"puffs": "puff", "sprays": "spray", "drops": "drop", "sachets": "sachet", "patches": "patch"}
_SINGULAR |= {"pessaries": "pessary", "suppositories": "suppository"}
_IN_MG = {"g": 1000.0, "mcg": 0.001}  # one mass in one unit: "1 g" and "1000 mg" are the same dose
_MICRO = re.compile(r"(?<=\d)\s*(?:\u00b5g|\u03bcg|ug)\b")  # "10 µg" -> "10 mcg"
_NUMBER_WORD = {number_words(n): str(n) for n in range(1, 21)}
# "1 and a half", "one and a half", "1 1/2", "1½" -> "1.5"; then "half a", "a half", "1/2", "½" alone -> "0.5"
_HALF = re.compile(rf"\b(\d+|{'|'.join(_NUMBER_WORD)})(?: and (?:a half|1/2)\b| 1/2\b|\s*\u00bd)")
_HALF_ALONE = re.compile(r"(?<![\w/.])(?:a half|half (?:of )?an?|1/2|\u00bd)(?=\s)")
_IU = re.compile(r"\b(?:international units?|iu)\b")
# "75 mg/m2", "75 mg per m2", "75 mg m two" (the recogniser form), "75 mg per square metre": a dose per body area
_PER_AREA = re.compile(
    r"\bmg\s*(?:/|per\s)?\s*(?:m\s*(?:2|two)\b|m\u00b2|square met(?:re|er)\b|met(?:re|er)s? squared\b)"
)
# a count of tablets or capsules of a strength ("0.5 2.5 mg tablet" once the half is read, "2 500 mg tablets")
_COUNT = rf"\d+(?:\.\d+)?|{'|'.join(_NUMBER_WORD)}"
_COUNT_OF = re.compile(rf"(?<![\w.])({_COUNT}) (\d+(?:\.\d+)?) ?(mg|mcg|g) (tablet|capsule)s?\b")
# on the item's side only: a liquid's strength and a maximum-dose limit are no dose of the row
_STRENGTH = re.compile(r"\d+(?:\.\d+)?\s*(?:mg|mcg|g)\s*(?:/|in|per)\s*(?:\d+(?:\.\d+)?\s*)?ml\b")
_LIMIT = re.compile(
    r"\b(?:max(?:imum)?|no more than|not more than|not to exceed|not exceeding)\b\.?\s*(?:dose\s*)?(?:of\s*)?"
    rf"\d+(?:\.\d+)?\s*(?:{_UNIT}|doses?)?\b"
    r"(?:\s*(?:in|per|a|/|every|each)\s*(?:24\s*h(?:ours?|rs?)?\b|day\b|\d+\s*h(?:ours?|rs?)?\b))?"
)
_BRACKET = re.compile(r"\(([^()]*)\)")


@lru_cache(maxsize=4096)
def norm_name(text: str) -> str:
    """Lower case, punctuation dropped (apostrophes too), hyphens and slashes as spaces."""
    out = _SAID.sub(" ", text.lower())
    out = re.sub("[\u2019']", "", out)
    out = re.sub(r"[^\w\s]|_", " ", out)
    return " ".join(out.split())


@lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """A name or an item's text in the one form both sides are compared in: spoken as the recogniser form speaks
    it (digits and ordinals as words: "T2DM" -> "t two dm", "5th" -> "fifth"), then :func:`norm_name`."""
    return norm_name(recogniser_form(speak_ordinals(_SAID.sub(" ", text))))


def aliases(name: str) -> list[str]:
    return [n for n in (name_key(a) for a in name.split("|")) if n]


def _contains(haystack: str, needle: str) -> bool:
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def item_names(item: dict[str, Any]) -> list[str]:
    """What an item states, normalised: its ``name`` (when given) and its printed ``text``."""
    return [name_key(str(item[k])) for k in ("name", "text") if item.get(k)]


def mentions(item: dict[str, Any], name: str) -> bool:
    """The item states ``name`` (one of its aliases, as whole words of the item's name or text)."""
    return any(_contains(said, a) for said in item_names(item) for a in aliases(name))


def related(item: dict[str, Any], name: str) -> bool:
    """Lenient: the item mentions the name, or the item's name is whole words of the expected name."""
    if mentions(item, name):
        return True
    said = name_key(str(item.get("name") or ""))
    return len(said) >= 4 and any(_contains(a, said) for a in aliases(name))


def names_overlap(a: str, b: str) -> bool:
    """Two expectation names that could be the same fact (then neither may judge the other)."""
    return any(_contains(x, y) or _contains(y, x) for x in aliases(a) for y in aliases(b))


@lru_cache(maxsize=4096)
def norm_dose(text: str) -> str:
    out = normalize_clinical_text(_MICRO.sub(" mcg", _SAID.sub(" ", text))).lower()
    out = _HALF.sub(lambda m: f"{_NUMBER_WORD.get(m.group(1), m.group(1))}.5", out)
    out = _IU.sub("units", _HALF_ALONE.sub("0.5", out))
    out = _COUNT_OF.sub(_count_of, _PER_AREA.sub("mg/m2", out))
    return " ".join(_SINGULAR.get(w, w) for w in out.split())


def _count_of(match: re.Match[str]) -> str:
    """ "0.5 2.5 mg tablet" -> "0.5 tablet (1.25 mg)": the count and the dose it makes, not the strength."""
    count = float(_NUMBER_WORD.get(match.group(1), match.group(1)))
    dose = count * float(match.group(2))
    return f"{count:g} {match.group(4)} ({dose:g} {match.group(3)})"


def not_dose(text: str) -> str:
    """An item's dose text without what is no dose of the row: a liquid's strength, a maximum-dose limit."""
    return _LIMIT.sub(" ", _STRENGTH.sub(" ", norm_dose(text)))


def dose_mentions(text: str) -> set[str]:
    """The "<number> <unit>" mentions of a dose text, normalised: "1.5 tablets (120 mg)" -> {"1.5 tablet", "120 mg"};
    a mass in mg ("1 g" -> "1000 mg")."""
    found = set()
    for number, unit in _DOSE.findall(norm_dose(text)):
        unit = _SINGULAR.get(unit, unit)
        value = float(number) * _IN_MG.get(unit, 1.0)
        found.add(f"{round(value, 6):g} {'mg' if unit in _IN_MG else unit}")
    return found


def _unit(mention: str) -> str:
    return mention.partition(" ")[2]


def dose_forms(text: str) -> list[set[str]]:
    """The forms an item gives its dose in, each as its mentions: the text outside brackets, each bracketed part and
    each part after "=" ("125 mg (5 mL)" -> [{"125 mg"}, {"5 ml"}]); a "(said …)" note is not a form, nor a part
    with no dose."""
    rest, parts = not_dose(text), []
    while _BRACKET.search(rest):  # innermost first: "5 mg (0.5 tablet (…))"
        parts += _BRACKET.findall(rest)
        rest = _BRACKET.sub(" ", rest)
    ordered = [rest, *reversed(parts)]
    return [m for m in (dose_mentions(p) for part in ordered for p in part.split("=")) if m]


def item_dose_text(item: dict[str, Any]) -> str:
    """The new dose an item states: its ``dose`` key, else its text without a "(was …)" note; neither a liquid's
    strength nor a maximum-dose limit (:func:`not_dose`)."""
    if item.get("dose"):
        return not_dose(str(item["dose"]))
    return not_dose(_WAS.sub(" ", str(item.get("text", ""))))


def is_range(text: str) -> bool:
    return _RANGE.search(norm_dose(text)) is not None


def dose_matches(item: dict[str, Any], expected: str) -> bool:
    """The item states exactly the expected dose (one of its ``|`` alternatives), not a range, nothing else.

    Each form of the item's dose (:func:`dose_forms`) in a unit the expectation uses is judged and must be expected;
    a bracketed or "=" equivalent in a unit the expectation never uses ("125 mg" of "125 mg (5 mL)" for "5 ml") is
    a form the author did not write, not judged; at least one form is judged."""
    text = item_dose_text(item)
    wanted = set().union(*(dose_mentions(a) for a in expected.split("|")))
    units = {_unit(m) for m in wanted}
    judged = [form for form in dose_forms(text) if any(_unit(m) in units for m in form)]
    return bool(judged) and all(form <= wanted for form in judged) and not is_range(text)


def doses_all_shown(item: dict[str, Any], steps: list[str]) -> bool:
    """A taper row: every step's dose is on the row."""
    said = dose_mentions(not_dose(str(item.get("text", "")) + " " + str(item.get("dose") or "")))
    return all(dose_mentions(step) <= said for step in steps)


def states_dose(item: dict[str, Any], dose: str) -> bool:
    """The item states this (forbidden) dose as its dose."""
    return bool(dose_mentions(dose) & dose_mentions(item_dose_text(item)))
