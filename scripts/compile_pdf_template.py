"""Precompile the clinical summary template (run after editing src/medscribe/templates/summary.html.j2).

    .venv/bin/python scripts/compile_pdf_template.py [--check]

Writes ``templates/summary.html.j2.py.txt``: the template as jinja2 compiles it to Python, headed by the
jinja2 version and the digest of the source. ``medscribe.logic.document.pdf`` runs it instead of compiling the
template at RenderPdf's cold start, and only while the header matches (an edited template is compiled from
source until this is rerun). ``--check`` fails if the committed file is stale (tests/unit/test_pdf_template.py
checks the same).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medscribe.logic.document.pdf import COMPILED_TEMPLATE, compiled_template_source

TARGET = Path(__file__).resolve().parents[1] / "src" / "medscribe" / "templates" / COMPILED_TEMPLATE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file is stale")
    args = parser.parse_args()
    code = compiled_template_source()
    if not args.check:
        TARGET.write_text(code, encoding="utf-8")
        print(f"{TARGET.name}: {len(code)} characters")
    elif not TARGET.is_file() or TARGET.read_text(encoding="utf-8") != code:
        print(f"stale: {TARGET.name}; run scripts/compile_pdf_template.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
