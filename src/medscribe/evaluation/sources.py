"""Where the draft's contract object ``{"sections": [...]}`` comes from, for one note text.

Three sources, chosen at run time (``pick_source``), the new path preferred when it exists:

- ``command``: a command line such as ``medscribe draft -`` run as a subprocess with the text on stdin; its
  last stdout line is the JSON object (the draft contract of issue 15 item 10);
- ``inprocess``: an importable function of the new draft command (``medscribe.textdraft.draft_sections(text)``
  or one of ``IN_PROCESS_NAMES``) returning the object;
- ``legacy``: :func:`sections_from_current_draft`, the LEGACY ADAPTER: today's offline detector and
  ``build_draft`` mapped onto the contract's sections, for the "before" figures.
"""

from __future__ import annotations

import importlib
import json
import shlex
import subprocess
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from medscribe.evaluation.matching import norm_name

Sections = dict[str, Any]
SectionSource = Callable[[str], Sections]

COMMAND_TIMEOUT_SECONDS = 120  # one note through `medscribe draft -`
IN_PROCESS_MODULES = ("medscribe.textdraft", "medscribe.cli_draft", "medscribe.logic.document.sections")
IN_PROCESS_NAMES = ("draft_sections", "sections_for_text", "sections_from_text", "draft_contract")
NOTHING_FLAGGED = "Nothing flagged"


class DraftCommandFailed(RuntimeError):
    """The draft command exited non-zero, timed out, or printed no JSON object with ``sections``."""


@lru_cache(maxsize=1)
def _detector() -> Any:
    from medscribe.offline.ner import OfflineEntityDetector

    return OfflineEntityDetector()


def detect(text: str) -> dict[str, Any]:
    """The offline DetectEntitiesV2 response for a note, on the text as the pipeline feeds it (normalised)."""
    from medscribe.textnorm import normalize_clinical_text

    response: dict[str, Any] = _detector().detect_entities(normalize_clinical_text(text))
    return response


def sections_from_current_draft(text: str) -> Sections:
    """LEGACY ADAPTER: today's draft (before issue 15) as the contract's sections object.

    As the pipeline does it: ``normalize_clinical_text`` -> offline DetectEntities -> ``build_draft`` on the whole
    response with the default settings (it keeps entities with Score >= 0.5 itself, as FilterEntities does, and
    flags dropped medications). Draft fields map to sections: prescriptions -> Medications (flags ``["REVIEW"]``
    when the row is flagged, plus the kind of every review flag about the row), problems -> Problems and denied
    -> Denied (today they carry no flags), not_taking -> Not taking, procedures -> Tests and procedures, the
    draft's flags -> Needs review (or "Nothing flagged").
    """
    from medscribe.logic.document import build_draft
    from medscribe.textnorm import normalize_clinical_text

    normalised = normalize_clinical_text(text)
    draft = build_draft(_detector().detect_entities(normalised), normalised, min_score=0.5)
    review = [
        {"text": f"{f.heading}: {f.label}", "flags": [f.kind], "kind": "note", "reasons": [f.message]}
        for f in draft.flags
    ] or [{"text": NOTHING_FLAGGED, "flags": []}]
    medications = []
    for row in draft.prescriptions:
        about = [f for f in draft.flags if _flag_about_row(f, row)]
        flags = (["REVIEW"] if row.flagged else []) + list(dict.fromkeys(f.kind for f in about))
        medications.append(
            {
                "text": f"{row.label}: {row.dose_text}, {row.route_text}, {row.frequency_text}",
                "flags": flags,
                "kind": "medication",
                "name": row.name.lower(),
                "dose": " / ".join(v.normalised or v.raw for v in row.dose),
                "reasons": [f.message for f in about],
            }
        )

    def conditions(items: Any) -> list[dict[str, Any]]:
        return [{"text": c.label, "flags": [], "kind": "condition", "name": c.name.lower()} for c in items]

    sections = [
        {"title": "Needs review", "items": review},
        {"title": "Problems", "items": conditions(draft.problems)},
        {"title": "Medications", "items": medications},
        {"title": "Denied", "items": conditions(draft.denied)},
        {
            "title": "Not taking",
            "items": [
                {"text": n.label, "flags": [], "kind": "medication", "name": n.name.lower()}
                for n in draft.not_taking
            ],
        },
        {
            "title": "Tests and procedures",
            "items": [
                {"text": p.label, "flags": [], "kind": "procedure", "name": p.name.lower()}
                for p in draft.procedures
            ],
        },
    ]
    return {"sections": sections}


def _flag_about_row(flag: Any, row: Any) -> bool:
    subject, name = norm_name(flag.subject), norm_name(row.name)
    if not subject or not name:
        return False
    if subject == name or subject in name or name in subject:
        return True
    raw = {norm_name(v.raw) for v in (*row.dose, *row.route, *row.frequency, *row.duration, *row.form)}
    in_sentence = flag.begin_offset is not None and any(
        e.begin_offset <= flag.begin_offset < e.end_offset for e in row.evidence
    )
    return in_sentence and subject in raw


def command_source(command: str) -> SectionSource:
    """Run ``command`` (e.g. ``"medscribe draft -"``) per note, the text on stdin; its last stdout line is JSON."""
    argv = shlex.split(command)

    def run(text: str) -> Sections:
        try:
            done = subprocess.run(  # the operator's own command line, no shell
                argv,
                input=text,
                capture_output=True,
                text=True,
                timeout=COMMAND_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise DraftCommandFailed(f"{command!r} took over {COMMAND_TIMEOUT_SECONDS} s") from exc
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        if done.returncode != 0 or not lines:
            raise DraftCommandFailed(f"{command!r} exited {done.returncode}: {done.stderr.strip()[-300:]}")
        return parse_sections(lines[-1])

    return run


def parse_sections(line: str) -> Sections:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DraftCommandFailed(f"last line is not JSON: {line[:120]!r}") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("sections"), list):
        raise DraftCommandFailed("the JSON object has no 'sections' list")
    return obj


def in_process_source() -> SectionSource | None:
    """The new draft command's importable function, when the code base has one."""
    for module_name in IN_PROCESS_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in IN_PROCESS_NAMES:
            fn = getattr(module, name, None)
            if callable(fn):
                return fn
    return None


def pick_source(kind: str = "auto", command: str | None = None) -> tuple[str, SectionSource]:
    """(label, source): ``command`` if given, else the in-process new draft if present, else the legacy adapter."""
    if command:
        return f"command: {command}", command_source(command)
    found = in_process_source() if kind in ("auto", "inprocess") else None
    if found is not None:
        return f"inprocess: {found.__module__}.{found.__name__}", found
    if kind == "inprocess":
        raise DraftCommandFailed("no in-process draft function found")
    return "legacy adapter (today's build_draft)", sections_from_current_draft
