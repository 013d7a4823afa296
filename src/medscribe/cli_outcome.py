"""``medscribe run``'s last stdout line and exit code, for every way a run can end.

Exit codes (also in ``medscribe run --help`` and docs/local-mode.md):

====  ========================  ===========================================================================
code  error name                meaning
====  ========================  ===========================================================================
0     -                         the recording SUCCEEDED and every output file was written
1     (the pipeline's error)    the recording FAILED (its named error, as the execution ended), or its upload
                                was refused (UnknownTenant: the event is in TriggerDLQ)
2     (the stack's error)       the local stack could not start (template missing, PostgreSQL); UsageError: a
                                wrong argument (the line names it)
3     InputNotFound             the audio file does not exist or cannot be read
4     OutputWriteFailed         the recording ended (its real status and id are in the line) but an output
                                file could not be written (``--out`` full or read-only); nothing truncated
5     DataDirectoryUnwritable   MEDSCRIBE_HOME is full or not writable (state, PostgreSQL), at the start or
                                by the end (the line keeps the recording's real status and its own error)
70    InternalError             an unexpected exception (a bug): its type and message, no traceback on stdout
128+N RunAborted                signal N (SIGINT 130, SIGTERM 143)
====  ========================  ===========================================================================
"""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any, TextIO

from medscribe.errors import MedscribeError
from medscribe.local.state.atomic import write_atomic
from medscribe.local.state.errors import DataDirectoryUnwritable

EXIT_SUCCEEDED = 0
EXIT_FAILED = 1
EXIT_STACK = 2
EXIT_INPUT = 3
EXIT_OUTPUT = 4
EXIT_DATA_DIRECTORY = 5
EXIT_INTERNAL = 70
EXIT_CODES_HELP = (
    "exit codes: 0 succeeded; 1 the recording failed or was refused; 2 the local stack could not start; 3 InputNotFound; "
    "4 OutputWriteFailed (the line keeps the recording's real status); 5 DataDirectoryUnwritable "
    "(MEDSCRIBE_HOME full or read-only); 70 InternalError; 128+N aborted by signal N"
)
# errno values that mean "this directory cannot take the write", whatever the file.
NO_SPACE_OR_ACCESS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR}


class InputNotFound(MedscribeError):
    """The audio file given to ``medscribe run`` does not exist or is not readable."""


class OutputWriteFailed(MedscribeError):
    """An output file of ``medscribe run`` could not be written (the recording itself ended as reported)."""


class InternalError(MedscribeError):
    """An exception nobody named: a bug. Reported by type and message on the JSON line."""


def line(
    status: str, recording_id: str | None, name: str | None, message: str | None, **extra: Any
) -> dict[str, Any]:
    return {
        "status": status,
        "recording_id": recording_id,
        "error": {"name": name, "message": message} if name else None,
        "transcript_text": None,
        "entities": [],
        "dropped_count": 0,
        "pdf": None,
        "estimated_cost_usd": None,
        **extra,
    }


def emit(payload: dict[str, Any], stdout: TextIO) -> None:
    stdout.write(json.dumps(payload, default=_json_default) + "\n")
    stdout.flush()


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def is_under(path: str | None, directory: Path) -> bool:
    if not path:
        return False
    try:
        Path(path).resolve().relative_to(directory.resolve())
    except ValueError:
        return False
    return True


def unsaved_state(store: Any) -> str | None:
    """Why the run's last local-state snapshot could not be written, when MEDSCRIBE_HOME filled up (or became
    read-only) during the run; ``None`` when it was saved (or nothing is persisted)."""
    error = getattr(store, "last_error", None)
    if not isinstance(error, OSError) or error.errno not in NO_SPACE_OR_ACCESS:
        return None
    return f"{error.strerror} (MEDSCRIBE_HOME): the local state of this run was not saved"


def data_directory_error(exc: BaseException, home: Path) -> DataDirectoryUnwritable | None:
    """An OSError about MEDSCRIBE_HOME (no space, read-only, no permission), as a named error."""
    if isinstance(exc, OSError) and exc.errno in NO_SPACE_OR_ACCESS and is_under(exc.filename, home):
        return DataDirectoryUnwritable(f"{exc.strerror} (MEDSCRIBE_HOME)")
    return None


def write_outputs(out_dir: Path, files: dict[str, bytes]) -> None:
    """Every file whole or not at all (``write_atomic``); the first failure is an ``OutputWriteFailed``."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            write_atomic(out_dir / name, data)
    except OSError as exc:
        raise OutputWriteFailed(f"cannot write the outputs: {exc.strerror or exc}") from exc
