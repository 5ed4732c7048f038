"""Reading zip archives without trusting them: every member capped while it streams.

A zip member declares its size, but the declaration can lie, and a small archive can
hold an enormous member (2 GiB of zeros compresses to about 2 MB). Every member is read
in pieces, and refused as soon as it passes either limit:

* ``ARCHIVE_MEMBER_MAX_BYTES``: the most a member may expand to (default 256 MiB; the
  largest real police.uk monthly file, a large force's street-level crime, is a few tens
  of megabytes);
* ``ARCHIVE_MAX_RATIO``: the most a member may expand relative to its compressed size
  (default 100; police.uk CSV files compress about 5 to 10 times).

The refusal names the archive, the member and the limit, never a server path.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from django.conf import settings

PIECE = 1 << 20
DEFAULT_MEMBER_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_RATIO = 100


class ArchiveRefused(ValueError):
    """A member too large, or expanding too much: the message says which and the limit."""


def member_max_bytes() -> int:
    return int(getattr(settings, "ARCHIVE_MEMBER_MAX_BYTES", DEFAULT_MEMBER_MAX_BYTES))


def max_ratio() -> int:
    return int(getattr(settings, "ARCHIVE_MAX_RATIO", DEFAULT_MAX_RATIO))


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MiB"


def check_declared(archive_name: str, info: zipfile.ZipInfo) -> None:
    """Refuse a member whose *declared* size already passes a limit (before reading it)."""
    _check(archive_name, info, info.file_size)


def _check(archive_name: str, info: zipfile.ZipInfo, size: int) -> None:
    cap = member_max_bytes()
    where = f"{archive_name}:{info.filename}"
    if size > cap:
        raise ArchiveRefused(
            f"{where}: refused, the file expands to more than {_mib(cap)} "
            f"(the limit for one file in an archive)."
        )
    ratio = max_ratio()
    if size > max(info.compress_size, 1) * ratio and size > PIECE:
        raise ArchiveRefused(
            f"{where}: refused, the file expands more than {ratio} times its compressed "
            f"size ({info.compress_size:,} bytes), which no real data file does."
        )


def iter_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, archive_name: str
) -> Iterator[bytes]:
    """The member's bytes in pieces of at most 1 MiB, refused as soon as a limit is passed."""
    check_declared(archive_name, info)
    total = 0
    with archive.open(info) as handle:
        while piece := handle.read(PIECE):
            total += len(piece)
            _check(archive_name, info, total)
            yield piece


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, archive_name: str) -> bytes:
    """The whole member (at most ``ARCHIVE_MEMBER_MAX_BYTES``), checked while it streams."""
    return b"".join(iter_member(archive, info, archive_name=archive_name))


def copy_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: BinaryIO, *, archive_name: str
) -> int:
    """Write the member to ``out``, checked while it streams; the bytes written."""
    written = 0
    for piece in iter_member(archive, info, archive_name=archive_name):
        out.write(piece)
        written += len(piece)
    return written
