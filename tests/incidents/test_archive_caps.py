"""A zip bomb is refused while it streams: named, with the limit, without a server path."""

from __future__ import annotations

import resource
import zipfile
from pathlib import Path
from typing import Any

import pytest

from saferhub.core.archives import ArchiveRefused, read_member
from saferhub.incidents.police_uk import ImportRefused
from saferhub.incidents.services import police_uk_import

GIB = 1024**3


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 GiB of zeros as one police.uk-named member: about 2 MB on disk."""
    path = tmp_path_factory.mktemp("bomb") / "police-uk-2024-01.zip"
    zero = bytes(1 << 20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("2024-01/2024-01-derbyshire-street.csv", "w", force_zip64=True) as out,
    ):
        for _ in range(2 * 1024):
            out.write(zero)
    assert path.stat().st_size < 20 * 1024 * 1024
    return path


@pytest.mark.slow  # writing the 2 GiB member takes several seconds
@pytest.mark.django_db
def test_a_zip_bomb_is_refused_without_using_its_memory(bomb: Path) -> None:
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    with pytest.raises(ImportRefused) as refused:
        police_uk_import(actor="test", paths=[bomb])
    message = str(refused.value)
    assert "police-uk-2024-01.zip:2024-01/2024-01-derbyshire-street.csv" in message
    assert "256 MiB" in message
    assert str(bomb.parent) not in message and "/tmp" not in message
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mib < 100, f"the refusal took {grown_mib:.0f} MiB"


def _archive(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "small.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", data)
    return path


def test_the_limits_come_from_settings_and_are_checked_while_streaming(
    settings: Any, tmp_path: Path
) -> None:
    text = b"".join(b"%d,crime,E01000%03d\n" % (i, i % 997) for i in range(200_000))
    path = _archive(tmp_path, text)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("a.csv")
        assert read_member(archive, info, archive_name="small.zip") == text
        settings.ARCHIVE_MEMBER_MAX_BYTES = 1024 * 1024
        with pytest.raises(ArchiveRefused, match=r"small.zip:a.csv: refused.*1 MiB"):
            read_member(archive, info, archive_name="small.zip")
        settings.ARCHIVE_MEMBER_MAX_BYTES = 256 * 1024 * 1024
        settings.ARCHIVE_MAX_RATIO = 2
        with pytest.raises(ArchiveRefused, match=r"more than 2 times its compressed size"):
            read_member(archive, info, archive_name="small.zip")


@pytest.mark.django_db
def test_an_oversized_member_is_refused_by_the_import(settings: Any, tmp_path: Path) -> None:
    settings.ARCHIVE_MEMBER_MAX_BYTES = 64 * 1024
    header = b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    path = tmp_path / "2024-01.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2024-01-derbyshire-street.csv", header + b"\n" + b"x" * 200_000)
    with pytest.raises(ImportRefused, match=r"2024-01.zip:2024-01-derbyshire-street.csv: refused"):
        police_uk_import(actor="test", paths=[path])
