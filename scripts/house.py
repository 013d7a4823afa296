"""A plan of the house: rooms (packages), module-level import circles, and the largest files.

    python scripts/house.py [--json]

Rooms are the directories holding Python files under src/medscribe, lambdas/ and tests/. An import circle is a
set of medscribe modules that import each other at module level (imports inside functions are deferred and do
not count; ``if TYPE_CHECKING:`` blocks do not count). The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module, module: str, is_package: bool, modules: set[str]) -> set[str]:
    found: set[str] = set()
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and not _is_type_checking(node):
            todo.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            todo.extend(node.body + node.orelse + node.finalbody)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import sub`` imports the module pkg.sub; ``from mod import name`` imports mod
            found.update(
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
            )
    return {name for name in found if name.startswith("medscribe")}


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in (SRC / "medscribe").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = _top_level_imports(tree, module, path.name == "__init__.py", set(files))
        graph[module] = {t for t in targets if t in files and t != module}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def rooms() -> dict[str, int]:
    lines: dict[str, int] = defaultdict(int)
    for base in (SRC / "medscribe", ROOT / "lambdas", ROOT / "tests"):
        for path in base.rglob("*.py"):
            lines[str(path.parent.relative_to(ROOT))] += len(path.read_text(encoding="utf-8").splitlines())
    return dict(sorted(lines.items()))


def largest(limit: int = 5) -> list[tuple[str, int]]:
    sizes = [
        (str(p.relative_to(ROOT)), len(p.read_text(encoding="utf-8").splitlines()))
        for base in ("src", "lambdas", "tests", "scripts")
        for p in (ROOT / base).rglob("*.py")
    ]
    return sorted(sizes, key=lambda item: -item[1])[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    args = parser.parse_args()
    room_lines = rooms()
    found = circles(import_graph())
    top = largest()
    if not args.json:
        for room, count in room_lines.items():
            print(f"{count:7d}  {room}")
        print(f"rooms: {len(room_lines)}; import circles: {len(found)}")
        for circle in found:
            print("  circle: " + " <-> ".join(circle))
        for path, count in top:
            print(f"largest: {count:5d}  {path}")
    print(json.dumps({"rooms": len(room_lines), "circles": found, "largest": top}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
