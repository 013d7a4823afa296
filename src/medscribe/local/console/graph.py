"""The state-machine graph as SVG, drawn server-side from the ASL (no JavaScript library, no network).

Top-level states are laid out in a column in definition order (the pipeline is mostly linear); forward edges
run down the left of the boxes, backward edges (loops) up the right, Catch edges dashed. Each box is coloured
by its outcome in the execution (``medscribe.ops.views.timeline``): succeeded, caught, failed, running, or
not entered.
"""

from __future__ import annotations

from html import escape
from typing import Any

COLOURS = {
    "succeeded": "#2e7d32",
    "caught": "#ef6c00",
    "failed": "#c62828",
    "running": "#1565c0",
    "not-entered": "#9e9e9e",
}
BOX_W, BOX_H, GAP, LEFT = 220, 34, 22, 90


def transitions(state: dict[str, Any]) -> list[tuple[str, bool]]:
    """(target, is_catch) for every transition out of a state."""
    out: list[tuple[str, bool]] = []
    if "Next" in state:
        out.append((state["Next"], False))
    for choice in state.get("Choices", []):
        if "Next" in choice:
            out.append((choice["Next"], False))
    if "Default" in state:
        out.append((state["Default"], False))
    for catch in state.get("Catch", []):
        out.append((catch["Next"], True))
    return list(dict.fromkeys(out))


def outcomes_by_state(entries: list[Any]) -> dict[str, str]:
    """The latest outcome of each state (a redriven state's second attempt wins)."""
    result: dict[str, str] = {}
    for entry in entries:
        result[entry.state] = entry.outcome
    return result


def render(definition: dict[str, Any], outcomes: dict[str, str]) -> str:
    names = list(definition["States"])
    row = {name: i for i, name in enumerate(names)}
    height = len(names) * (BOX_H + GAP) + GAP
    width = LEFT + BOX_W + 120
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="state machine graph">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    lane_left, lane_right = 0, 0
    for name in names:
        for target, is_catch in transitions(definition["States"][name]):
            if target not in row:
                continue
            a, b = row[name], row[target]
            y1 = GAP + a * (BOX_H + GAP) + BOX_H / 2
            y2 = GAP + b * (BOX_H + GAP) + BOX_H / 2
            dash = ' stroke-dasharray="4 3"' if is_catch else ""
            if b == a + 1 and not is_catch:
                x = LEFT + BOX_W / 2
                d = f"M {x} {y1 + BOX_H / 2} L {x} {y2 - BOX_H / 2}"
            elif b > a:
                lane_left = lane_left % 6 + 1
                x = LEFT - 12 * lane_left
                d = f"M {LEFT} {y1} L {x} {y1} L {x} {y2} L {LEFT} {y2}"
            else:
                lane_right = lane_right % 8 + 1
                x = LEFT + BOX_W + 12 * lane_right
                d = f"M {LEFT + BOX_W} {y1} L {x} {y1} L {x} {y2} L {LEFT + BOX_W} {y2}"
            parts.append(
                f'<path d="{d}" fill="none" stroke="#555" stroke-width="1.2"{dash} marker-end="url(#arrow)"/>'
            )
    for name in names:
        outcome = outcomes.get(name, "not-entered")
        y = GAP + row[name] * (BOX_H + GAP)
        state_type = escape(str(definition["States"][name].get("Type", "")))
        parts.append(
            f'<g class="state {outcome}" data-state="{escape(name)}" data-outcome="{outcome}">'
            f'<rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{COLOURS[outcome]}"/>'
            f'<text x="{LEFT + 10}" y="{y + 22}" fill="#fff" font-size="13">{escape(name)}</text>'
            f'<text x="{LEFT + BOX_W - 8}" y="{y + 22}" fill="#fff" font-size="10" text-anchor="end">'
            f"{state_type}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
