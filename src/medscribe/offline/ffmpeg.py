"""Where ffmpeg comes from: the system's (PATH) if there is one, else the static build that the
``imageio-ffmpeg`` wheel ships (a pinned local/dev dependency), so local mode and the tests need no OS package."""

from __future__ import annotations

import shutil
from functools import cache


@cache
def find_ffmpeg() -> str | None:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    return exe
