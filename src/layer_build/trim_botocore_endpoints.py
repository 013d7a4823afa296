"""Build step of the core layer (src/Makefile): keep in botocore's endpoints.json only the services whose models
the layer ships (BOTOCORE_SERVICES). Not shipped itself.

The file (1.2 MB, every AWS service in every partition) is parsed by the first client of every cold start,
although a client only reads its own service's entry: ``EndpointResolver`` looks a service up per partition and
falls back to the partition's defaults for a service it does not list, so the shipped services resolve exactly
as before. Partitions, their regions and defaults are kept whole.

    python layer_build/trim_botocore_endpoints.py SITE/botocore/data
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any


def _read_json(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return json.loads(data)


def endpoint_prefixes(data_dir: Path) -> set[str]:
    """The endpoint prefix (the key in endpoints.json) of every service model under ``data_dir``."""
    prefixes = set()
    for service in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        versions = sorted(p for p in service.iterdir() if p.is_dir())
        model = next(iter(sorted(versions[-1].glob("service-2.json*"))))
        prefixes.add(_read_json(model)["metadata"]["endpointPrefix"])
    return prefixes


def trim(endpoints: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    partitions = [
        {**p, "services": {name: s for name, s in p["services"].items() if name in keep}}
        for p in endpoints["partitions"]
    ]
    return {**endpoints, "partitions": partitions}


def main(data_dir: Path) -> None:
    path = data_dir / "endpoints.json"
    trimmed = trim(json.loads(path.read_text("utf-8")), endpoint_prefixes(data_dir))
    path.write_text(json.dumps(trimmed, separators=(",", ":")), "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
