"""Bounds a request body must meet before anything parses it (issue 16): size, JSON nesting depth, number
length, control characters. Python's ``json`` recurses once per nesting level (100,000 levels: a
``RecursionError``) and refuses integers of more than 4,300 digits with a ``ValueError``; neither may reach a
handler as a crash (API Gateway would answer 502). Each bound refused here is a 400 problem, and nothing is
written for the request.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_BODY_BYTES = 16 * 1024  # the largest body (POST /recordings with every detail) is well under 2 KiB
MAX_DEPTH = 8
MAX_NUMBER_CHARS = 32
# C0 controls and DEL: never part of a name, a reference or a file name (a NUL also breaks PostgreSQL text).
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NO_CONTROL_PATTERN = r"^[^\x00-\x1f\x7f]*$"


class BodyRefused(Exception):
    """The body breaks one of the bounds (-> 400 problem)."""


def _depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` outside strings, without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise BodyRefused(f"a number longer than {MAX_NUMBER_CHARS} characters")
    return float(text) if any(c in text for c in ".eE") else int(text)


def _constant(name: str) -> Any:
    raise BodyRefused(f"{name} is not JSON")


def _strings(value: Any) -> list[str]:
    stack, found = [value], []
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def check_json_body(body: str | bytes | None) -> None:
    """Raise ``BodyRefused`` unless ``body`` (absent, or JSON text) is within every bound."""
    if not body:
        return
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if len(raw) > MAX_BODY_BYTES:
        raise BodyRefused(f"the body is larger than {MAX_BODY_BYTES} bytes")
    text = raw.decode("utf-8", "replace")
    if _depth(text) > MAX_DEPTH:
        raise BodyRefused(f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(text, parse_int=_number, parse_float=_number, parse_constant=_constant)
    except ValueError:
        return  # malformed JSON: the resolver's own validation answers it (400)
    if any(CONTROL.search(s) for s in _strings(value)):
        raise BodyRefused("a string holds a control character")
