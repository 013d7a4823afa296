"""The frame of the generated prescription phrases (:mod:`dose_phrases`, :mod:`dose_phrases2`): what a case's
Medications row must say (:class:`Truth`), the template registry, the seeded draws and the held-out split.

Each round's templates are split on their own (:func:`held_out`), so adding a round never moves an earlier round's
held-out third.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from dose_pools import Q

SPLIT_SEED = 15_2026  # fixed: which templates are held out
CASE_SEED = 7  # fixed: the slot draws of each template
PER_TEMPLATE = 6  # cases drawn per template


@dataclass(frozen=True)
class Truth:
    """What the drug's Medications row must say. Doses are :class:`Q` atoms ("10 mg", "2 puff")."""

    drug: str
    dose: tuple[Q, ...]  # the dose cell, every atom (a taper: every step, in order)
    was: tuple[Q, ...] | None = None  # a dose change: the old dose shown as "(was …)"; () = not stated
    taper: bool = False
    range: bool = False  # a genuine range: printed and flagged DOSE_RANGE
    limit: tuple[Q, ...] = ()  # a maximum: shown as "(max …)", never the dose
    strength: tuple[Q, ...] = ()  # a liquid's strength, shown with its form ("250 mg/5 mL")
    frequency: str = ""  # a word the row must show ("weekly")


@dataclass(frozen=True)
class Case:
    template: str
    family: str
    text: str
    said: str
    truth: Truth


@dataclass(frozen=True)
class Template:
    id: str
    family: str
    make: Callable[[random.Random], tuple[str, str, Truth]]
    round: int = field(default=1)


def say(parts: list[str | Q]) -> tuple[str, str]:
    """(written, said) of a phrase made of plain words and quantities."""
    written = " ".join(p.written if isinstance(p, Q) else p for p in parts)
    said = " ".join(p.said if isinstance(p, Q) else p for p in parts)
    return tidy(written), tidy(said)


def tidy(text: str) -> str:
    return " ".join(text.split()).replace(" ,", ",").replace(" .", ".").replace(" ;", ";")


TEMPLATES: list[Template] = []


def template(
    tid: str, family: str, round_: int = 1
) -> Callable[[Callable[[random.Random], tuple[str, str, Truth]]], None]:
    def register(make: Callable[[random.Random], tuple[str, str, Truth]]) -> None:
        TEMPLATES.append(Template(tid, family, make, round_))

    return register


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def cases(per_template: int = PER_TEMPLATE, seed: int = CASE_SEED, round_: int = 1) -> list[Case]:
    out = []
    for t in (t for t in TEMPLATES if t.round == round_):
        rng = random.Random(f"{seed}:{t.id}")
        seen: set[str] = set()
        for _ in range(per_template * 4):
            text, said, truth = t.make(rng)
            if text not in seen:
                seen.add(text)
                out.append(Case(t.id, t.family, text, said, truth))
            if len(seen) == per_template:
                break
    return out


def held_out(round_: int = 1) -> frozenset[str]:
    """One third of a round's template ids, fixed by :data:`SPLIT_SEED` (never looked at while fixing)."""
    ids = sorted(t.id for t in TEMPLATES if t.round == round_)
    random.Random(SPLIT_SEED).shuffle(ids)
    return frozenset(ids[: len(ids) // 3])
