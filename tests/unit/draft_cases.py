"""Shared helpers of the issue-15 draft tests: one case, drafted by either backend, in either written form.

- ``offline``: the ``medscribe draft`` path (pipeline normalisation -> offline detector -> FilterEntities ->
  draft), :func:`medscribe.textdraft.draft_sections`;
- ``aws``: a DetectEntitiesV2 response built by hand in AWS's documented shape (:mod:`aws_shaped`) with no
  help from the text beyond the entities' words: traits only where a case says so.
Forms: ``punctuated`` as written, ``recogniser`` lower case with no punctuation.

:func:`draft` / :func:`rows` are the offline path alone, its recogniser form the scorer's
(:func:`medscribe.evaluation.asr_form.recogniser_form`: numbers spoken too), read as section title -> items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_shaped import AwsNote, recogniser
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.logic.document import build_draft
from medscribe.logic.document.sections import build_sections
from medscribe.textdraft import draft_sections

BACKENDS = ("offline", "aws")
FORMS = ("punctuated", "recogniser")
Build = Callable[[AwsNote], Any]
# The draft properties' examples: either backend, either form; no deadline (the offline detector's first call
# loads its tables)
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
backends = st.sampled_from(BACKENDS)
forms = st.sampled_from(FORMS)


def drafted(text: str, build: Build, backend: str, form: str) -> dict[str, Any]:
    """``text`` drafted by ``backend`` in ``form``; for ``aws``, ``build`` tags the entities, words given as
    written (in the recogniser form they are located lower-cased, as the recogniser writes them)."""
    said = recogniser(text) if form == "recogniser" else text
    if backend == "offline":
        return draft_sections(said)
    note = AwsNote(said, recogniser=form == "recogniser")
    build(note)
    return build_sections(build_draft(note.response, said)).as_json()


def items(sections: dict[str, Any], title: str) -> list[dict[str, Any]]:
    return next((s["items"] for s in sections["sections"] if s["title"] == title), [])


def names(sections: dict[str, Any], title: str) -> set[str]:
    return {i.get("name", "") for i in items(sections, title)}


def texts(sections: dict[str, Any], title: str) -> str:
    return " | ".join(i["text"] for i in items(sections, title)).lower()


def item(sections: dict[str, Any], title: str, name: str) -> dict[str, Any]:
    found = [i for i in items(sections, title) if name in i.get("name", "")]
    assert found, f"{name!r} not under {title!r}: {items(sections, title)}"
    return found[0]


def current(sections: dict[str, Any], name: str, *, unflagged: bool = False) -> list[dict[str, Any]]:
    """The items naming ``name`` under Problems or Medications (only those with no flag, if ``unflagged``)."""
    return [
        i
        for t in ("Problems", "Medications")
        for i in items(sections, t)
        if name in i.get("name", "") and not (unflagged and i["flags"])
    ]


def tagged(concept: str, drugs: tuple[str, ...]) -> Build:
    """An AWS-shaped build tagging ``concept`` alone, with no traits: a medication if among ``drugs``, else a
    condition."""
    return lambda n: (n.med if concept in drugs else n.condition)(concept)


def stated_as_fact_or_flagged(sections: dict[str, Any], title: str, name: str) -> bool:
    """``name`` is not listed under ``title``, or it is listed there with a flag."""
    return all(i["flags"] for i in items(sections, title) if name in i.get("name", ""))


Sections = dict[str, list[dict[str, Any]]]


def draft(text: str, form: str) -> Sections:
    """``text`` (as written, or in the scorer's recogniser form) through ``medscribe draft``: title -> items."""
    said = text if form == "punctuated" else recogniser_form(text)
    return {s["title"]: s["items"] for s in draft_sections(said)["sections"]}


def rows(sections: Sections, title: str, name: str) -> list[dict[str, Any]]:
    """The items under ``title`` whose name or text holds ``name`` (lower case)."""
    return [i for i in sections.get(title, []) if name in (i.get("name") or "") or name in i["text"].lower()]


@dataclass(frozen=True)
class Placed:
    """A text, the AWS-shaped entities over it (no traits unless given), and where the draft must put them."""

    text: str
    build: Build
    under: dict[str, set[str]] = field(default_factory=dict)  # title -> names listed there
    not_under: dict[str, set[str]] = field(default_factory=dict)  # title -> names never listed there
    says: dict[str, str] = field(default_factory=dict)  # title -> words in its items' text
    never_says: dict[str, str] = field(default_factory=dict)  # title -> words never in its items' text
    exactly: dict[str, set[str]] = field(default_factory=dict)  # title -> the names there, no more


def check_placed(d: dict[str, Any], case: Placed) -> None:
    """Every name and word of ``case`` is where it says (each failure names its section)."""
    assert {t: want - names(d, t) for t, want in case.under.items()} == {t: set() for t in case.under}
    assert {t: never & names(d, t) for t, never in case.not_under.items()} == {
        t: set() for t in case.not_under
    }
    assert [(t, w) for t, w in case.says.items() if w not in texts(d, t)] == []
    assert [(t, w) for t, w in case.never_says.items() if w in texts(d, t)] == []
    assert {t: names(d, t) for t in case.exactly} == case.exactly
