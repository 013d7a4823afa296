"""The guards' data files (``data/``): Tall Man sets, confused drug name pairs, sound-alike condition words and
the drug names the "not captured" guard looks for. Each file names its source and date in its header."""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("medscribe.logic.document") / "data" / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def _words(name: str) -> list[str]:
    text = (resources.files("medscribe.logic.document") / "data" / name).read_text(encoding="utf-8")
    return [w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")]


rows = _rows  # a data file's CSV rows (header after the "#" comment lines)
words = _words  # a data file's lines, lower case (no "#" comment lines)


@functools.cache
def tall_man_forms() -> dict[str, str]:
    """Lower-case name -> its Tall Man form ("hydroxyzine" -> "hydrOXYzine")."""
    return {m.lower(): m for row in _rows("tall_man.csv") for m in row["set"].split("|")}


@functools.cache
def confused_pairs() -> frozenset[frozenset[str]]:
    """Every look-alike / sound-alike pair (lower case): the confused-names list and each Tall Man set's pairs."""
    pairs = {frozenset((r["a"].lower(), r["b"].lower())) for r in _rows("confused_names.csv")}
    for row in _rows("tall_man.csv"):
        members = [m.lower() for m in row["set"].split("|")]
        pairs |= {frozenset((a, b)) for a in members for b in members if a < b}
    return frozenset(pairs)


_SPELLING = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"[ao]e"), "e"),
    (re.compile(r"y"), "i"),
    (re.compile(r"e$"), ""),
)


def drug_spelling(name: str) -> str:
    """One key for a drug name's British (BAN / rINN) and American (USAN) spellings: "valaciclovir" and
    "valacyclovir", "ciclosporin" and "cyclosporine", "sulphasalazine" and "sulfasalazine" ("y" as "i", "ph" as
    "f", "ae" / "oe" as "e", a final "e" dropped). No two names of the confused-pair lists share a key (a test)."""
    key = name.lower()
    for pattern, repl in _SPELLING:
        key = pattern.sub(repl, key)
    return key


@functools.cache
def lasa_partners() -> dict[str, tuple[str, ...]]:
    """Lower-case drug name -> the names it is confused with (sorted)."""
    out: dict[str, set[str]] = {}
    for pair in confused_pairs():
        a, b = sorted(pair)
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {name: tuple(sorted(partners)) for name, partners in out.items()}


@functools.cache
def sound_alike_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(rf"^(?:{r['pattern']})$", re.IGNORECASE), r["family"])
        for r in _rows("sound_alike_conditions.csv")
    )


@functools.cache
def drug_names() -> frozenset[str]:
    """Single-word drug names (generic and brand, lower case) a transcript word is compared with."""
    return frozenset(_words("drug_names.txt")) | frozenset(lasa_partners())


@functools.cache
def not_drug_words() -> frozenset[str]:
    """Ordinary words never taken for a drug name by fuzzy or phonetic matching (measured false matches)."""
    return frozenset(_words("not_drug_words.txt"))


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def tall_man(name: str) -> str:
    """``name`` with every word on the FDA/ISMP Tall Man lists printed in Tall Man letters
    ("hydroxyzine 25 mg" -> "hydrOXYzine 25 mg"); other words unchanged."""
    forms = tall_man_forms()
    return _WORD.sub(lambda m: forms.get(m.group(0).lower(), m.group(0)), name)
