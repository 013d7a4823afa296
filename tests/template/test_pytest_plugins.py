"""pyproject.toml's pytest options name every installed pytest plugin (``--disable-plugin-autoload`` and one ``-p``
each): a plugin installed later and not named here would silently not load, so this list is kept equal to the
installed ``pytest11`` entry points. Named by module, a plugin's own package is not assertion-rewritten."""

from __future__ import annotations

import importlib.metadata
import sys
import tomllib

import pytest
from _pytest.assertion.rewrite import AssertionRewritingHook
from cfn_support import ROOT


def _named_plugins() -> list[str]:
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert "--disable-plugin-autoload" in addopts
    return [addopts[i + 1] for i, opt in enumerate(addopts) if opt == "-p"]


def test_every_installed_pytest_plugin_is_named_and_every_named_one_is_installed() -> None:
    installed = [
        (ep.name, ep.value.partition(":")[0]) for ep in importlib.metadata.entry_points(group="pytest11")
    ]
    named = _named_plugins()
    not_named = [
        f"{name} ({module})" for name, module in installed if name not in named and module not in named
    ]
    assert not not_named, f"add `-p <module>` for these to pyproject.toml's addopts: {not_named}"
    known = {n for pair in installed for n in pair}
    assert not [n for n in named if n not in known], "a named plugin is not installed"


def test_the_named_plugins_are_loaded_in_this_session(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    assert all(manager.hasplugin(name) for name in _named_plugins())


def test_a_plugins_own_package_is_not_assertion_rewritten() -> None:
    # Given modules of plugin distributions this session imported (the plugin modules import them)
    modules = [sys.modules[name] for name in ("hypothesis.core", "schemathesis.core") if name in sys.modules]
    assert modules
    # Then none of them was loaded through pytest's rewriting hook (each would be rewritten and compiled anew)
    assert not [
        m.__name__ for m in modules if isinstance(getattr(m, "__loader__", None), AssertionRewritingHook)
    ]


def test_no_property_test_has_a_wall_clock_deadline() -> None:
    """conftest loads a profile without hypothesis's 200 ms per-example deadline: a test that is slow only because
    the machine is busy must not fail; property tests are bounded by their example counts. A test's own
    ``@settings(max_examples=...)`` inherits the loaded profile."""
    from hypothesis import settings

    assert settings.default is not None
    assert settings.default.deadline is None
    assert settings(max_examples=3).deadline is None
