"""The emulator layer's inventory: what each moto patch module is, restores and touches (machine-readable).

Every module of this package declares ``PATCH = PatchInfo(...)``:

- ``kind``: ``fix`` (moto answers differently from AWS), ``feature`` (moto lacks an API or a field AWS has) or
  ``speedup`` (no behaviour change: moto is needlessly slow);
- ``moto_version``: the moto release the patch was written against and checked on;
- ``restores``: the AWS behaviour restored, one sentence naming the AWS API / documentation page;
- ``targets``: the dotted names this module replaces (``module.Class.attribute``), each patched by exactly one
  module of the package (``tests/emulator/test_inventory.py`` records what ``apply`` really patches);
- ``extends``: targets owned by another module whose single wrapper calls into this module (no second wrapper);
- ``private``: why a target that is a private name (``_x``) is patched, where moto has no public hook for it;
- ``canary``: the test (``path::name``) that fails once moto no longer needs the patch (fix / feature) or no
  longer has what it patches (speedup).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Literal

Kind = Literal["fix", "feature", "speedup"]
KINDS: tuple[Kind, ...] = ("fix", "feature", "speedup")


@dataclass(frozen=True)
class PatchInfo:
    kind: Kind
    moto_version: str
    restores: str
    targets: tuple[str, ...]
    canary: str
    extends: tuple[str, ...] = ()
    private: str = ""

    def private_targets(self) -> tuple[str, ...]:
        return tuple(t for t in self.targets if is_private(t))


def is_private(target: str) -> bool:
    """A dotted name with a segment that is private by Python's convention (``_x``, not ``__dunder__``)."""
    return any(part.startswith("_") and not part.endswith("__") for part in target.split("."))


# Every patch module, in the order ``apply_all`` applies them; the last two are ``medscribe serve``'s front door.
APPLIED: tuple[str, ...] = (
    "mocking",
    "jsonata",
    "outputs",
    "context_object",
    "heartbeat",
    "clock",
    "redrive",
    "error_matching",
    "extra_apis",
    "item_batcher",
    "s3_events",
    "s3_conditional_copy",
    "dynamodb_atomic",
    "callbacks",
    "perf",
    "execution_events",
    "json_copy",
    "startup",
    "dispatch",
    "dynamodb_expressions",
    "error_shapes",
    "teststate",
    "redrive_branches",
    "map_tolerance",
    "sfn_executions",
    "sfn_stop",
    "sfn_definitions",
    "sfn_versions",
    "lambda_api",
    "eventbridge_targets",
    "sfn_local_events",
    "backfill_map",
    "state_hooks",
)
FRONT_DOOR: tuple[str, ...] = ("s3_post_policy", "cognito_rules")


def inventory() -> dict[str, PatchInfo]:
    """Module name -> its ``PATCH``, for every patch module (applied and front door)."""
    return {
        name: importlib.import_module(f"medscribe.local.moto_patches.{name}").PATCH
        for name in (*APPLIED, *FRONT_DOOR)
    }


def counts() -> dict[str, int]:
    """How many modules of each kind, and how many targets are private names."""
    patches = inventory()
    out: dict[str, int] = {kind: sum(1 for p in patches.values() if p.kind == kind) for kind in KINDS}
    out["targets"] = sum(len(p.targets) for p in patches.values())
    out["private targets"] = sum(len(p.private_targets()) for p in patches.values())
    return out


def _short(target: str) -> str:
    return "`" + target.replace("moto.stepfunctions.parser.", "sfn.parser.") + "`"


def markdown_table() -> str:
    """docs/emulator.md's inventory table."""
    rows = [
        "| Module | Kind | AWS behaviour restored | Targets (private names marked \\*) | Canary |",
        "|---|---|---|---|---|",
    ]
    for name, patch in inventory().items():
        clients = [t for t in patch.targets if t.endswith(".boto_client_for")]
        copies = [t for t in patch.targets if t.endswith(".copy")]
        cells = [
            ("\\* " if is_private(t) else "") + _short(t) for t in patch.targets if t not in clients + copies
        ]
        if clients:
            cells.insert(0, f"`boto_client_for` in {len(clients)} parser modules")
        if copies:
            cells.insert(0, f"`copy` in {len(copies)} parser modules")
        cells += ["extends `" + ".".join(t.split(".")[-2:]) + "`" for t in patch.extends]
        targets = "<br>".join(cells)
        rows.append(f"| `{name}` | {patch.kind} | {patch.restores} | {targets} | `{patch.canary}` |")
    return "\n".join(rows) + "\n"
