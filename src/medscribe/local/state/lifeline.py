"""A child process ends with its parent, however the parent ends (kill -9 included).

``watch_parent(pid)`` starts a daemon thread in the child that blocks on a pidfd of the parent (Linux 5.3+;
elsewhere it polls ``os.getppid()``) and leaves with ``os._exit`` the moment the parent is gone: no cleanup
code in the parent has to run. Used by the offline workers' initializer.

Why not ``PR_SET_PDEATHSIG``: Linux sends it when the *thread* that forked the child ends, and workers are
forked by whichever thread submits a job (a Step Functions execution thread that ends a few seconds later), so
the signal would kill healthy workers. A pidfd is about the process.
"""

from __future__ import annotations

import os
import select
import threading
from contextlib import suppress

POLL_SECONDS = 0.25  # fallback only (no pidfd): how long a child may outlive its parent
EXIT_CODE = 70  # EX_SOFTWARE: the parent died


def _wait_for_exit(pid: int) -> None:
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        try:
            fd = pidfd_open(pid)
        except OSError:  # already gone, or pidfds not supported by this kernel
            fd = -1
        if fd >= 0:
            with suppress(OSError):
                select.select([fd], [], [])  # readable once the process has exited
            return
    stop = threading.Event()
    while os.getppid() == pid and not stop.wait(POLL_SECONDS):
        continue


def _watch(pid: int) -> None:
    _wait_for_exit(pid)
    os._exit(EXIT_CODE)


def watch_parent(pid: int | None = None) -> threading.Thread:
    """In a child: leave as soon as ``pid`` (default: the current parent) is gone."""
    parent = pid if pid is not None else os.getppid()
    thread = threading.Thread(target=_watch, args=(parent,), name="parent-lifeline", daemon=True)
    thread.start()
    return thread
