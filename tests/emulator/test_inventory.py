"""The emulator layer's inventory is true: every patch module declares what it is, what it restores and what it
patches; what ``apply`` really patches is what it declares; each target is patched in one place; every private
target says why; every canary named exists."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import pytest

from medscribe.local import moto_patches
from medscribe.local.moto_patches import clock, cognito_rules, inventory, perf, s3_post_policy

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "medscribe" / "local" / "moto_patches"


def _name(owner: Any) -> str:
    if isinstance(owner, ModuleType):
        return owner.__name__
    return f"{owner.__module__}.{owner.__qualname__}"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[str]]]:
    """Module name -> the dotted names its ``apply`` patched (recorded from ``mock.patch.object``)."""
    real = mock.patch.object
    current: list[str] = []
    seen: dict[str, list[str]] = {}

    def recording(owner: Any, attribute: str, *args: Any, **kwargs: Any) -> Any:
        seen.setdefault(current[-1], []).append(f"{_name(owner)}.{attribute}")
        return real(owner, attribute, *args, **kwargs)

    with ExitStack() as stack, mock.patch.object(mock.patch, "object", recording):
        perf.lazy_moto_batch()
        for name in inventory.APPLIED:
            current.append(name)
            module = __import__(f"medscribe.local.moto_patches.{name}", fromlist=["apply"])
            module.apply(stack)
        current.append("clock")
        clock.apply_instant_waits(stack, [], 0.0)
        current.append("perf")
        perf.share_botocore_loader(stack)
        current.append("s3_post_policy")
        s3_post_policy.apply(stack)
        current.append("cognito_rules")
        cognito_rules.apply(stack, tmp_path_factory.mktemp("home"))
        yield seen


def test_every_module_of_the_package_is_in_the_inventory() -> None:
    # the package's own plumbing: the registry, and the error base the patches raise (moto 5.2.6 removed its own)
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "inventory", "aws_error"}
    assert modules == set(inventory.APPLIED) | set(inventory.FRONT_DOOR)
    assert moto_patches.MODULES == inventory.APPLIED


def test_each_patch_declares_kind_version_behaviour_and_canary() -> None:
    for name, info in inventory.inventory().items():
        assert info.kind in inventory.KINDS, name
        assert info.moto_version == moto_patches.MOTO_VERSION, name
        assert len(info.restores) > 40, name
        assert info.restores.endswith((".", ")")), name
        assert info.targets or info.extends, name


def test_what_apply_patches_is_what_the_module_declares(recorded: dict[str, list[str]]) -> None:
    for name, info in inventory.inventory().items():
        assert sorted(recorded.get(name, [])) == sorted(info.targets), name


def test_each_target_is_patched_in_exactly_one_place(recorded: dict[str, list[str]]) -> None:
    every = [target for targets in recorded.values() for target in targets]
    twice = [target for target, n in Counter(every).items() if n > 1]
    assert twice == []
    owned = set(every)
    for name, info in inventory.inventory().items():  # an extension rides on another module's one wrapper
        for target in info.extends:
            assert target in owned, (name, target)
            assert target not in info.targets, (name, target)


def _patched_names(source: str) -> list[str]:
    """``Owner.attr`` of every ``mock.patch.object(Owner, "attr", ...)`` in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func).endswith("patch.object")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
        ):
            found.append(f"{ast.unparse(node.args[0]).split('.')[-1]}.{node.args[1].value}")
    return found


def test_no_code_outside_the_layer_patches_one_of_its_targets() -> None:
    """Static: ``mock.patch.object(Owner, "attr", ...)`` elsewhere in src/ never names a target's Owner.attr."""
    short = {".".join(t.split(".")[-2:]) for info in inventory.inventory().values() for t in info.targets}
    # the scan sees a patch as the local state once wrote one (now moto_patches.state_hooks owns the target)
    sample = 'exit_stack.enter_context(mock.patch.object(BotocoreStubber, "__call__", in_process))'
    assert _patched_names(sample) == ["BotocoreStubber.__call__"]
    outside = []
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text()
        if PACKAGE not in path.parents and "patch.object" in text:
            outside += _patched_names(text)
    assert sorted(set(outside) & short) == []


def test_every_private_target_says_why() -> None:
    for name, info in inventory.inventory().items():
        assert bool(info.private_targets()) == bool(info.private), name


def test_every_canary_named_exists() -> None:
    for name, info in inventory.inventory().items():
        path, _, test = info.canary.partition("::")
        source = (ROOT / path).read_text()
        assert re.search(rf"^def {re.escape(test)}\(", source, re.MULTILINE), (name, info.canary)


def test_counts_add_up() -> None:
    counts = inventory.counts()
    assert counts["fix"] + counts["feature"] + counts["speedup"] == len(inventory.inventory())
    assert 0 < counts["private targets"] < counts["targets"]


def test_docs_table_lists_every_module_and_the_counts() -> None:
    doc = (ROOT / "docs" / "emulator.md").read_text()
    counts = inventory.counts()
    assert f"{counts['fix']} fixes, {counts['feature']} features, {counts['speedup']} speed-ups" in doc
    assert f"{counts['targets']} targets, of which {counts['private targets']} are private names" in doc
    assert inventory.markdown_table() in doc  # the table, as the modules declare it


def test_an_upgrade_trial_names_the_other_moto_version(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a moto release other than the patches' own
    monkeypatch.setattr(moto_patches, "version", lambda _name: "9.9.9")
    monkeypatch.delenv(moto_patches.TRIAL_ENV, raising=False)
    # Then the patches refuse it, unless the trial names exactly that release
    with pytest.raises(RuntimeError, match=r"MEDSCRIBE_MOTO_TRIAL=9\.9\.9"):
        moto_patches.check_version()
    monkeypatch.setenv(moto_patches.TRIAL_ENV, "9.9.8")
    with pytest.raises(RuntimeError):
        moto_patches.check_version()
    monkeypatch.setenv(moto_patches.TRIAL_ENV, "9.9.9")
    moto_patches.check_version()
