"""The embedded PostgreSQL's watchdog: ``python -m medscribe.local.state.pgwatch PGDATA``.

``pg_ctl start`` detaches the postmaster: it is nobody's child, so no parent-death signal reaches it. The
process that starts PostgreSQL also starts this watchdog with a pipe on its stdin and keeps the pipe's write
end (close-on-exec: no other child inherits it). The watchdog only reads: the read returns EOF when that end is
closed, which the kernel does however the holder ends (exit, exception, SIGKILL). The watchdog then drops dead
holders from pgserver's handle list and, when no live process holds the server any more, stops the postmaster
with a fast shutdown (``hygiene.clean_stale_pgserver``): a normal exit has stopped it already, a kill -9 has not.

It runs in its own session (a Ctrl-C to the terminal does not kill it before it is needed) with stdout/stderr
on its own log file (it never holds the caller's pipes: ``medscribe run | cat`` ends with ``run``).
"""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

# After EOF: give the holder's own exit a moment to remove its handle and stop PostgreSQL itself.
GRACE_SECONDS = 0.5


def main(argv: list[str]) -> int:
    pgdata = Path(argv[0])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while sys.stdin.buffer.read(4096):  # nothing is ever written: this returns b"" when the holder is gone
        continue
    time.sleep(GRACE_SECONDS)
    from medscribe.local.hygiene import clean_stale_pgserver

    done = clean_stale_pgserver(pgdata)
    print(json.dumps({"event": "holder-gone", **done}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
