"""Writing report files so that a half-written one is never left or served.

:func:`write_atomically` writes beside the target, flushes to disk, then renames over
it: a reader sees the old file or the whole new one, never part. A full disk (or any
write error) removes the partial file and raises :class:`FileWriteError` with a message
that names the file (by its name, never the server's folders) and the reason.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


class FileWriteError(Exception):
    """A report file could not be written; nothing partial was left."""

    def __init__(self, message: str, *, errno_code: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno_code


def _reason(exc: OSError) -> str:
    if exc.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
        return "the disk is full"
    if exc.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return "the folder cannot be written to"
    return exc.strerror or exc.__class__.__name__


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole, or not at all."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileWriteError(
            f"Could not write {path.name}: {_reason(exc)}.", errno_code=exc.errno
        ) from exc
