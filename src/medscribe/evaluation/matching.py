"""Names and doses of the draft's items compared with a held-out note's expectations.

- names: case-insensitive (Tall Man "hydrOXYzine" is "hydroxyzine"), punctuation dropped, hyphens as spaces;
  an expectation may list aliases with ``|`` ("type 2 diabetes|diabetes"). ``mentions`` (an item states the
  name: the expected name is whole words of the item's name or text) is the strict test used for wrong facts;
  ``related`` (either contains the other) the lenient one used for "is it anywhere at all".
- doses: ``normalize_clinical_text`` ("fifty milligrams" -> "50 mg"), units singular ("tablets" -> "tablet"),
  then the dose mentions (number + unit) of an item are compared as a set with the expected alternatives.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from medscribe.textnorm import normalize_clinical_text

_UNIT = r"(?:mg/kg|mg|mcg|g|ml|units?|tablets?|tabs?|capsules?|puffs?)"
_DOSE = re.compile(rf"(\d+(?:\.\d+)?)\s*({_UNIT})\b")
_RANGE = re.compile(rf"\d+(?:\.\d+)?\s*{_UNIT}?\s*(?:-|\u2013|to)\s*\d+(?:\.\d+)?\s*{_UNIT}")
_WAS = re.compile(r"\((?:was|previously|old dose)[^)]*\)", re.IGNORECASE)
_SAID = re.compile(r"\(said [^)]*\)", re.IGNORECASE)
_SINGULAR = {"units": "unit", "tablets": "tablet", "tabs": "tablet", "tab": "tablet", "capsules": "capsule"}
_SINGULAR |= {"puffs": "puff"}


@lru_cache(maxsize=4096)
def norm_name(text: str) -> str:
    """Lower case, punctuation dropped (apostrophes too), hyphens and slashes as spaces."""
    out = _SAID.sub(" ", text.lower())
    out = re.sub("[\u2019']", "", out)
    out = re.sub(r"[^\w\s]|_", " ", out)
    return " ".join(out.split())


def aliases(name: str) -> list[str]:
    return [n for n in (norm_name(a) for a in name.split("|")) if n]


def _contains(haystack: str, needle: str) -> bool:
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def item_names(item: dict[str, Any]) -> list[str]:
    """What an item states, normalised: its ``name`` (when given) and its printed ``text``."""
    return [norm_name(str(item[k])) for k in ("name", "text") if item.get(k)]


def mentions(item: dict[str, Any], name: str) -> bool:
    """The item states ``name`` (one of its aliases, as whole words of the item's name or text)."""
    return any(_contains(said, a) for said in item_names(item) for a in aliases(name))


def related(item: dict[str, Any], name: str) -> bool:
    """Lenient: the item mentions the name, or the item's name is whole words of the expected name."""
    if mentions(item, name):
        return True
    name_key = norm_name(str(item.get("name") or ""))
    return len(name_key) >= 4 and any(_contains(a, name_key) for a in aliases(name))


def names_overlap(a: str, b: str) -> bool:
    """Two expectation names that could be the same fact (then neither may judge the other)."""
    return any(_contains(x, y) or _contains(y, x) for x in aliases(a) for y in aliases(b))


@lru_cache(maxsize=4096)
def norm_dose(text: str) -> str:
    out = normalize_clinical_text(_SAID.sub(" ", text)).lower()
    out = re.sub(r"\b(\d+) and (?:a half|1/2)\b", lambda m: f"{m.group(1)}.5", out)
    out = re.sub(r"\b(\d+)\s*½", lambda m: f"{m.group(1)}.5", out)
    return " ".join(_SINGULAR.get(w, w) for w in out.split())


def dose_mentions(text: str) -> set[str]:
    """The "<number> <unit>" mentions of a dose text, normalised: "1.5 tablets (120 mg)" -> {"1.5 tablet", "120 mg"}."""
    found = set()
    for number, unit in _DOSE.findall(norm_dose(text)):
        found.add(f"{float(number):g} {_SINGULAR.get(unit, unit)}")
    return found


def item_dose_text(item: dict[str, Any]) -> str:
    """The new dose an item states: its ``dose`` key, else its text without a "(was …)" note."""
    if item.get("dose"):
        return str(item["dose"])
    return _WAS.sub(" ", str(item.get("text", "")))


def is_range(text: str) -> bool:
    return _RANGE.search(norm_dose(text)) is not None


def dose_matches(item: dict[str, Any], expected: str) -> bool:
    """The item states exactly the expected dose (one of its ``|`` alternatives), not a range, nothing else."""
    text = item_dose_text(item)
    said = dose_mentions(text)
    wanted = set().union(*(dose_mentions(a) for a in expected.split("|")))
    return bool(said) and said <= wanted and not is_range(text)


def doses_all_shown(item: dict[str, Any], steps: list[str]) -> bool:
    """A taper row: every step's dose is on the row."""
    said = dose_mentions(str(item.get("text", "")) + " " + str(item.get("dose") or ""))
    return all(dose_mentions(step) <= said for step in steps)


def states_dose(item: dict[str, Any], dose: str) -> bool:
    """The item states this (forbidden) dose as its dose."""
    return bool(dose_mentions(dose) & dose_mentions(item_dose_text(item)))
