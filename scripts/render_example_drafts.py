"""Render three example drafts to PDFs and print what each section holds (for review notes).

1. the shipped sample's transcript (``samples/dictation.txt``), entities from the offline detector (the
   EntityDetector the local mode uses; on AWS Comprehend Medical gives the same response shape);
2. a note with negated, hypothetical and contradictory drugs, an unreadable frequency and a low score;
3. a note with a dose whose drug was misheard (UnmappedAttributes only), a dropped mention, a range dose.

Notes 2 and 3 are the DetectEntitiesV2-shaped fixtures of ``tests/unit/draft_notes.py``.
Usage: ``.venv/bin/python scripts/render_example_drafts.py [OUT_DIR]`` (default ``out/drafts``).
"""

from __future__ import annotations

import importlib.util
import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pypdf

from medscribe.logic.document import Draft, build_draft, build_summary, render
from medscribe.logic.document.sections import build_sections
from medscribe.models import RecordingDetails
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.textnorm import normalize_clinical_text

ROOT = Path(__file__).resolve().parent.parent
RECEIVED = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)


def _notes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("draft_notes", ROOT / "tests" / "unit" / "draft_notes.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def describe(draft: Draft) -> list[str]:
    """Each section as the PDF and ``medscribe draft`` print it (the same sections object)."""
    lines = []
    for section in build_sections(draft).sections:
        lines.append(f"  {section.title}:")
        lines += [
            f"    - {i.text}" + (f" {i.review_label}" if i.flags and section.title != "Needs review" else "")
            for i in section.items
        ] or ["    (none)"]
    return lines


def main(out_dir: Path) -> None:
    notes = _notes()
    sample_text = normalize_clinical_text((ROOT / "samples" / "dictation.txt").read_text(encoding="utf-8"))
    examples = [
        ("sample", sample_text, OfflineEntityDetector().detect_entities(sample_text), None),
        (
            "negation",
            notes.negation_note().text,
            notes.negation_note().response,
            RecordingDetails(
                recording_id="example-negation",
                tenant="clinic-a",
                clinician_name="Dr. Ada Example",
                patient_reference="TEST-0002",
                date_of_service=date(2026, 11, 20),
            ),
        ),
        ("orphan", notes.orphan_note().text, notes.orphan_note().response, None),
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text, response, details in examples:
        draft = build_draft(response, text)
        rendered = render(
            build_summary(f"example-{name}", "clinic-a", RECEIVED, 30.0, text, draft=draft, details=details)
        )
        path = out_dir / f"{name}.pdf"
        path.write_bytes(rendered.pdf)
        footer = pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text().splitlines()[-1]
        print(f"{name}: {path} ({rendered.pages} page(s), {len(rendered.pdf)} bytes, footer {footer!r})")
        print("\n".join(describe(draft)))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out" / "drafts")
