"""Which moto functions the patches replace, and whether a moto release changed them (moto upgrade checklist).

    python scripts/moto_patch_targets.py record OUT.json      # in a venv with the moto to inspect
    python scripts/moto_patch_targets.py compare OLD.json NEW.json

``record`` applies every patch the local stack applies (``moto_patches.apply_all``, the front door's, the
instant-wait clock, the shared botocore loader, and the Lambda/EventBridge hooks of ``local.engine`` and
``lambda_api.install_template``) with ``unittest.mock``'s patch entry wrapped, so each replaced attribute is
recorded with the source of what it replaced (``missing``: moto has no such attribute, the patch adds it) and
the patch modules that replace it. Run it once per moto version (``MEDSCRIBE_MOTO_TRIAL=1`` for a moto other
than the pinned one): ``compare`` prints each target whose source changed, appeared or vanished between the two,
with a unified diff. A changed target is a patch to re-read; an unchanged one can still be made unnecessary by a
change elsewhere (the canary tests say so).
"""

from __future__ import annotations

import difflib
import inspect
import json
import os
import re
import sys
import tempfile
import types
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock


def _name(owner: Any) -> str:
    if isinstance(owner, types.ModuleType):
        return owner.__name__
    return f"{owner.__module__}.{owner.__qualname__}"


def _source(value: Any) -> str:
    """The source of what a patch replaces: a property's accessors' source; never an object's address (it
    differs from process to process, so every compare would report the target changed)."""
    if isinstance(value, property):
        return "".join(_source(f) for f in (value.fget, value.fset, value.fdel) if f is not None)
    value = getattr(value, "__func__", value)
    try:
        return inspect.getsource(value)
    except (TypeError, OSError):
        shown = type(value).__name__ if isinstance(value, types.ModuleType) else repr(value)
        return re.sub(r" at 0x[0-9a-fA-F]+", "", shown)


def record(out: Path) -> int:
    os.environ.setdefault("MEDSCRIBE_MOTO_TRIAL", "1")
    targets: dict[str, dict[str, Any]] = {}
    original_enter = mock._patch.__enter__  # type: ignore[attr-defined]

    def enter(patch: Any) -> Any:
        owner = patch.getter()
        try:
            replaced = inspect.getattr_static(owner, patch.attribute)
        except AttributeError:
            replaced = None
        by = next(
            (Path(f.filename).name for f in inspect.stack()[1:8] if "medscribe" in f.filename), "medscribe"
        )
        entry = targets.setdefault(
            f"{_name(owner)}.{patch.attribute}",
            {
                "missing": replaced is None,
                "source": None if replaced is None else _source(replaced),
                "by": [],
            },
        )
        if by not in entry["by"]:
            entry["by"].append(by)
        return original_enter(patch)

    from medscribe.local import moto_patches
    from medscribe.local.moto_patches import clock, perf

    with ExitStack() as stack, mock.patch.object(mock._patch, "__enter__", enter):  # type: ignore[attr-defined]
        perf.share_botocore_loader(stack)
        perf.lazy_moto_batch()
        moto_patches.apply_all(stack)
        moto_patches.apply_front_door(stack, Path(tempfile.mkdtemp(prefix="moto-targets-")))
        clock.apply_instant_waits(stack, [], 0.0)
    from moto.awslambda.models import LambdaBackend
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.events.models import Rule

    for owner, attribute, by in (  # patched only once a LocalStack exists (engine.py, lambda_api.py)
        (LambdaSimpleBackend, "invoke", "engine.py"),
        (Rule, "send_to_targets", "engine.py"),
        (LambdaBackend, "list_functions", "lambda_api.py"),
        (LambdaBackend, "create_function", "lambda_api.py"),
    ):
        entry = targets.setdefault(
            f"{_name(owner)}.{attribute}",
            {"missing": False, "source": _source(getattr(owner, attribute)), "by": []},
        )
        entry["by"] = sorted({*entry["by"], by})
    from importlib.metadata import version

    out.write_text(json.dumps({"moto": version("moto"), "targets": targets}, indent=1, sort_keys=True))
    print(f"moto {version('moto')}: {len(targets)} patched targets -> {out}")
    return 0


def compare(old_path: Path, new_path: Path) -> int:
    old, new = json.loads(old_path.read_text()), json.loads(new_path.read_text())
    before, after = old["targets"], new["targets"]
    changed = 0
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and (a["source"], a["missing"]) == (b["source"], b["missing"]):
            continue
        changed += 1
        by = ", ".join((a or b or {}).get("by", []))
        print(f"== {key} (patched by {by})")
        if a is None or b is None:
            print(f"   only in moto {old['moto'] if b is None else new['moto']}")
            continue
        if a["missing"] != b["missing"]:
            print(f"   moto {new['moto']} {'lacks' if b['missing'] else 'now has'} it")
        diff = difflib.unified_diff(
            (a["source"] or "").splitlines(keepends=True),
            (b["source"] or "").splitlines(keepends=True),
            f"moto {old['moto']}",
            f"moto {new['moto']}",
        )
        text = "".join(diff)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    print(
        f"{changed} of {len(set(before) | set(after))} targets differ between moto {old['moto']} and {new['moto']}"
    )
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "record":
        return record(Path(argv[1]))
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
