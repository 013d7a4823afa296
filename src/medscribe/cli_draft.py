"""``medscribe draft [TEXT|-] [--pdf FILE]``: the draft of a text, with no audio (docs/draft.md).

DetectEntities (the offline detector, after the pipeline's transcript normalisation) -> FilterEntities (Score
>= 0.5) -> the draft. The LAST stdout line is one JSON object: ``{"sections": [...]}``; ``--pdf FILE`` also
writes the PDF rendered from the same sections (atomically: a temporary file renamed into place).

Exit codes: 0 drafted; 2 bad input (``EmptyText``, ``TextTooLong``); 3 the PDF could not be written
(``DocumentRenderFailed``, ``PdfWriteFailed``); 1 the draft could not be built (its named error). On failure the
last stdout line is ``{"error": "<ErrorName>", "message": "..."}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medscribe.errors import DocumentRenderFailed, InvalidInput, MedscribeError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_PDF = 0, 1, 2, 3


class PdfWriteFailed(MedscribeError):
    """The PDF file could not be written where asked."""


def _line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _error(exc: BaseException, code: int) -> int:
    _line({"error": type(exc).__name__, "message": str(exc)})
    return code


def write_pdf(path: Path, text: str, draft: Any) -> int:
    """Render the draft's PDF and put it at ``path`` atomically; the page count."""
    from medscribe.logic.document.pdf import build_summary, render

    view = build_summary("text-draft", "local", datetime.now(UTC), 0.0, text, draft=draft)
    rendered = render(view)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".medscribe-draft-", suffix=".pdf.tmp", dir=directory)
    except OSError as exc:
        raise PdfWriteFailed(f"cannot write in {directory}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(rendered.pdf)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PdfWriteFailed(f"cannot write {path.name}: {exc.strerror}") from None
    return rendered.pages


def cmd_draft(args: argparse.Namespace) -> int:
    from medscribe.logic.document.sections import build_sections
    from medscribe.textdraft import draft_from_text

    text = args.text
    if text is None or text == "-":
        text = sys.stdin.read()
    try:
        normalised, draft = draft_from_text(text)
    except InvalidInput as exc:
        return _error(exc, EXIT_BAD_INPUT)
    except MedscribeError as exc:
        return _error(exc, EXIT_FAILED)
    sections = build_sections(draft).as_json()
    if args.pdf is not None:
        try:
            write_pdf(Path(args.pdf), normalised, draft)
        except (DocumentRenderFailed, PdfWriteFailed) as exc:
            return _error(exc, EXIT_PDF)
    _line(sections)
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the ``draft`` subcommand to ``medscribe``'s subparsers."""
    p = sub.add_parser(
        "draft",
        help="draft a text (no audio): DetectEntities -> FilterEntities -> the draft's sections as JSON",
    )
    p.add_argument("text", nargs="?", default=None, help="the text, or - (default) to read stdin")
    p.add_argument(
        "--pdf", default=None, metavar="FILE", help="also write the PDF rendered from the sections"
    )
    p.add_argument("--backend", choices=("offline",), default="offline", help="the entity detector (offline)")
    p.set_defaults(func=cmd_draft)
