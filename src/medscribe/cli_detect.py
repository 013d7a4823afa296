"""``medscribe detect-entities [TEXT|-]``: the offline detector's DetectEntitiesV2 JSON for a text.

The local counterpart of ``aws comprehendmedical detect-entities-v2 --text TEXT``: the same response shape
(``Entities``, ``UnmappedAttributes``, ``ModelVersion``), printed as JSON, so the two can be compared.
TEXT may be given as an argument, with ``--text``, or on stdin (``-`` or no argument).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

MAX_CHARS = 20_000  # DetectEntitiesV2's own input limit (UTF-8 characters)


def cmd_detect_entities(args: argparse.Namespace) -> int:
    from medscribe.offline.ner import OfflineEntityDetector

    text = args.text_option if args.text_option is not None else args.text
    if text is None or text == "-":
        text = sys.stdin.read()
    if len(text) > MAX_CHARS:
        print(f"medscribe: text too long ({len(text)} > {MAX_CHARS} characters)", file=sys.stderr)
        return 2
    resp: dict[str, Any] = OfflineEntityDetector(fuzzy=not args.no_fuzzy).detect_entities(text)
    if args.min_score is not None:
        resp["Entities"] = [e for e in resp["Entities"] if e["Score"] >= args.min_score]
    try:
        sys.stdout.write(json.dumps(resp, indent=None if args.compact else 4, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # "| head": the reader left, nothing more to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the interpreter flushes stdout at exit
    return 0


def register(sub: Any) -> None:
    """Add the ``detect-entities`` subcommand to ``medscribe``'s subparsers."""
    p = sub.add_parser(
        "detect-entities",
        help="print the offline NER's DetectEntitiesV2 JSON for a text (like aws comprehendmedical "
        "detect-entities-v2 --text)",
    )
    p.add_argument("text", nargs="?", default=None, help="the text, or - (default) to read stdin")
    p.add_argument("--text", dest="text_option", default=None, help="the text (as in the AWS CLI)")
    p.add_argument("--min-score", type=float, default=None, help="drop entities below this Score")
    p.add_argument("--no-fuzzy", action="store_true", help="exact dictionary matches only")
    p.add_argument("--compact", action="store_true", help="one line of JSON")
    p.set_defaults(func=cmd_detect_entities)
