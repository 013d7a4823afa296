"""The ICD-10-CM tabular list's titles, for the two build steps that derive word lists from it: the offline
detector's condition names (:mod:`medscribe.offline.ner_icd10`, ``scripts/build_icd10_lexicon.py``) and the
condition guard's terms (``scripts/build_condition_terms.py``).

Source: the ICD-10-CM tabular list (CDC / NCHS, FY2026 release of April 1 2026; a US government work in the
public domain) as shipped in the ``simple-icd-10-cm`` package (1.5.0, MIT licence, pinned in the ``dev``
extra). The XML is read from the installed package's files; the package itself is never imported. Build time
only: nothing at run time reads the tabular list.
"""

from __future__ import annotations

import functools
import importlib.util
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

PACKAGE = "simple_icd_10_cm"
DISTRIBUTION = "simple-icd-10-cm"
XML_NAME = "icd10c-tabular-April-1-2026.xml"


def tabular_xml() -> Path:
    """The tabular XML inside the installed ``simple-icd-10-cm`` (found without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("simple-icd-10-cm is not installed (pip install medscribe[dev])")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / XML_NAME


def package_version() -> str:
    return metadata.version(DISTRIBUTION)


def titles(xml_path: Path | None = None) -> Iterator[tuple[str, str]]:
    """(code, title) for every code of the list in document order: its description, then each of its
    inclusion terms. Empty titles are skipped; ``code`` is ``""`` for an entry without one."""
    for code, desc, notes in _diags(xml_path or tabular_xml()):
        if desc:
            yield code, desc
        for note in notes:
            yield code, note


def descriptions(xml_path: Path | None = None) -> Iterator[tuple[str, str]]:
    """(code, description) for every code of the list in document order, ``""`` for a missing one (no
    inclusion terms)."""
    for code, desc, _notes in _diags(xml_path or tabular_xml()):
        yield code, desc


@functools.cache
def _diags(xml_path: Path) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(code, description, inclusion terms) of every ``diag`` element. The file is parsed once per process and
    path: a rebuild of the condition names reads it twice (its names and its attested words), the body sites'
    once more."""
    root = ET.parse(xml_path).getroot()  # the data file of a pinned, installed package
    return tuple(
        (
            diag.findtext("name") or "",
            diag.findtext("desc") or "",
            tuple(note.text for note in diag.findall("inclusionTerm/note") if note.text),
        )
        for diag in root.iter("diag")
    )
