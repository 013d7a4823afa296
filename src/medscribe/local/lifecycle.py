"""The start/stop shape the local stack's context managers share (LocalPipeline, LocalServer)."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Self


class Started:
    """A context manager whose ``_start`` registers every undo on ``self._exit``: leaving closes that stack, and
    a start that fails part-way undoes what it had done before raising."""

    _exit: ExitStack

    def _start(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self._start()
        except BaseException:
            self._exit.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._exit.close()
