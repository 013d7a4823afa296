"""What a table cell shows: text cut visibly to fit one page's row (:func:`clip`), values joined and counted
beyond :data:`MAX_CELL_VALUES`, or :data:`BLANK`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medscribe.logic.document.model import AttributeValue


MAX_VALUE_CHARS = 60  # a table row must fit on one page: longer text in a cell is cut, visibly (the evidence
MAX_NAME_CHARS = 100  # sentence and the transcript show it whole)


def clip(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


BLANK = "[blank: check]"
MAX_CELL_VALUES = (
    6  # a table row must fit on one page: more values are counted, and flagged as contradictions
)


def cell(values: tuple[AttributeValue, ...]) -> str:
    if not values:
        return BLANK
    shown = " / ".join(v.label for v in values[:MAX_CELL_VALUES])
    more = len(values) - MAX_CELL_VALUES
    return f"{shown} (+{more} more)" if more > 0 else shown
