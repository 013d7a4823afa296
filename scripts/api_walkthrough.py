"""The README's local API walk-through, as a client would do it, against a running ``medscribe serve``.

POST /recordings -> upload with the presigned POST -> GET /recordings/{id} until COMPLETED or FAILED (bounded)
-> the PDF saved into --out. Prints one JSON line: {"recording_id", "status", "error", "pdf"} (error: the Step Functions error name); exit 0 only
when the recording COMPLETED.

Usage: .venv/bin/python scripts/api_walkthrough.py --token ID_TOKEN --audio FILE --out DIR
       [--api http://127.0.0.1:3000] [--timeout 300]
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import time
from pathlib import Path
from typing import Any

import requests

TERMINAL = {"COMPLETED", "FAILED"}


def wait_ready(api: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{api}/openapi.yaml", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"api_walkthrough: {api} did not answer within {timeout:.0f} s")
        time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--token", required=True)
    parser.add_argument("--audio", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--api", default="http://127.0.0.1:3000")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for a terminal status")
    args = parser.parse_args(argv)
    auth = {"Authorization": f"Bearer {args.token}"}
    wait_ready(args.api, 60)

    content_type = mimetypes.guess_type(args.audio.name)[0] or "audio/wav"
    created = requests.post(
        f"{args.api}/recordings", headers=auth, json={"content_type": content_type}, timeout=30
    )
    created.raise_for_status()
    body: dict[str, Any] = created.json()
    rid = body["recording_id"]
    with args.audio.open("rb") as audio:
        upload = requests.post(
            body["upload"]["url"],
            data=body["upload"]["fields"],
            files={"file": ("audio", audio, content_type)},
            timeout=120,
        )
    upload.raise_for_status()

    deadline = time.monotonic() + args.timeout
    detail: dict[str, Any] = {}
    while time.monotonic() < deadline:
        detail = requests.get(f"{args.api}/recordings/{rid}", headers=auth, timeout=30).json()
        if detail.get("status") in TERMINAL:
            break
        time.sleep(2)
    status = detail.get("status", "UNKNOWN")
    pdf_path = None
    if status == "COMPLETED" and detail.get("pdf"):
        args.out.mkdir(parents=True, exist_ok=True)
        pdf = requests.get(detail["pdf"]["url"], timeout=60)
        pdf.raise_for_status()
        pdf_path = args.out / f"{rid}.pdf"
        pdf_path.write_bytes(pdf.content)
    result = {
        "recording_id": rid,
        "status": status,
        "error": detail.get("error_name"),
        "pdf": str(pdf_path) if pdf_path else None,
    }
    print(json.dumps(result))
    return 0 if status == "COMPLETED" else 1


if __name__ == "__main__":
    sys.exit(main())
